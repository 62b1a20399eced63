import { describe, expect, it } from 'vitest';
import { nextStep, roundRate, type SearchOptions, type StepOutcome } from '../../../src/capacity/search.js';
import { CapacityModel, defaultQueue } from '../../../src/sink/capacity.js';

const base: SearchOptions = { start: 50, factor: 2, resolution: 0.25, maxRate: 10_000, maxSteps: 20 };

/** Runs the planner against a target whose knee is `knee`: rates up to it hold. */
function search(options: SearchOptions, knee: number): { steps: StepOutcome[]; end: string } {
  const steps: StepOutcome[] = [];
  for (;;) {
    const next = nextStep(options, steps);
    if (next.kind === 'done') return { steps, end: next.end };
    steps.push({ rate: next.rate, ok: next.rate <= knee });
  }
}

describe('capacity search planner', () => {
  it.each([
    { why: 'doubling from 50 then bisecting 200..400 to 25%', options: base, knee: 200, rates: [50, 100, 200, 400, 300, 250], end: 'knee' },
    { why: 'a knee between steps is bracketed to the resolution', options: { ...base, resolution: 0.05 }, knee: 800, rates: [50, 100, 200, 400, 800, 1600, 1200, 1000, 900, 850, 825], end: 'knee' },
    { why: 'an increment instead of a factor', options: { ...base, increment: 100, resolution: 0.25 }, knee: 320, rates: [50, 150, 250, 350, 300], end: 'knee' },
    { why: 'the first step already bad', options: base, knee: 10, rates: [50], end: 'below-start' },
    { why: 'no knee up to --max-rate (the last step is clamped to it)', options: { ...base, maxRate: 300 }, knee: 1e9, rates: [50, 100, 200, 300], end: 'max-rate' },
    { why: '--max-steps ends the ramp', options: { ...base, maxSteps: 3 }, knee: 1e9, rates: [50, 100, 200], end: 'max-steps' },
  ])('$why', ({ options, knee, rates, end }) => {
    const result = search(options, knee);
    expect(result.steps.map((s) => s.rate)).toEqual(rates);
    expect(result.end).toBe(end);
  });

  it('always ends with the knee within the resolution of the true one (property over many knees)', () => {
    for (let knee = 51; knee < 5000; knee += 37) {
      const { steps, end } = search({ ...base, resolution: 0.1 }, knee);
      expect(end).toBe('knee');
      const good = Math.max(...steps.filter((s) => s.ok).map((s) => s.rate));
      expect(good).toBeLessThanOrEqual(knee);
      expect(good).toBeGreaterThanOrEqual(knee / 1.1 - 1);
    }
  });

  it('rounds rates as users read them', () => {
    expect(roundRate(123.4)).toBe(123);
    expect(roundRate(1.234)).toBe(1.2);
  });
});

describe('sink capacity model', () => {
  it('serves in order at the rate: below it latency is the service time', () => {
    const m = new CapacityModel({ hitsPerSecond: 100, queue: 10 });
    // One hit every 20 ms at 100/s capacity (10 ms each): never waits behind another.
    for (let t = 0; t < 1000; t += 20) expect(m.admit(t, 1)).toEqual({ kind: 'serve', delayMs: 10 });
  });

  it('above the rate the queue grows, latency with it, then 503 when full', () => {
    const m = new CapacityModel({ hitsPerSecond: 100, queue: 10 });
    const decisions = Array.from({ length: 12 }, () => m.admit(0, 1));
    expect(decisions.slice(0, 10).map((d) => (d.kind === 'serve' ? d.delayMs : -1))).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(decisions.slice(10)).toEqual([{ kind: 'full' }, { kind: 'full' }]);
    // After 30 ms three hits were served: three places free again.
    expect(m.backlog(30)).toBeCloseTo(7);
    expect(m.admit(30, 3)).toEqual({ kind: 'serve', delayMs: 100 });
    expect(m.counts).toEqual({ served: 11, rejected: 2 });
  });

  it('a bulk request costs its hits', () => {
    const m = new CapacityModel({ hitsPerSecond: 1000, queue: 100 });
    expect(m.admit(0, 50)).toEqual({ kind: 'serve', delayMs: 50 });
    expect(m.admit(0, 51)).toEqual({ kind: 'full' });
    expect(defaultQueue(800)).toBe(200);
    expect(defaultQueue(200)).toBe(100);
  });
});
