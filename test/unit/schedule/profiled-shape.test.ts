import { describe, expect, it } from 'vitest';
import { nextLocalHour, rateMultiplier, resolveTimeShape } from '../../../src/schedule/time-shape.js';
import { profiledShape } from '../../../src/schedule/profiled-shape.js';

const HOUR = 3_600_000;
// Monday 2026-11-23 00:00 in CET (23:00 UTC the day before).
const MONDAY_CET = Date.UTC(2026, 10, 22, 23);

describe('profiledShape (run --follow-profile)', () => {
  it('steps on the hour: 10/s x 2 for one hour, then x 0.5', () => {
    const shape = profiledShape(10, 0, (t) => (t < HOUR ? 2 : 0.5), (t) => (Math.floor(t / HOUR) + 1) * HOUR);
    expect(shape.rateAt(HOUR - 1)).toBe(20);
    expect(shape.rateAt(HOUR)).toBe(5);
    expect(shape.integral(HOUR)).toBeCloseTo(72_000, 6);
    expect(shape.integral(HOUR + 1000)).toBeCloseTo(72_005, 6);
  });

  it('starts mid-step when the run starts mid-hour', () => {
    const start = HOUR / 2;
    const shape = profiledShape(1, start, (t) => (t < HOUR ? 4 : 1), (t) => (Math.floor(t / HOUR) + 1) * HOUR);
    // Half an hour at 4/s, then 1/s.
    expect(shape.integral(HOUR / 2)).toBeCloseTo(7_200, 6);
    expect(shape.rateAt(HOUR / 2)).toBe(1);
  });

  it('timeOf inverts integral', () => {
    const shape = profiledShape(3, MONDAY_CET, (t) => rateMultiplier(t, 'CET'), (t) => nextLocalHour(t, 'CET'));
    for (const units of [1, 10, 500, 12_345, 200_000]) {
      const at = shape.timeOf(units)!;
      expect(shape.integral(at)).toBeCloseTo(units, 3);
    }
  });

  it('keeps the configured rate as the average over a whole week, DST change included', () => {
    // The week of the CET autumn change (Sunday 2026-10-25 has 25 hours).
    const start = Date.UTC(2026, 9, 18, 22); // Monday 2026-10-19 00:00 CEST
    const week = 7 * 24 * HOUR + HOUR;
    const shape = profiledShape(5, start, (t) => rateMultiplier(t, 'CET'), (t) => nextLocalHour(t, 'CET'));
    // The repeated hour adds one night hour; allow 1 % for it.
    expect(shape.integral(week) / (week / 1000) / 5).toBeGreaterThan(0.97);
    expect(shape.integral(week) / (week / 1000) / 5).toBeLessThan(1.01);
  });

  it('is quieter at night than at the day peak', () => {
    const shape = profiledShape(5, MONDAY_CET, (t) => rateMultiplier(t, 'CET', resolveTimeShape(undefined)), (t) => nextLocalHour(t, 'CET'));
    expect(shape.rateAt(3 * HOUR)).toBeLessThan(shape.rateAt(14 * HOUR) / 3);
  });
});
