import { describe, expect, it } from 'vitest';
import { startLive, type LiveOptions } from '../../src/engine/live.js';
import { RunMetrics } from '../../src/report/metrics.js';
import type { TimeseriesRow } from '../../src/report/summary.js';
import { hitPacer, maxPacer, visitPacer } from '../../src/schedule/arrivals.js';
import { constantShape, stagesShape } from '../../src/schedule/rate-shape.js';
import { ManualClock } from '../../src/time/clock.js';
import { MemoryTransport, type MemoryTransportOptions } from '../../src/transport/memory.js';
import { advanceBy, fakeSource, lateClock, settle, visitOf } from '../helpers/engine-source.js';

function setup(
  options: Partial<LiveOptions> & { transport?: MemoryTransportOptions; targets?: string[] } = {},
  clock = new ManualClock(),
) {
  const { transport: script, targets, ...rest } = options;
  const transport = new MemoryTransport({ clock, ...script });
  const rows: TimeseriesRow[] = [];
  const metrics = new RunMetrics(targets ?? ['main'], (row) => rows.push(row));
  const run = startLive({
    clock,
    transport,
    source: fakeSource({}),
    pacer: visitPacer(constantShape(10)),
    concurrency: 10,
    metrics,
    graceMs: 10_000,
    ...rest,
  });
  return { clock, transport, metrics, run, rows };
}

describe('open-model dispatch', () => {
  it('starts one visit per due arrival and stops at the duration', async () => {
    const { clock, transport, run } = setup({ stop: { durationMs: 2000 } });
    await advanceBy(clock, 2000);
    const summary = await run.done;
    // Arrivals at 0, 100, ... 1900 ms; the one due at 2000 falls on the limit.
    expect(summary.visits).toEqual({ planned: 20, started: 20, completed: 20, aborted: 0, dropped: 0 });
    expect(transport.requests.map((r) => visitOf(r.url))).toEqual([...Array(20).keys()]);
    expect(summary.stopReason).toBe('duration');
    expect(summary.rate.ratio).toBe(1);
    expect(summary.rate.achievedVisitsPerDay).toBe(864_000);
  });

  it('drops and counts arrivals that find every slot busy, without consuming a visit index', async () => {
    // 10 visits/s, one hit each answered after 250 ms, 2 slots: arrivals at 200, 500 and 800 ms
    // find both slots busy (the visits started at 0/100, 300/400 and 600/700 are still in flight).
    const { clock, transport, run } = setup({
      concurrency: 2,
      stop: { durationMs: 1000 },
      transport: { respond: () => ({ status: 204, delayMs: 250 }) },
    });
    await advanceBy(clock, 1500, 5);
    const summary = await run.done;
    expect(summary.visits.started).toBe(7);
    expect(summary.visits.dropped).toBe(3);
    expect(summary.visits.planned).toBe(10);
    expect(transport.maxInFlight).toBe(2);
    expect(transport.requests.map((r) => visitOf(r.url))).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(summary.rate.ratio).toBeCloseTo(0.7, 6);
  });

  it('sends a visit’s hits one after another with the real pause between them', async () => {
    const source = fakeSource({ pausesMs: [0, 300, 0, 500] });
    const sentAt: Array<[number, number, number]> = [];
    const clock = new ManualClock();
    const { run } = setup(
      {
        source,
        pacer: visitPacer(constantShape(1)),
        stop: { maxVisits: 1 },
        transport: {
          respond: (req) => {
            sentAt.push([visitOf(req.url), Number(/h=(\d)/.exec(req.url)?.[1]), clock.monotonic()]);
            return { status: 204, delayMs: 20 };
          },
        },
      },
      clock,
    );
    await advanceBy(clock, 2000, 5);
    await run.done;
    // Each hit waits for the previous answer (20 ms) plus its pause.
    expect(sentAt).toEqual([
      [0, 0, 0],
      [0, 1, 320],
      [0, 2, 340],
      [0, 3, 860],
    ]);
  });

  it('with --rps paces visit starts from scheduled hits so hits/s is on target from the first second', async () => {
    // 3-hit visits with 1 s pauses at 10 hits/s: a visit-count pacer would send 3.3 hits in the
    // first second; the hit pacer starts 10 visits, then lets their later hits fill seconds 2 and 3.
    const { clock, run, rows } = setup({
      source: fakeSource({ pausesMs: [0, 1000, 1000] }),
      pacer: hitPacer(constantShape(10)),
      stop: { durationMs: 3000 },
    });
    await advanceBy(clock, 3000, 10);
    const summary = await run.done;
    expect(rows.slice(0, 3).map((r) => r.hitsSent)).toEqual([10, 10, 10]);
    expect(summary.visits.started).toBe(10);
    expect(summary.hits.sent).toBe(30);
    expect(summary.rate.unit).toBe('hits-per-second');
    expect(summary.rate.ratio).toBe(1);
  });

  it('measures schedule lag as actual minus intended start', async () => {
    // Same run on a clock whose sleeps end 7 ms late.
    const clock = new ManualClock();
    const transport = new MemoryTransport();
    const late = startLive({
      clock: lateClock(clock, 7),
      transport,
      source: fakeSource({}),
      pacer: visitPacer(constantShape(1)),
      concurrency: 5,
      metrics: new RunMetrics(['main']),
      stop: { maxVisits: 5 },
    });
    await advanceBy(clock, 6000, 1);
    const summary = await late.done;
    // The first arrival is due at once (no sleep, no lag); the next four wake 7 ms late.
    expect(summary.scheduleLagMs?.count).toBe(5);
    // HDR keeps 3 significant digits: 7 ms reads back as 7.00x.
    expect(summary.scheduleLagMs?.max).toBeCloseTo(7, 1);
    expect(summary.scheduleLagMs?.p50).toBeCloseTo(7, 1);
  });
});
