import type { TargetPlan } from '../backfill/plan.js';
import { totalsOf, type DayRow, type Totals } from './backfill-rows.js';
import type { HourCounts } from './backfill-hours.js';

/**
 * `--summary-json` of backfill. docs/schema/backfill-summary.schema.json describes it.
 * Version 2: per-day and total `reconciled` and `resentAfterReconcile`; settings.reconcile
 * replaces settings.retryAmbiguous. Version 3: per target `plannedByHour`, the plan's hits and
 * visits per hour of the local day. readBackfillSummary reads versions 1 and 2 too.
 */
export const BACKFILL_SUMMARY_VERSION = 3;

/** The versions readBackfillSummary reads (`report` says so). */
export const READABLE_BACKFILL_VERSIONS = [1, 2, BACKFILL_SUMMARY_VERSION] as const;

export interface BackfillSummaryTarget {
  url: string;
  siteId: string;
  planKey: string;
  window: { from: string; to: string };
  zone: string;
  cutoff: string;
  seed: string;
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
    planKey: plan.key,
    window: { ...plan.window },
    zone: plan.zone,
    cutoff: new Date(plan.cutoffMs).toISOString(),
    seed: String(plan.seed),
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

/**
 * Reads a backfill summary of any published version, upgraded to the current form: version 1
 * knew no reconciliation (its counts are 0, and `reconcile` is false: it resent 500s blind);
 * versions 1 and 2 have no `plannedByHour`.
 */
export function readBackfillSummary(value: unknown): BackfillSummary {
  if (typeof value !== 'object' || value === null) throw new TypeError('not a backfill summary');
  const v = value as Record<string, unknown> & { version?: unknown; command?: unknown };
  if (v.command !== 'backfill') throw new TypeError('not a backfill summary (command is not "backfill")');
  if (v.version === BACKFILL_SUMMARY_VERSION) return value as BackfillSummary;
  if (v.version === 2) return { ...(value as BackfillSummary), version: BACKFILL_SUMMARY_VERSION };
  if (v.version !== 1) throw new TypeError(`backfill summary version ${String(v.version)} is not one this version reads (${READABLE_BACKFILL_VERSIONS.join(', ')})`);
  const old = value as unknown as Omit<BackfillSummary, 'settings'> & { settings: Omit<BackfillSummary['settings'], 'reconcile'> & { retryAmbiguous?: boolean } };
  const { retryAmbiguous: _dropped, ...settings } = old.settings;
  const upgradeRow = <T extends object>(row: T): T & { reconciled: number; resentAfterReconcile: number } => ({ reconciled: 0, resentAfterReconcile: 0, ...row });
  return {
    ...old,
    version: BACKFILL_SUMMARY_VERSION,
    settings: { ...settings, reconcile: false },
    targets: old.targets.map((t) => ({ ...t, days: t.days.map(upgradeRow), totals: upgradeRow(t.totals) })),
  };
}
