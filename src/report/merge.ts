import type { HitType } from '../journey/visit.js';
import { MsHistogram } from './histogram.js';
import { latencySummary, rateSummary, round6 } from './metrics.js';
import {
  ERROR_KEYS,
  RUN_SUMMARY_VERSION,
  type ErrorKey,
  type HitCounts,
  type RunHistograms,
  type RunSummary,
  type TargetSummary,
  type Thresholds,
  type VisitCounts,
} from './summary.js';
import { reevaluateThresholds } from './thresholds.js';

/** A run summary that carries what a merge needs (version 3 and later). */
export type MergeableRunSummary = RunSummary & Required<Pick<RunSummary, 'window' | 'histograms'>>;

export function isMergeable(summary: RunSummary): summary is MergeableRunSummary {
  return summary.version >= 3 && summary.window !== undefined && summary.histograms !== undefined;
}

/**
 * Several runs' summaries (the shards of one run, say) as one, exactly: counts summed, latency
 * from the merged HDR histograms (never averaged percentiles), rates over the union of the sending
 * windows, and every threshold evaluated again from its expression on the merged figures.
 * Throws an Error naming the problem when the runs cannot be combined (different rate units).
 */
export function mergeRunSummaries(summaries: readonly MergeableRunSummary[]): MergeableRunSummary {
  const first = summaries[0];
  if (!first) throw new Error('nothing to merge');
  const unit = first.rate.unit;
  const odd = summaries.find((s) => s.rate.unit !== unit);
  if (odd) throw new Error(`the summaries measure their rate in different units (${unit}, ${odd.rate.unit}): merge runs of one kind`);

  const visits = sumVisits(summaries.map((s) => s.visits));
  const hits = sumHits(summaries.map((s) => s.hits));
  const byType: RunSummary['hits']['byType'] = {};
  for (const s of summaries) {
    for (const [type, counts] of Object.entries(s.hits.byType) as Array<[HitType, HitCounts]>) byType[type] = sumHits([byType[type] ?? zeroHits(), counts]);
  }

  const latency = MsHistogram.merged(summaries.map((s) => MsHistogram.decode(s.histograms.latency)));
  const typeHistograms = new Map<HitType, MsHistogram>();
  for (const s of summaries) {
    for (const [type, encoded] of Object.entries(s.histograms.byType) as Array<[HitType, RunHistograms['latency']]>) {
      let into = typeHistograms.get(type);
      if (!into) typeHistograms.set(type, (into = new MsHistogram()));
      into.add(MsHistogram.decode(encoded));
    }
  }
  const lags = summaries.map((s) => s.histograms.scheduleLag).filter((h) => h !== null);
  const lag = lags.length === 0 ? null : MsHistogram.merged(lags.map((h) => MsHistogram.decode(h)));

  // Targets by name: shards of one run share their targets.
  const targets = new Map<string, { parts: TargetSummary[]; histogram: MsHistogram }>();
  for (const s of summaries) {
    s.targets.forEach((t, i) => {
      let entry = targets.get(t.name);
      if (!entry) targets.set(t.name, (entry = { parts: [], histogram: new MsHistogram() }));
      entry.parts.push(t);
      const encoded = s.histograms.targets[i];
      if (encoded) entry.histogram.add(MsHistogram.decode(encoded));
    });
  }
  const mergedTargets: TargetSummary[] = [...targets.entries()].map(([name, { parts, histogram }]) => ({
    name,
    visits: sumVisits(parts.map((p) => p.visits)),
    hits: sumHits(parts.map((p) => p.hits)),
    statusCodes: sumCodes(parts.map((p) => p.statusCodes)),
    errors: sumErrors(parts.map((p) => p.errors)),
    latencyMs: latencySummary(histogram),
  }));

  const starts = summaries.map((s) => Date.parse(s.startedAt));
  const startMs = Math.min(...starts);
  const endMs = Math.max(...summaries.map((s, i) => (starts[i] as number) + s.durationMs));
  const windows = summaries.map((s) => ({ start: Date.parse(s.window.start), end: Date.parse(s.window.end) }));
  const windowStart = Math.min(...windows.map((w) => w.start));
  const windowEnd = Math.max(...windows.map((w) => w.end));
  // A daily-cap pause is taken by every shard at the same local midnight: only the shortest is
  // certainly common to all, so only it leaves the union.
  const pausedMs = Math.min(...summaries.map((s) => s.rate.pausedMs));
  const windowMs = Math.max(0, unionLength(windows) - pausedMs);
  const windowHits = summaries.reduce((n, s) => n + s.window.hits, 0);
  const windowVisits = summaries.reduce((n, s) => n + s.window.visits, 0);
  const expected = summaries.some((s) => s.window.expected === null) ? null : summaries.reduce((n, s) => n + (s.window.expected ?? 0), 0);

  const limits: Thresholds = {};
  for (const s of summaries) for (const [k, v] of Object.entries(s.limits) as Array<[keyof Thresholds, number]>) limits[k] ??= v;
  const seeds = new Set(summaries.map((s) => s.seed));
  const reasons = new Set(summaries.map((s) => s.stopReason));
  const configs = new Set(summaries.map((s) => JSON.stringify(s.config ?? null)));

  const merged: MergeableRunSummary = {
    version: RUN_SUMMARY_VERSION,
    command: 'run',
    seed: seeds.size === 1 ? first.seed : null,
    startedAt: new Date(startMs).toISOString(),
    durationMs: endMs - startMs,
    stopReason: reasons.size === 1 ? first.stopReason : 'mixed',
    concurrency: summaries.reduce((n, s) => n + s.concurrency, 0),
    rate: rateSummary(unit, expected, windowMs, pausedMs, windowHits, windowVisits),
    visits,
    hits: { ...hits, byType },
    errorRate: hits.sent === 0 ? 0 : round6(hits.failed / hits.sent),
    statusCodes: sumCodes(summaries.map((s) => s.statusCodes)),
    errors: sumErrors(summaries.map((s) => s.errors)),
    latencyMs: latencySummary(latency),
    scheduleLagMs: lag === null ? null : { count: lag.count, p50: lag.at(50), p99: lag.at(99), max: lag.max },
    targets: mergedTargets,
    thresholds: [],
    limits,
    ...(configs.size === 1 && first.config !== undefined ? { config: first.config } : {}),
    window: {
      start: new Date(windowStart).toISOString(),
      end: new Date(windowEnd).toISOString(),
      hits: windowHits,
      visits: windowVisits,
      expected,
    },
    histograms: {
      latency: latency.encode(),
      byType: Object.fromEntries([...typeHistograms].map(([type, h]) => [type, h.encode()])),
      targets: [...targets.values()].map((t) => t.histogram.encode()),
      scheduleLag: lag === null ? null : lag.encode(),
    },
    mergedFrom: summaries.reduce((n, s) => n + (s.mergedFrom ?? 1), 0),
  };
  merged.thresholds = reevaluateThresholds(merged, summaries.flatMap((s) => s.thresholds));
  return merged;
}

/** Total length of the union of intervals [start, end] (backfill-merge.ts too). */
export function unionLength(intervals: ReadonlyArray<{ start: number; end: number }>): number {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  let total = 0;
  let start = -Infinity;
  let end = -Infinity;
  for (const i of sorted) {
    if (i.start > end) {
      if (end > start) total += end - start;
      start = i.start;
      end = i.end;
    } else if (i.end > end) {
      end = i.end;
    }
  }
  if (end > start) total += end - start;
  return total;
}

const zeroHits = (): HitCounts => ({ sent: 0, ok: 0, failed: 0, aborted: 0 });

function sumHits(parts: readonly HitCounts[]): HitCounts {
  const into = zeroHits();
  for (const p of parts) {
    into.sent += p.sent;
    into.ok += p.ok;
    into.failed += p.failed;
    into.aborted += p.aborted;
  }
  return into;
}

function sumVisits(parts: readonly VisitCounts[]): VisitCounts {
  const into: VisitCounts = { planned: 0, started: 0, completed: 0, aborted: 0, dropped: 0 };
  for (const p of parts) for (const k of Object.keys(into) as Array<keyof VisitCounts>) into[k] += p[k];
  return into;
}

function sumCodes(parts: ReadonlyArray<Record<string, number>>): Record<string, number> {
  const sums = new Map<number, number>();
  for (const p of parts) for (const [code, n] of Object.entries(p)) sums.set(Number(code), (sums.get(Number(code)) ?? 0) + n);
  return Object.fromEntries([...sums.keys()].sort((a, b) => a - b).map((code) => [String(code), sums.get(code) ?? 0]));
}

function sumErrors(parts: ReadonlyArray<Record<ErrorKey, number>>): Record<ErrorKey, number> {
  const into = Object.fromEntries(ERROR_KEYS.map((k) => [k, 0])) as Record<ErrorKey, number>;
  for (const p of parts) for (const k of ERROR_KEYS) into[k] += p[k] ?? 0;
  return into;
}
