import type { TargetPlan } from '../backfill/plan.js';
import { totalsOf, type DayRow, type Totals } from './backfill-rows.js';

/** `--summary-json` of backfill. docs/schema/backfill-summary.schema.json describes it. */
export const BACKFILL_SUMMARY_VERSION = 1;

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
  settings: { bulkSize: number; concurrency: number; rateLimit: number | null; visitRateLimit?: number | null; retryAmbiguous: boolean; resume: boolean };
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
