import type { Config } from '../config/schema.js';
import type { Shard } from '../config/shard.js';
import type { LiveRun } from '../engine/live.js';
import type { RunPlan } from '../engine/run-plan.js';
import type { RunObserver } from '../engine/observer.js';
import type { Io } from '../io.js';
import type { Clock } from '../time/clock.js';
import type { UndiciTransportOptions } from '../transport/undici.js';
import type { FailedHit } from '../workers/run-protocol.js';
import { workloadFiles } from './workload.js';

/**
 * run --workers: how many threads send, and starting them (workers/run-pool.ts). One thread makes
 * no pool: the run goes on the main thread as it always did.
 */

/**
 * The threads a run uses. Unset, one: a paced run of up to a few thousand hits/s leaves one thread
 * mostly idle, and every thread plans the whole schedule (an --rps N schedule needs each visit's
 * pauses), so extra threads only pay off at full speed; docs/run.md says when to ask for them.
 * Never more threads than visit slots: each thread needs one (nor, at --rps max, than the daily cap).
 */
export function runThreads(config: Config): number {
  // At --rps max the daily cap is split between the threads (workers/run-shard.ts): one each at least.
  const cappedMax = config.run.rps === 'max' && config.dailyCap > 0 ? config.dailyCap : Infinity;
  return Math.max(1, Math.min(config.workers ?? 1, config.concurrency, cappedMax));
}

export interface ThreadedRun<S> {
  io: Io;
  threads: number;
  config: Config;
  seed: string | number;
  shard: Shard | undefined;
  plan: RunPlan;
  startEpochMs: number;
  transport: UndiciTransportOptions;
  clock: Clock;
  metrics: RunObserver<S>;
  onFailedHit?: (hit: FailedHit) => void;
}

/** Starts the threads (they load the workload) and then the run; resolves when it is under way. */
export async function startThreadedRun<S>(run: ThreadedRun<S>): Promise<LiveRun<S>> {
  const [{ startRunThreads }, { spawnWorker }] = await Promise.all([import('../workers/run-pool.js'), import('../workers/spawn.js')]);
  const { clock: _clock, connections: _connections, captureResponse: _capture, ...transport } = run.transport;
  return startRunThreads({
    threads: run.threads,
    config: run.config,
    seed: run.seed,
    files: await workloadFiles(run.io, run.config),
    shard: run.shard,
    plan: run.plan,
    startEpochMs: run.startEpochMs,
    transport,
    clock: run.clock,
    metrics: run.metrics,
    signal: run.io.signal,
    interrupts: () => run.io.interrupts(),
    spawn: () => spawnWorker('run'),
    ...(run.onFailedHit ? { onFailedHit: run.onFailedHit } : {}),
  });
}
