import { describe, expect, it } from 'vitest';
import { derive, intBetween, seeded } from '../../../src/random/rng.js';
import { hitPacer, pace, visitPacer } from '../../../src/schedule/pacer.js';
import { constantShape, stagesShape } from '../../../src/schedule/rate-shape.js';

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
