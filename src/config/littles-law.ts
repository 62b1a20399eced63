/**
 * Little's law for the open model: visits in flight = arrival rate x time a visit takes. `validate`
 * and the run say so before the run, so a concurrency too small for the target is known before it
 * drops.
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

export interface LittlesLaw {
  visitsPerSecond: number;
  meanVisitMs: number;
  /** Visits in flight on average: visits per second x mean visit length in seconds. */
  inFlight: number;
  /** Visit slots the rate needs: inFlight rounded up, at least 1. */
  needed: number;
}

/**
 * The one Little's-law formula (here, the lowest layer that needs it, so the config rules can call it): the config rule (visit length from the settings), the run's start
 * warning (from the model's visits and the measured latency, for every rate unit and stages) and
 * capacity's slot count all call it.
 */
export function littlesLaw(visitsPerSecond: number, meanVisitMs: number): LittlesLaw {
  const valid = visitsPerSecond > 0 && meanVisitMs > 0;
  const inFlight = valid ? (visitsPerSecond * meanVisitMs) / 1000 : 0;
  return { visitsPerSecond, meanVisitMs, inFlight, needed: valid ? Math.max(1, Math.ceil(inFlight)) : 1 };
}
