import { configFields } from '../config/fields.js';
import type { Config, ConfigIssue } from '../config/schema.js';
import { isRunOnly, planShapingKeys } from '../config/scope.js';
import { backfillWindow } from '../config/window.js';
import { UsageError } from '../errors.js';
import { resolveTimeShape, type DiurnalProfile } from '../schedule/time-shape.js';
import type { Workload } from '../workload/workload.js';
import { sha256Hex } from '../random/hash.js';
import type { Shard } from '../config/shard.js';
import { PLAN_FORMAT, placerOfPlan, settingsKeyOf, visitsOfPlan, type DayPlacer, type PlanInput, type TargetPlan, type VisitFactory, type VisitsOfDay } from './plan.js';

/**
 * What backfill and verify share: the targets, window, profile and plan identity from a resolved
 * configuration, and the lookup of a stored plan. Plan keys hash the settings that shape the hits
 * (journey settings, catalogue and funnel file contents, seed, caps, zone, profile, target) and the
 * program version, so a resume never regenerates different hits than the first run sent.
 */
export interface BackfillTarget {
  /** Position in config.targets. */
  index: number;
  url: string;
  siteId: number;
  tokenAuth?: string;
  /** `url site N`, for messages (no credentials: redacted by the report). */
  label: string;
}

/**
 * Warnings backfill and verify leave out: those about settings only the live run reads (each
 * setting's scope, in the schema), and those about `concurrency`, which size live visits (Little's
 * law), not bulk batches.
 */
export function hiddenForBackfill(warning: ConfigIssue): boolean {
  return warning.path === 'concurrency' || isRunOnly(configFields(), warning.path);
}

/**
 * Bulk batches in flight when the user sets no `concurrency` (file, environment or flag). The
 * shared default and the presets size `concurrency` for live visits (50 to 300), while a Matomo
 * ingesting bulk batches is bound by its own CPU and database: more batches than it has cores only
 * queue and contend (measured: docs/performance.md, backfill into a real Matomo 5.0.2).
 */
export const BACKFILL_CONCURRENCY = 4;

/** The configuration backfill runs with: BACKFILL_CONCURRENCY unless the user set `concurrency` (`origin`: where it came from). */
export function withBackfillConcurrency(config: Config, origin: string | undefined): Config {
  if (origin === undefined || origin.startsWith('preset ')) return { ...config, concurrency: BACKFILL_CONCURRENCY };
  return config;
}

export function backfillTargets(config: Config): BackfillTarget[] {
  if (config.targets.length === 0) {
    throw new UsageError('url: missing: backfill needs a target (--url https://matomo.example.org/matomo.php --site-id 3)');
  }
  return config.targets.map((t, index) => {
    if (t.siteIds.from !== t.siteIds.to) {
      throw new UsageError(
        `${config.targets.length > 1 ? `targets[${index}].siteId` : 'siteId'}: backfill fills one site per target, got the range ${t.siteIds.from}-${t.siteIds.to} (list each site as its own target)`,
      );
    }
    return {
      index,
      url: t.url,
      siteId: t.siteIds.from,
      ...(t.tokenAuth ? { tokenAuth: t.tokenAuth } : {}),
      label: `${t.url.replace(/^(\w+:\/\/)[^/@]*@/, '$1')} site ${t.siteIds.from}`,
    };
  });
}

export function windowOf(config: Config, now: number): { from: string; to: string; absolute: boolean } {
  const result = backfillWindow(config, now);
  if (result.kind === 'none') {
    throw new UsageError('backfill: no window: give --from and --to, or --days-back and --duration-days');
  }
  if (result.kind === 'invalid') {
    const p = result.problems[0]!;
    throw new UsageError(`${p.path}: ${p.message}${p.hint ? ` (${p.hint})` : ''}`);
  }
  return { from: result.window.from, to: result.window.to, absolute: config.backfill.from !== undefined };
}

/** The hour-of-day profile of visit starts: the time shape's hours (`default`, `flat` or 24 weights). */
export function profileOf(config: Config): DiurnalProfile {
  return resolveTimeShape(config.timeShape).hours;
}

/**
 * The settings that shape a visit's hits (shapesPlan, in the schema), with the files' contents as
 * hashes (`readFile` reads them; an unreadable file is named instead). `version`: the program's,
 * part of the identity on purpose.
 */
export async function shapeOf(config: Config, version: string, readFile: (path: string) => Promise<string>): Promise<Record<string, unknown>> {
  const shape: Record<string, unknown> = { trafficinator: version };
  const shaping = planShapingKeys(configFields());
  for (const [key, value] of Object.entries(config)) if (shaping.has(key)) shape[key] = value;
  for (const key of ['urlsFile', 'funnelsFile'] as const) {
    const file = config[key];
    if (file === undefined) continue;
    try {
      shape[key] = sha256Hex(await readFile(file));
    } catch {
      shape[key] = `unreadable:${file}`;
    }
  }
  return shape;
}

export function planInputOf(
  config: Config,
  target: BackfillTarget,
  window: { from: string; to: string },
  cutoffMs: number,
  seed: string | number,
  profile: DiurnalProfile,
  shape: unknown,
  shard?: Shard,
): PlanInput {
  return {
    window: { from: window.from, to: window.to },
    zone: config.timezone,
    cutoffMs,
    seed,
    perDayCap: config.backfill.maxVisitsPerDay,
    totalCap: config.backfill.maxVisitsTotal,
    profile,
    weekdays: resolveTimeShape(config.timeShape).weekdays,
    // The longest timeline the journey settings allow, with a margin for the closing ping.
    maxVisitDurationMs: config.visitDurationMinutes.max * 60_000 + 60_000,
    shape,
    target: { url: target.url, siteId: target.siteId },
    ...(shard && shard.count > 1 ? { shard } : {}),
  };
}

/** A plan as the state directory keeps it (state/store.ts StoredPlan). */
export interface KeptPlan {
  createdAt: string;
  plan: TargetPlan;
}

export type StoredLookup<S extends KeptPlan> = { kind: 'found'; stored: S } | { kind: 'none'; mismatched: S[] };

/**
 * Of the stored plans (`stored`: every plan of the state directory), the one of this target whose
 * settings match (recomputed with the stored seed, so a resume without --seed finds a plan whose
 * seed was drawn), and whose window is the one asked when the user gave absolute dates. The newest
 * wins.
 */
export function findStoredPlan<S extends KeptPlan>(
  stored: readonly S[],
  config: Config,
  target: BackfillTarget,
  window: { from: string; to: string; absolute: boolean } | undefined,
  profile: DiurnalProfile,
  shape: unknown,
  shard?: Shard,
): StoredLookup<S> {
  const mismatched: S[] = [];
  const candidates = stored
    .filter((s) => s.plan.target.url === target.url && String(s.plan.target.siteId) === String(target.siteId))
    .filter((s) => !window?.absolute || (s.plan.window.from === window.from && s.plan.window.to === window.to))
    .filter((s) => config.seed === undefined || String(config.seed) === String(s.plan.seed))
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
  for (const candidate of candidates) {
    if (candidate.plan.format !== PLAN_FORMAT) {
      mismatched.push(candidate);
      continue;
    }
    const key = settingsKeyOf(planInputOf(config, target, candidate.plan.window, candidate.plan.cutoffMs, candidate.plan.seed, profile, shape, shard));
    if (key === candidate.plan.settingsKey) return { kind: 'found', stored: candidate };
    mismatched.push(candidate);
  }
  return { kind: 'none', mismatched };
}

export function noStoredPlanMessage(what: string, stateDir: string, target: BackfillTarget, lookup: { mismatched: readonly KeptPlan[] }, shard?: Shard): string {
  const count = (s: Shard | undefined): number => (s && s.count > 1 ? s.count : 1);
  const other = lookup.mismatched.find((m) => count(m.plan.shard) !== count(shard) || (m.plan.shard?.index ?? 0) !== (shard && shard.count > 1 ? shard.index : 0));
  if (other) {
    const name = (s: Shard | undefined): string => (count(s) > 1 ? `shard ${s!.index}/${s!.count}` : 'unsharded');
    return `${what}: the stored plan ${other.plan.key.slice(0, 12)} in ${stateDir} is ${name(other.plan.shard)}, this run is ${name(shard)}: resume with the same --shard (the same n and index, one state directory per shard)`;
  }
  let msg = `${what}: no stored backfill of ${target.label} in ${stateDir} matches this window and configuration`;
  const older = lookup.mismatched.find((m) => m.plan.format !== PLAN_FORMAT);
  if (older) {
    return (
      `${what}: the stored plan ${older.plan.key.slice(0, 12)} (${older.plan.window.from}..${older.plan.window.to}) in ${stateDir} is plan format ${older.plan.format}; ` +
      `this trafficinator generates other hits for it (format ${PLAN_FORMAT}): finish it with the version that started it, or undo the window and backfill it anew`
    );
  }
  if (lookup.mismatched.length > 0) {
    const m = lookup.mismatched[0]!;
    msg += `; the plan ${m.plan.key.slice(0, 12)} (${m.plan.window.from}..${m.plan.window.to}, seed ${m.plan.seed}) has other settings (journey settings, caps, zone, daily profile, files or trafficinator version): use the same ones`;
  } else {
    msg += ' (give the same --from/--to, --seed and --state-dir as the backfill)';
  }
  return msg;
}

/**
 * No visit's timeline is longer (plan.ts placeDay builds a day's visits in start order from it): a
 * browse lasts at most the longest visit duration, a bounce at most 75 s, a funnel the sum of its
 * steps' longest delays (then, unless it exits, a browse); five minutes more for margin. Were it ever
 * short, placeDay fails loudly rather than send out of order.
 */
export function maxTimelineMs(workload: Pick<Workload, 'config' | 'funnels'>): number {
  let funnel = 0;
  for (const f of workload.funnels) funnel = Math.max(funnel, f.steps.reduce((sum, step) => sum + step.delayMs.max, 0));
  return workload.config.visitDurationMinutes.max * 60_000 + funnel + 5 * 60_000;
}

function factoryOf(workload: Workload, siteId: number): VisitFactory {
  return {
    build: (_rng, index, day) => workload.visit(day.date, index),
    encode: (visit, startMs) => workload.encode(visit, siteId, startMs),
    maxTimelineMs: maxTimelineMs(workload),
  };
}

/** The replay's visit source: workload visits of the plan's days, placed by the diurnal profile. */
export function visitSource(plan: TargetPlan, workload: Workload, siteId: number): VisitsOfDay {
  return visitsOfPlan(plan, factoryOf(workload, siteId));
}

/** The same visits, placed and encoded apart (what a worker thread does with its share of a day). */
export function dayPlacer(plan: TargetPlan, workload: Workload, siteId: number): DayPlacer {
  return placerOfPlan(plan, factoryOf(workload, siteId));
}
