import type { SearchEnd } from '../report/capacity.js';

/**
 * The capacity search as a pure planner: given the steps measured so far, which rate to try next
 * or that the search is over. Ramp up (times a factor, or plus an increment) until the first step
 * that breaks the limits; then bisect between the last good step and the first bad one until they
 * are within `resolution` of each other (relative to the good one). The knee is the last good rate.
 */
export interface SearchOptions {
  start: number;
  /** Multiply the rate by this each ramp step (> 1); used when `increment` is not set. */
  factor: number;
  /** Add this to the rate each ramp step instead of multiplying. */
  increment?: number;
  /** Stop bisecting when (bad - good) / good is at most this (e.g. 0.05). */
  resolution: number;
  /** Never try more than this rate. */
  maxRate: number;
  /** Never run more than this many steps. */
  maxSteps: number;
}

export interface StepOutcome {
  rate: number;
  ok: boolean;
}

export type NextStep = { kind: 'step'; rate: number; phase: 'ramp' | 'bisect' } | { kind: 'done'; end: SearchEnd };

export interface Bracket {
  good: number | undefined;
  bad: number | undefined;
}

/** The highest good rate and the lowest bad rate seen so far. */
export function bracket(steps: readonly StepOutcome[]): Bracket {
  let good: number | undefined;
  let bad: number | undefined;
  for (const s of steps) {
    if (s.ok && (good === undefined || s.rate > good)) good = s.rate;
    if (!s.ok && (bad === undefined || s.rate < bad)) bad = s.rate;
  }
  return { good, bad };
}

export function nextStep(options: SearchOptions, steps: readonly StepOutcome[]): NextStep {
  if (steps.length === 0) return { kind: 'step', rate: roundRate(Math.min(options.start, options.maxRate)), phase: 'ramp' };
  const { good, bad } = bracket(steps);
  if (good === undefined) return { kind: 'done', end: 'below-start' };
  if (steps.length >= options.maxSteps) return { kind: 'done', end: bad === undefined ? 'max-steps' : (bad - good) / good <= options.resolution ? 'knee' : 'max-steps' };
  if (bad === undefined) {
    if (good >= options.maxRate) return { kind: 'done', end: 'max-rate' };
    const raised = options.increment !== undefined ? good + options.increment : good * options.factor;
    return { kind: 'step', rate: roundRate(Math.min(raised, options.maxRate)), phase: 'ramp' };
  }
  if ((bad - good) / good <= options.resolution) return { kind: 'done', end: 'knee' };
  const mid = roundRate((good + bad) / 2);
  // Rates are rounded; when the middle rounds onto an end the bracket cannot shrink further.
  if (mid <= good || mid >= bad) return { kind: 'done', end: 'knee' };
  return { kind: 'step', rate: mid, phase: 'bisect' };
}

/** Rates as users read them: whole numbers from 10 up, two significant digits below. */
export function roundRate(rate: number): number {
  if (rate >= 10) return Math.round(rate);
  return Number(rate.toPrecision(2));
}
