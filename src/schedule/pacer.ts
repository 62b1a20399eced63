import type { RateShape } from './rate-shape.js';

/** vegeta's answer to "when is the next one due?": wait this long, or the schedule is over. */
export type Pace = { waitMs: number } | { stop: true };

/**
 * How long to wait before unit number `sent` (0-based) goes out, `elapsedMs` into the run. Unit n
 * is due when the rate's integral reaches n, so the first is due at once and the count sent by any
 * time stays within 1 of the integral; a late caller gets 0 and catches up.
 */
export function pace(shape: RateShape, elapsedMs: number, sent: number): Pace {
  const due = shape.timeOf(sent);
  if (due === undefined) return { stop: true };
  return { waitMs: Math.max(0, due - elapsedMs) };
}
