import { EventEmitter } from 'node:events';
import type { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import type { Config } from '../../../src/config/schema.js';
import type { CloseInfo } from '../../../src/engine/observer.js';
import { runPlan } from '../../../src/engine/run-plan.js';
import { memoryIo } from '../../../src/io.js';
import { RunMetrics } from '../../../src/report/metrics.js';
import { ManualClock } from '../../../src/time/clock.js';
import { EventLog } from '../../../src/workers/run-events.js';
import { startRunThreads, type RunThreadsOptions } from '../../../src/workers/run-pool.js';
import type { FromRunThread, ToRunThread } from '../../../src/workers/run-protocol.js';
import type { RunSummary } from '../../../src/report/summary.js';

/**
 * The main thread's side of run --workers, with stand-in threads (no worker_threads): it starts
 * the run only once every thread is ready, gives each its shard and slots, merges their events,
 * posts the stops, and ends with the run's one summary.
 */
class FakeThread extends EventEmitter {
  readonly received: ToRunThread[] = [];
  terminated = false;
  postMessage(message: ToRunThread): void {
    this.received.push(message);
  }
  terminate(): Promise<number> {
    this.terminated = true;
    return Promise.resolve(0);
  }
  send(message: FromRunThread): void {
    this.emit('message', message);
  }
  types(): string[] {
    return this.received.map((m) => m.type);
  }
}

async function config(values: Record<string, unknown>): Promise<Config> {
  const r = await loadConfig(memoryIo({ argv: [] }), { values: { url: 'http://127.0.0.1:1/matomo.php', seed: 3, ...values }, preset: 'smoke' }, { now: 0 });
  if (!r.config || r.errors.length > 0) throw new Error(JSON.stringify(r.errors));
  return r.config;
}

const INFO: CloseInfo = {
  seed: 3,
  startedAtMs: 0,
  durationMs: 1000,
  stopReason: 'max-visits',
  concurrency: 1,
  rate: { unit: 'max', expected: null, windowMs: 900, pausedMs: 0 },
};

async function setUp(values: Record<string, unknown>, interrupts = 0) {
  const cfg = await config(values);
  const threads: FakeThread[] = [];
  const controller = new AbortController();
  const metrics = new RunMetrics(['t']);
  const options: RunThreadsOptions<RunSummary> = {
    threads: 2,
    config: cfg,
    seed: 3,
    files: {},
    shard: { index: 1, count: 3 },
    plan: runPlan(cfg, 3),
    startEpochMs: 0,
    transport: { insecure: false, headers: {} },
    clock: new ManualClock(),
    metrics,
    signal: controller.signal,
    interrupts: () => interrupts,
    spawn: () => {
      const t = new FakeThread();
      threads.push(t);
      return t as unknown as Worker;
    },
  };
  const started = startRunThreads(options);
  return { threads, controller, metrics, started };
}

/** A thread's events: `visits` visits of one 204 hit each, then its window end. */
function eventsOf(visits: number): Float64Array {
  const log = new EventLog();
  for (let i = 0; i < visits; i++) {
    log.visitStarted(0, undefined);
    log.hit(0, 'pageview', { kind: 'response', status: 204, headers: {}, body: '', latencyMs: 2 }, 10);
    log.visitEnded(0, true);
  }
  log.markWindowEnd();
  return log.take()!;
}

describe('startRunThreads', () => {
  it('starts only when every thread is ready, with its composed shard and share of the slots; merges events into one summary', async () => {
    const { threads, metrics, started } = await setUp({ run: { rps: 'max' }, concurrency: 5 });
    expect(threads).toHaveLength(2);
    const inits = threads.map((t) => t.received[0] as Extract<ToRunThread, { type: 'init' }>);
    expect(inits.map((i) => [i.shard, i.concurrency])).toEqual([
      [{ index: 1, count: 6 }, 3],
      [{ index: 4, count: 6 }, 2],
    ]);
    threads[0]!.send({ type: 'ready' });
    // One thread ready is not enough: no 'go' yet.
    await Promise.resolve();
    expect(threads.map((t) => t.types())).toEqual([['init'], ['init']]);
    threads[1]!.send({ type: 'ready' });
    const live = await started;
    expect(threads.map((t) => t.types())).toEqual([['init', 'go'], ['init', 'go']]);
    threads[0]!.send({ type: 'events', events: eventsOf(3), phase: 'draining', pausedUntilMs: undefined });
    expect(live.snapshot()).toMatchObject({ visitsStarted: 3, hitsSent: 3, phase: 'running' });
    threads[1]!.send({ type: 'events', events: eventsOf(2), phase: 'draining', pausedUntilMs: undefined });
    // Both threads stopped starting visits: the run is draining.
    expect(live.snapshot()).toMatchObject({ visitsStarted: 5, phase: 'draining' });
    expect(live.stop('threshold')).toBe(false);
    threads[0]!.send({ type: 'done', info: { ...INFO, rate: { ...INFO.rate, windowMs: 800 } } });
    threads[1]!.send({ type: 'done', info: INFO });
    const summary = await live.done;
    expect(summary.visits).toMatchObject({ started: 5, completed: 5 });
    expect(summary.hits.ok).toBe(5);
    expect(summary.stopReason).toBe('max-visits');
    expect(summary.concurrency).toBe(5);
    expect(summary.rate.windowMs).toBe(900);
    expect(metrics.snapshot().hitsSent).toBe(5);
    expect(threads.every((t) => t.terminated)).toBe(true);
  });

  it('a crossed threshold is posted to every thread once and is the run stop reason', async () => {
    const { threads, started } = await setUp({ run: { rps: 'max' } });
    for (const t of threads) t.send({ type: 'ready' });
    const live = await started;
    expect(live.stop('threshold')).toBe(true);
    expect(live.stop('threshold')).toBe(false);
    expect(threads.map((t) => t.received.at(-1))).toEqual([
      { type: 'stop', reason: 'threshold' },
      { type: 'stop', reason: 'threshold' },
    ]);
    for (const t of threads) t.send({ type: 'done', events: eventsOf(1), info: { ...INFO, stopReason: 'threshold' } });
    expect((await live.done).stopReason).toBe('threshold');
  });

  it('Ctrl-C drains every thread; when it is already the second, every thread stops at once', async () => {
    const first = await setUp({ run: { rps: 'max' } });
    for (const t of first.threads) t.send({ type: 'ready' });
    const live = await first.started;
    first.controller.abort();
    expect(first.threads.map((t) => t.received.at(-1))).toEqual([
      { type: 'stop', reason: 'interrupted' },
      { type: 'stop', reason: 'interrupted' },
    ]);
    for (const t of first.threads) t.send({ type: 'done', info: { ...INFO, stopReason: 'interrupted' } });
    expect((await live.done).stopReason).toBe('interrupted');

    const twice = await setUp({ run: { rps: 'max' } }, 2);
    for (const t of twice.threads) t.send({ type: 'ready' });
    const hard = await twice.started;
    twice.controller.abort();
    expect(twice.threads.map((t) => t.received.at(-1))).toEqual([{ type: 'stop-now' }, { type: 'stop-now' }]);
    for (const t of twice.threads) t.send({ type: 'done', info: { ...INFO, stopReason: 'interrupted-twice' } });
    expect((await hard.done).stopReason).toBe('interrupted-twice');
  });

  it('a thread that fails while loading or while running fails the run, and every thread is ended', async () => {
    const early = await setUp({});
    early.threads[0]!.send({ type: 'error', message: 'the workload does not load' });
    await expect(early.started).rejects.toThrow(/a run worker thread failed: the workload does not load/);
    expect(early.threads.every((t) => t.terminated)).toBe(true);

    const late = await setUp({});
    for (const t of late.threads) t.send({ type: 'ready' });
    const live = await late.started;
    late.threads[1]!.emit('exit', 1);
    await expect(live.done).rejects.toThrow(/exited \(code 1\) before its run ended/);
    expect(late.threads.every((t) => t.terminated)).toBe(true);
  });
});
