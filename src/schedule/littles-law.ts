/**
 * Little's law for the open model: visits in flight = arrival rate x time a visit takes. The run
 * prints this at start so a concurrency too small for the target is known before it drops.
 */
export interface VisitLength {
  /** Hits in the visit. */
  hits: number;
  /** Sum of the real pauses between its hits, in ms. */
  pausesMs: number;
}

/** Mean time a visit holds a slot: its pauses plus one round trip per hit. */
export function expectedVisitMs(visits: readonly VisitLength[], latencyMs: number): number {
  if (visits.length === 0) return 0;
  let total = 0;
  for (const visit of visits) total += visit.pausesMs + visit.hits * latencyMs;
  return total / visits.length;
}

/** Mean hits per visit of a sample (turns hits/s into visits/s). */
export function meanHits(visits: readonly VisitLength[]): number {
  if (visits.length === 0) return 0;
  let total = 0;
  for (const visit of visits) total += visit.hits;
  return total / visits.length;
}

/** Visit slots the target rate needs: ceil(visits per second x mean visit length in seconds). */
export function neededConcurrency(visitsPerSecond: number, meanVisitMs: number): number {
  if (!(visitsPerSecond > 0) || !(meanVisitMs > 0)) return 1;
  return Math.max(1, Math.ceil((visitsPerSecond * meanVisitMs) / 1000));
}
