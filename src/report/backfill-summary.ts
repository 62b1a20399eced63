import type { TargetPlan } from '../backfill/plan.js';
import { totalsOf, type DayRow, type Totals } from './backfill-rows.js';
import type { HourCounts } from './backfill-hours.js';

/**
 * `--summary-json` of backfill. docs/schema/backfill-summary.schema.json describes it.
 * Version 2: per-day and total `reconciled` and `resentAfterReconcile`; settings.reconcile
 * replaces settings.retryAmbiguous. Version 3: per target `plannedByHour`, the plan's hits and
 * visits per hour of the local day. Version 4: a target lists its `plans` (key, window, cut-off,
 * seed and shard of each), in place of one `planKey`, `cutoff` and `seed`, so that `report` can
 * merge the summaries of several plans of one target (the shards of a backfill) into one; and
 * `mergedFrom`. readBackfillSummary reads versions 1 to 3 too.
 */
export const BACKFILL_SUMMARY_VERSION = 4;

/** The versions readBackfillSummary reads (`report` says so). */
export const READABLE_BACKFILL_VERSIONS = [1, 2, 3, BACKFILL_SUMMARY_VERSION] as const;

/** One plan whose sending a target's counts hold (since version 4). */
export interface BackfillPlanRef {
  /** The plan key (names the state directory entry). */
  planKey: string;
  window: { from: string; to: string };
  /** The plan's cut-off: today ends here. */
  cutoff: string;
  seed: string;
  /** The shard this plan's process sent (--shard i/n, n > 1); absent: unsharded, or unknown in a summary older than version 4. */
  shard?: { index: number; count: number };
}

export interface BackfillSummaryTarget {
  url: string;
  siteId: string;
  /** One plan's window; in a merge, from the earliest `from` to the latest `to` of its plans (`days` lists the days). */
  window: { from: string; to: string };
  zone: string;
  /** Every plan the counts come from: one for one backfill, several in a merge (since version 4). */
  plans: BackfillPlanRef[];
  days: DayRow[];
  totals: Totals;
  /** Version 3 on; absent in summaries of older versions. */
  plannedByHour?: HourCounts;
}

export interface BackfillSummary {
  version: number;
  command: 'backfill';
  trafficinator: string;
  startedAt: string;
  elapsedMs: number;
  hitsPerSecond: number;
  interrupted: boolean;
  exitCode: number;
  settings: { bulkSize: number; concurrency: number; rateLimit: number | null; visitRateLimit?: number | null; reconcile: boolean; resume: boolean };
  targets: BackfillSummaryTarget[];
  /** How many backfill summaries `report` merged into this one (absent: one backfill). */
  mergedFrom?: number;
}

/** Drops user:password@ from a URL: summaries are shared, credentials are not. */
export function redactUrl(url: string): string {
  return url.replace(/^(\w+:\/\/)[^/@]*@/, '$1');
}

export function backfillSummary(input: {
  version: string;
  startedAtMs: number;
  elapsedMs: number;
  interrupted: boolean;
  exitCode: number;
  settings: BackfillSummary['settings'];
  targets: ReadonlyArray<{ plan: TargetPlan; rows: DayRow[]; plannedByHour?: HourCounts }>;
}): BackfillSummary {
  const targets = input.targets.map(({ plan, rows, plannedByHour }) => ({
    url: redactUrl(plan.target.url),
    siteId: String(plan.target.siteId),
    window: { ...plan.window },
    zone: plan.zone,
    plans: [
      {
        planKey: plan.key,
        window: { ...plan.window },
        cutoff: new Date(plan.cutoffMs).toISOString(),
        seed: String(plan.seed),
        ...(plan.shard && plan.shard.count > 1 ? { shard: { index: plan.shard.index, count: plan.shard.count } } : {}),
      },
    ],
    days: rows,
    totals: totalsOf(rows),
    ...(plannedByHour ? { plannedByHour } : {}),
  }));
  const sent = targets.reduce((a, t) => a + t.totals.sent, 0);
  return {
    version: BACKFILL_SUMMARY_VERSION,
    command: 'backfill',
    trafficinator: input.version,
    startedAt: new Date(input.startedAtMs).toISOString(),
    elapsedMs: Math.round(input.elapsedMs),
    hitsPerSecond: input.elapsedMs > 0 ? Math.round((sent / input.elapsedMs) * 1000) : 0,
    interrupted: input.interrupted,
    exitCode: input.exitCode,
    settings: input.settings,
    targets,
  };
}

/** A target of version 1 to 3: one plan, named by `planKey`, `cutoff` and `seed`. */
type OldTarget = Omit<BackfillSummaryTarget, 'plans'> & { planKey: string; cutoff: string; seed: string };

/** Version 1 to 3's one plan per target as version 4's `plans` (their shard, if any, is unknown). */
function upgradeTarget(old: OldTarget): BackfillSummaryTarget {
  const { planKey, cutoff, seed, ...rest } = old;
  return { ...rest, plans: [{ planKey, window: { ...old.window }, cutoff, seed }] };
}

/**
 * Reads a backfill summary of any published version, upgraded to the current form: version 1
 * knew no reconciliation (its counts are 0, and `reconcile` is false: it resent 500s blind);
 * versions 1 and 2 have no `plannedByHour`; versions 1 to 3 name one plan per target
 * (`planKey`), read as a `plans` list of one.
 */
export function readBackfillSummary(value: unknown): BackfillSummary {
  if (typeof value !== 'object' || value === null) throw new TypeError('not a backfill summary');
  const v = value as Record<string, unknown> & { version?: unknown; command?: unknown };
  if (v.command !== 'backfill') throw new TypeError('not a backfill summary (command is not "backfill")');
  if (v.version === BACKFILL_SUMMARY_VERSION) return value as BackfillSummary;
  const old = value as unknown as Omit<BackfillSummary, 'settings' | 'targets'> & {
    settings: Omit<BackfillSummary['settings'], 'reconcile'> & { reconcile?: boolean; retryAmbiguous?: boolean };
    targets: OldTarget[];
  };
  if (v.version === 2 || v.version === 3) {
    return { ...old, version: BACKFILL_SUMMARY_VERSION, settings: old.settings as BackfillSummary['settings'], targets: (old.targets ?? []).map(upgradeTarget) };
  }
  if (v.version !== 1) throw new TypeError(`backfill summary version ${String(v.version)} is not one this version reads (${READABLE_BACKFILL_VERSIONS.join(', ')})`);
  const { retryAmbiguous: _dropped, reconcile: _none, ...settings } = old.settings;
  const upgradeRow = <T extends object>(row: T): T & { reconciled: number; resentAfterReconcile: number } => ({ reconciled: 0, resentAfterReconcile: 0, ...row });
  return {
    ...old,
    version: BACKFILL_SUMMARY_VERSION,
    settings: { ...settings, reconcile: false },
    targets: (old.targets ?? []).map((t) => upgradeTarget({ ...t, days: t.days.map(upgradeRow), totals: upgradeRow(t.totals) })),
  };
}
