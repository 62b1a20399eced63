/**
 * A target rate over the run, in units per second (visits or hits; see units.ts). Pure maths: the
 * pacers ask when the n-th unit falls due (timeOf) and how many were due by a time (integral).
 */
export interface RateShape {
  /** Target rate at `elapsedMs`, in units per second. */
  rateAt(elapsedMs: number): number;
  /** Units due between 0 and `elapsedMs` (the integral of the rate). */
  integral(elapsedMs: number): number;
  /** The earliest ms at which `integral` reaches `units`, or undefined when it never does. */
  timeOf(units: number): number | undefined;
  /** When the shape ends (stages); undefined for an open-ended rate. */
  readonly endMs: number | undefined;
}

/** A constant rate of `perSecond` units per second (> 0). */
export function constantShape(perSecond: number): RateShape {
  if (!(perSecond > 0) || !Number.isFinite(perSecond)) {
    throw new RangeError(`rate must be a positive number, got ${perSecond}`);
  }
  const perMs = perSecond / 1000;
  return {
    rateAt: () => perSecond,
    integral: (elapsedMs) => Math.max(0, elapsedMs) * perMs,
    timeOf: (units) => (units <= 0 ? 0 : units / perMs),
    endMs: undefined,
  };
}

/** One stage of a ramp: the rate moves linearly to `target` (units/s) over `durationMs`. */
export interface Stage {
  durationMs: number;
  target: number;
}

interface Segment {
  startMs: number;
  durationMs: number;
  /** Rates at the start and end of the segment, per ms. */
  from: number;
  to: number;
  /** Units due before the segment starts. */
  before: number;
}

/**
 * k6's ramping-arrival-rate: linear ramps between stage targets, starting from `startRate`
 * (units/s, default 0). The schedule ends with the last stage.
 */
export function stagesShape(stages: readonly Stage[], startRate = 0): RateShape {
  if (stages.length === 0) throw new RangeError('stages: at least one stage is needed');
  const segments: Segment[] = [];
  let startMs = 0;
  let before = 0;
  let from = startRate / 1000;
  for (const stage of stages) {
    if (!(stage.durationMs > 0) || !(stage.target >= 0)) {
      throw new RangeError('stages: durations must be > 0 and targets >= 0');
    }
    const to = stage.target / 1000;
    segments.push({ startMs, durationMs: stage.durationMs, from, to, before });
    before += ((from + to) / 2) * stage.durationMs;
    startMs += stage.durationMs;
    from = to;
  }
  const total = before;
  const endMs = startMs;

  const segmentAt = (elapsedMs: number): Segment => {
    let found = segments[0] as Segment;
    for (const segment of segments) {
      if (segment.startMs <= elapsedMs) found = segment;
      else break;
    }
    return found;
  };

  return {
    endMs,
    rateAt(elapsedMs) {
      if (elapsedMs < 0 || elapsedMs >= endMs) return 0;
      const s = segmentAt(elapsedMs);
      return (s.from + ((s.to - s.from) * (elapsedMs - s.startMs)) / s.durationMs) * 1000;
    },
    integral(elapsedMs) {
      if (elapsedMs <= 0) return 0;
      if (elapsedMs >= endMs) return total;
      const s = segmentAt(elapsedMs);
      const x = elapsedMs - s.startMs;
      return s.before + s.from * x + ((s.to - s.from) / (2 * s.durationMs)) * x * x;
    },
    timeOf(units) {
      if (units <= 0) return 0;
      // The shape covers [0, endMs): the unit landing on its end belongs to no stage.
      if (units >= total - 1e-9) return undefined;
      for (const s of segments) {
        const inside = units - s.before;
        const length = ((s.from + s.to) / 2) * s.durationMs;
        if (inside > length) continue;
        return s.startMs + offsetWithin(s, inside);
      }
      return endMs;
    },
  };
}

/** Solves from*x + (to-from)/(2d)*x^2 = units for x in [0, d]; the stable form of the quadratic. */
function offsetWithin(s: Segment, units: number): number {
  const a = (s.to - s.from) / (2 * s.durationMs);
  const root = Math.sqrt(Math.max(0, s.from * s.from + 4 * a * units));
  const denominator = s.from + root;
  if (denominator <= 0) return 0;
  return Math.min(s.durationMs, (2 * units) / denominator);
}
