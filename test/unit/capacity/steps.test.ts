import { describe, expect, it } from 'vitest';
import { capacityExitCode, describeLimits, limitsOf, stepLoad } from '../../../src/capacity/steps.js';
import type { Config } from '../../../src/config/schema.js';
import type { CapacitySummary } from '../../../src/report/capacity.js';

/** Only the fields the step rules read. */
const config = (concurrency: number, thresholds: Record<string, number> = {}): Config =>
  ({ concurrency, run: { thresholds, arrivals: 'constant' } }) as unknown as Config;

describe('capacity step rules', () => {
  it.each([
    // 10 hits/s over 5 hits per visit = 2 visits/s; visits of 2 s (no pause, 400 ms x 5 hits) -> 4 in flight, x2 = 8 slots.
    { why: 'twice the Little-law slots', unit: 'hits' as const, rate: 10, concurrency: 1, hitsPerSecond: 10, slots: 8 },
    { why: 'never below --concurrency', unit: 'hits' as const, rate: 10, concurrency: 50, hitsPerSecond: 10, slots: 50 },
    // 172,800 visits/day = 2 visits/s = 10 hits/s.
    { why: 'visits/day turned into hits/s', unit: 'visits' as const, rate: 172_800, concurrency: 1, hitsPerSecond: 10, slots: 8 },
  ])('sizes a step: $why', ({ unit, rate, concurrency, hitsPerSecond, slots }) => {
    const sample = [{ hits: 5, pausesMs: 0 }];
    expect(stepLoad(config(concurrency), unit, rate, 5, sample, 400)).toEqual({ hitsPerSecond, slots });
  });

  it('fills the limits not given with the capacity defaults', () => {
    expect(limitsOf(config(1, { maxP99Ms: 250, maxDropped: 0 }))).toEqual({ maxErrorRate: 0.01, maxP99Ms: 250, minRateRatio: 0.95, maxDropped: 0 });
    expect(describeLimits(limitsOf(config(1)))).toBe('errors <= 1.0%, p99 <= 1000 ms, achieved >= 0.95 x target');
    // The schema always fills the run's defaults in; capacity keeps its own unless a layer set them.
    const filled = config(1, { maxErrorRate: 0.05, minRateRatio: 0.95 });
    expect(limitsOf(filled, {})).toMatchObject({ maxErrorRate: 0.01, minRateRatio: 0.95 });
    expect(limitsOf(config(1, { maxErrorRate: 0.2, minRateRatio: 0.5 }), { 'run.thresholds.maxErrorRate': 'flags', 'run.thresholds.minRateRatio': 'preset smoke' })).toMatchObject({
      maxErrorRate: 0.2,
      minRateRatio: 0.5,
    });
  });

  it.each([
    { end: 'knee', code: 0 },
    { end: 'max-rate', code: 0 },
    { end: 'below-start', code: 3 },
    { end: 'max-steps', code: 3 },
    { end: 'interrupted', code: 130 },
  ] as const)('exits $code when the search ends with $end', ({ end, code }) => {
    expect(capacityExitCode({ end } as CapacitySummary)).toBe(code);
  });
});
