import type { Bound } from '../report/capacity.js';
import type { RunSummary, ThresholdBreach, Thresholds } from '../report/summary.js';
import { evaluateThresholds } from '../report/thresholds.js';

/** What the generator saw of itself during a step (measured at the edge). */
export interface GeneratorLoad {
  /** CPU seconds of this process per wall second over the step (1 = one core busy). */
  cpuCores: number;
  /** The lowest p50 latency of the good steps so far (the target unloaded), if any. */
  baselineP50Ms?: number;
}

/** Latency this many times the unloaded p50 (and SLOWER_BY_MS more) means the target slowed down. */
export const SLOWER_FACTOR = 3;
export const SLOWER_BY_MS = 20;

export interface StepVerdict {
  ok: boolean;
  breaches: ThresholdBreach[];
  /** Set on a bad step. */
  bound?: Bound;
  /** Why it is called that way, for the report. */
  why?: string;
}

/** Node runs the generator on one thread: past this share of a core it is the bottleneck. */
export const CPU_BOUND_CORES = 0.9;
/** Visits that start this late (p99) mean the generator could not keep its own schedule. */
export const LAG_BOUND_MS = 100;

/**
 * Judges one step. A bad step is the target's when the target showed it: server errors or
 * timeouts, or latency past the limit. A busy CPU is the generator's. A target that slows down
 * makes the generator fall short too (visits wait on it and hold their slots): latency well above
 * the unloaded p50 counts as the target's. Otherwise it is the generator's: a late schedule, or
 * visits dropped with slots full while the target answered quickly.
 */
export function judgeStep(summary: RunSummary, limits: Thresholds, load: GeneratorLoad): StepVerdict {
  const breaches = evaluateThresholds(summary, limits).filter((t) => !t.ok);
  if (breaches.length === 0) return { ok: true, breaches };
  const serverErrors = summary.errors['5xx'] + summary.errors.timeout + summary.errors.reset + summary.errors.refused + summary.errors['4xx'];
  const serverErrorRate = summary.hits.sent === 0 ? 0 : serverErrors / summary.hits.sent;
  const slowTarget = limits.maxP99Ms !== undefined && summary.latencyMs.p99 > limits.maxP99Ms;
  const failingTarget = limits.maxErrorRate !== undefined && serverErrorRate > limits.maxErrorRate;
  const lagP99 = summary.scheduleLagMs?.p99 ?? 0;
  if (failingTarget || slowTarget) {
    const what = failingTarget
      ? `the target answered ${(serverErrorRate * 100).toFixed(1)}% of hits with errors (${describeErrors(summary)})`
      : `the target's p99 latency reached ${Math.round(summary.latencyMs.p99)} ms`;
    return { ok: false, breaches, bound: 'target', why: what };
  }
  if (load.cpuCores >= CPU_BOUND_CORES) {
    return { ok: false, breaches, bound: 'generator', why: `the generator used ${load.cpuCores.toFixed(2)} CPU cores (its limit is about 1)` };
  }
  const base = load.baselineP50Ms;
  if (base !== undefined && summary.latencyMs.p50 > base * SLOWER_FACTOR && summary.latencyMs.p50 > base + SLOWER_BY_MS) {
    return {
      ok: false,
      breaches,
      bound: 'target',
      why:
        `the target slowed down: p50 latency ${Math.round(summary.latencyMs.p50)} ms against ${Math.round(base)} ms at a lower rate, ` +
        'so visits waiting on it held their slots and the rate fell short',
    };
  }
  if (lagP99 > LAG_BOUND_MS) {
    return { ok: false, breaches, bound: 'generator', why: `visits started late (schedule lag p99 ${Math.round(lagP99)} ms) while the target answered in time` };
  }
  if (summary.visits.dropped > 0) {
    return {
      ok: false,
      breaches,
      bound: 'generator',
      why: `${summary.visits.dropped} visits were dropped with every slot busy while the target answered in time: raise --concurrency`,
    };
  }
  return { ok: false, breaches, bound: 'generator', why: 'the achieved rate fell short with no sign of trouble at the target' };
}

function describeErrors(summary: RunSummary): string {
  return Object.entries(summary.errors)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
}
