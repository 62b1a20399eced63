import type { TargetPlan } from '../backfill/plan.js';
import { totalsOf, type DayRow, type Totals } from './backfill-rows.js';

/**
 * `--summary-json` of backfill. docs/schema/backfill-summary.schema.json describes it.
 * Version 2: per-day and total `reconciled` and `resentAfterReconcile`; settings.reconcile
 * replaces settings.retryAmbiguous. readBackfillSummary reads version 1 too.
 */
export const BACKFILL_SUMMARY_VERSION = 2;

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
  targets: ReadonlyArray<{ plan: TargetPlan; rows: DayRow[] }>;
}): BackfillSummary {
  const targets = input.targets.map(({ plan, rows }) => ({
    url: redactUrl(plan.target.url),
    siteId: String(plan.target.siteId),
    planKey: plan.key,
    window: { ...plan.window },
    zone: plan.zone,
    cutoff: new Date(plan.cutoffMs).toISOString(),
    seed: String(plan.seed),
    days: rows,
    totals: totalsOf(rows),
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
 * knew no reconciliation (its counts are 0, and `reconcile` is false: it resent 500s blind).
 */
export function readBackfillSummary(value: unknown): BackfillSummary {
  if (typeof value !== 'object' || value === null) throw new TypeError('not a backfill summary');
  const v = value as Record<string, unknown> & { version?: unknown; command?: unknown };
  if (v.command !== 'backfill') throw new TypeError('not a backfill summary (command is not "backfill")');
  if (v.version === BACKFILL_SUMMARY_VERSION) return value as BackfillSummary;
  if (v.version !== 1) throw new TypeError(`backfill summary version ${String(v.version)} is not one this version reads (1, ${BACKFILL_SUMMARY_VERSION})`);
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
