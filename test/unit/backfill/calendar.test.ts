import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { daysOfWindow, formatCdt } from '../../../src/backfill/calendar.js';
import { drawStart, prepareDay } from '../../../src/backfill/diurnal.js';
import { DEFAULT_PROFILE, FLAT_PROFILE, resolveProfile } from '../../../src/schedule/time-shape.js';
import { seeded } from '../../../src/random/rng.js';

// 2026-11-26 12:00 CET: the plan's "now" in these tests.
const NOW = DateTime.fromISO('2026-11-26T12:00:00', { zone: 'CET' }).toMillis();

describe('daysOfWindow', () => {
  it('gives 23- and 25-hour days around the DST changes, whole', () => {
    const days = daysOfWindow({ from: '2026-03-28', to: '2026-03-30' }, 'CET', NOW);
    expect(days.map((d) => d.hours)).toEqual([24, 23, 24]);
    const spring = days[1]!;
    expect(spring.endMs - spring.startMs).toBe(23 * 3_600_000);
    expect(new Date(spring.startMs).toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(new Date(spring.endMs).toISOString()).toBe('2026-03-29T22:00:00.000Z');
    const autumn = daysOfWindow({ from: '2026-10-25', to: '2026-10-25' }, 'CET', NOW)[0]!;
    expect(autumn.hours).toBe(25);
    expect(new Date(autumn.startMs).toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(new Date(autumn.endMs).toISOString()).toBe('2026-10-25T23:00:00.000Z');
  });

  it('ends today at the cut-off', () => {
    const days = daysOfWindow({ from: '2026-11-25', to: '2026-11-26' }, 'CET', NOW);
    expect(days.map((d) => d.cut)).toEqual([false, true]);
    expect(days[1]!.endMs).toBe(NOW);
  });
});

describe('diurnal profile', () => {
  it('validates custom weights', () => {
    expect(resolveProfile('flat')).toEqual({ ok: true, profile: FLAT_PROFILE });
    expect(resolveProfile(undefined)).toEqual({ ok: true, profile: DEFAULT_PROFILE });
    expect(resolveProfile([1, 2])).toMatchObject({ ok: false, message: expect.stringContaining('24 weights') });
    expect(resolveProfile(new Array(24).fill(0))).toMatchObject({ ok: false });
    expect(resolveProfile([...new Array(23).fill(1), -1])).toMatchObject({ ok: false, message: expect.stringContaining('hour 23') });
  });

  it('the default has quiet nights and daytime peaks', () => {
    const night = DEFAULT_PROFILE.slice(1, 6).reduce((a, b) => a + b, 0) / 5;
    const day = DEFAULT_PROFILE.slice(9, 18).reduce((a, b) => a + b, 0) / 9;
    expect(day / night).toBeGreaterThan(8);
  });

  it.each([
    { why: '23-hour spring day', date: '2026-03-29' },
    { why: '25-hour autumn day', date: '2026-10-25' },
    { why: 'ordinary day', date: '2026-06-10' },
  ])('keeps every visit timeline inside the local bounds on a $why', ({ date }) => {
    const day = daysOfWindow({ from: date, to: date }, 'CET', NOW)[0]!;
    const prepared = prepareDay(day, 'CET', FLAT_PROFILE);
    const rng = seeded(`bounds-${date}`);
    for (let i = 0; i < 4000; i++) {
      const duration = Math.floor(rng.next() * 15 * 60_000);
      const start = drawStart(prepared, duration, rng);
      expect(start).toBeGreaterThanOrEqual(day.startMs);
      expect(start + duration).toBeLessThan(day.endMs);
      const local = DateTime.fromMillis(start, { zone: 'CET' }).toISODate();
      expect(local).toBe(date);
      expect(DateTime.fromMillis(start + duration, { zone: 'CET' }).toISODate()).toBe(date);
    }
  });

  it('uses the repeated hour of the autumn change twice, and the last hour of the day', () => {
    const day = daysOfWindow({ from: '2026-10-25', to: '2026-10-25' }, 'CET', NOW)[0]!;
    const prepared = prepareDay(day, 'CET', FLAT_PROFILE);
    const rng = seeded('autumn');
    let firstTwo = 0; // 02:00-03:00 CEST (00:00-01:00 UTC)
    let secondTwo = 0; // 02:00-03:00 CET (01:00-02:00 UTC)
    let lastHour = 0;
    const n = 50_000;
    for (let i = 0; i < n; i++) {
      const start = drawStart(prepared, 0, rng);
      const hourUtc = new Date(start).getUTCHours();
      if (new Date(start).getUTCDate() === 25 && hourUtc === 0) firstTwo++;
      if (new Date(start).getUTCDate() === 25 && hourUtc === 1) secondTwo++;
      if (DateTime.fromMillis(start, { zone: 'CET' }).hour === 23) lastHour++;
    }
    // Flat over 25 hours: each real hour holds 1/25 of the starts (4 % ± 0.6 %, > 5 sigma).
    for (const count of [firstTwo, secondTwo, lastHour]) expect(Math.abs(count / n - 1 / 25)).toBeLessThan(0.006);
  });

  it('follows the profile: starts per hour in proportion to the weights', () => {
    const day = daysOfWindow({ from: '2026-06-10', to: '2026-06-10' }, 'CET', NOW)[0]!;
    const prepared = prepareDay(day, 'CET', DEFAULT_PROFILE);
    const rng = seeded('profile');
    const perHour = new Array<number>(24).fill(0);
    const n = 100_000;
    for (let i = 0; i < n; i++) perHour[DateTime.fromMillis(drawStart(prepared, 0, rng), { zone: 'CET' }).hour]!++;
    const total = DEFAULT_PROFILE.reduce((a, b) => a + b, 0);
    DEFAULT_PROFILE.forEach((w, h) => {
      const expected = (w / total) * n;
      // 5 standard deviations of a binomial count.
      expect(Math.abs(perHour[h]! - expected)).toBeLessThan(5 * Math.sqrt(expected) + 1);
    });
  });

  it('never starts a visit whose end would pass the cut-off', () => {
    const cut = DateTime.fromISO('2026-11-26T00:40:00', { zone: 'CET' }).toMillis();
    const day = daysOfWindow({ from: '2026-11-26', to: '2026-11-26' }, 'CET', cut)[0]!;
    const prepared = prepareDay(day, 'CET', DEFAULT_PROFILE);
    const rng = seeded('cut');
    for (let i = 0; i < 5000; i++) expect(drawStart(prepared, 30 * 60_000, rng) + 30 * 60_000).toBeLessThan(cut);
    expect(() => drawStart(prepared, 41 * 60_000, rng)).toThrow(RangeError);
  });

  it('formats cdt in UTC with seconds', () => {
    expect(formatCdt(Date.UTC(2026, 2, 29, 1, 2, 3, 999))).toBe('2026-03-29 01:02:03');
  });
});
