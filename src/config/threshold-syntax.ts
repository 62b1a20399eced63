import { parseDuration } from './duration.js';

/**
 * The syntax of thresholds as k6 writes them: a metric with optional tags, `latency{type:pageview}`,
 * and a condition on one of its aggregations, `p(99)<500`. Pure text → data, so the configuration
 * refuses a bad threshold before anything is sent; report/threshold-expr.ts measures them on a
 * summary or on the live metrics (docs/thresholds.md).
 */
export interface ThresholdCondition {
  /** `p` (with `percentile`), `avg`, `med`, `max`, `rate`, `count` or `value`. */
  aggregation: 'p' | 'avg' | 'med' | 'max' | 'rate' | 'count' | 'value';
  percentile?: number;
  op: '<' | '<=' | '>' | '>=' | '==' | '!=';
  limit: number;
}

/** The hit types a `type:` tag may name (journey/visit.ts HitType; report/threshold-expr.ts checks they agree). */
export const THRESHOLD_HIT_TYPES = ['pageview', 'search', 'outlink', 'download', 'event', 'ecommerce', 'ping', 'cart', 'goal'] as const;
export type ThresholdHitType = (typeof THRESHOLD_HIT_TYPES)[number];

export interface MetricSelector {
  name: 'latency' | 'error_rate' | 'rate_ratio' | 'dropped';
  type?: ThresholdHitType;
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

export const THRESHOLD_METRICS = Object.keys(AGGREGATIONS) as ReadonlyArray<MetricSelector['name']>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** `latency{type:pageview}` or `latency{target:0}` → its name and tags. */
export function parseMetric(text: string): Parsed<MetricSelector> {
  const m = /^\s*([a-z_]+)\s*(?:\{([^}]*)\})?\s*$/.exec(text);
  if (!m) return { ok: false, message: `threshold metric "${text}": write name or name{tag:value}, e.g. latency{type:pageview}` };
  const name = m[1] as MetricSelector['name'];
  if (!(name in AGGREGATIONS)) {
    return { ok: false, message: `threshold metric "${text}": unknown metric ${m[1]} (one of ${THRESHOLD_METRICS.join(', ')})` };
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
      if (!(THRESHOLD_HIT_TYPES as readonly string[]).includes(value)) {
        return { ok: false, message: `threshold metric "${text}": unknown hit type ${value} (one of ${THRESHOLD_HIT_TYPES.join(', ')})` };
      }
      selector.type = value as ThresholdHitType;
    } else {
      selector.target = value;
    }
  }
  if (selector.type !== undefined && selector.target !== undefined) {
    // The run keeps its figures per type and per target, not per type within a target.
    return { ok: false, message: `threshold metric "${text}": give type or target, not both (figures are kept per type and per target)` };
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

/** One threshold of `run.thresholds.checks` as a user writes it: k6's string or object form. */
export type ThresholdEntry = string | { threshold: string; abortOnFail?: boolean; delayAbortEval?: string };

/** A user threshold, checked and normalised. */
export interface UserThreshold {
  metric: string;
  expression: string;
  abortOnFail: boolean;
  /** abortOnFail: no live check before this much run time (ms). */
  delayAbortEvalMs: number;
}

/**
 * Without `delayAbortEval`, an abortOnFail threshold is first checked after 10 s of run time:
 * earlier, a p(99) over a handful of hits (or one failed hit out of three) would stop a run that
 * would have held (k6 checks from the start; its users add delayAbortEval for that reason).
 */
export const DEFAULT_DELAY_ABORT_EVAL_MS = 10_000;

/** Problems of one metric's list, as `[index or undefined for the metric itself, message]`. */
export function checkThresholdList(metric: string, entries: readonly ThresholdEntry[]): Array<{ index?: number; message: string }> {
  const sel = parseMetric(metric);
  if (!sel.ok) return [{ message: sel.message }];
  const problems: Array<{ index?: number; message: string }> = [];
  entries.forEach((entry, index) => {
    const one = normaliseThreshold(metric, entry);
    if (!one.ok) problems.push({ index, message: one.message });
  });
  return problems;
}

/** An entry as a UserThreshold, or the one-line reason it is wrong. */
export function normaliseThreshold(metric: string, entry: ThresholdEntry): Parsed<UserThreshold> {
  const expression = typeof entry === 'string' ? entry : entry.threshold;
  const parsed = parseThreshold(metric, expression);
  if (!parsed.ok) return parsed;
  const abortOnFail = typeof entry === 'string' ? false : entry.abortOnFail === true;
  let delayAbortEvalMs = DEFAULT_DELAY_ABORT_EVAL_MS;
  if (typeof entry !== 'string' && entry.delayAbortEval !== undefined) {
    const ms = parseDuration(entry.delayAbortEval);
    if (ms === undefined) return { ok: false, message: `delayAbortEval "${entry.delayAbortEval}" is not a duration (write e.g. 10s, 1m)` };
    delayAbortEvalMs = ms;
  }
  if (abortOnFail && parsed.value.metric.name === 'rate_ratio') {
    return { ok: false, message: 'rate_ratio cannot abort a run: it is measured over the whole window (drop abortOnFail)' };
  }
  return { ok: true, value: { metric: metric.trim(), expression: expression.trim(), abortOnFail, delayAbortEvalMs } };
}

/** Every user threshold of the configuration's checks map, in the order written. */
export function userThresholds(checks: Readonly<Record<string, readonly ThresholdEntry[]>> | undefined): UserThreshold[] {
  const out: UserThreshold[] = [];
  for (const [metric, entries] of Object.entries(checks ?? {})) {
    for (const entry of entries) {
      const one = normaliseThreshold(metric, entry);
      if (one.ok) out.push(one.value);
    }
  }
  return out;
}

/**
 * The `--threshold` flag (and the TRAFFICINATOR_RUN_THRESHOLDS_CHECKS variable): `METRIC:EXPRESSION`,
 * optionally followed by `:abort` or `:abort=DELAY` (abortOnFail, with delayAbortEval). Several are
 * separated by `;` or new lines. The metric's tags hold colons, so it ends at its closing brace.
 */
export function parseThresholdFlags(text: string): Parsed<Record<string, ThresholdEntry[]>> {
  const checks: Record<string, ThresholdEntry[]> = {};
  for (const item of text.split(/[;\n]/).map((s) => s.trim()).filter(Boolean)) {
    const brace = item.indexOf('}');
    const split = brace >= 0 ? item.indexOf(':', brace) : item.indexOf(':');
    if (split < 0) {
      return { ok: false, message: `"${item}" is not a threshold (write METRIC:EXPRESSION[:abort[=DELAY]], e.g. latency{type:pageview}:p(99)<500)` };
    }
    const metric = item.slice(0, split).trim();
    const [expression = '', abort, ...extra] = item.slice(split + 1).split(':').map((s) => s.trim());
    const abortMatch = abort === undefined ? undefined : /^abort(?:=(.+))?$/.exec(abort);
    if (extra.length > 0 || (abort !== undefined && !abortMatch)) {
      return { ok: false, message: `"${item}": after the expression only :abort or :abort=DELAY may follow (e.g. error_rate:rate<0.1:abort=30s)` };
    }
    let entry: ThresholdEntry = expression;
    if (abortMatch) entry = { threshold: expression, abortOnFail: true, ...(abortMatch[1] ? { delayAbortEval: abortMatch[1] } : {}) };
    (checks[metric] ??= []).push(entry);
  }
  if (Object.keys(checks).length === 0) return { ok: false, message: 'no threshold given (write METRIC:EXPRESSION, e.g. error_rate:rate<0.01)' };
  return { ok: true, value: checks };
}
