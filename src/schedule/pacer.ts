import { exponential, type Rng } from '../random/rng.js';
import { MinHeap } from './min-heap.js';
import type { RateShape } from './rate-shape.js';

/**
 * The one pacing vocabulary of run and backfill (vegeta's pacer): unit n (a visit, a hit, a batch)
 * is due when the rate shape's integral reaches n, counted from the absolute start of the schedule,
 * never by adding sleeps. `pace` answers "how long until the next one?" for a sender that counts
 * what it sent (backfill); the arrival pacers below answer "when is the next arrival due?" for the
 * live dispatcher, which also needs the due instant itself (lag, the time limit, the window end).
 */

/** vegeta's answer to "when is the next one due?": wait this long, or the schedule is over. */
export type Pace = { waitMs: number } | { stop: true };

/** When unit `units` is due, in ms from the schedule start; undefined when the schedule never gets there. */
function dueAt(shape: RateShape, units: number): number | undefined {
  return shape.timeOf(units);
}

/**
 * How long to wait before unit number `sent` (0-based) goes out, `elapsedMs` into the run. Unit n
 * is due when the rate's integral reaches n, so the first is due at once and the count sent by any
 * time stays within 1 of the integral; a late caller gets 0 and catches up.
 */
export function pace(shape: RateShape, elapsedMs: number, sent: number): Pace {
  const due = dueAt(shape, sent);
  if (due === undefined) return { stop: true };
  return { waitMs: Math.max(0, due - elapsedMs) };
}

/** Constant spacing by default; `poisson` draws exponential gaps from a seeded Rng. */
export type Spacing = { kind: 'constant' } | { kind: 'poisson'; rng: Rng };

/**
 * Decides when visits start, open-model: from the absolute start of the schedule, whatever the
 * target does. The dispatcher asks `next()` for the due time of the next arrival, then `commit()`s
 * that arrival (started or dropped alike, so the schedule never depends on the server).
 */
export interface ArrivalPacer {
  readonly kind: 'paced';
  /** What the shape counts: visit starts, or hits (tracking requests). */
  readonly unit: 'visits' | 'hits';
  readonly shape: RateShape;
  /** Ms from the schedule start when the next arrival is due; undefined when the schedule ended. */
  next(): number | undefined;
  /**
   * Records the arrival that `next()` announced. `hitOffsetsMs[j]` is when the visit's hit j goes
   * out relative to its first (cumulative pauses; [0] is 0).
   */
  commit(hitOffsetsMs: ArrayLike<number>): void;
}

/** `--rps max`: no schedule; a visit starts whenever a slot is free (closed model). */
export interface MaxPacer {
  readonly kind: 'max';
}

export type Pacer = ArrivalPacer | MaxPacer;

export const maxPacer: MaxPacer = { kind: 'max' };

function gapSource(spacing: Spacing): () => number {
  if (spacing.kind === 'constant') return () => 1;
  const rng = spacing.rng;
  return () => exponential(rng, 1);
}

/** Visits per unit of time: arrival n is due when the shape's integral reaches n. */
export function visitPacer(shape: RateShape, spacing: Spacing = { kind: 'constant' }): ArrivalPacer {
  const gap = gapSource(spacing);
  // Constant spacing starts at once; a Poisson process waits one gap for its first arrival.
  let position = spacing.kind === 'constant' ? 0 : gap();
  return {
    kind: 'paced',
    unit: 'visits',
    shape,
    next: () => dueAt(shape, position),
    commit: () => void (position += gap()),
  };
}

/**
 * Hits per unit of time (`--rps`). A visit's hits are known up front, so the pacer keeps the due
 * times of hits already scheduled and starts a visit only when the shape wants a hit that no
 * scheduled hit covers. The sum of hits lands on the target from the first second instead of
 * waiting for visits to fill the pipeline; later, visit starts slow to rate / hits-per-visit.
 */
export function hitPacer(shape: RateShape, spacing: Spacing = { kind: 'constant' }): ArrivalPacer {
  const gap = gapSource(spacing);
  let position = spacing.kind === 'constant' ? 0 : gap();
  const scheduled = new MinHeap();
  let due: number | undefined;
  return {
    kind: 'paced',
    unit: 'hits',
    shape,
    next() {
      for (;;) {
        due = dueAt(shape, position);
        if (due === undefined) return undefined;
        const upcoming = scheduled.peek();
        if (upcoming === undefined || upcoming > due) return due;
        // A hit of an earlier visit already lands by then: it covers this unit.
        scheduled.pop();
        position += gap();
      }
    },
    commit(hitOffsetsMs) {
      const at = due ?? this.next();
      if (at === undefined) return;
      position += gap();
      for (let j = 1; j < hitOffsetsMs.length; j++) scheduled.push(at + (hitOffsetsMs[j] as number));
      due = undefined;
    },
  };
}
