import { pace } from '../../../src/schedule/pacer.js';
import { constantShape } from '../../../src/schedule/rate-shape.js';
import { describe, expect, it } from 'vitest';
import { jobsOfDay, jobsOfDayAsync } from '../../../src/backfill/batcher.js';
import type { AsyncVisitsOfDay, DayVisit, VisitsOfDay } from '../../../src/backfill/plan.js';
import {
  Replay,
  judge,
  parseRetryAfter,
  type DeadLetter,
  type ReplayJournal,
  type ReplayOptions,
  type ReplayResult,
  type VisitState,
} from '../../../src/backfill/replay.js';
import { decodeQuery } from '../../../src/matomo/query.js';
import { bulkQuery } from '../../../src/matomo/bulk.js';
import { requestsOfText, visitText } from '../../../src/workers/encoded.js';
import type { TrackingRequest } from '../../../src/matomo/request.js';
import { seeded } from '../../../src/random/rng.js';
import { ManualClock } from '../../../src/time/clock.js';
import type { HttpRequest, Outcome, Transport } from '../../../src/transport/transport.js';
import { matomoFixture } from '../../helpers/fixtures.js';

/** Fake visits: visit i of a day has hitsOf(i) hits, each naming day, visit and hit. */
function fakeVisits(hitsOf: (i: number) => number): VisitsOfDay {
  return function* (date, indices) {
    for (const index of indices) {
      const n = hitsOf(index);
      const requests: TrackingRequest[] = Array.from({ length: n }, (_, h) => ({
        type: 'pageview',
        visitIndex: index,
        hitIndex: h,
        at: Date.UTC(2026, 0, 1) + h * 1000,
        params: [
          ['idsite', '1'],
          ['rec', '1'],
          ['_id', `${date}/${index}`],
          ['h_i', String(h)],
          ['send_image', '0'],
        ],
        userAgent: 'ua',
      }));
      yield { index, requests };
    }
  };
}

interface Sent {
  hits: Array<{ id: string; hit: number }>;
  at: number;
  body: string;
}

/** Reads back what a request carried: (visit id, hit) pairs in order. */
function hitsOf(req: HttpRequest): Array<{ id: string; hit: number }> {
  const queries = req.headers['content-type'] === 'application/json' ? (JSON.parse(req.body!) as { requests: string[] }).requests : [req.body!];
  return queries.map((q) => {
    const p = new Map(decodeQuery(q));
    return { id: p.get('_id')!, hit: Number(p.get('h_i')) };
  });
}

function ok(n: number): Outcome {
  return { kind: 'response', status: 200, headers: {}, body: JSON.stringify({ status: 'success', tracked: n, invalid: 0 }), latencyMs: 1 };
}
function status(code: number, headers: Record<string, string> = {}, body = ''): Outcome {
  return { kind: 'response', status: code, headers, body, latencyMs: 1 };
}
function netError(errorClass: 'refused' | 'timeout' | 'reset' | 'dns', mayHaveBeenProcessed: boolean): Outcome {
  return { kind: 'error', errorClass, message: errorClass, latencyMs: 1, mayHaveBeenProcessed };
}

/** A transport answering from a script (call number, request) -> outcome; records everything. */
function scripted(clock: ManualClock, answer: (call: number, req: HttpRequest, n: number) => Outcome | Promise<Outcome>) {
  const sent: Sent[] = [];
  const transport: Transport = {
    async send(req) {
      const hits = hitsOf(req);
      sent.push({ hits, at: clock.monotonic(), body: req.body! });
      return answer(sent.length - 1, req, hits.length);
    },
    async close() {},
  };
  return { transport, sent };
}

function memoryJournal() {
  const events: Array<{ op: 'f' | VisitState; date: string; visits: number[] }> = [];
  const journal: ReplayJournal = {
    inFlight: (date, visits) => void events.push({ op: 'f', date, visits: [...visits] }),
    settle: (date, states) => {
      for (const [op, visits] of Object.entries(states)) if (visits?.length) events.push({ op: op as VisitState, date, visits: [...visits] });
    },
  };
  const final = (state: VisitState): number[] =>
    events.filter((e) => e.op === state).flatMap((e) => e.visits).sort((a, b) => a - b);
  return { journal, events, final };
}

function setup(over: Partial<ReplayOptions> & { answer?: (call: number, req: HttpRequest, n: number) => Outcome | Promise<Outcome> } = {}) {
  const clock = new ManualClock();
  const { transport, sent } = scripted(clock, over.answer ?? ((_c, _r, n) => ok(n)));
  const j = memoryJournal();
  const dead: DeadLetter[] = [];
  const options: ReplayOptions = {
    clock,
    transport,
    rng: seeded('jitter'),
    url: 'http://127.0.0.1:1/matomo.php',
    tokenAuth: 'secret',
    bulkSize: 10,
    concurrency: 2,
    days: [{ date: '2026-01-01', visits: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], plannedVisits: 10 }],
    visitsOfDay: fakeVisits(() => 3),
    journal: j.journal,
    deadLetter: (r) => void dead.push(r),
    ...over,
  };
  const replay = new Replay(options);
  return { clock, sent, journal: j, dead, replay, options };
}

/** Runs the replay, moving the manual clock whenever it is parked on a sleep. */
async function drive(replay: Replay, clock: ManualClock, stepMs = 100): Promise<ReplayResult> {
  let done = false;
  const promise = replay.run().finally(() => (done = true));
  for (let i = 0; i < 100_000 && !done; i++) await clock.advance(stepMs);
  return promise;
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('batcher', () => {
  it.each([
    { why: 'small visits fill batches whole', bulk: 10, hits: [3, 3, 3, 3], batches: [[9], [3]] },
    { why: 'a visit that does not fit starts a new batch', bulk: 5, hits: [3, 3, 2], batches: [[3], [5]] },
    { why: 'a long visit spans a chain; its tail is topped up', bulk: 4, hits: [10, 2, 1], batches: [[4, 4, 4], [1]] },
    { why: 'bulk size 1: one chain per visit', bulk: 1, hits: [3, 1], batches: [[1, 1, 1], [1]] },
  ])('$why', ({ bulk, hits, batches }) => {
    const visits: DayVisit[] = [...fakeVisits((i) => hits[i]!)('d', range(hits.length))];
    const jobs = [...jobsOfDay('d', visits, bulk)];
    expect(jobs.map((j) => j.batches.map((b) => b.requests.length))).toEqual(batches);
    // Every hit once, in visit then hit order.
    const all = jobs.flatMap((j) => j.batches.flatMap((b) => b.requests.map((r) => `${r.visitIndex}.${r.hitIndex}`)));
    expect(all).toEqual(hits.flatMap((n, v) => range(n).map((h) => `${v}.${h}`)));
    // A visit spread over batches stays within one job.
    for (const v of range(hits.length)) expect(jobs.filter((j) => j.batches.some((b) => b.owners.includes(v)))).toHaveLength(1);
  });
});

describe('replay: sending', () => {
  it('sends every hit once in bulk, with the token, never send_image, and journals around each batch', async () => {
    const s = setup({
      days: [
        { date: '2026-01-01', visits: range(10), plannedVisits: 10 },
        { date: '2026-01-02', visits: range(5), plannedVisits: 5 },
      ],
    });
    const result = await drive(s.replay, s.clock);
    expect(result.interrupted).toBe(false);
    const ids = s.sent.flatMap((x) => x.hits.map((h) => `${h.id}#${h.hit}`)).sort();
    expect(ids).toHaveLength(45);
    expect(new Set(ids).size).toBe(45);
    for (const x of s.sent) {
      expect(x.body).not.toContain('send_image');
      expect(JSON.parse(x.body).token_auth).toBe('secret');
      expect(x.hits.length).toBeLessThanOrEqual(10);
    }
    expect(result.days.map((d) => [d.date, d.visits, d.visitsAcked, d.hits, d.sent, d.tracked, d.failed, d.done])).toEqual([
      ['2026-01-01', 10, 10, 30, 30, 30, 0, true],
      ['2026-01-02', 5, 5, 15, 15, 15, 0, true],
    ]);
    expect(s.journal.final('acked')).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 6, 7, 8, 9].sort((a, b) => a - b));
    expect(s.dead).toEqual([]);
  });

  it('never has two hits of a visit in flight, and sends each visit in time order', async () => {
    const pending: Array<() => void> = [];
    const inFlight = new Set<string>();
    const order = new Map<string, number[]>();
    let maxBatches = 0;
    let active = 0;
    const s = setup({
      bulkSize: 4,
      concurrency: 3,
      visitsOfDay: fakeVisits((i) => 1 + (i % 7)),
      days: [{ date: 'd', visits: range(30), plannedVisits: 30 }],
      answer: (_c, _r, n) =>
        new Promise<Outcome>((resolve) => {
          pending.push(() => resolve(ok(n)));
        }),
    });
    const origSend = s.options.transport.send.bind(s.options.transport);
    s.options.transport.send = async (req) => {
      const hits = hitsOf(req);
      for (const h of hits) {
        expect(inFlight.has(h.id)).toBe(false);
        order.set(h.id, [...(order.get(h.id) ?? []), h.hit]);
      }
      const ids = new Set(hits.map((h) => h.id));
      for (const id of ids) inFlight.add(id);
      active++;
      maxBatches = Math.max(maxBatches, active);
      const out = await origSend(req);
      active--;
      for (const id of ids) inFlight.delete(id);
      return out;
    };
    const run = s.replay.run();
    // Answer the oldest pending batch until everything is done.
    let done = false;
    void run.finally(() => (done = true));
    for (let i = 0; i < 10_000 && !done; i++) {
      await Promise.resolve();
      await new Promise((r) => setImmediate(r));
      pending.shift()?.();
    }
    const result = await run;
    expect(maxBatches).toBe(3);
    for (const [id, hits] of order) expect(hits, id).toEqual(range(hits.length));
    expect(result.days[0]!.tracked).toBe(range(30).reduce((a, i) => a + 1 + (i % 7), 0));
  });

  it('sends single hits as form POSTs with the user agent when the bulk size is 1', async () => {
    const s = setup({ bulkSize: 1, answer: () => status(204) });
    const result = await drive(s.replay, s.clock);
    expect(s.sent).toHaveLength(30);
    expect(decodeQuery(s.sent[0]!.body)).toContainEqual(['token_auth', 'secret']);
    expect(decodeQuery(s.sent[0]!.body)).toContainEqual(['send_image', '0']);
    expect(result.days[0]!.tracked).toBe(30);
  });

  it('limits the rate in hits per second, a batch counting as its hits', async () => {
    const s = setup({ rateLimit: 50, concurrency: 4, days: [{ date: 'd', visits: range(20), plannedVisits: 20 }] });
    await drive(s.replay, s.clock, 10);
    // 60 hits in batches of 9, 9, ... at 50 hits/s: batch k goes out when the hits before it are due.
    let before = 0;
    for (const x of s.sent) {
      expect(x.at).toBeGreaterThanOrEqual((before / 50) * 1000);
      // ...within one clock step (the manual clock wakes a sleeper, then its continuation runs).
      expect(x.at).toBeLessThanOrEqual((before / 50) * 1000 + 10);
      before += x.hits.length;
    }
    expect(before).toBe(60);
  });
});

// Replay paced itself with its own formula before issue 13 (due = start + sent / rate s); it now
// asks schedule/pacer.ts with a constant shape. The old formula stays here as the reference.
describe('replay: pacing through the schedule vocabulary', () => {
  const before = (rate: number, sent: number, elapsedMs: number): number => Math.max(0, (sent / rate) * 1000 - elapsedMs);
  it.each([
    { rate: 50, why: 'hits/s of the test above' },
    { rate: 9, why: 'a rate that does not divide 1000' },
    { rate: 0.3, why: 'visits/s below one' },
    { rate: 2000, why: 'a fast bulk backfill' },
  ])('waits as long as the former formula at $rate/s ($why)', ({ rate }) => {
    for (const sent of [0, 1, 7, 60, 1000, 123_457]) {
      for (const elapsedMs of [0, 3.5, 999, 20_000, 1e7]) {
        const next = pace(constantShape(rate), elapsedMs, sent);
        expect('waitMs' in next && next.waitMs).toBeCloseTo(before(rate, sent, elapsedMs), 6);
      }
    }
  });
});

describe('replay: answers and retries', () => {
  it('never resends a batch blind after a 500 to a bulk request: without a reconciler its visits stay uncertain', async () => {
    const s = setup({ concurrency: 1, answer: (call, _r, n) => (call === 0 ? status(500, {}, '{"status":"error","tracked":4,"invalid":0}') : ok(n)) });
    const result = await drive(s.replay, s.clock);
    // Matomo 5.0.2 stores part of a batch and still answers 500: nothing of it is sent again.
    expect(s.sent.map((x) => x.hits.length)).toEqual([9, 9, 9, 3]);
    expect(result.days[0]).toMatchObject({ sent: 30, resent: 0, tracked: 21, uncertain: 9, visitsUncertain: 3, possiblyDuplicated: 0, visitsAcked: 7 });
    expect(s.dead).toEqual([]);
  });

  it('dead-letters a batch after the retries are spent', async () => {
    const s = setup({ retry: { retries: 2 }, days: [{ date: 'd', visits: [0, 1], plannedVisits: 2 }], answer: () => status(503) });
    const result = await drive(s.replay, s.clock);
    expect(s.sent).toHaveLength(3);
    expect(result.days[0]).toMatchObject({ sent: 6, resent: 12, tracked: 0, failed: 6, visitsFailed: 2, uncertain: 0 });
    expect(s.dead.map((d) => d.kind === 'hit' && `${d.visit}.${d.hit}`)).toEqual(['0.0', '0.1', '0.2', '1.0', '1.1', '1.2']);
    expect(s.dead[0]).toMatchObject({ reason: expect.stringContaining('after 3 attempts'), params: expect.arrayContaining([['idsite', '1']]) });
    expect(JSON.stringify(s.dead)).not.toContain('secret');
    expect(s.journal.final('failed')).toEqual([0, 1]);
  });

  it('names invalid hits from a super-user answer and dead-letters exactly those', async () => {
    const recorded = matomoFixture('bulk-superuser-one-invalid');
    const s = setup({
      bulkSize: 3,
      days: [{ date: 'd', visits: [0, 1, 2], plannedVisits: 3 }],
      visitsOfDay: fakeVisits(() => 1),
      answer: () => status(recorded.status, {}, recorded.body),
    });
    const result = await drive(s.replay, s.clock);
    expect(result.days[0]).toMatchObject({ tracked: 2, invalid: 1, invalidUnnamed: 0, visitsAcked: 2, visitsFailed: 1 });
    expect(s.dead).toEqual([expect.objectContaining({ kind: 'hit', visit: 2, hit: 0, reason: expect.stringContaining('named') })]);
    expect(s.journal.final('acked')).toEqual([0, 1]);
    expect(s.journal.final('failed')).toEqual([2]);
  });

  it('records unnamed invalid hits as the batch and a count', async () => {
    const s = setup({ answer: (_c, _r, n) => status(200, {}, JSON.stringify({ status: 'success', tracked: n - 1, invalid: 1 })) });
    const result = await drive(s.replay, s.clock);
    // Four batches (9, 9, 9, 3 hits), one unnamed invalid hit each.
    expect(result.days[0]).toMatchObject({ tracked: 26, invalid: 4, invalidUnnamed: 4, visitsFailed: 10, visitsAcked: 0 });
    const batches = s.dead.map((d) => (d.kind === 'batch' ? [d.visits, d.hits, d.invalid] : d.kind));
    expect(batches.sort()).toEqual([
      [[0, 1, 2], 9, 1],
      [[3, 4, 5], 9, 1],
      [[6, 7, 8], 9, 1],
      [[9], 3, 1],
    ]);
  });

  it('reports hits neither tracked nor invalid as unaccounted', async () => {
    const s = setup({ answer: (call, _r, n) => status(200, {}, JSON.stringify({ status: 'success', tracked: call === 0 ? n - 2 : n, invalid: 0 })) });
    const result = await drive(s.replay, s.clock);
    expect(result.days[0]).toMatchObject({ tracked: 28, unaccounted: 2, invalid: 0, failed: 0, visitsAcked: 10 });
  });

  it('honours Retry-After on 429 and 503, exactly', async () => {
    const s = setup({
      days: [{ date: 'd', visits: [0], plannedVisits: 1 }],
      answer: (call) => (call === 0 ? status(429, { 'retry-after': '7' }) : call === 1 ? status(503, { 'retry-after': '2' }) : ok(3)),
    });
    const run = s.replay.run();
    await s.clock.advance(0);
    expect(s.sent).toHaveLength(1);
    await s.clock.advance(6999);
    expect(s.sent).toHaveLength(1);
    await s.clock.advance(1);
    expect(s.sent).toHaveLength(2);
    await s.clock.advance(1999);
    expect(s.sent).toHaveLength(2);
    await s.clock.advance(1);
    const result = await run;
    expect(s.sent.map((x) => x.at)).toEqual([0, 7000, 9000]);
    expect(result.days[0]).toMatchObject({ tracked: 3, resent: 6, possiblyDuplicated: 0 });
  });

  it('retries refused connections with exponential backoff and jitter', async () => {
    const s = setup({ retry: { retries: 3, baseMs: 1000 }, days: [{ date: 'd', visits: [0], plannedVisits: 1 }], answer: (call) => (call < 3 ? netError('refused', false) : ok(3)) });
    const result = await drive(s.replay, s.clock, 50);
    const gaps = s.sent.slice(1).map((x, i) => x.at - s.sent[i]!.at);
    // Equal jitter: attempt k waits between half and all of 1000 * 2^(k-1) (+ one clock step).
    gaps.forEach((gap, k) => {
      const full = 1000 * 2 ** k;
      expect(gap).toBeGreaterThanOrEqual(full / 2);
      expect(gap).toBeLessThanOrEqual(full + 50);
    });
    expect(result.days[0]).toMatchObject({ tracked: 3, failed: 0 });
  });

  it('does not retry ambiguous errors by default: the visits are uncertain', async () => {
    const s = setup({ days: [{ date: 'd', visits: [0, 1], plannedVisits: 2 }], answer: () => netError('timeout', true) });
    const result = await drive(s.replay, s.clock);
    expect(s.sent).toHaveLength(1);
    expect(result.days[0]).toMatchObject({ uncertain: 6, failed: 0, visitsUncertain: 2, possiblyDuplicated: 0 });
    expect(s.dead).toEqual([]);
    expect(s.journal.final('uncertain')).toEqual([0, 1]);
  });

  it('treats a 502 to a single hit as ambiguous, and a 400 as Matomo rejecting it', async () => {
    const s = setup({ bulkSize: 1, days: [{ date: 'd', visits: [0, 1], plannedVisits: 2 }], answer: (call) => (call === 0 ? status(502) : call === 1 ? status(400) : status(204)) });
    const result = await drive(s.replay, s.clock);
    // Visit 0: its first hit is uncertain, its other hits are not sent. Visit 1: first hit invalid,
    // the rest dead-lettered unsent so --retry-failed can complete the visit in order.
    expect(result.days[0]).toMatchObject({ uncertain: 1, invalid: 1, failed: 2, tracked: 0, visitsUncertain: 1, visitsFailed: 1 });
    expect(s.sent).toHaveLength(2);
    expect(s.dead.map((d) => d.kind === 'hit' && `${d.visit}.${d.hit}`)).toEqual(['1.0', '1.1', '1.2']);
  });
});

describe('replay: interruption', () => {
  it('stops taking batches when aborted; untouched visits are released', async () => {
    const controller = new AbortController();
    const s = setup({
      signal: controller.signal,
      rateLimit: 9,
      concurrency: 1,
      days: [{ date: 'd', visits: range(10), plannedVisits: 10 }],
    });
    const run = s.replay.run();
    await s.clock.advance(0);
    expect(s.sent).toHaveLength(1);
    controller.abort();
    await s.clock.advance(0);
    const result = await run;
    expect(result.interrupted).toBe(true);
    expect(result.days[0]).toMatchObject({ tracked: 9, visitsAcked: 3, done: false });
    expect(s.journal.final('acked')).toEqual([0, 1, 2]);
    expect(s.journal.final('released')).toEqual([3, 4, 5]);
  });
});

describe('judge', () => {
  it.each([
    { why: '2xx', outcome: status(204), bulk: false, kind: 'ok' },
    { why: 'refused: nothing processed', outcome: netError('refused', false), bulk: true, kind: 'retry' },
    { why: 'dns', outcome: netError('dns', false), bulk: false, kind: 'retry' },
    { why: 'timeout after writing', outcome: netError('timeout', true), bulk: true, kind: 'ambiguous' },
    { why: '429', outcome: status(429), bulk: false, kind: 'retry' },
    { why: '503', outcome: status(503), bulk: true, kind: 'retry' },
    { why: '500 to a bulk: Matomo may have stored part of it', outcome: status(500), bulk: true, kind: 'ambiguous' },
    { why: '500 to a single hit', outcome: status(500), bulk: false, kind: 'ambiguous' },
    { why: '504 to a bulk', outcome: status(504), bulk: true, kind: 'ambiguous' },
    { why: '400 to a single hit', outcome: status(400), bulk: false, kind: 'invalid' },
    { why: '401 to a bulk', outcome: status(401), bulk: true, kind: 'refused' },
  ])('$why -> $kind', ({ outcome, bulk, kind }) => {
    expect(judge(outcome, bulk, 0).kind).toBe(kind);
  });

  it('reads Retry-After as seconds or a date', () => {
    expect(parseRetryAfter('12', 0)).toBe(12_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', Date.UTC(2026, 0, 1))).toBe(30_000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
  });
});

const paramOf = (req: TrackingRequest, name: string): string => req.params.find(([k]) => k === name)?.[1] ?? '';

describe('replay: an asynchronous visit source (worker threads)', () => {
  /** The same visits as `source`, handed over asynchronously (a tick between visits, as from a thread). */
  function awaited(source: VisitsOfDay): AsyncVisitsOfDay {
    return async function* (date, indices) {
      for (const visit of source(date, indices)) {
        await Promise.resolve();
        yield visit;
      }
    };
  }

  it.each([
    { why: 'visits fit batches whole', bulk: 10, hitsOf: () => 3 },
    { why: 'long visits span chains of batches', bulk: 4, hitsOf: (i: number) => 1 + (i % 7) },
  ])('packs the same jobs as the synchronous batcher: $why', async ({ bulk, hitsOf }) => {
    const source = fakeVisits(hitsOf);
    const sync = [...jobsOfDay('d', source('d', range(40)), bulk)];
    const jobs = [];
    for await (const job of jobsOfDayAsync('d', awaited(source)('d', range(40)), bulk)) jobs.push(job);
    expect(jobs).toEqual(sync);
  });

  it('sends the same batches, journals the same fates and reports the same days as a synchronous source', async () => {
    const days = [
      { date: '2026-01-01', visits: range(30), plannedVisits: 30 },
      { date: '2026-01-02', visits: range(12), plannedVisits: 12 },
    ];
    const hits = (i: number): number => 1 + (i % 5);
    const one = setup({ bulkSize: 4, concurrency: 3, days, visitsOfDay: fakeVisits(hits) });
    const two = setup({ bulkSize: 4, concurrency: 3, days, visitsOfDay: awaited(fakeVisits(hits)), asyncSource: true });
    const [a, b] = [await drive(one.replay, one.clock), await drive(two.replay, two.clock)];
    expect(b.days).toEqual(a.days);
    expect(b.days.every((d) => d.done)).toBe(true);
    expect(two.sent.map((x) => x.body).sort()).toEqual(one.sent.map((x) => x.body).sort());
    for (const state of ['acked', 'failed', 'uncertain', 'released'] as const) expect(two.journal.final(state)).toEqual(one.journal.final(state));
  });

  it('sends the bodies of plain requests for requests a worker thread encoded (their ready bulk queries)', async () => {
    const days = [{ date: '2026-01-01', visits: range(20), plannedVisits: 20 }];
    const plain = fakeVisits((i) => 1 + (i % 4));
    const encoded: VisitsOfDay = function* (date, indices) {
      for (const v of plain(date, indices)) yield { index: v.index, requests: requestsOfText(visitText(v.requests, (r) => bulkQuery(r.params), (r) => paramOf(r, '_id'))) };
    };
    const one = setup({ bulkSize: 5, days, visitsOfDay: plain });
    const two = setup({ bulkSize: 5, days, visitsOfDay: awaited(encoded), asyncSource: true });
    await drive(one.replay, one.clock);
    await drive(two.replay, two.clock);
    expect(two.sent.map((x) => x.body).sort()).toEqual(one.sent.map((x) => x.body).sort());
  });

  it('still sends the first batch of each date alone', async () => {
    const pending: Array<() => void> = [];
    const s = setup({
      bulkSize: 2,
      concurrency: 4,
      asyncSource: true,
      visitsOfDay: awaited(fakeVisits(() => 1)),
      days: [{ date: '2026-01-01', visits: range(8), plannedVisits: 8 }],
      answer: (_c, _r, n) => new Promise<Outcome>((resolve) => pending.push(() => resolve(ok(n)))),
    });
    let done = false;
    const run = s.replay.run().finally(() => (done = true));
    for (let i = 0; i < 200; i++) await Promise.resolve();
    // The opener is out alone: nothing else of the date goes before its answer.
    expect(s.sent).toHaveLength(1);
    while (!done) {
      pending.shift()?.();
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const result = await run;
    expect(s.sent.length).toBe(4);
    expect(result.days[0]!.visitsAcked).toBe(8);
  });
});
