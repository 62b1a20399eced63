import type { Config } from '../config/schema.js';
import type { Shard } from '../config/shard.js';
import type { CloseInfo, LiveSnapshot } from '../engine/observer.js';
import type { UndiciTransportOptions } from '../transport/undici.js';
import type { WorkloadFiles } from '../workload/workload.js';

/**
 * The messages between the main thread and a `run --workers` thread (run-pool.ts, run-thread.ts).
 * Plain data: a thread rebuilds the workload and the schedule from the configuration, the seed and
 * the files' texts, as the main thread did, so it plans the same visits. What comes back holds no
 * URL, body or error message (run-events.ts): nothing a thread posts can print the token.
 */

/** The transport's settings; each thread builds its own pool on its own Clock, sized to its slots. */
export type ThreadTransport = Omit<UndiciTransportOptions, 'clock' | 'captureResponse' | 'connections'>;

export type ToRunThread =
  | {
      type: 'init';
      config: Config;
      seed: string | number;
      files: WorkloadFiles;
      /** The process's --shard composed with this thread's place (run-shard.ts). */
      shard: Shard;
      /** This thread's visit slots (its share of --concurrency). */
      concurrency: number;
      /** Anchors --follow-profile, as the main thread's plan. */
      startEpochMs: number;
      transport: ThreadTransport;
      /** --log-level debug: post each failed hit's class or status. */
      debug: boolean;
    }
  /** Start the run now (every thread is ready). */
  | { type: 'go' }
  /** Stop starting visits and drain, as the end of the duration would. */
  | { type: 'stop'; reason: 'interrupted' | 'threshold' }
  /** Stop at once: abort what is in flight (a second Ctrl-C). */
  | { type: 'stop-now' };

/** A failed hit as the debug log records it: class or status only. */
export interface FailedHit {
  tracker: string;
  method: string;
  errorClass?: string;
  status?: number;
}

export type FromRunThread =
  | { type: 'ready' }
  /** The run events since the last post (run-events.ts) and the thread's phase. */
  | { type: 'events'; events?: Float64Array; phase: LiveSnapshot['phase']; pausedUntilMs: number | undefined }
  | { type: 'failed-hit'; hit: FailedHit }
  /** The thread's run is over: its last events and how it ended. */
  | { type: 'done'; events?: Float64Array; info: CloseInfo }
  | { type: 'error'; message: string };
