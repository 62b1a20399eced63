import { afterEach, describe, expect, it } from 'vitest';
import { startSink, type RunningSink } from '../../../src/sink/index.js';
import { parseSinkFlags } from '../../../src/sink/options.js';
import { ManualClock } from '../../../src/time/clock.js';

const UA = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36' };
const hit = (n: number) => `/matomo.php?idsite=1&rec=1&url=http%3A%2F%2Fexample.test%2Fp${n}&_id=0123456789abcdef&send_image=0`;
const sinks: RunningSink[] = [];
afterEach(async () => {
  await Promise.all(sinks.splice(0).map((s) => s.stop()));
});

describe('sink --capacity', () => {
  it('parses --capacity and --capacity-queue, naming the flag on bad input', () => {
    expect(parseSinkFlags({ capacity: '800' }).capacity).toEqual({ hitsPerSecond: 800, queue: 200 });
    expect(parseSinkFlags({ capacity: '50', capacityQueue: '7' }).capacity).toEqual({ hitsPerSecond: 50, queue: 7 });
    expect(() => parseSinkFlags({ capacity: 'fast' })).toThrow(/--capacity fast is not an integer/);
    expect(() => parseSinkFlags({ capacityQueue: '5' })).toThrow(/--capacity-queue needs --capacity/);
  });

  it('holds hits in its queue (answers come as the worker serves them) and answers 503 + Retry-After when full', async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 23, 12));
    const sink = await startSink(
      { ...parseSinkFlags({ capacity: '10', capacityQueue: '2' }) },
      clock,
    );
    sinks.push(sink);
    const answers = [0, 1, 2].map((n) => fetch(`${sink.url}${hit(n)}`, { headers: UA }));
    // Two hits wait in the queue (100 and 200 ms of work); the third finds it full at once.
    const first = await Promise.race(answers);
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toBe('1');
    expect(clock.pending()).toBe(2);
    await clock.advance(200);
    const statuses = (await Promise.all(answers)).map((r) => r.status).sort();
    expect(statuses).toEqual([204, 204, 503]);
    expect(sink.server.capacity?.counts).toEqual({ served: 2, rejected: 1 });
    expect(sink.snapshot().hits.recorded).toBe(2);
  });
});
