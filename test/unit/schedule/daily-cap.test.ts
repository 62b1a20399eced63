import { describe, expect, it } from 'vitest';
import { DailyCap, localDay, nextLocalMidnight } from '../../../src/schedule/daily-cap.js';

describe('daily cap', () => {
  it.each([
    { why: 'a plain winter evening in Stockholm (UTC+1)', at: Date.UTC(2026, 0, 1, 22, 59), zone: 'Europe/Stockholm', want: Date.UTC(2026, 0, 1, 23, 0) },
    { why: 'spring-forward day is 23 h long: the next midnight is 22:00 UTC', at: Date.UTC(2026, 2, 29, 1, 0), zone: 'Europe/Stockholm', want: Date.UTC(2026, 2, 29, 22, 0) },
    { why: 'fall-back day is 25 h long', at: Date.UTC(2026, 9, 25, 0, 0), zone: 'Europe/Stockholm', want: Date.UTC(2026, 9, 25, 23, 0) },
    { why: 'UTC itself', at: Date.UTC(2026, 5, 1, 12, 0), zone: 'UTC', want: Date.UTC(2026, 5, 2) },
  ])('next local midnight: $why', ({ at, zone, want }) => {
    expect(nextLocalMidnight(at, zone)).toBe(want);
  });

  it('counts visits per local day and resets at local midnight', () => {
    const cap = new DailyCap(2, 'Europe/Stockholm');
    const evening = Date.UTC(2026, 0, 1, 22, 0);
    expect([cap.admit(evening), cap.admit(evening), cap.admit(evening)]).toEqual([true, true, false]);
    expect(cap.resumeAt(evening)).toBe(Date.UTC(2026, 0, 1, 23, 0));
    expect(cap.admit(Date.UTC(2026, 0, 1, 23, 0))).toBe(true);
    expect(localDay(Date.UTC(2026, 0, 1, 23, 0), 'Europe/Stockholm')).toBe('2026-01-02');
  });
});
