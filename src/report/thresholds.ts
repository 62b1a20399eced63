import type { RunSummary, ThresholdResult, Thresholds } from './summary.js';
import { holds, measure, parseThreshold } from './threshold-expr.js';

type Name = ThresholdResult['name'];

/** Each CI limit as the k6-style threshold it is (docs/thresholds.md). */
const LIMITS: ReadonlyArray<{ key: keyof Thresholds; name: Name; metric: string; expression: (limit: number) => string }> = [
  { key: 'maxErrorRate', name: 'max-error-rate', metric: 'error_rate', expression: (l) => `rate<=${l}` },
  { key: 'maxP99Ms', name: 'max-p99-ms', metric: 'latency', expression: (l) => `p(99)<=${l}` },
  { key: 'minRateRatio', name: 'min-rate-ratio', metric: 'rate_ratio', expression: (l) => `value>=${l}` },
  { key: 'maxDropped', name: 'max-dropped', metric: 'dropped', expression: (l) => `count<=${l}` },
];

/**
 * Every threshold that applies, held or not (k6 prints a ✓ or ✗ line for each), in flag order.
 * Exit 3 when one is not ok. Without the expressions: the form capacity's steps keep.
 */
export function evaluateThresholds(summary: RunSummary, limits: Thresholds): ThresholdResult[] {
  return reevaluateThresholds(summary, expressionsOf(limits)).map(({ metric: _m, expression: _e, ...verdict }) => verdict);
}

/** The limits as k6-style thresholds, in flag order. */
function expressionsOf(limits: Thresholds): Array<Pick<ThresholdResult, 'name' | 'metric' | 'expression'>> {
  const wanted: Array<Pick<ThresholdResult, 'name' | 'metric' | 'expression'>> = [];
  for (const limit of LIMITS) {
    const value = limits[limit.key];
    if (value !== undefined) wanted.push({ name: limit.name, metric: limit.metric, expression: limit.expression(value) });
  }
  return wanted;
}

/**
 * Thresholds evaluated from their metric and expression (what a summary keeps), e.g. on a merged
 * summary; the same threshold twice is evaluated once. Without a rate target the rate ratio is not
 * checked (--rps max), as for a single run.
 */
export function reevaluateThresholds(
  summary: RunSummary,
  thresholds: ReadonlyArray<Pick<ThresholdResult, 'name' | 'metric' | 'expression'>>,
): ThresholdResult[] {
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
    results.push({ name: t.name, metric: t.metric, expression: t.expression, limit: condition.limit, actual, ok, message: message(t.name, actual, condition.limit, ok) });
  }
  return results;
}

function message(name: Name, actual: number, limit: number, ok: boolean): string {
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

/** The summary with its thresholds filled in, each with its expression (what --summary-json writes). */
export function withThresholds(summary: RunSummary, limits: Thresholds): RunSummary {
  const set = Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined)) as Thresholds;
  return { ...summary, thresholds: reevaluateThresholds(summary, expressionsOf(limits)), limits: set };
}

/** True when a threshold did not hold (exit 3). */
export function thresholdsFailed(summary: RunSummary): boolean {
  return summary.thresholds.some((t) => !t.ok);
}

function percent(value: number): string {
  return `${(value * 100).toFixed(2)}%`;
}
