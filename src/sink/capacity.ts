/**
 * `sink --capacity N`: a server with a known limit, so `trafficinator capacity` can be checked
 * against a right answer. One worker serves N hits per second (each hit costs 1000/N ms) in
 * arrival order; hits wait in a queue of at most `queue` hits. Below N the queue stays short and
 * latency stays near the service time; above N the queue fills, latency grows to queue/N seconds,
 * then requests that would overflow it get 503 with Retry-After. Pure: the caller passes the
 * monotonic time, so the model is tested without a server.
 */
export interface CapacityOptions {
  /** Hits served per second. */
  hitsPerSecond: number;
  /** Hits that may wait, the one being served included. */
  queue: number;
}

export type CapacityDecision = { kind: 'serve'; delayMs: number } | { kind: 'full' };

export class CapacityModel {
  /** When the worker has served everything admitted so far (monotonic ms). */
  private freeAtMs = 0;
  readonly counts = { served: 0, rejected: 0 };
  private readonly costMs: number;

  constructor(readonly options: CapacityOptions) {
    this.costMs = 1000 / options.hitsPerSecond;
  }

  /** Hits waiting at `nowMs`, fractions included. */
  backlog(nowMs: number): number {
    return Math.max(0, this.freeAtMs - nowMs) / this.costMs;
  }

  /** Admits a request of `hits` hits (a bulk request counts each) or says the queue is full. */
  admit(nowMs: number, hits: number): CapacityDecision {
    const cost = Math.max(1, hits);
    if (this.backlog(nowMs) + cost > this.options.queue) {
      this.counts.rejected += 1;
      return { kind: 'full' };
    }
    this.freeAtMs = Math.max(this.freeAtMs, nowMs) + cost * this.costMs;
    this.counts.served += 1;
    return { kind: 'serve', delayMs: this.freeAtMs - nowMs };
  }
}

/** The default queue: a quarter of a second's work, at least one bulk request of 100 hits. */
export function defaultQueue(hitsPerSecond: number): number {
  return Math.max(100, Math.ceil(hitsPerSecond / 4));
}
