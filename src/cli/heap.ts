import { setFlagsFromString } from 'node:v8';

/**
 * A backfill that sends keeps some 20 MB alive, but what a batch holds (requests, body, answer)
 * lives across the batch's round trip, so the scavenger promotes it and it dies in the old
 * generation, which V8 lets grow to several times its live size before a full collection: 50-60 MB
 * of the peak RSS of a send (`--trace-gc`; docs/performance.md, Worker threads). A growing factor
 * of 1.3 collects it sooner, at 14-29 ms per full collection of a 20 MB heap. Process-wide
 * (worker threads too); what is sent, journaled and reported does not change.
 */
export const HEAP_GROWING_PERCENT = 30;

export function tightenHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
