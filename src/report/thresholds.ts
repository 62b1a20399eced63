import type { RunSummary, ThresholdResult, Thresholds } from './summary.js';

/**
 * Every threshold that applies, held or not (k6 prints a ✓ or ✗ line for each), in flag order.
 * Exit 3 when one is not ok.
 */
export function evaluateThresholds(summary: RunSummary, limits: Thresholds): ThresholdResult[] {
  const results: ThresholdResult[] = [];
  const { maxErrorRate, maxP99Ms, minRateRatio, maxDropped } = limits;
  if (maxErrorRate !== undefined) {
    const ok = summary.errorRate <= maxErrorRate;
    results.push({
      name: 'max-error-rate',
      limit: maxErrorRate,
      actual: summary.errorRate,
      ok,
      message: `error rate ${percent(summary.errorRate)} ${ok ? '<=' : 'is above'} --max-error-rate ${percent(maxErrorRate)}`,
    });
  }
  if (maxP99Ms !== undefined) {
    const ok = summary.latencyMs.p99 <= maxP99Ms;
    results.push({
      name: 'max-p99-ms',
      limit: maxP99Ms,
      actual: summary.latencyMs.p99,
      ok,
      message: `p99 latency ${summary.latencyMs.p99} ms ${ok ? '<=' : 'is above'} --max-p99-ms ${maxP99Ms}`,
    });
  }
  const ratio = summary.rate.ratio;
  if (minRateRatio !== undefined && ratio !== null) {
    const ok = ratio >= minRateRatio;
    results.push({
      name: 'min-rate-ratio',
      limit: minRateRatio,
      actual: ratio,
      ok,
      message: `achieved/target rate ${ratio.toFixed(3)} ${ok ? '>=' : 'is below'} --min-rate-ratio ${minRateRatio}`,
    });
  }
  if (maxDropped !== undefined) {
    const ok = summary.visits.dropped <= maxDropped;
    results.push({
      name: 'max-dropped',
      limit: maxDropped,
      actual: summary.visits.dropped,
      ok,
      message: `${summary.visits.dropped} dropped arrivals ${ok ? '<=' : 'is above'} --max-dropped ${maxDropped}`,
    });
  }
  return results;
}

/** The summary with its thresholds filled in (what --summary-json writes). */
export function withThresholds(summary: RunSummary, limits: Thresholds): RunSummary {
  const set = Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined)) as Thresholds;
  return { ...summary, thresholds: evaluateThresholds(summary, limits), limits: set };
}

/** True when a threshold did not hold (exit 3). */
export function thresholdsFailed(summary: RunSummary): boolean {
  return summary.thresholds.some((t) => !t.ok);
}

function percent(value: number): string {
  return `${(value * 100).toFixed(2)}%`;
}
