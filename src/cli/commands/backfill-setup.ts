import { createHash, randomInt } from 'node:crypto';
import { resolve } from 'node:path';
import { resolveTimeShape, type DiurnalProfile } from '../../schedule/time-shape.js';
import { PLAN_FORMAT, planTarget, settingsKeyOf, visitsOfPlan, type PlanInput, type TargetPlan, type VisitsOfDay } from '../../backfill/plan.js';
import { backfillWindow } from '../../config/window.js';
import type { Config } from '../../config/schema.js';
import { UsageError } from '../../errors.js';
import { listPlans, type StoredPlan } from '../../state/store.js';
import { VERSION } from '../../version.js';
import type { Workload } from '../../workload/workload.js';
import type { Io } from '../io.js';
import { environmentNotice, configError, flagsLayerFromCommand, formatIssue } from '../config-options.js';
import type { Command } from 'commander';

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

/** Warnings about live runs only (no auto-stop, rate shape): noise for backfill and verify. */
function liveOnly(path: string): boolean {
  return path === 'autoStopAfterHours' || path === 'maxTotalVisits' || path === 'visitsPerDay' || path === 'dailyCap' || path.startsWith('run.') && path !== 'run.rps';
}

/**
 * Bulk batches in flight when the user sets no `concurrency` (file, environment or flag). The
 * shared default and the presets size `concurrency` for live visits (50 to 300), while a Matomo
 * ingesting bulk batches is bound by its own CPU and database: more batches than it has cores only
 * queue and contend (measured: docs/BENCHMARKS.md, backfill into a real Matomo 5.0.2).
 */
export const BACKFILL_CONCURRENCY = 4;

/** configFromCommand for backfill and verify: the same resolution, without live-run warnings. */
export async function backfillConfig(io: Io, cmd: Command, now: number): Promise<Config> {
  const { loadConfig } = await import('../../config/load.js');
  const resolved = await loadConfig(io, flagsLayerFromCommand(cmd), { now });
  const envLine = environmentNotice(resolved);
  if (envLine) io.stderr.write(envLine);
  // Warnings about concurrency size live visits (Little's law), not bulk batches.
  for (const warning of resolved.warnings) {
    if (!liveOnly(warning.path) && warning.path !== 'concurrency') io.stderr.write(`warning: ${formatIssue(warning)}\n`);
  }
  if (resolved.errors.length > 0 || !resolved.config) throw configError(resolved.errors);
  const origin = resolved.sources['concurrency'];
  if (origin === undefined || origin.startsWith('preset ')) return { ...resolved.config, concurrency: BACKFILL_CONCURRENCY };
  return resolved.config;
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

const NOT_SHAPING = new Set(['targets', 'run', 'backfill', 'concurrency', 'logLevel', 'seed', 'timezone', 'visitsPerDay', 'autoStopAfterHours', 'maxTotalVisits', 'dailyCap']);

/** The settings that shape a visit's hits, with the files' contents as hashes. */
export async function shapeOf(io: Io, config: Config): Promise<Record<string, unknown>> {
  const shape: Record<string, unknown> = { trafficinator: VERSION };
  for (const [key, value] of Object.entries(config)) if (!NOT_SHAPING.has(key)) shape[key] = value;
  for (const key of ['urlsFile', 'funnelsFile'] as const) {
    const file = config[key];
    if (file === undefined) continue;
    try {
      shape[key] = createHash('sha256').update(await io.readFile(file)).digest('hex');
    } catch {
      shape[key] = `unreadable:${file}`;
    }
  }
  return shape;
}

export function newSeed(): number {
  return randomInt(1, 2 ** 31 - 1);
}

export function planInputOf(
  config: Config,
  target: BackfillTarget,
  window: { from: string; to: string },
  cutoffMs: number,
  seed: string | number,
  profile: DiurnalProfile,
  shape: unknown,
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
  };
}

export function freshPlan(input: PlanInput): TargetPlan {
  return planTarget(input);
}

export type StoredLookup =
  | { kind: 'found'; stored: StoredPlan }
  | { kind: 'none'; mismatched: StoredPlan[] };

/**
 * The stored plan of this target whose settings match (recomputed with the stored seed, so a
 * resume without --seed finds a plan whose seed was drawn), and whose window is the one asked when
 * the user gave absolute dates. The newest wins.
 */
export function findStoredPlan(
  stateDir: string,
  config: Config,
  target: BackfillTarget,
  window: { from: string; to: string; absolute: boolean } | undefined,
  profile: DiurnalProfile,
  shape: unknown,
): StoredLookup {
  const mismatched: StoredPlan[] = [];
  const candidates = listPlans(stateDir)
    .plans.filter((s) => s.plan.target.url === target.url && String(s.plan.target.siteId) === String(target.siteId))
    .filter((s) => !window?.absolute || (s.plan.window.from === window.from && s.plan.window.to === window.to))
    .filter((s) => config.seed === undefined || String(config.seed) === String(s.plan.seed))
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
  for (const stored of candidates) {
    if (stored.plan.format !== PLAN_FORMAT) {
      mismatched.push(stored);
      continue;
    }
    const key = settingsKeyOf(planInputOf(config, target, stored.plan.window, stored.plan.cutoffMs, stored.plan.seed, profile, shape));
    if (key === stored.plan.settingsKey) return { kind: 'found', stored };
    mismatched.push(stored);
  }
  return { kind: 'none', mismatched };
}

export function noStoredPlanMessage(what: string, stateDir: string, target: BackfillTarget, lookup: { mismatched: StoredPlan[] }): string {
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

/** The replay's visit source: workload visits of the plan's days, placed by the diurnal profile. */
export function visitSource(plan: TargetPlan, workload: Workload, siteId: number): VisitsOfDay {
  return visitsOfPlan(plan, {
    build: (_rng, index, day) => workload.visit(day.date, index),
    encode: (visit, startMs) => workload.encode(visit, siteId, startMs),
  });
}

export function stateDirOf(io: Io, config: Config): string {
  return resolve(io.cwd, config.backfill.stateDir);
}
