import { describe, expect, it } from 'vitest';
import { derive, intBetween, seeded } from '../../../src/random/rng.js';
import { hitPacer, pace, visitPacer } from '../../../src/schedule/pacer.js';
import { DailyCap, localDay, nextLocalMidnight } from '../../../src/schedule/daily-cap.js';
import { expectedVisitMs, littlesLaw, meanHits } from '../../../src/config/littles-law.js';
import { constantShape, stagesShape, type Stage } from '../../../src/schedule/rate-shape.js';
import { inUnit, perSecond } from '../../../src/schedule/units.js';

describe('pace (vegeta table)', () => {
  const twoPerSecond = constantShape(2);
  const ramp = stagesShape([{ durationMs: 10_000, target: 10 }]);
  it.each([
    { why: '2 hit/s, nothing sent yet, at 0 s => the first is due at once', shape: twoPerSecond, elapsed: 0, sent: 0, want: { waitMs: 0 } },
    { why: '2 hit/s, 1 sent, at 0 s => the second is due at 500 ms', shape: twoPerSecond, elapsed: 0, sent: 1, want: { waitMs: 500 } },
    { why: '2 hit/s, 9 sent, 4.9 s elapsed => hit 9 is due at 4.5 s: late, go now', shape: twoPerSecond, elapsed: 4900, sent: 9, want: { waitMs: 0 } },
    { why: '2 hit/s, 10 sent, 4.9 s elapsed => hit 10 is due at 5 s', shape: twoPerSecond, elapsed: 4900, sent: 10, want: { waitMs: 100 } },
    { why: 'ramp 0->10/s over 10 s, 0 sent => due at once', shape: ramp, elapsed: 0, sent: 0, want: { waitMs: 0 } },
    { why: 'ramp 0->10/s: integral t^2/2 reaches 2 at t = 2 s', shape: ramp, elapsed: 1000, sent: 2, want: { waitMs: 1000 } },
    { why: 'ramp 0->10/s: integral reaches 32 at t = 8 s', shape: ramp, elapsed: 0, sent: 32, want: { waitMs: 8000 } },
    { why: 'ramp holds 50 units in all: the 50th lands on the end => stop', shape: ramp, elapsed: 9000, sent: 50, want: { stop: true } },
  ])('$why', ({ shape, elapsed, sent, want }) => {
    const got = pace(shape, elapsed, sent);
    if ('waitMs' in want) {
      expect('waitMs' in got).toBe(true);
      expect((got as { waitMs: number }).waitMs).toBeCloseTo(want.waitMs as number, 6);
    } else {
      expect(got).toEqual(want);
    }
  });
});

/** k6's calRat idea: a slow, obviously correct reference. Integrate the rate in 0.1 ms steps. */
function slowTimeOf(stages: Stage[], startRate: number, units: number): number | undefined {
  const step = 0.1;
  let t = 0;
  let sum = 0;
  let from = startRate;
  for (const stage of stages) {
    const steps = Math.round(stage.durationMs / step);
    for (let k = 0; k < steps; k++) {
      const x = k * step;
      const mid = x + step / 2;
      const rate = (from + ((stage.target - from) * mid) / stage.durationMs) / 1000;
      const next = sum + rate * step;
      if (next >= units) return t + x + ((units - sum) / (next - sum)) * step;
      sum = next;
    }
    t += stage.durationMs;
    from = stage.target;
  }
  return undefined;
}

describe('stages (k6 ramping-arrival-rate)', () => {
  const stages: Stage[] = [
    { durationMs: 2000, target: 50 },
    { durationMs: 3000, target: 50 },
    { durationMs: 1500, target: 120 },
    { durationMs: 2500, target: 0 },
  ];
  it('places the first arrivals where the slow reference does', () => {
    const shape = stagesShape(stages, 5);
    for (let n = 0; n < 200; n++) {
      const fast = shape.timeOf(n)!;
      const slow = slowTimeOf(stages, 5, n)!;
      expect(Math.abs(fast - slow)).toBeLessThan(0.05);
    }
  });

  it('agrees with the reference in every stage, up to the last unit', () => {
    const shape = stagesShape(stages);
    const total = shape.integral(shape.endMs!);
    for (let n = 0; n < total - 1; n += 7) {
      expect(Math.abs(shape.timeOf(n)! - slowTimeOf(stages, 0, n)!)).toBeLessThan(0.05);
    }
    expect(shape.timeOf(Math.ceil(total))).toBeUndefined();
  });

  it('rejects empty stages and bad durations', () => {
    expect(() => stagesShape([])).toThrow(/at least one stage/);
    expect(() => stagesShape([{ durationMs: 0, target: 1 }])).toThrow(/durations/);
  });
});

/** Arrivals due by each probe time, compared with the integral of the rate. */
function maxDeviation(shape: ReturnType<typeof stagesShape>, dues: number[], probes: number[]): number {
  let worst = 0;
  for (const t of probes) {
    const sent = dues.filter((d) => d <= t).length;
    worst = Math.max(worst, Math.abs(sent - shape.integral(t)));
  }
  return worst;
}

describe('property: arrivals stay within ±1 of the integral of the rate', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('random ramp %i', (seed) => {
    const rng = derive('stages-property', seed);
    const stages = Array.from({ length: intBetween(rng, 1, 5) }, () => ({
      durationMs: intBetween(rng, 100, 5000),
      target: intBetween(rng, 0, 300),
    }));
    const shape = stagesShape(stages, intBetween(rng, 0, 50));
    const pacer = visitPacer(shape);
    const dues: number[] = [];
    for (let due = pacer.next(); due !== undefined; due = pacer.next()) {
      dues.push(due);
      pacer.commit([0]);
    }
    const probes = Array.from({ length: 300 }, () => rng.next() * shape.endMs!);
    expect(maxDeviation(shape, dues, probes)).toBeLessThanOrEqual(1);
    expect(Math.abs(dues.length - shape.integral(shape.endMs!))).toBeLessThanOrEqual(1);
  });
});

describe('poisson arrivals', () => {
  it('are reproducible from the seed and hold the mean rate', () => {
    const run = (seed: number) => {
      const pacer = visitPacer(constantShape(100), { kind: 'poisson', rng: seeded(seed) });
      const dues: number[] = [];
      for (let i = 0; i < 20_000; i++) {
        dues.push(pacer.next()!);
        pacer.commit([0]);
      }
      return dues;
    };
    const a = run(42);
    expect(run(42)).toEqual(a);
    expect(run(43)).not.toEqual(a);
    // 20,000 arrivals at 100/s take 200 s; the sd of a Gamma(20000) sum is 0.7 %.
    expect((a.at(-1) ?? 0) / 200_000).toBeGreaterThan(0.97);
    expect((a.at(-1) ?? 0) / 200_000).toBeLessThan(1.03);
    const gaps = a.slice(1).map((d, i) => d - a[i]!);
    const mean = gaps.reduce((s, g) => s + g, 0) / gaps.length;
    const sd = Math.sqrt(gaps.reduce((s, g) => s + (g - mean) ** 2, 0) / gaps.length);
    // Exponential gaps: the standard deviation equals the mean (constant spacing would give 0).
    expect(sd / mean).toBeGreaterThan(0.9);
    expect(sd / mean).toBeLessThan(1.1);
  });
});

describe('hit pacer (--rps)', () => {
  function schedule(shape: ReturnType<typeof constantShape>, offsets: number[][], untilMs: number): number[] {
    const pacer = hitPacer(shape);
    const hits: number[] = [];
    let i = 0;
    for (let due = pacer.next(); due !== undefined && due < untilMs; due = pacer.next()) {
      const visit = offsets[i++ % offsets.length]!;
      for (const offset of visit) hits.push(due + offset);
      pacer.commit(visit);
    }
    return hits;
  }

  it('starts visits for the hits that scheduled hits do not cover', () => {
    // 4 hits/s, 2-hit visits 1 s apart: visits at 0, 250, 500, 750 ms, then their second hits
    // cover the next second, then visits again.
    const hits = schedule(constantShape(4), [[0, 1000]], 3000).sort((a, b) => a - b);
    expect(hits.filter((h) => h < 3000)).toEqual([0, 250, 500, 750, 1000, 1250, 1500, 1750, 2000, 2250, 2500, 2750]);
  });

  it('lands every second on the target with mixed visit shapes', () => {
    const offsets = [
      [0, 700, 1900, 1900, 3500],
      [0, 0, 1200],
      [0],
      [0, 2500, 2600, 5100],
    ];
    const hits = schedule(constantShape(200), offsets, 20_000);
    for (let second = 0; second < 20; second++) {
      const inSecond = hits.filter((h) => h >= second * 1000 && h < (second + 1) * 1000).length;
      // Hits due at the same instant (offset 0 twice, or 1900 twice) may run one visit ahead.
      expect(Math.abs(inSecond - 200)).toBeLessThanOrEqual(5);
    }
  });
});

describe('units, daily cap and Little\'s law', () => {
  it('converts visits/day and hits/s to per-second rates and back', () => {
    expect(perSecond(86_400, 'visits-per-day')).toBe(1);
    expect(perSecond(250, 'hits-per-second')).toBe(250);
    expect(inUnit(2, 'visits-per-day')).toBe(172_800);
  });

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

  it('says how many visit slots a rate needs', () => {
    const visits = [
      { hits: 4, pausesMs: 3000 },
      { hits: 6, pausesMs: 5000 },
    ];
    // Mean length: (3000 + 4*50 + 5000 + 6*50) / 2 = 4250 ms.
    expect(expectedVisitMs(visits, 50)).toBe(4250);
    expect(meanHits(visits)).toBe(5);
    // 50,000 visits/day = 0.5787/s x 4.25 s = 2.46 -> 3 slots.
    expect(littlesLaw(50_000 / 86_400, 4250).needed).toBe(3);
    expect(littlesLaw(50_000 / 86_400, 4250).inFlight).toBeCloseTo(2.4595, 4);
    expect(littlesLaw(1000, 150).needed).toBe(150);
    // No rate or no visit length: one slot, nothing in flight.
    expect(littlesLaw(0, 150)).toMatchObject({ inFlight: 0, needed: 1 });
  });
});
