import type { HitType } from '../journey/visit.js';
import { MsHistogram } from './histogram.js';
import type { RunSummary } from './summary.js';

const HIT_TYPES: readonly HitType[] = ['pageview', 'search', 'outlink', 'download', 'event', 'ecommerce', 'ping', 'cart', 'goal'];

/**
 * Thresholds as k6 writes them: a metric with optional tags, `latency{type:pageview}`, and a
 * condition on one of its aggregations, `p(99)<500`. A summary keeps each threshold as this text, so
 * `report` can evaluate it again on merged summaries (docs/thresholds.md).
 */
export interface ThresholdCondition {
  /** `p` (with `percentile`), `avg`, `med`, `max`, `rate`, `count` or `value`. */
  aggregation: 'p' | 'avg' | 'med' | 'max' | 'rate' | 'count' | 'value';
  percentile?: number;
  op: '<' | '<=' | '>' | '>=' | '==' | '!=';
  limit: number;
}

export interface MetricSelector {
  name: 'latency' | 'error_rate' | 'rate_ratio' | 'dropped';
  type?: HitType;
  /** A target's name, or its index in `targets`. */
  target?: string;
}

/** Which aggregations each metric has. */
const AGGREGATIONS: Record<MetricSelector['name'], ReadonlyArray<ThresholdCondition['aggregation']>> = {
  latency: ['p', 'avg', 'med', 'max'],
  error_rate: ['rate'],
  rate_ratio: ['value'],
  dropped: ['count'],
};
const TAGS: Record<MetricSelector['name'], readonly string[]> = {
  latency: ['type', 'target'],
  error_rate: ['type', 'target'],
  rate_ratio: [],
  dropped: ['target'],
};

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** `latency{type:pageview,target:0}` → its name and tags. */
export function parseMetric(text: string): Parsed<MetricSelector> {
  const m = /^\s*([a-z_]+)\s*(?:\{([^}]*)\})?\s*$/.exec(text);
  if (!m) return { ok: false, message: `threshold metric "${text}": write name or name{tag:value}, e.g. latency{type:pageview}` };
  const name = m[1] as MetricSelector['name'];
  if (!(name in AGGREGATIONS)) {
    return { ok: false, message: `threshold metric "${text}": unknown metric ${m[1]} (one of ${Object.keys(AGGREGATIONS).join(', ')})` };
  }
  const selector: MetricSelector = { name };
  for (const part of (m[2] ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    const at = part.indexOf(':');
    const tag = at < 0 ? part : part.slice(0, at).trim();
    const value = at < 0 ? '' : part.slice(at + 1).trim();
    if (!TAGS[name].includes(tag) || value === '') {
      const allowed = TAGS[name].length === 0 ? 'no tags' : `tags ${TAGS[name].map((t) => `${t}:VALUE`).join(', ')}`;
      return { ok: false, message: `threshold metric "${text}": ${name} takes ${allowed}` };
    }
    if (tag === 'type') {
      if (!(HIT_TYPES as readonly string[]).includes(value)) {
        return { ok: false, message: `threshold metric "${text}": unknown hit type ${value} (one of ${HIT_TYPES.join(', ')})` };
      }
      selector.type = value as HitType;
    } else {
      selector.target = value;
    }
  }
  return { ok: true, value: selector };
}

/** `p(99)<500` → its condition. */
export function parseCondition(text: string): Parsed<ThresholdCondition> {
  const m = /^\s*(p\(\s*(\d+(?:\.\d+)?)\s*\)|avg|med|max|rate|count|value)\s*(<=|>=|==|!=|<|>)\s*(-?\d+(?:\.\d+)?(?:e-?\d+)?)\s*$/.exec(text);
  if (!m) return { ok: false, message: `threshold "${text}": write AGGREGATION OP NUMBER, e.g. p(99)<500 or rate<0.01` };
  const aggregation = (m[2] === undefined ? m[1] : 'p') as ThresholdCondition['aggregation'];
  const condition: ThresholdCondition = { aggregation, op: m[3] as ThresholdCondition['op'], limit: Number(m[4]) };
  if (m[2] !== undefined) {
    const percentile = Number(m[2]);
    if (percentile > 100) return { ok: false, message: `threshold "${text}": a percentile is at most 100` };
    condition.percentile = percentile;
  }
  return { ok: true, value: condition };
}

/** Checks that the condition's aggregation belongs to the metric. */
export function parseThreshold(metric: string, expression: string): Parsed<{ metric: MetricSelector; condition: ThresholdCondition }> {
  const sel = parseMetric(metric);
  if (!sel.ok) return sel;
  const cond = parseCondition(expression);
  if (!cond.ok) return cond;
  const allowed = AGGREGATIONS[sel.value.name];
  if (!allowed.includes(cond.value.aggregation)) {
    const names = allowed.map((a) => (a === 'p' ? 'p(N)' : a)).join(', ');
    return { ok: false, message: `threshold ${metric}: "${expression}": ${sel.value.name} has ${names}` };
  }
  return { ok: true, value: { metric: sel.value, condition: cond.value } };
}

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

/**
 * The metric's aggregation on a summary; undefined when the summary cannot say (no rate target,
 * an unknown target, or a tagged latency asked of a summary older than version 3).
 */
export function measure(summary: RunSummary, metric: MetricSelector, condition: ThresholdCondition): number | undefined {
  let targetIndex: number | undefined;
  if (metric.target !== undefined) {
    targetIndex = /^\d+$/.test(metric.target) ? Number(metric.target) : summary.targets.findIndex((t) => t.name === metric.target);
    if (targetIndex < 0 || targetIndex >= summary.targets.length) return undefined;
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
      if (!counts || counts.sent === 0) return 0;
      return Math.round((counts.failed / counts.sent) * 1e6) / 1e6;
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
