import { parseThreshold, userThresholds, type ThresholdCondition } from '../config/threshold-syntax.js';
import type { RunSummary, StopThreshold, ThresholdResult, ThresholdSettings, Thresholds } from './summary.js';
import { holds, measure } from './threshold-expr.js';

type Name = ThresholdResult['name'];
type Wanted = Pick<ThresholdResult, 'name' | 'metric' | 'expression' | 'abortOnFail'>;

/** Each CI limit as the k6-style threshold it is (docs/thresholds.md). */
const LIMITS: ReadonlyArray<{ key: keyof Thresholds; name: Name; metric: string; expression: (limit: number) => string }> = [
  { key: 'maxErrorRate', name: 'max-error-rate', metric: 'error_rate', expression: (l) => `rate<=${l}` },
  { key: 'maxP99Ms', name: 'max-p99-ms', metric: 'latency', expression: (l) => `p(99)<=${l}` },
  { key: 'minRateRatio', name: 'min-rate-ratio', metric: 'rate_ratio', expression: (l) => `value>=${l}` },
  { key: 'maxDropped', name: 'max-dropped', metric: 'dropped', expression: (l) => `count<=${l}` },
];

/**
 * Every built-in threshold that applies, held or not (k6 prints a ✓ or ✗ line for each), in flag
 * order. Exit 3 when one is not ok. Without the expressions: the form capacity's steps keep (the
 * user's own thresholds are a run's, not capacity's).
 */
export function evaluateThresholds(summary: RunSummary, limits: Thresholds): ThresholdResult[] {
  return reevaluateThresholds(summary, expressionsOf(limits)).map(({ metric: _m, expression: _e, ...verdict }) => verdict);
}

/** The limits as k6-style thresholds, in flag order. */
function expressionsOf(limits: Thresholds): Wanted[] {
  const wanted: Wanted[] = [];
  for (const limit of LIMITS) {
    const value = limits[limit.key];
    if (value !== undefined) wanted.push({ name: limit.name, metric: limit.metric, expression: limit.expression(value) });
  }
  return wanted;
}

/** The user's thresholds (run.thresholds.checks, --threshold), in the order written. */
function userWanted(checks: ThresholdSettings['checks']): Wanted[] {
  return userThresholds(checks).map((t) => ({ name: 'threshold', metric: t.metric, expression: t.expression, ...(t.abortOnFail ? { abortOnFail: true } : {}) }));
}

/**
 * Thresholds evaluated from their metric and expression (what a summary keeps), e.g. on a merged
 * summary; the same threshold twice is evaluated once. Without a rate target the rate ratio is not
 * checked (--rps max), as for a single run; a threshold the summary cannot measure (a target it
 * does not have) is left out.
 */
export function reevaluateThresholds(summary: RunSummary, thresholds: readonly Wanted[]): ThresholdResult[] {
  const results: ThresholdResult[] = [];
  const seen = new Set<string>();
  for (const t of thresholds) {
    if (t.metric === undefined || t.expression === undefined) continue;
    const key = `${t.name}\u0000${t.metric}\u0000${t.expression}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const parsed = parseThreshold(t.metric, t.expression);
    if (!parsed.ok) throw new Error(parsed.message);
    const { metric, condition } = parsed.value;
    const actual = measure(summary, metric, condition);
    if (actual === undefined) continue;
    const ok = holds(condition, actual);
    const text = t.name === 'threshold' ? figure(metric.name, condition, actual) : message(t.name, actual, condition.limit, ok);
    results.push({
      name: t.name,
      metric: t.metric,
      expression: t.expression,
      limit: condition.limit,
      actual,
      ok,
      message: text,
      ...(t.abortOnFail ? { abortOnFail: true } : {}),
    });
  }
  return results;
}

function message(name: Exclude<Name, 'threshold'>, actual: number, limit: number, ok: boolean): string {
  switch (name) {
    case 'max-error-rate':
      return `error rate ${percent(actual)} ${ok ? '<=' : 'is above'} --max-error-rate ${percent(limit)}`;
    case 'max-p99-ms':
      return `p99 latency ${actual} ms ${ok ? '<=' : 'is above'} --max-p99-ms ${limit}`;
    case 'min-rate-ratio':
      return `achieved/target rate ${actual.toFixed(3)} ${ok ? '>=' : 'is below'} --min-rate-ratio ${limit}`;
    case 'max-dropped':
      return `${actual} dropped arrivals ${ok ? '<=' : 'is above'} --max-dropped ${limit}`;
  }
}

/** What a user threshold measured, k6-style: `p(99)=123.4 ms`, `rate=0.0213 (2.13%)`, `count=3`. */
export function figure(metric: string, condition: ThresholdCondition, actual: number): string {
  const aggregation = condition.aggregation === 'p' ? `p(${condition.percentile})` : condition.aggregation;
  if (metric === 'latency') return `${aggregation}=${actual} ms`;
  if (metric === 'error_rate') return `${aggregation}=${actual} (${percent(actual)})`;
  return `${aggregation}=${actual}`;
}

/** How a threshold is named on its ✓/✗ line: a built-in by its flag, the user's by metric and expression. */
export function thresholdLabel(t: Pick<ThresholdResult, 'name' | 'metric' | 'expression'>): string {
  return t.name === 'threshold' ? `${t.metric} ${t.expression}` : t.name;
}

/**
 * The summary with its thresholds filled in, each with its expression (what --summary-json writes):
 * the built-in limits, then the user's. `crossed`: the abortOnFail threshold that stopped the run;
 * it stays breached even if the figure recovered while the visits in flight drained.
 */
export function withThresholds(summary: RunSummary, settings: ThresholdSettings, crossed?: StopThreshold): RunSummary {
  const { checks, ...limits } = settings;
  const set = Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined)) as Thresholds;
  const thresholds = reevaluateThresholds(summary, [...expressionsOf(limits), ...userWanted(checks)]);
  if (crossed) {
    const t = thresholds.find((r) => r.name === 'threshold' && r.metric === crossed.metric && r.expression === crossed.expression);
    if (t?.ok) Object.assign(t, { ok: false, message: `${t.message} at the end; crossed during the run: ${describeCrossed(crossed)}` });
  }
  return { ...summary, thresholds, limits: set, ...(crossed ? { stopThreshold: crossed } : {}) };
}

/** What an abortOnFail threshold read when it was crossed: `rate=0.6 (60.00%) at 12.3 s`. */
export function describeCrossed(crossed: StopThreshold): string {
  const parsed = parseThreshold(crossed.metric, crossed.expression);
  if (!parsed.ok) return String(crossed.actual);
  return `${figure(parsed.value.metric.name, parsed.value.condition, crossed.actual)} at ${(crossed.atMs / 1000).toFixed(1)} s`;
}

/** The line saying why the run stopped: `threshold error_rate rate<0.1 crossed` for an abortOnFail one. */
export function stopLine(summary: Pick<RunSummary, 'stopReason' | 'stopThreshold'>): string {
  const t = summary.stopThreshold;
  return summary.stopReason === 'threshold' && t ? `threshold ${t.metric} ${t.expression} crossed` : summary.stopReason;
}

/** True when a threshold did not hold (exit 3). */
export function thresholdsFailed(summary: RunSummary): boolean {
  return summary.thresholds.some((t) => !t.ok);
}

function percent(value: number): string {
  return `${(value * 100).toFixed(2)}%`;
}
