import type { Pacer } from '../schedule/pacer.js';
import type { Clock } from '../time/clock.js';
import type { Transport } from '../transport/transport.js';
import { dispatchMax, dispatchPaced } from './dispatcher.js';
import { liveSnapshot, rateUnit } from './live-snapshot.js';
import type { CloseInfo, LiveSnapshot, RunObserver, StopReason } from './observer.js';
import { RunState } from './run-state.js';
import { timeLimit, type StopConditions } from './stop.js';
import type { VisitSource } from './visit-source.js';

export interface LiveOptions<S> {
  clock: Clock;
  transport: Transport;
  source: VisitSource;
  /** visitPacer/hitPacer (with their Spacing, seeded for Poisson) or maxPacer. */
  pacer: Pacer;
  /** Visit slots: visits in flight at most. */
  concurrency: number;
  /** Told every event of the run; its close() is the run's result (report/metrics.ts RunMetrics). */
  metrics: RunObserver<S>;
  stop?: StopConditions;
  /** How long visits in flight may finish after visits stop starting (default 10 s). */
  graceMs?: number;
  /** First interrupt: stop starting visits, drain within the grace period. */
  signal?: AbortSignal;
  /** Stop at once: abort in-flight requests, still report. */
  hardSignal?: AbortSignal;
  /** Io.interrupts: a count of 2 or more while draining also stops at once (polled every 100 ms). */
  interrupts?: () => number;
  /** Printed in the summary so the run can be repeated. */
  seed?: string | number | null;
}

export interface LiveRun<S> {
  snapshot(): LiveSnapshot;
  /**
   * Stops starting visits and drains, as at the end of the duration (an abortOnFail threshold).
   * False when the run was already stopping for another reason (the first reason wins).
   */
  stop(reason: StopReason): boolean;
  /** The observer's result once the run has drained (for RunMetrics: the summary, thresholds not yet evaluated). */
  done: Promise<S>;
}

const DRAIN_POLL_MS = 100;

/** Starts a live run; never rejects for network trouble (errors are counted, the run goes on). */
export function startLive<S>(options: LiveOptions<S>): LiveRun<S> {
  const stop = options.stop ?? {};
  const run = new RunState(
    options.clock,
    options.transport,
    options.source,
    options.pacer,
    options.metrics,
    stop,
    options.concurrency,
  );
  const done = drive(run, options);
  const stopNow = (reason: StopReason): boolean => {
    if (run.stopping) return false;
    run.requestStop(reason);
    return true;
  };
  return { snapshot: () => snapshotOf(run), stop: stopNow, done };
}

async function drive<S>(run: RunState, options: LiveOptions<S>): Promise<S> {
  const detach = watchSignals(run, options);
  // Paced runs end on the schedule (dispatchPaced); only --rps max needs a timer.
  const limit = run.pacer.kind === 'max' ? timeLimit(run.stop) : undefined;
  const timer = new AbortController();
  if (limit) {
    run.clock.sleep(limit.limitMs, timer.signal).then(
      () => run.requestStop(limit.reason, limit.limitMs),
      () => undefined,
    );
  }
  try {
    if (run.pacer.kind === 'max') {
      const workers = dispatchMax(run);
      await Promise.race([stopped(run), workers]);
      await drain(run, options);
      await workers;
    } else {
      await dispatchPaced(run, run.pacer);
      await drain(run, options);
    }
  } catch (error) {
    // A bug in a source or pacer: stop what is in flight rather than leave it running.
    run.hard.abort(error);
    throw error;
  } finally {
    timer.abort();
    detach();
  }
  run.phase = 'done';
  return options.metrics.close(closeInfo(run, options));
}

function stopped(run: RunState): Promise<void> {
  const signal = run.stopStarting.signal;
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/** Visits in flight may finish within the grace period; then, or on a second signal, abort them. */
async function drain(run: RunState, options: LiveOptions<unknown>): Promise<void> {
  run.phase = 'draining';
  const grace = options.graceMs ?? 10_000;
  const deadline = run.elapsed() + grace;
  const idle = run.slots.idle();
  let isIdle = false;
  void idle.then(() => void (isIdle = true));
  while (!isIdle && !run.hard.signal.aborted) {
    const left = deadline - run.elapsed();
    if (left <= 0) break;
    if (options.interrupts && options.interrupts() >= 2) {
      run.abortAll('interrupted-twice');
      break;
    }
    const step = options.interrupts ? Math.min(left, DRAIN_POLL_MS) : left;
    await Promise.race([idle, run.clock.sleep(step, run.hard.signal).catch(() => undefined)]);
  }
  if (!isIdle) {
    if (!run.hard.signal.aborted) run.hard.abort(new Error('grace period over'));
    await idle;
  }
}

function watchSignals(run: RunState, options: LiveOptions<unknown>): () => void {
  const { signal, hardSignal } = options;
  const onSoft = (): void => {
    if (options.interrupts && options.interrupts() >= 2) run.abortAll('interrupted-twice');
    else run.requestStop('interrupted');
  };
  const onHard = (): void => run.abortAll('interrupted-twice');
  if (signal?.aborted) onSoft();
  else signal?.addEventListener('abort', onSoft, { once: true });
  if (hardSignal?.aborted) onHard();
  else hardSignal?.addEventListener('abort', onHard, { once: true });
  return () => {
    signal?.removeEventListener('abort', onSoft);
    hardSignal?.removeEventListener('abort', onHard);
  };
}

function scheduleElapsed(run: RunState, atMs: number): number {
  return Math.max(0, atMs - run.pausedMs);
}

function closeInfo(run: RunState, options: LiveOptions<unknown>): CloseInfo {
  const durationMs = run.elapsed();
  const windowMs = run.windowEndMs ?? durationMs;
  const pacer = run.pacer;
  const active = scheduleElapsed(run, windowMs);
  return {
    seed: options.seed ?? null,
    startedAtMs: run.startedAtWall,
    durationMs,
    stopReason: run.stopReason ?? 'schedule-end',
    concurrency: run.slots.size,
    rate: {
      unit: rateUnit(run.pacer),
      expected: pacer.kind === 'max' ? null : pacer.shape.integral(active),
      windowMs: active,
      pausedMs: run.pausedMs,
    },
  };
}

function snapshotOf(run: RunState): LiveSnapshot {
  const elapsedMs = run.elapsed();
  run.metrics.tick(elapsedMs);
  return liveSnapshot({
    counters: run.metrics.snapshot(),
    pacer: run.pacer,
    stop: run.stop,
    elapsedMs,
    scheduleMs: scheduleElapsed(run, elapsedMs),
    activeMs: scheduleElapsed(run, run.windowEndMs ?? elapsedMs),
    phase: run.phase,
    pausedUntilMs: run.pausedUntilWall,
  });
}
