import { describe, expect, it } from 'vitest';
import { stagesShape, type Stage } from '../../../src/schedule/rate-shape.js';

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
