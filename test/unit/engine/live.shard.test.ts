import { describe, expect, it } from 'vitest';
import { startLive } from '../../../src/engine/live.js';
import type { VisitSource } from '../../../src/engine/visit-source.js';
import { RunMetrics } from '../../../src/report/metrics.js';
import { hitPacer, maxPacer, visitPacer, type ArrivalPacer, type MaxPacer } from '../../../src/schedule/pacer.js';
import { constantShape } from '../../../src/schedule/rate-shape.js';
import { ManualClock } from '../../../src/time/clock.js';
import { MemoryTransport } from '../../../src/transport/memory.js';
import { advanceBy, fakeSource, visitOf } from '../../helpers/engine-source.js';

/**
 * A shard of a live run (--shard): the arrival schedule is the unsharded one, and the shard starts
 * only the visits it owns, each at its own arrival time; another shard's arrival is neither
 * waited for, nor started, nor dropped.
 */
function shardRun(
  shard: number,
  count: number,
  pacer: () => ArrivalPacer | MaxPacer,
  stop: { durationMs?: number; maxVisits?: number; dailyCap?: { cap: number; timezone: string } },
  clock = new ManualClock(),
) {
  const sentAt: Array<[number, number]> = [];
  const transport = new MemoryTransport({
    clock,
    respond: (req) => {
      sentAt.push([visitOf(req.url), clock.monotonic()]);
      return { status: 204 };
    },
  });
  const source: VisitSource = { ...fakeSource({ pausesMs: [0, 50] }), owns: (index) => index % count === shard };
  const run = startLive({
    clock,
    transport,
    source,
    pacer: pacer(),
    concurrency: 10,
    metrics: new RunMetrics(['main']),
    graceMs: 10_000,
    stop,
  });
  return { clock, run, sentAt };
}

describe('a shard of a live run', () => {
  it.each([
    ['visits/s', () => visitPacer(constantShape(10))],
    ['hits/s', () => hitPacer(constantShape(20))],
  ])('%s: the shards together start every visit of the unsharded schedule once, each at its unsharded time', async (_name, pacer) => {
    const whole = shardRun(0, 1, pacer, { durationMs: 2000 });
    await advanceBy(whole.clock, 2500);
    const all = await whole.run.done;
    const firstHits = (sent: Array<[number, number]>): Map<number, number> => {
      const m = new Map<number, number>();
      for (const [v, at] of sent) if (!m.has(v)) m.set(v, at);
      return m;
    };
    const expected = firstHits(whole.sentAt);
    const union = new Map<number, number>();
    let started = 0;
    for (const shard of [0, 1, 2]) {
      const part = shardRun(shard, 3, pacer, { durationMs: 2000 });
      await advanceBy(part.clock, 2500);
      const summary = await part.run.done;
      expect(summary.visits.dropped).toBe(0);
      started += summary.visits.started;
      for (const [v, at] of firstHits(part.sentAt)) {
        expect(v % 3).toBe(shard);
        expect(union.has(v)).toBe(false);
        union.set(v, at);
      }
    }
    expect(started).toBe(all.visits.started);
    expect([...union].sort((a, b) => a[0] - b[0])).toEqual([...expected].sort((a, b) => a[0] - b[0]));
  });

  it('--max-visits counts the unsharded visits: 7 over 3 shards start 3 + 2 + 2', async () => {
    const started: number[][] = [];
    for (const shard of [0, 1, 2]) {
      const part = shardRun(shard, 3, () => visitPacer(constantShape(10)), { maxVisits: 7 });
      await advanceBy(part.clock, 1500);
      await part.run.done;
      started.push([...new Set(part.sentAt.map(([v]) => v))]);
    }
    expect(started).toEqual([[0, 3, 6], [1, 4], [2, 5]]);
  });

  it('--rps max: a shard starts only its visits, up to the unsharded --max-visits', async () => {
    const part = shardRun(1, 2, () => maxPacer, { maxVisits: 9 });
    await advanceBy(part.clock, 500);
    await part.run.done;
    expect([...new Set(part.sentAt.map(([v]) => v))].sort((a, b) => a - b)).toEqual([1, 3, 5, 7]);
  });

  it('the daily cap counts the unsharded visits: every shard pauses at the same arrival', async () => {
    // 23:59:00 in Stockholm: a cap of 5 visits a day at 1 visit/s, midnight 60 s away.
    const started: number[][] = [];
    for (const shard of [0, 1]) {
      const part = shardRun(shard, 2, () => visitPacer(constantShape(1)), { durationMs: 70_000, dailyCap: { cap: 5, timezone: 'Europe/Stockholm' } }, new ManualClock(Date.UTC(2026, 0, 1, 22, 59, 0)));
      await advanceBy(part.clock, 71_000, 100);
      await part.run.done;
      started.push([...new Set(part.sentAt.map(([v]) => v))]);
    }
    // Visits 0-4 before midnight, 5-9 after it, as the unsharded run starts them.
    expect(started).toEqual([[0, 2, 4, 6, 8], [1, 3, 5, 7, 9]]);
  });
});
