import { describe, expect, it } from 'vitest';
import { DEFAULT_PROFILE, dayTarget, dayWeight, rateMultiplier, resolveTimeShape } from '../../../src/schedule/time-shape.js';

describe('time shape', () => {
  const shape = resolveTimeShape(undefined);

  it.each([
    { date: '2026-01-05', weight: 1, why: 'a Monday: the busiest day, the full cap' },
    { date: '2026-01-09', weight: 0.85, why: 'a Friday' },
    { date: '2026-01-10', weight: 0.58, why: 'a Saturday' },
    { date: '2026-01-11', weight: 0.62, why: 'a Sunday' },
  ])('dayWeight($date) = $weight ($why)', ({ date, weight }) => {
    expect(dayWeight(date, shape)).toBeCloseTo(weight, 10);
  });

  it('gives day targets within the per-day cap', () => {
    expect(dayTarget('2026-01-05', 2000, shape)).toBe(2000);
    expect(dayTarget('2026-01-10', 2000, shape)).toBe(1160);
    expect(dayTarget('2026-01-10', 2000, resolveTimeShape({ weekdays: [1, 1, 1, 1, 1, 1, 1], followProfile: false }))).toBe(2000);
  });

  it('reuses the backfill hour profile by default and accepts 24 custom weights', () => {
    expect(shape.hours).toBe(DEFAULT_PROFILE);
    const flat = new Array(24).fill(2);
    expect(resolveTimeShape({ hours: flat, followProfile: true }).hours).toBe(flat);
  });

  it('has a rate multiplier whose mean over a week is 1, low at night and high in the day', () => {
    // A week in January (no DST change) sampled every minute, in the site zone.
    const start = Date.parse('2026-01-05T00:00:00+01:00');
    let sum = 0;
    let n = 0;
    for (let t = start; t < start + 7 * 86_400_000; t += 60_000) {
      sum += rateMultiplier(t, 'Europe/Berlin', shape);
      n++;
    }
    expect(sum / n).toBeCloseTo(1, 6);
    const night = rateMultiplier(Date.parse('2026-01-07T04:30:00+01:00'), 'Europe/Berlin', shape);
    const noon = rateMultiplier(Date.parse('2026-01-07T11:30:00+01:00'), 'Europe/Berlin', shape);
    // Wednesday: hour weights 0.3 and 5.0 over their mean, times 0.97 over the week mean.
    const hourMean = DEFAULT_PROFILE.reduce((a, b) => a + b, 0) / 24;
    const dayMean = (1 + 1 + 0.97 + 0.95 + 0.85 + 0.58 + 0.62) / 7;
    expect(night).toBeCloseTo((0.3 / hourMean) * (0.97 / dayMean), 10);
    expect(noon).toBeCloseTo((5.0 / hourMean) * (0.97 / dayMean), 10);
  });
});
