import type { MetricSelector, ThresholdCondition, ThresholdHitType } from '../config/threshold-syntax.js';
import type { HitType } from '../journey/visit.js';
import { MsHistogram } from './histogram.js';
import type { HitCounts, RunSummary } from './summary.js';

/**
 * Thresholds measured: the figure a k6-style threshold (config/threshold-syntax.ts) reads, on a
 * finished summary (the end of a run, `report` merging summaries) or on the live metrics of a run
 * under way (abortOnFail).
 */

// The syntax's list of hit types is the journey's (config/ sits below journey/ and cannot import it).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const hitTypesAgree: Same<HitType, ThresholdHitType> = true;
void hitTypesAgree;

/** True when the condition holds for `actual`. */
export function holds(condition: ThresholdCondition, actual: number): boolean {
  const { op, limit } = condition;
  switch (op) {
    case '<':
      return actual < limit;
    case '<=':
      return actual <= limit;
    case '>':
      return actual > limit;
    case '>=':
      return actual >= limit;
    case '==':
      return actual === limit;
    case '!=':
      return actual !== limit;
  }
}

/** A `target:` tag's index among `names`: a number is an index (0-based), else a name. */
export function targetIndexOf(ref: string, names: readonly string[]): number | undefined {
  const index = /^\d+$/.test(ref) ? Number(ref) : names.indexOf(ref);
  return index >= 0 && index < names.length ? index : undefined;
}

/**
 * The metric's aggregation on a summary; undefined when the summary cannot say (no rate target,
 * an unknown target, or a tagged latency asked of a summary older than version 3).
 */
export function measure(summary: RunSummary, metric: MetricSelector, condition: ThresholdCondition): number | undefined {
  let targetIndex: number | undefined;
  if (metric.target !== undefined) {
    targetIndex = targetIndexOf(metric.target, summary.targets.map((t) => t.name));
    if (targetIndex === undefined) return undefined;
  }
  const target = targetIndex === undefined ? undefined : summary.targets[targetIndex];
  switch (metric.name) {
    case 'rate_ratio':
      return summary.rate.ratio ?? undefined;
    case 'dropped':
      return (target ?? summary).visits.dropped;
    case 'error_rate': {
      if (metric.type !== undefined && target !== undefined) return undefined; // not kept per target and type
      if (metric.type === undefined && target === undefined) return summary.errorRate;
      const counts = metric.type !== undefined ? summary.hits.byType[metric.type] : (target ?? summary).hits;
      return errorRate(counts);
    }
    case 'latency': {
      if (metric.type === undefined && targetIndex === undefined) {
        // The summary's own figures: the same numbers without decoding a histogram.
        const l = summary.latencyMs;
        const fields: Record<string, number> = { avg: l.mean, med: l.p50, max: l.max, p50: l.p50, p90: l.p90, p95: l.p95, p99: l.p99 };
        const key = condition.aggregation === 'p' ? `p${condition.percentile}` : condition.aggregation;
        if (key in fields) return fields[key];
      }
      const histogram = latencyHistogram(summary, metric.type, targetIndex);
      if (!histogram) return undefined;
      return latencyAggregation(histogram, condition);
    }
  }
}

/** What a run under way knows (report/metrics.ts RunMetrics.liveFigures). */
export interface LiveFigures {
  targetNames: readonly string[];
  /** Hits, latency and dropped arrivals of one hit type, one target, or the whole run. */
  figures(type: HitType | undefined, target: number | undefined): { hits: HitCounts; latency: MsHistogram; dropped: number };
}

/**
 * The metric's aggregation so far in a run (abortOnFail); undefined while it has no data (no hit
 * answered, for latency; no hit sent, for the error rate) or when the run cannot say (rate_ratio,
 * measured over the whole window).
 */
export function measureLive(live: LiveFigures, metric: MetricSelector, condition: ThresholdCondition): number | undefined {
  let targetIndex: number | undefined;
  if (metric.target !== undefined) {
    targetIndex = targetIndexOf(metric.target, live.targetNames);
    if (targetIndex === undefined) return undefined;
  }
  if (metric.name === 'rate_ratio') return undefined;
  const now = live.figures(metric.type, targetIndex);
  switch (metric.name) {
    case 'dropped':
      return now.dropped;
    case 'error_rate':
      return now.hits.sent === 0 ? undefined : errorRate(now.hits);
    case 'latency':
      return now.latency.count === 0 ? undefined : latencyAggregation(now.latency, condition);
  }
}

function errorRate(counts: HitCounts | undefined): number {
  if (!counts || counts.sent === 0) return 0;
  return Math.round((counts.failed / counts.sent) * 1e6) / 1e6;
}

function latencyHistogram(summary: RunSummary, type: HitType | undefined, targetIndex: number | undefined): MsHistogram | undefined {
  const h = summary.histograms;
  if (type !== undefined && targetIndex !== undefined) return undefined; // kept per type and per target, not both
  if (!h) return undefined;
  if (type !== undefined) {
    const encoded = h.byType[type];
    return encoded ? MsHistogram.decode(encoded) : new MsHistogram();
  }
  if (targetIndex !== undefined) {
    const encoded = h.targets[targetIndex];
    return encoded ? MsHistogram.decode(encoded) : undefined;
  }
  return MsHistogram.decode(h.latency);
}

function latencyAggregation(h: MsHistogram, condition: ThresholdCondition): number {
  switch (condition.aggregation) {
    case 'avg':
      return h.mean;
    case 'med':
      return h.at(50);
    case 'max':
      return h.max;
    default:
      return h.at(condition.percentile ?? 100);
  }
}
