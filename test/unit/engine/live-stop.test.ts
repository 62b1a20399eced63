import { describe, expect, it } from 'vitest';
import { startLive } from '../../../src/engine/live.js';
import { RunMetrics } from '../../../src/report/metrics.js';
import { AbortWatch } from '../../../src/report/threshold-abort.js';
import { visitPacer } from '../../../src/schedule/pacer.js';
import { constantShape } from '../../../src/schedule/rate-shape.js';
import { ManualClock } from '../../../src/time/clock.js';
import { MemoryTransport } from '../../../src/transport/memory.js';
import { advanceBy, fakeSource } from '../../helpers/engine-source.js';

describe('stopping a live run from outside (abortOnFail)', () => {
  it('stop("threshold") ends the schedule there, drains the visits in flight, and is the reason reported', async () => {
    const clock = new ManualClock();
    // Every other answer is a 500: an error rate of 0.5 against a threshold of rate<0.2.
    const transport = new MemoryTransport({ clock, respond: (_r, i) => ({ status: i % 2 === 0 ? 500 : 204, delayMs: 50 }) });
    const metrics = new RunMetrics(['main']);
    const run = startLive({ clock, transport, source: fakeSource({ hits: 2, pausesMs: [0, 200] }), pacer: visitPacer(constantShape(10)), concurrency: 20, metrics, stop: { durationMs: 60_000 }, graceMs: 10_000 });
    const watch = new AbortWatch({ checks: { error_rate: [{ threshold: 'rate<0.2', abortOnFail: true, delayAbortEval: '1s' }] } });
    let crossed: ReturnType<AbortWatch['check']>;
    // What the CLI does once a second, on the engine's clock.
    for (let second = 0; second < 5 && !crossed; second++) {
      await advanceBy(clock, 1000);
      crossed = watch.check(metrics, run.snapshot().elapsedMs);
      if (crossed) expect(run.stop('threshold')).toBe(true);
    }
    expect(crossed).toMatchObject({ metric: 'error_rate', expression: 'rate<0.2', atMs: 1000 });
    // A second stop (the duration, a signal) no longer changes the reason.
    expect(run.stop('interrupted')).toBe(false);
    await advanceBy(clock, 1000);
    const summary = await run.done;
    expect(summary.stopReason).toBe('threshold');
    // Arrivals at 0, 100, … 1000 ms (the one due at the check started before it), then nothing
    // new; the visits in flight finished (none aborted).
    expect(summary.visits).toEqual({ planned: 11, started: 11, completed: 11, aborted: 0, dropped: 0 });
    expect(summary.hits.sent).toBe(22);
  });
});
