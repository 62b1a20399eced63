import type { HitType } from '../journey/visit.js';
import type { HttpRequest } from '../transport/transport.js';

/**
 * One visit as the engine needs it: its shape up front (for pacing and Little's law) and its
 * requests only once it starts (their cdt is anchored at the real start).
 */
export interface PlannedVisit {
  /** Index into the run's target list (the names given to RunMetrics). */
  target: number;
  /** Each hit's type, in send order. */
  hitTypes: readonly HitType[];
  /** Real pause before each hit in ms; [0] is 0. Same length as hitTypes. */
  pausesMs: readonly number[];
  /** Builds the requests when the visit starts; `startWallMs` is clock.now() at that moment. */
  requests(startWallMs: number): readonly HttpRequest[];
  /**
   * Optional lazy form of `requests`, preferred by the engine: `hitRequests(start)(j)` equals
   * `requests(start)[j]`, built just before hit j is sent. A visit in flight then holds no built
   * requests of its later hits, which at full speed would survive young-generation collections.
   */
  hitRequests?(startWallMs: number): (hitIndex: number) => HttpRequest;
}

/**
 * Where visits come from. plan(i) must depend only on the seed and i (visit i of the run is the
 * model's visit i, as a dry run prints it); undefined means there are no more visits.
 */
export interface VisitSource {
  plan(index: number): PlannedVisit | undefined;
  /**
   * With --shard: whether this process starts visit `index`. The schedule stays the unsharded one;
   * another shard's arrival passes without a wait, a slot or a drop. Absent: every visit.
   */
  owns?(index: number): boolean;
}

/** Offsets of a visit's hits from its first, in ms (cumulative pauses), for the hit pacer. */
export function hitOffsets(pausesMs: readonly number[]): number[] {
  const offsets = new Array<number>(pausesMs.length);
  let at = 0;
  for (let j = 0; j < pausesMs.length; j++) {
    if (j > 0) at += pausesMs[j] as number;
    offsets[j] = at;
  }
  return offsets;
}
