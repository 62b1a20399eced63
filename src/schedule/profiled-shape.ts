import type { RateShape } from './rate-shape.js';

/**
 * A constant target modulated by a step profile over wall-clock time (run --follow-profile): the
 * rate is `perSecond x multiplierAt(step start)` on each step, and steps end at `nextStep(t)`
 * (the next local hour). Steps are found lazily and kept, so a long run walks its day once.
 * Times are ms since the run's start; the wall-clock instant is `startEpochMs + elapsed`.
 */
export function profiledShape(
  perSecond: number,
  startEpochMs: number,
  multiplierAt: (epochMs: number) => number,
  nextStep: (epochMs: number) => number,
): RateShape {
  if (!(perSecond > 0) || !Number.isFinite(perSecond)) {
    throw new RangeError(`rate must be a positive number, got ${perSecond}`);
  }
  // Step k covers [starts[k], starts[k+1]) in elapsed ms, at perMs[k] units per ms; before[k] is
  // the integral up to starts[k].
  const starts: number[] = [0];
  const perMs: number[] = [];
  const before: number[] = [0];

  const extendTo = (k: number): void => {
    while (perMs.length <= k) {
      const i = perMs.length;
      const startMs = starts[i]!;
      perMs.push((perSecond * Math.max(0, multiplierAt(startEpochMs + startMs))) / 1000);
      const end = Math.max(startMs + 1, nextStep(startEpochMs + startMs) - startEpochMs);
      starts.push(end);
      before.push(before[i]! + perMs[i]! * (end - startMs));
    }
  };
  const stepAt = (elapsedMs: number): number => {
    let k = 0;
    for (;;) {
      extendTo(k);
      if (elapsedMs < starts[k + 1]!) return k;
      k += 1;
    }
  };

  return {
    endMs: undefined,
    rateAt(elapsedMs) {
      return perMs[stepAt(Math.max(0, elapsedMs))]! * 1000;
    },
    integral(elapsedMs) {
      if (elapsedMs <= 0) return 0;
      const k = stepAt(elapsedMs);
      return before[k]! + perMs[k]! * (elapsedMs - starts[k]!);
    },
    timeOf(units) {
      if (units <= 0) return 0;
      // A week of zero-rate steps means the profile never reaches `units`.
      for (let k = 0; k < 24 * 7 * 2; k++) {
        extendTo(k);
        if (before[k + 1]! >= units && perMs[k]! > 0) return starts[k]! + (units - before[k]!) / perMs[k]!;
      }
      return undefined;
    },
  };
}
