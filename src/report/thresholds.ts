import type { RunSummary, ThresholdBreach } from './summary.js';

/** CI limits from the flags; each one unset is not checked. */
export interface Thresholds {
  /** --max-error-rate: failed / sent must not exceed this (0..1). */
  maxErrorRate?: number;
  /** --max-p99-ms: p99 latency of answered hits must not exceed this. */
  maxP99Ms?: number;
  /** --min-rate-ratio: achieved / target must reach this (ignored with --rps max). */
  minRateRatio?: number;
  /** --max-dropped: dropped arrivals must not exceed this. */
  maxDropped?: number;
}

/** The thresholds the run breached, in flag order; empty when all held. Exit 3 when not empty. */
export function evaluateThresholds(summary: RunSummary, limits: Thresholds): ThresholdBreach[] {
  const breaches: ThresholdBreach[] = [];
  const { maxErrorRate, maxP99Ms, minRateRatio, maxDropped } = limits;
  if (maxErrorRate !== undefined && summary.errorRate > maxErrorRate) {
    breaches.push({
      name: 'max-error-rate',
      limit: maxErrorRate,
      actual: summary.errorRate,
      message: `error rate ${percent(summary.errorRate)} is above --max-error-rate ${percent(maxErrorRate)}`,
    });
  }
  if (maxP99Ms !== undefined && summary.latencyMs.p99 > maxP99Ms) {
    breaches.push({
      name: 'max-p99-ms',
      limit: maxP99Ms,
      actual: summary.latencyMs.p99,
      message: `p99 latency ${summary.latencyMs.p99} ms is above --max-p99-ms ${maxP99Ms}`,
    });
  }
  const ratio = summary.rate.ratio;
  if (minRateRatio !== undefined && ratio !== null && ratio < minRateRatio) {
    breaches.push({
      name: 'min-rate-ratio',
      limit: minRateRatio,
      actual: ratio,
      message: `achieved/target rate ${ratio.toFixed(3)} is below --min-rate-ratio ${minRateRatio}`,
    });
  }
  if (maxDropped !== undefined && summary.visits.dropped > maxDropped) {
    breaches.push({
      name: 'max-dropped',
      limit: maxDropped,
      actual: summary.visits.dropped,
      message: `${summary.visits.dropped} dropped arrivals is above --max-dropped ${maxDropped}`,
    });
  }
  return breaches;
}

/** The summary with its breaches filled in (what --summary-json writes). */
export function withThresholds(summary: RunSummary, limits: Thresholds): RunSummary {
  const set = Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined)) as Thresholds;
  return { ...summary, thresholds: evaluateThresholds(summary, limits), limits: set };
}

function percent(value: number): string {
  return `${(value * 100).toFixed(2)}%`;
}
