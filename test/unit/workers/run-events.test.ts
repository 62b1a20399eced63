import { describe, expect, it } from 'vitest';
import type { CloseInfo } from '../../../src/engine/observer.js';
import type { HitType } from '../../../src/journey/visit.js';
import { seeded } from '../../../src/random/rng.js';
import { RunMetrics } from '../../../src/report/metrics.js';
import type { NetworkErrorClass, Outcome } from '../../../src/transport/transport.js';
import { EventLog, replayEvents } from '../../../src/workers/run-events.js';
import { combine } from '../../../src/workers/run-pool.js';

/**
 * run --workers: the threads' events, carried as numbers and replayed into the main thread's one
 * RunMetrics, make the summary a single thread seeing the same events makes: every count, status,
 * error class and HDR histogram (so every percentile) the same.
 */
const TYPES: HitType[] = ['pageview', 'search', 'outlink', 'download', 'event', 'ecommerce', 'ping', 'cart', 'goal'];
const CLASSES: NetworkErrorClass[] = ['timeout', 'refused', 'reset', 'dns', 'tls', 'other'];
const INFO: CloseInfo = {
  seed: 1,
  startedAtMs: 1_700_000_000_000,
  durationMs: 5000,
  stopReason: 'max-visits',
  concurrency: 4,
  rate: { unit: 'max', expected: null, windowMs: 4900, pausedMs: 0 },
};

type Event = (into: { visitStarted: RunMetrics['visitStarted']; visitEnded: RunMetrics['visitEnded']; dropped: RunMetrics['dropped']; hit: RunMetrics['hit']; hitAborted: RunMetrics['hitAborted'] }) => void;

/** A seeded stream of every kind of event, each for one of `threads` threads, in time order. */
function events(threads: number, n: number): Array<{ thread: number; event: Event }> {
  const rng = seeded(11);
  const out: Array<{ thread: number; event: Event }> = [];
  for (let i = 0; i < n; i++) {
    const thread = Math.floor(rng.next() * threads);
    const target = Math.floor(rng.next() * 2);
    const type = TYPES[Math.floor(rng.next() * TYPES.length)]!;
    const at = (i / n) * 4900;
    const latency = Math.round(rng.next() * 300_000) / 1000;
    const r = rng.next();
    let event: Event;
    if (r < 0.1) event = (m) => m.visitStarted(target, rng.next() < 0.5 ? undefined : latency);
    else if (r < 0.2) event = (m) => m.visitEnded(target, latency > 10);
    else if (r < 0.25) event = (m) => m.dropped(target, at);
    else if (r < 0.27) event = (m) => m.hitAborted(target, type);
    else if (r < 0.35) {
      const errorClass = CLASSES[Math.floor(latency) % CLASSES.length]!;
      const outcome: Outcome = { kind: 'error', errorClass, message: 'token_auth=SECRET', latencyMs: latency, mayHaveBeenProcessed: true };
      event = (m) => m.hit(target, type, outcome, at);
    } else {
      const status = [204, 204, 204, 200, 400, 500, 302][Math.floor(latency) % 7]!;
      const outcome: Outcome = { kind: 'response', status, headers: {}, body: '', latencyMs: latency };
      event = (m) => m.hit(target, type, outcome, at);
    }
    out.push({ thread, event });
  }
  return out;
}

describe('EventLog and replayEvents', () => {
  it('two threads flushed every 50 events make the summary one thread makes, histograms included', () => {
    const stream = events(2, 5000);
    const direct = new RunMetrics(['a', 'b']);
    const merged = new RunMetrics(['a', 'b']);
    const logs = [new EventLog(), new EventLog()];
    let windowEnds = 0;
    stream.forEach(({ thread, event }, i) => {
      event(direct);
      event(logs[thread]!);
      if (i % 50 === 49) for (const log of logs) windowEnds += replayEvents(log.take() ?? new Float64Array(), merged);
    });
    for (const log of logs) log.markWindowEnd();
    for (const log of logs) windowEnds += replayEvents(log.take() ?? new Float64Array(), merged);
    expect(windowEnds).toBe(2);
    direct.markWindowEnd();
    merged.markWindowEnd();
    expect(merged.snapshot()).toEqual(direct.snapshot());
    const want = direct.close(INFO);
    const got = merged.close(INFO);
    expect(got).toEqual(want);
    expect(got.hits.sent).toBeGreaterThan(3000);
    expect(JSON.stringify(got)).not.toContain('SECRET');
  });

  it('take() hands over each event once and nothing when there is none', () => {
    const log = new EventLog();
    expect(log.take()).toBeUndefined();
    for (let i = 0; i < 3000; i++) log.visitStarted(0, i);
    const first = log.take()!;
    const into = new RunMetrics(['a']);
    replayEvents(first, into);
    expect(into.snapshot().visitsStarted).toBe(3000);
    expect(log.take()).toBeUndefined();
    expect(log.snapshot()).toMatchObject({ visitsStarted: 3000, visitsInFlight: 3000 });
  });
});

describe('combine', () => {
  const info = (over: Partial<CloseInfo> & { windowMs?: number }): CloseInfo => ({
    ...INFO,
    ...over,
    rate: { ...INFO.rate, ...(over.windowMs !== undefined ? { windowMs: over.windowMs } : {}) },
  });
  const run = { seed: 1, startedAtMs: 5, durationMs: 6000, concurrency: 8, reason: undefined };

  it.each([
    { infos: [info({ windowMs: 900 }), info({ windowMs: 1000 })], reason: undefined, want: { stopReason: 'max-visits', windowMs: 1000 }, why: 'the threads reason; the widest window' },
    { infos: [info({ stopReason: 'interrupted' }), info({ stopReason: 'interrupted' })], reason: 'threshold', want: { stopReason: 'threshold', windowMs: 4900 }, why: 'the main thread stopped it: its reason' },
    { infos: [info({ stopReason: 'interrupted-twice' }), info({ stopReason: 'interrupted' })], reason: 'interrupted', want: { stopReason: 'interrupted-twice', windowMs: 4900 }, why: 'a second Ctrl-C shows' },
  ] as const)('$why', ({ infos, reason, want }) => {
    const got = combine(infos, { ...run, reason });
    expect(got.stopReason).toBe(want.stopReason);
    expect(got.rate.windowMs).toBe(want.windowMs);
    expect(got.concurrency).toBe(8);
    expect(got.durationMs).toBe(6000);
  });
});
