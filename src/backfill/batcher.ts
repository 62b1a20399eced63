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

/**
 * Packs visits into jobs one visit at a time (jobsOfDay over a list, or a source that yields
 * visits as they come): the same visits in the same order give the same jobs either way.
 */
export class DayPacker {
  private chain: Batch[] = [];
  private current = emptyBatch();
  private hits = 0;

  constructor(
    private readonly date: string,
    private readonly bulkSize: number,
  ) {
    if (!Number.isInteger(bulkSize) || bulkSize < 1) throw new RangeError(`bulk size must be >= 1, got ${bulkSize}`);
  }

  /** Adds a visit; returns the jobs it closed (none, one or two). */
  add(visit: DayVisit): Job[] {
    const closed: Job[] = [];
    const bulkSize = this.bulkSize;
    const n = visit.requests.length;
    if (this.current.requests.length + n > bulkSize) {
      const job = this.close();
      if (job) closed.push(job);
    }
    this.current.starts.push(visit.index);
    let i = 0;
    // A visit longer than a batch: full batches go into the chain, the tail stays open.
    while (n - i > bulkSize - this.current.requests.length) {
      const room = bulkSize - this.current.requests.length;
      for (let k = 0; k < room; k++, i++) {
        this.current.requests.push(visit.requests[i] as TrackingRequest);
        this.current.owners.push(visit.index);
      }
      this.hits += room;
      this.chain.push(this.current);
      this.current = emptyBatch();
    }
    for (; i < n; i++) {
      this.current.requests.push(visit.requests[i] as TrackingRequest);
      this.current.owners.push(visit.index);
      this.hits++;
    }
    this.current.ends.push(visit.index);
    if (this.current.requests.length >= bulkSize) {
      const job = this.close();
      if (job) closed.push(job);
    }
    return closed;
  }

  /** The last, partly filled job, if any. */
  close(): Job | undefined {
    if (this.current.requests.length === 0 && this.current.ends.length === 0) return undefined;
    const job: Job = { date: this.date, batches: [...this.chain, this.current], hits: this.hits };
    this.chain = [];
    this.current = emptyBatch();
    this.hits = 0;
    return job;
  }
}

export function* jobsOfDay(date: string, visits: Iterable<DayVisit>, bulkSize: number): Generator<Job> {
  const packer = new DayPacker(date, bulkSize);
  for (const visit of visits) yield* packer.add(visit);
  const job = packer.close();
  if (job) yield job;
}

/** jobsOfDay over visits that come in as they are made (worker threads). */
export async function* jobsOfDayAsync(date: string, visits: AsyncIterable<DayVisit>, bulkSize: number): AsyncGenerator<Job> {
  const packer = new DayPacker(date, bulkSize);
  for await (const visit of visits) yield* packer.add(visit);
  const job = packer.close();
  if (job) yield job;
}
