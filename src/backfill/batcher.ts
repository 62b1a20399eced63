import type { TrackingRequest } from '../matomo/request.js';
import type { DayVisit } from './plan.js';

/**
 * Packs a day's visits into bulk batches. A visit that fits goes whole into one batch; a visit
 * with more hits than the bulk size is split over consecutive batches of one job, which the replay
 * sends one after the other, so two hits of a visit are never in flight at once and arrive in time
 * order. Jobs are independent of each other: the replay runs them concurrently.
 */
export interface Batch {
  requests: TrackingRequest[];
  /** owners[i]: the visit index (within its day) of requests[i]. */
  owners: number[];
  /** Visits whose first hit is in this batch (journaled as in flight before it is sent). */
  starts: number[];
  /** Visits whose last hit is in this batch (settled after its answer). */
  ends: number[];
}

export interface Job {
  date: string;
  /** Sent strictly in order, each after the previous one's answer. */
  batches: Batch[];
  hits: number;
}

function emptyBatch(): Batch {
  return { requests: [], owners: [], starts: [], ends: [] };
}

export function* jobsOfDay(date: string, visits: Iterable<DayVisit>, bulkSize: number): Generator<Job> {
  if (!Number.isInteger(bulkSize) || bulkSize < 1) throw new RangeError(`bulk size must be >= 1, got ${bulkSize}`);
  let chain: Batch[] = [];
  let current = emptyBatch();
  let hits = 0;
  const close = (): Job | undefined => {
    if (current.requests.length === 0 && current.ends.length === 0) return undefined;
    const job: Job = { date, batches: [...chain, current], hits };
    chain = [];
    current = emptyBatch();
    hits = 0;
    return job;
  };
  for (const visit of visits) {
    const n = visit.requests.length;
    if (current.requests.length + n > bulkSize) {
      const job = close();
      if (job) yield job;
    }
    current.starts.push(visit.index);
    let i = 0;
    // A visit longer than a batch: full batches go into the chain, the tail stays open.
    while (n - i > bulkSize - current.requests.length) {
      const room = bulkSize - current.requests.length;
      for (let k = 0; k < room; k++, i++) {
        current.requests.push(visit.requests[i] as TrackingRequest);
        current.owners.push(visit.index);
      }
      hits += room;
      chain.push(current);
      current = emptyBatch();
    }
    for (; i < n; i++) {
      current.requests.push(visit.requests[i] as TrackingRequest);
      current.owners.push(visit.index);
      hits++;
    }
    current.ends.push(visit.index);
    if (current.requests.length >= bulkSize) {
      const job = close();
      if (job) yield job;
    }
  }
  const job = close();
  if (job) yield job;
}
