import type { Worker } from 'node:worker_threads';
import type { Config } from '../config/schema.js';
import type { Shard } from '../config/shard.js';
import type { LiveRun } from '../engine/live.js';
import type { CloseInfo, LiveSnapshot, RunObserver, StopReason } from '../engine/observer.js';
import type { RunPlan } from '../engine/run-plan.js';
import { liveSnapshot } from '../engine/live-snapshot.js';
import type { Clock } from '../time/clock.js';
import type { WorkloadFiles } from '../workload/workload.js';
import { replayEvents } from './run-events.js';
import type { FailedHit, FromRunThread, ThreadTransport, ToRunThread } from './run-protocol.js';
import { threadConfig, threadShard, threadSlots } from './run-shard.js';

/**
 * `run --workers N`, the main thread's side: N threads each run the live engine on their shard of
 * the visits (run-thread.ts) and post their events; this replays them into the run's one observer
 * (the RunMetrics the single-thread run uses), so progress, the Prometheus figures, the abortOnFail
 * checks, the timeseries, the report and the summary are made here exactly as with one thread.
 * Stops go the other way: Ctrl-C, a second Ctrl-C and a crossed threshold are posted to every
 * thread. The handle it returns is the engine's (LiveRun), so the command drives both alike.
 */
export interface RunThreadsOptions<S> {
  threads: number;
  config: Config;
  seed: string | number;
  files: WorkloadFiles;
  /** The process's own --shard, if any: the threads split it (run-shard.ts). */
  shard: Shard | undefined;
  plan: RunPlan;
  startEpochMs: number;
  transport: ThreadTransport;
  clock: Clock;
  metrics: RunObserver<S>;
  signal: AbortSignal;
  interrupts: () => number;
  /** Starts one thread running this program in its run role (spawn.ts). */
  spawn: () => Worker;
  /** --log-level debug: a thread's failed hit. */
  onFailedHit?: (hit: FailedHit) => void;
}

/** How often a second Ctrl-C is looked for while draining (the engine's own poll). */
const INTERRUPT_POLL_MS = 100;

interface ThreadState {
  worker: Worker;
  phase: LiveSnapshot['phase'];
  pausedUntilMs: number | undefined;
  info?: CloseInfo;
}

/** Starts the threads, waits until each has loaded its workload, then starts them together. */
export async function startRunThreads<S>(options: RunThreadsOptions<S>): Promise<LiveRun<S>> {
  const { config, clock, metrics } = options;
  const count = options.threads;
  const threads: ThreadState[] = [];
  let windowEnds = 0;
  let reason: StopReason | undefined;
  let finished = false;
  let fail: (error: Error) => void = () => undefined;
  let allDone: () => void = () => undefined;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => undefined);
  const done = new Promise<void>((resolve) => (allDone = resolve));
  let readyCount = 0;
  let allReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (allReady = resolve));

  const onMessage = (t: ThreadState, message: FromRunThread): void => {
    switch (message.type) {
      case 'ready':
        if (++readyCount === count) allReady();
        break;
      case 'events':
        if (message.events) windowEnds += replayEvents(message.events, metrics);
        if (windowEnds >= count) metrics.markWindowEnd();
        t.phase = message.phase;
        t.pausedUntilMs = message.pausedUntilMs;
        break;
      case 'failed-hit':
        options.onFailedHit?.(message.hit);
        break;
      case 'done':
        if (message.events) windowEnds += replayEvents(message.events, metrics);
        if (windowEnds >= count) metrics.markWindowEnd();
        t.phase = 'done';
        t.info = message.info;
        if (threads.every((s) => s.info)) allDone();
        break;
      case 'error':
        fail(new Error(`a run worker thread failed: ${message.message}`));
        break;
    }
  };
  for (let k = 0; k < count; k++) {
    const t: ThreadState = { worker: options.spawn(), phase: 'running', pausedUntilMs: undefined };
    threads.push(t);
    t.worker.on('message', (message: FromRunThread) => onMessage(t, message));
    t.worker.on('error', (error) => fail(error));
    t.worker.on('exit', (code) => {
      if (!t.info) fail(new Error(`a run worker thread exited (code ${code}) before its run ended`));
    });
    const init: ToRunThread = {
      type: 'init',
      config: threadConfig(config, k, count),
      seed: options.seed,
      files: options.files,
      shard: threadShard(options.shard, k, count),
      concurrency: threadSlots(config.concurrency, k, count),
      startEpochMs: options.startEpochMs,
      transport: options.transport,
      debug: options.onFailedHit !== undefined,
    };
    t.worker.postMessage(init);
  }
  const terminate = (): Promise<unknown> => Promise.all(threads.map((t) => t.worker.terminate()));
  try {
    await Promise.race([ready, failed]);
  } catch (error) {
    await terminate();
    throw error;
  }

  const postAll = (message: ToRunThread): void => {
    for (const t of threads) if (!t.info) t.worker.postMessage(message);
  };
  const stopping = (): boolean => reason !== undefined || windowEnds >= count;
  const t0 = clock.monotonic();
  const startedAtWall = clock.now();
  postAll({ type: 'go' });

  // Ctrl-C: stop starting visits and drain; a second one stops at once (as engine/live.ts does).
  let poll: ReturnType<typeof setInterval> | undefined;
  const stopNow = (): void => {
    clearInterval(poll);
    if (reason === 'interrupted') reason = 'interrupted-twice';
    postAll({ type: 'stop-now' });
  };
  const onSoft = (): void => {
    if (options.interrupts() >= 2) {
      reason ??= 'interrupted';
      return stopNow();
    }
    if (!stopping()) reason = 'interrupted';
    postAll({ type: 'stop', reason: 'interrupted' });
    poll = setInterval(() => {
      if (options.interrupts() >= 2) stopNow();
    }, INTERRUPT_POLL_MS);
  };
  if (options.signal.aborted) onSoft();
  else options.signal.addEventListener('abort', onSoft, { once: true });

  const elapsed = (): number => clock.monotonic() - t0;
  const result = Promise.race([done, failed])
    .then(() => {
      finished = true;
      const info = combine(threads.map((t) => t.info as CloseInfo), {
        seed: options.seed,
        startedAtMs: startedAtWall,
        durationMs: elapsed(),
        concurrency: config.concurrency,
        reason,
      });
      return metrics.close(info);
    })
    .finally(async () => {
      clearInterval(poll);
      options.signal.removeEventListener('abort', onSoft);
      await terminate();
    });

  return {
    snapshot: () => snapshotOf(options, threads, elapsed(), finished, stopping()),
    stop(why) {
      if (stopping() || finished) return false;
      reason = why;
      postAll({ type: 'stop', reason: 'threshold' });
      return true;
    },
    done: result,
  };
}

/**
 * The run's end from each thread's: the threads share one schedule, so they agree on its unit and
 * expected count; the window is the longest (each ends where its own visits stopped starting); the
 * reason is the main thread's when it stopped the run (Ctrl-C, a threshold), else the threads'.
 */
export function combine(
  infos: readonly CloseInfo[],
  run: { seed: string | number; startedAtMs: number; durationMs: number; concurrency: number; reason: StopReason | undefined },
): CloseInfo {
  const first = infos[0];
  if (!first) throw new Error('no thread ended');
  const widest = infos.reduce((a, b) => (b.rate.windowMs > a.rate.windowMs ? b : a));
  const twice = infos.some((i) => i.stopReason === 'interrupted-twice');
  const reason = run.reason === 'interrupted' && twice ? 'interrupted-twice' : (run.reason ?? first.stopReason);
  return {
    seed: run.seed,
    startedAtMs: run.startedAtMs,
    durationMs: Math.max(run.durationMs, ...infos.map((i) => i.durationMs)),
    stopReason: reason,
    concurrency: run.concurrency,
    rate: { ...widest.rate },
  };
}

function snapshotOf(
  options: RunThreadsOptions<unknown>,
  threads: readonly ThreadState[],
  elapsedMs: number,
  finished: boolean,
  stopping: boolean,
): LiveSnapshot {
  const { metrics, plan } = options;
  metrics.tick(elapsedMs);
  const lead = threads[0];
  const paused = lead?.phase === 'paused';
  return liveSnapshot({
    counters: metrics.snapshot(),
    pacer: plan.pacer,
    stop: plan.stop,
    elapsedMs,
    scheduleMs: elapsedMs,
    activeMs: elapsedMs,
    phase: finished ? 'done' : stopping ? 'draining' : paused ? 'paused' : 'running',
    pausedUntilMs: lead?.pausedUntilMs,
  });
}
