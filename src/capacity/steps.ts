import { expectedVisitMs, littlesLaw, type VisitLength } from '../config/littles-law.js';
import type { Config } from '../config/schema.js';
import { ExitCode } from '../errors.js';
import { derive } from '../random/rng.js';
import type { CapacityStep, CapacitySummary } from '../report/capacity.js';
import type { RunSummary, Thresholds } from '../report/summary.js';
import { hitPacer, visitPacer, type ArrivalPacer, type Spacing } from '../schedule/pacer.js';
import { constantShape } from '../schedule/rate-shape.js';
import { CAPACITY_DEFAULTS } from './defaults.js';
import type { StepVerdict } from './verdict.js';

/**
 * The rules of a capacity run around the search (search.ts) and the verdict (verdict.ts): what
 * each step sends and with how many slots, how a step and the conclusion are reported, and the
 * exit code. cli/commands/capacity-run.ts runs the steps and prints.
 */

/** The unit capacity's rates are in: hits/s or visits/day. */
export type CapacityUnit = 'hits' | 'visits';

/** Visit slots at most for a step, whatever Little's law asks. */
const MAX_SLOTS = 100_000;

/**
 * A step's hits/s, and its visit slots: twice what Little's law needs at that rate (so the step
 * measures the target, not the slots), never below --concurrency.
 */
export function stepLoad(
  config: Config,
  unit: CapacityUnit,
  rate: number,
  hitsPerVisit: number,
  sample: readonly VisitLength[],
  latencyMs: number,
): { hitsPerSecond: number; slots: number } {
  const hitsPerSecond = unit === 'hits' ? rate : (rate / 86_400) * hitsPerVisit;
  const visitsPerSecond = hitsPerSecond / hitsPerVisit;
  const slots = Math.min(MAX_SLOTS, Math.max(config.concurrency, 2 * littlesLaw(visitsPerSecond, expectedVisitMs(sample, latencyMs)).needed));
  return { hitsPerSecond, slots };
}

/** Step `index`'s pacer: a constant rate in the unit, Poisson spacing seeded per step when configured. */
export function stepPacer(config: Config, unit: CapacityUnit, seed: string | number, index: number, rate: number): ArrivalPacer {
  const spacing: Spacing = config.run.arrivals === 'poisson' ? { kind: 'poisson', rng: derive(seed, `capacity-step-${index}`) } : { kind: 'constant' };
  return unit === 'hits' ? hitPacer(constantShape(rate), spacing) : visitPacer(constantShape(rate / 86_400), spacing);
}

/** 0 when the search found the knee or held to --max-rate, 130 when interrupted, else 3. */
export function capacityExitCode(summary: CapacitySummary): number {
  if (summary.end === 'interrupted') return ExitCode.interrupted;
  return summary.end === 'knee' || summary.end === 'max-rate' ? ExitCode.ok : ExitCode.incomplete;
}

/** One step of the summary, from its run's summary, the generator's CPU and the verdict. */
export function stepOf(
  index: number,
  phase: 'ramp' | 'bisect',
  rate: number,
  targetHitsPerSecond: number,
  s: RunSummary,
  cpuCores: number,
  verdict: StepVerdict,
): CapacityStep {
  return {
    index,
    phase,
    rate,
    targetHitsPerSecond: Math.round(targetHitsPerSecond * 1000) / 1000,
    achievedHitsPerSecond: s.rate.achievedHitsPerSecond,
    durationMs: s.durationMs,
    hitsSent: s.hits.sent,
    errorRate: s.errorRate,
    errors: Object.fromEntries(Object.entries(s.errors).filter(([, n]) => n > 0)),
    latencyMs: { p50: s.latencyMs.p50, p95: s.latencyMs.p95, p99: s.latencyMs.p99, max: s.latencyMs.max },
    dropped: s.visits.dropped,
    scheduleLagP99Ms: s.scheduleLagMs?.p99 ?? null,
    cpuCores,
    ok: verdict.ok,
    bound: verdict.bound ?? null,
    why: verdict.why ?? null,
    breaches: verdict.breaches,
  };
}

/** The knee (last good step), the first bad step and whose limit it was. */
export function conclude(summary: CapacitySummary, hitsPerVisit: number): void {
  const good = summary.steps.filter((s) => s.ok).sort((a, b) => b.rate - a.rate)[0];
  const bad = summary.steps.filter((s) => !s.ok).sort((a, b) => a.rate - b.rate)[0];
  if (good) {
    const hitsPerSecond = good.targetHitsPerSecond;
    summary.knee = { rate: good.rate, hitsPerSecond, visitsPerDay: Math.round((hitsPerSecond / hitsPerVisit) * 86_400) };
  }
  if (bad) {
    summary.firstBad = { rate: bad.rate, hitsPerSecond: bad.targetHitsPerSecond };
    summary.bound = bad.bound;
    summary.why = bad.why;
  }
}

/**
 * The user's limits, with the capacity defaults for those the user did not set. `sources` says
 * which settings a layer (preset, file, environment, flag) set: the schema fills the run's own
 * defaults (error rate 5 %, rate ratio 0.95) into every configuration, and those are not what
 * capacity's --help promises.
 */
export function limitsOf(config: Config, sources: Readonly<Record<string, string>> = {}): Thresholds {
  const t = config.run.thresholds;
  const given = (key: keyof typeof t): boolean => sources[`run.thresholds.${key}`] !== undefined;
  const limits: Thresholds = {
    maxErrorRate: given('maxErrorRate') ? t.maxErrorRate : CAPACITY_DEFAULTS.maxErrorRate,
    maxP99Ms: t.maxP99Ms ?? CAPACITY_DEFAULTS.maxP99Ms,
    minRateRatio: given('minRateRatio') ? t.minRateRatio : CAPACITY_DEFAULTS.minRateRatio,
  };
  if (t.maxDropped !== undefined) limits.maxDropped = t.maxDropped;
  return limits;
}

export function describeLimits(l: Thresholds): string {
  const parts = [`errors <= ${((l.maxErrorRate ?? 0) * 100).toFixed(1)}%`, `p99 <= ${l.maxP99Ms} ms`, `achieved >= ${l.minRateRatio} x target`];
  if (l.maxDropped !== undefined) parts.push(`dropped <= ${l.maxDropped}`);
  return parts.join(', ');
}

export function unitText(unit: CapacityUnit): string {
  return unit === 'hits' ? 'hits/s' : 'visits/day';
}
