import { describe, expect, it } from 'vitest';
import { startLive, type LiveOptions } from '../../../src/engine/live.js';
import { RunMetrics } from '../../../src/report/metrics.js';
import type { RunSummary, TimeseriesRow } from '../../../src/report/summary.js';
import { hitPacer, maxPacer, visitPacer } from '../../../src/schedule/pacer.js';
import { constantShape, stagesShape } from '../../../src/schedule/rate-shape.js';
import { ManualClock } from '../../../src/time/clock.js';
import { MemoryTransport, type MemoryTransportOptions } from '../../../src/transport/memory.js';
import { advanceBy, fakeSource, lateClock, settle, visitOf } from '../../helpers/engine-source.js';

function setup(
  options: Partial<Omit<LiveOptions<RunSummary>, 'transport'>> & { script?: MemoryTransportOptions; targets?: string[] } = {},
  clock = new ManualClock(),
) {
  const { script, targets, ...rest } = options;
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
      script: { respond: () => ({ status: 204, delayMs: 250 }) },
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
        script: {
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

  it('keeps a visit’s hits strictly sequential under load', async () => {
    const inFlightPerVisit = new Map<number, number>();
    let overlap = 0;
    const clock = new ManualClock();
    const transport = new MemoryTransport({ clock, respond: () => ({ status: 204, delayMs: 15 }) });
    const original = transport.send.bind(transport);
    transport.send = async (req, signal) => {
      const v = visitOf(req.url);
      const n = (inFlightPerVisit.get(v) ?? 0) + 1;
      inFlightPerVisit.set(v, n);
      if (n > 1) overlap += 1;
      const outcome = await original(req, signal);
      inFlightPerVisit.set(v, (inFlightPerVisit.get(v) ?? 1) - 1);
      return outcome;
    };
    const run = startLive({
      clock,
      transport,
      source: fakeSource({ pausesMs: [0, 0, 0, 0, 0] }),
      pacer: visitPacer(constantShape(50)),
      concurrency: 20,
      metrics: new RunMetrics(['main']),
      stop: { durationMs: 1000 },
    });
    await advanceBy(clock, 1200, 1);
    const summary = await run.done;
    expect(summary.hits.sent).toBe(250);
    expect(overlap).toBe(0);
  });
});

describe('stop conditions', () => {
  it('stops after exactly --max-visits visits started', async () => {
    const { clock, transport, run } = setup({ stop: { maxVisits: 7, durationMs: 60_000 } });
    await advanceBy(clock, 1000);
    const summary = await run.done;
    expect(summary.stopReason).toBe('max-visits');
    expect(summary.visits.started).toBe(7);
    expect(transport.requests).toHaveLength(7);
    // Seven arrivals fill [0, 700 ms): the rate is measured over that window, not 600 ms.
    expect(summary.rate.windowMs).toBe(700);
    expect(summary.rate.ratio).toBe(1);
  });

  it('reports auto-stop when it comes before the duration', async () => {
    const { clock, run } = setup({ stop: { durationMs: 5000, autoStopMs: 1000 } });
    await advanceBy(clock, 1000);
    const summary = await run.done;
    expect(summary.stopReason).toBe('auto-stop');
    expect(summary.visits.started).toBe(10);
  });

  it('ends with the last stage of a ramp', async () => {
    // 0 -> 20 visits/s over 1 s, then 20 -> 0 over 1 s: 20 arrivals in all.
    const { clock, run } = setup({
      pacer: visitPacer(
        stagesShape([
          { durationMs: 1000, target: 20 },
          { durationMs: 1000, target: 0 },
        ]),
      ),
    });
    await advanceBy(clock, 2100);
    const summary = await run.done;
    expect(summary.stopReason).toBe('schedule-end');
    expect(summary.visits.started).toBe(20);
  });

  it('ends when the source has no more visits', async () => {
    const { clock, run } = setup({ source: fakeSource({ limit: 3 }) });
    await advanceBy(clock, 500);
    const summary = await run.done;
    expect(summary.stopReason).toBe('source-end');
    expect(summary.visits.started).toBe(3);
  });

  it('on the first signal stops starting visits and lets visits in flight finish', async () => {
    const interrupt = new AbortController();
    const { clock, transport, run } = setup({
      source: fakeSource({ pausesMs: [0, 2000, 2000] }),
      signal: interrupt.signal,
      concurrency: 100,
    });
    await advanceBy(clock, 1000);
    interrupt.abort();
    await settle();
    expect(run.snapshot().phase).toBe('draining');
    await advanceBy(clock, 5000, 20);
    const summary = await run.done;
    expect(summary.stopReason).toBe('interrupted');
    // Arrivals at 0, 100, ... 1000 ms: the last fell due as the clock reached 1000.
    expect(summary.visits.started).toBe(11);
    expect(summary.visits.completed).toBe(11);
    expect(summary.hits.sent).toBe(33);
    expect(transport.requests).toHaveLength(33);
    // Visits started in the first second only: the rate window ends at the signal.
    expect(summary.rate.windowMs).toBe(1000);
  });

  it('aborts visits still in flight when the grace period ends', async () => {
    const interrupt = new AbortController();
    const { clock, run } = setup({
      source: fakeSource({ pausesMs: [0, 2000, 2000] }),
      signal: interrupt.signal,
      graceMs: 2500,
    });
    await advanceBy(clock, 1000);
    interrupt.abort();
    await advanceBy(clock, 3000, 20);
    const summary = await run.done;
    // Visit k started at k*100 ms: its third hit at k*100 + 4000 is past 1000 + 2500 for all.
    expect(summary.visits.started).toBe(10);
    expect(summary.visits.completed).toBe(0);
    expect(summary.visits.aborted).toBe(10);
    expect(summary.hits.sent).toBe(20);
  });

  it('on a second signal aborts requests in flight at once and still reports them', async () => {
    const interrupt = new AbortController();
    const second = new AbortController();
    const { clock, run } = setup({
      signal: interrupt.signal,
      hardSignal: second.signal,
      script: { respond: () => ({ status: 204, delayMs: 60_000 }) },
    });
    await advanceBy(clock, 450);
    interrupt.abort();
    await settle();
    second.abort();
    await settle();
    const summary = await run.done;
    expect(summary.stopReason).toBe('interrupted-twice');
    expect(summary.visits.started).toBe(5);
    expect(summary.hits.aborted).toBe(5);
    expect(summary.hits.failed).toBe(0);
    expect(summary.visits.aborted).toBe(5);
  });

  it('treats interrupts() reaching 2 while draining as a stop at once', async () => {
    const interrupt = new AbortController();
    let count = 0;
    const { clock, run } = setup({
      signal: interrupt.signal,
      interrupts: () => count,
      script: { respond: () => ({ status: 204, delayMs: 60_000 }) },
    });
    await advanceBy(clock, 250);
    count = 1;
    interrupt.abort();
    await advanceBy(clock, 200);
    count = 2;
    await advanceBy(clock, 200);
    const summary = await run.done;
    expect(summary.stopReason).toBe('interrupted-twice');
    expect(summary.hits.aborted).toBe(3);
    expect(summary.durationMs).toBeLessThan(1000);
  });

  it('pauses at the daily cap until the next local midnight and says so', async () => {
    // 23:59:00 in Stockholm (CET, UTC+1): local midnight is 60 s away.
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 22, 59, 0));
    const { run } = setup(
      {
        pacer: visitPacer(constantShape(1)),
        stop: { durationMs: 70_000, dailyCap: { cap: 3, timezone: 'Europe/Stockholm' } },
      },
      clock,
    );
    await advanceBy(clock, 3000, 100);
    const paused = run.snapshot();
    expect(paused.phase).toBe('paused');
    expect(paused.pausedUntilMs).toBe(Date.UTC(2026, 0, 1, 23, 0, 0));
    expect(paused.visitsStarted).toBe(3);
    await advanceBy(clock, 67_000, 100);
    const summary = await run.done;
    // 3 visits before midnight, 3 after (60, 61, 62 s), then paused again until the run ends.
    expect(summary.visits.started).toBe(6);
    expect(summary.rate.pausedMs).toBe(57_000 + 7_000);
    expect(summary.rate.ratio).toBe(1);
  });
});

describe('--rps max', () => {
  it('keeps every slot busy, drops nothing and stops at max visits', async () => {
    const { clock, transport, run } = setup({
      pacer: maxPacer,
      concurrency: 3,
      stop: { maxVisits: 10 },
      source: fakeSource({ hits: 2 }),
      script: { respond: () => ({ status: 204, delayMs: 10 }) },
    });
    await advanceBy(clock, 200, 1);
    const summary = await run.done;
    expect(summary.visits.started).toBe(10);
    expect(summary.visits.dropped).toBe(0);
    expect(transport.requests).toHaveLength(20);
    expect(transport.maxInFlight).toBe(3);
    expect(summary.scheduleLagMs).toBeNull();
    expect(summary.rate.ratio).toBeNull();
    expect([...new Set(transport.requests.map((r) => visitOf(r.url)))].sort((a, b) => a - b)).toEqual([
      ...Array(10).keys(),
    ]);
  });
});
