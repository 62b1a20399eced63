import type { TargetPlan } from '../backfill/plan.js';
import type { Config } from '../config/schema.js';
import type { WorkloadFiles } from '../workload/workload.js';

/**
 * The messages between the main thread and a backfill worker thread. Everything is plain data: a
 * worker rebuilds the workload from the configuration, the seed and the files' texts, as the main
 * thread did, so both generate the same visits byte for byte.
 */

/** workerData of a thread started by the pool: the bundle's entry serves instead of running the CLI. */
export interface WorkerData {
  trafficinatorWorker: 1;
  /** 'run': a `run --workers` thread (run-thread.ts); absent: a backfill thread (thread.ts). */
  role?: 'run';
}

export function isWorkerData(data: unknown): data is WorkerData {
  return typeof data === 'object' && data !== null && (data as Partial<WorkerData>).trafficinatorWorker === 1;
}

/** What a worker returns per visit: the dry run's NDJSON lines, or the requests as JSON. */
export type Output = { kind: 'dry-run'; day: true; target?: string } | { kind: 'requests' };

export type ToWorker =
  | { type: 'init'; config: Config; seed: string | number; files: WorkloadFiles; plan: TargetPlan; siteId: number; output: Output }
  /** Build and place these visits of a day (the worker's share); encode them on 'next'. */
  | { type: 'day'; id: number; date: string; indices: number[] }
  /** Encode and send the next chunk of stream `id`. */
  | { type: 'next'; id: number }
  /** Forget stream `id` (the main thread stopped reading it). */
  | { type: 'drop'; id: number };

export type FromWorker =
  /**
   * The next visits of stream `id` in send order: starts[k] and indices[k] order the merge, and
   * visit k's output is text.slice(ends[k - 1] ?? 0, ends[k]) (one string copies faster than many).
   * `done`: the stream has no more.
   */
  | { type: 'chunk'; id: number; starts: Float64Array; indices: Int32Array; ends: Uint32Array; text: string; done: boolean }
  | { type: 'error'; message: string };
