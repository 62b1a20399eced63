import { describe, expect, it } from 'vitest';
import type { VisitsOfDay } from '../../../src/backfill/plan.js';
import { createHash } from 'node:crypto';
import { actionSecondsIn, reconcileHits } from '../../../src/backfill/reconcile.js';
import { matomoFixture } from '../../helpers/fixtures.js';
import { liveReconciler } from '../../../src/backfill/reconciler.js';
import { matomoVisitorId } from '../../../src/matomo/visitor-id.js';
import { Replay, type Reconciler, type ReplayOptions, type ReplayResult } from '../../../src/backfill/replay.js';
import type { HitType } from '../../../src/journey/visit.js';
import { decodeQuery } from '../../../src/matomo/query.js';
import type { StoredVisit } from '../../../src/matomo/reporting.js';
import { readStoredVisits } from '../../../src/matomo/reporting.js';
import type { TrackingRequest } from '../../../src/matomo/request.js';
import { seeded } from '../../../src/random/rng.js';
import { ManualClock } from '../../../src/time/clock.js';
import type { HttpRequest, Outcome, Transport } from '../../../src/transport/transport.js';

const T0 = Date.UTC(2026, 0, 1, 8);

function req(visitor: string, visitIndex: number, hitIndex: number, type: HitType, atS: number, extra: Array<[string, string]> = []): TrackingRequest {
  return {
    type,
    visitIndex,
    hitIndex,
    at: T0 + atS * 1000,
    params: [['idsite', '1'], ['rec', '1'], ['_id', visitor], ...extra],
    userAgent: 'ua',
  };
}

function visit(visitorId: string, actions: StoredVisit['actions'], last?: number): StoredVisit {
  const times = actions.map((a) => a.timestamp);
  const first = Math.min(...times);
  return { idVisit: 1, visitorId, firstActionTimestamp: first, lastActionTimestamp: Math.max(...times), visitDuration: (last ?? Math.max(...times)) - first + 1, actions };
}

const s = (atS: number): number => T0 / 1000 + atS;
const idOf = (r: TrackingRequest): string => r.params.find(([k]) => k === '_id')![1];
const A = 'aaaaaaaaaaaaaaaa';
const B = 'bbbbbbbbbbbbbbbb';

describe('reconcileHits', () => {
  it('matches actions per visitor, type and second, as a multiset', () => {
    const batch = [req(A, 0, 0, 'pageview', 0), req(A, 0, 1, 'pageview', 0), req(A, 0, 2, 'event', 30), req(B, 1, 0, 'pageview', 5)];
    // Matomo holds one of A's two pageviews of second 0, A's event, and nothing of B.
    const stored = [visit(A, [{ type: 'action', timestamp: s(0) }, { type: 'event', timestamp: s(30) }])];
    expect(reconcileHits(batch, stored, idOf)).toEqual(['recorded', 'missing', 'recorded', 'missing']);
  });

  it('counts a visit Matomo split in two as the same visitor', () => {
    const batch = [req(A, 0, 0, 'pageview', 0), req(A, 0, 1, 'pageview', 60)];
    const stored = [visit(A, [{ type: 'action', timestamp: s(60) }]), visit(A, [{ type: 'action', timestamp: s(0) }])];
    expect(reconcileHits(batch, stored, idOf)).toEqual(['recorded', 'recorded']);
  });

  it('matches orders on their order id, whatever their second', () => {
    const batch = [req(A, 0, 0, 'ecommerce', 10, [['ec_id', 'o-1']]), req(B, 1, 0, 'ecommerce', 10, [['ec_id', 'o-2']])];
    const stored = [visit(A, [{ type: 'ecommerceOrder', timestamp: s(99), orderId: 'o-1' }])];
    expect(reconcileHits(batch, stored, idOf)).toEqual(['recorded', 'missing']);
  });

  it('a ping is recorded when its visit lasts until it, or a later hit of its visit is recorded', () => {
    const batch = [req(A, 0, 0, 'pageview', 0), req(A, 0, 1, 'ping', 20), req(B, 1, 0, 'pageview', 0), req(B, 1, 1, 'ping', 15), req(B, 1, 2, 'pageview', 40)];
    const stored = [visit(A, [{ type: 'action', timestamp: s(0) }], s(20)), visit(B, [{ type: 'action', timestamp: s(40) }])];
    // A: its pageview and the ping its visit lasts until. B: Matomo lost the first hits of the batch
    // and kept the later ones (what a partial commit does): its ping is superseded, its pageview lost.
    expect(reconcileHits(batch, stored, idOf)).toEqual(['recorded', 'recorded', 'missing', 'recorded', 'recorded']);
    // A ping whose visit ends before it is missing (and harmless to resend).
    expect(reconcileHits([req(A, 0, 1, 'ping', 20)], [visit(A, [{ type: 'action', timestamp: s(0) }])], idOf)).toEqual(['missing']);
  });

  it('never resends a cart update once a later cart or order of its visit is in', () => {
    const batch = [req(A, 0, 0, 'cart', 10), req(A, 0, 1, 'ecommerce', 20, [['ec_id', 'o-9']]), req(B, 1, 0, 'cart', 10), req(B, 1, 1, 'cart', 12)];
    const stored = [
      visit(A, [{ type: 'ecommerceOrder', timestamp: s(20), orderId: 'o-9' }]),
      visit(B, [{ type: 'ecommerceAbandonedCart', timestamp: s(10) }]),
    ];
    // A's cart precedes a stored order; B's first cart is the stored abandoned cart, its second is not in.
    expect(reconcileHits(batch, stored, idOf)).toEqual(['recorded', 'recorded', 'recorded', 'missing']);
  });

  it("reads the real Live answer (Matomo 5.0.2, Europe/Stockholm): action times carry the site's offset", () => {
    const answer = matomoFixture('api-live-segment-visitorIds');
    const stored = readStoredVisits(JSON.parse(answer.body))!;
    const at = (hms: string): number => Date.parse(`2026-11-21T${hms}Z`);
    const hit = (visitor: string, v: number, h: number, type: HitType, hms: string, extra: Array<[string, string]> = []): TrackingRequest => ({
      type, visitIndex: v, hitIndex: h, at: at(hms), params: [['idsite', '2'], ['rec', '1'], ['_id', visitor], ...extra], userAgent: 'ua',
    });
    const V1 = 'a1a1000000000001';
    const V4 = 'a1a1000000000004';
    const batch = [
      // Visit 3841 as sent: every kind of hit; the ping and the cart leave no action of their own.
      hit(V1, 0, 0, 'pageview', '10:00:00'), hit(V1, 0, 1, 'ping', '10:00:30'), hit(V1, 0, 2, 'search', '10:01:00'),
      hit(V1, 0, 3, 'event', '10:02:00'), hit(V1, 0, 4, 'outlink', '10:03:00'), hit(V1, 0, 5, 'download', '10:04:00'),
      hit(V1, 0, 6, 'cart', '10:05:00'), hit(V1, 0, 7, 'ecommerce', '10:06:00', [['ec_id', 'ORD-LR-0001']]),
      hit(V1, 0, 8, 'pageview', '10:07:00'), hit(V1, 0, 9, 'goal', '10:08:00'),
      // Two hits Matomo does not hold: a pageview and a later ping after it.
      hit(V1, 0, 10, 'pageview', '10:09:00'), hit(V1, 0, 11, 'ping', '10:09:30'),
      // Visit 3842: a logged-in visitor, stored under the hash of its uid.
      hit('a1a1000000000002', 1, 0, 'pageview', '11:00:00', [['uid', 'user-42']]), hit('a1a1000000000002', 1, 1, 'pageview', '11:01:00', [['uid', 'user-42']]),
      // Visit 3844: its second cart update is the stored abandoned cart; a third is not in.
      hit(V4, 2, 0, 'pageview', '12:00:00'), hit(V4, 2, 1, 'cart', '12:01:00'), hit(V4, 2, 2, 'cart', '12:02:00'), hit(V4, 2, 3, 'cart', '12:04:00'),
    ];
    const idOfStored = matomoVisitorId;
    const fates = reconcileHits(batch, stored, idOfStored, actionSecondsIn('Europe/Stockholm'));
    expect(fates).toEqual([
      'recorded', 'recorded', 'recorded', 'recorded', 'recorded', 'recorded', 'recorded', 'recorded', 'recorded', 'recorded',
      'missing', 'missing',
      'recorded', 'recorded',
      'recorded', 'recorded', 'recorded', 'missing',
    ]);
    // Read as true UTC, the same answer would prove nothing: every action seems missing.
    expect(reconcileHits(batch.slice(0, 1), stored, idOfStored)).toEqual(['missing']);
  });

  it('uses the id Matomo stores: the first 16 hex of sha1(uid) when a uid is set', () => {
    const id = matomoVisitorId;
    expect(id(req(A, 0, 0, 'pageview', 0))).toBe(A);
    expect(id(req(A, 0, 0, 'pageview', 0, [['uid', 'user-7']]))).toBe(createHash('sha1').update('user-7').digest('hex').slice(0, 16));
  });
});

describe('liveReconciler', () => {
  const V1 = 'a1a1000000000001';
  const pageview = (hms: string): TrackingRequest => ({
    type: 'pageview', visitIndex: 0, hitIndex: 0, at: Date.parse(`2026-11-21T${hms}Z`), params: [['idsite', '2'], ['_id', V1]], userAgent: 'ua',
  });
  function transport(answers: Outcome[]): Transport & { bodies: string[] } {
    const bodies: string[] = [];
    return {
      bodies,
      async send(r) {
        bodies.push(r.body!);
        return answers[Math.min(bodies.length - 1, answers.length - 1)]!;
      },
      async close() {},
    };
  }
  const fixture = matomoFixture('api-live-segment-visitorIds');
  const real: Outcome = { kind: 'response', status: fixture.status, headers: {}, body: fixture.body, latencyMs: 1 };

  it("asks Live for the batch's visitors on the day, the token in the body, and decides per hit", async () => {
    const t = transport([real]);
    const reconcile = liveReconciler({ transport: t, apiUrl: 'http://127.0.0.1:1/index.php', siteId: 2, tokenAuth: 'secret', visitorIdOf: idOf, zone: 'Europe/Stockholm' });
    expect(await reconcile('2026-11-21', [pageview('10:00:00'), pageview('10:30:00')])).toEqual(['recorded', 'missing']);
    const body = new URLSearchParams(t.bodies[0]);
    expect(body.get('method')).toBe('Live.getLastVisitsDetails');
    expect(body.get('segment')).toBe(`visitorId==${V1}`);
    expect([body.get('date'), body.get('period'), body.get('filter_limit'), body.get('token_auth')]).toEqual(['2026-11-21', 'day', '-1', 'secret']);
  });

  it('retries a busy Matomo, then says why it cannot tell; an error object is not retried', async () => {
    const busy = transport([{ kind: 'response', status: 503, headers: {}, body: '', latencyMs: 1 }]);
    const answer = await liveReconciler({ transport: busy, apiUrl: 'http://x/index.php', siteId: 2, visitorIdOf: idOf, zone: 'CET' })('d', [pageview('10:00:00')]);
    expect(answer).toEqual({ unavailable: expect.stringContaining('HTTP 503') });
    expect(busy.bodies).toHaveLength(3);
    const refused = transport([{ kind: 'response', status: 200, headers: {}, body: '{"result":"error","message":"no view access"}', latencyMs: 1 }]);
    expect(await liveReconciler({ transport: refused, apiUrl: 'http://x/index.php', siteId: 2, visitorIdOf: idOf, zone: 'CET' })('d', [pageview('10:00:00')])).toEqual({
      unavailable: 'Live.getLastVisitsDetails: no view access',
    });
    expect(refused.bodies).toHaveLength(1);
  });
});

/**
 * A stand-in for Matomo's raw log behind a transport: bulk requests are stored hit by hit, and
 * chosen calls commit only the second half of their batch and answer 500, as Matomo 5.0.2 does
 * after a deadlock. Its Live answer has the real shape.
 */
function fakeMatomo(clock: ManualClock, partial: (call: number) => boolean) {
  const stored: Array<{ visitor: string; type: HitType; at: number; ecId?: string; visitIndex: number }> = [];
  let calls = 0;
  const answers: number[] = [];
  const trackerCalls: Array<{ hits: string[]; at: number }> = [];
  const transport: Transport = {
    async send(r: HttpRequest): Promise<Outcome> {
      const queries = (JSON.parse(r.body!) as { requests: string[] }).requests;
      const call = calls++;
      const hits = queries.map((q) => new Map(decodeQuery(q.replace(/^\?/, ''))));
      trackerCalls.push({ hits: hits.map((h) => `${h.get('_id')}#${h.get('h_i')}`), at: clock.monotonic() });
      const keep = partial(call) ? hits.slice(Math.floor(hits.length / 2)) : hits;
      for (const h of keep) {
        const ecId = h.get('ec_id');
        stored.push({ visitor: h.get('_id')!, type: h.get('t') as HitType, at: Number(h.get('at_s')), visitIndex: Number(h.get('v')), ...(ecId ? { ecId } : {}) });
      }
      answers.push(partial(call) ? 500 : 200);
      if (partial(call)) return { kind: 'response', status: 500, headers: {}, body: JSON.stringify({ status: 'error', tracked: keep.length, invalid: 0 }), latencyMs: 1 };
      return { kind: 'response', status: 200, headers: {}, body: JSON.stringify({ status: 'success', tracked: hits.length, invalid: 0 }), latencyMs: 1 };
    },
    async close() {},
  };
  const TYPE: Partial<Record<HitType, string>> = { pageview: 'action', event: 'event', ecommerce: 'ecommerceOrder' };
  /** Live.getLastVisitsDetails for some visitors, one visit per visitor and planned visit. */
  const live = (ids: readonly string[]): unknown => {
    const byVisit = new Map<string, typeof stored>();
    for (const h of stored) {
      if (!ids.includes(h.visitor)) continue;
      const key = `${h.visitor}/${h.visitIndex}`;
      byVisit.set(key, [...(byVisit.get(key) ?? []), h]);
    }
    return [...byVisit.values()].map((hits, i) => ({
      idVisit: i + 1,
      visitorId: hits[0]!.visitor,
      firstActionTimestamp: Math.min(...hits.map((h) => h.at)),
      lastActionTimestamp: Math.max(...hits.filter((h) => h.type !== 'ping').map((h) => h.at)),
      visitDuration: Math.max(...hits.map((h) => h.at)) - Math.min(...hits.map((h) => h.at)) + 1,
      actionDetails: hits.filter((h) => TYPE[h.type]).map((h) => ({ type: TYPE[h.type], timestamp: h.at, ...(h.ecId ? { orderId: h.ecId } : {}) })),
    }));
  };
  return { transport, stored, answers, trackerCalls, live };
}

/** Visit i of a day: a pageview, an event 30 s later and a ping; visitor ids from `visitorOf`. */
function visitsOf(visitorOf: (i: number) => string, startOf: (i: number) => number = (i) => i * 60): VisitsOfDay {
  return function* (date, indices) {
    for (const index of indices) {
      const visitor = visitorOf(index);
      const plan: Array<[HitType, number]> = [['pageview', 0], ['event', 30], ['ping', 45]];
      const requests = plan.map(([type, offset], h): TrackingRequest => {
        const at = T0 + (startOf(index) + offset) * 1000;
        return {
          type,
          visitIndex: index,
          hitIndex: h,
          at,
          params: [['idsite', '1'], ['rec', '1'], ['_id', visitor], ['h_i', String(h)], ['t', type], ['at_s', String(Math.floor(at / 1000))], ['v', String(index)], ['d', date]],
          userAgent: 'ua',
        };
      });
      yield { index, requests };
    }
  };
}

const hex = (i: number): string => i.toString(16).padStart(16, '0');

function setup(over: Partial<ReplayOptions>, partial: (call: number) => boolean, withReconciler = true) {
  const clock = new ManualClock();
  const matomo = fakeMatomo(clock, partial);
  const reconcile: Reconciler = async (_date, requests) => reconcileHits(requests, readStoredVisits(matomo.live(requests.map(idOf)))!, idOf);
  const states: Array<[string, number[]]> = [];
  const replay = new Replay({
    clock,
    transport: matomo.transport,
    rng: seeded('jitter'),
    url: 'http://127.0.0.1:1/matomo.php',
    bulkSize: 9,
    concurrency: 3,
    days: [{ date: '2026-01-01', visits: Array.from({ length: 12 }, (_, i) => i), plannedVisits: 12 }],
    visitsOfDay: visitsOf(hex),
    journal: { inFlight: () => {}, settle: (_d, st) => void states.push(...Object.entries(st).map(([k, v]) => [k, [...(v ?? [])]] as [string, number[]])) },
    deadLetter: () => {},
    ...(withReconciler ? { reconcile } : {}),
    ...over,
  });
  return { clock, matomo, replay, states };
}

async function drive(replay: Replay, clock: ManualClock): Promise<ReplayResult> {
  let done = false;
  const promise = replay.run().finally(() => (done = true));
  for (let i = 0; i < 10_000 && !done; i++) await clock.advance(100);
  return promise;
}

describe('replay: reconciliation', () => {
  it('after a partial commit answered 500, resends exactly the missing hits: every hit stored once', async () => {
    const { matomo, replay, clock } = setup({}, (call) => call === 1);
    const result = await drive(replay, clock);
    expect(matomo.answers.filter((a) => a === 500)).toHaveLength(1);
    expect(matomo.answers).toHaveLength(5);
    const keys = matomo.stored.map((h) => `${h.visitor}@${h.at}:${h.type}`);
    expect(keys).toHaveLength(36);
    expect(new Set(keys).size).toBe(36);
    // The 500 batch held 9 hits; 5 were stored, 4 missing and resent (the ping among them).
    expect(result.days[0]).toMatchObject({ sent: 36, tracked: 36, uncertain: 0, reconciled: 9, resentAfterReconcile: 4, resent: 4, visitsAcked: 12, possiblyDuplicated: 0 });
    expect(matomo.trackerCalls.map((c) => c.hits.length).sort()).toEqual([4, 9, 9, 9, 9]);
  });

  it("resends a lost first hit without new_visit=1 when its visit's later hits are stored", async () => {
    const visits = visitsOf(hex);
    // Each visit's first hit starts a new visit, as the journey model marks it.
    const marked: VisitsOfDay = function* (date, indices) {
      for (const v of visits(date, indices)) {
        v.requests[0]!.params.push(['new_visit', '1']);
        yield v;
      }
    };
    const { matomo, replay, clock } = setup({ days: [{ date: 'd', visits: [0, 1, 2], plannedVisits: 3 }], visitsOfDay: marked }, (call) => call === 0);
    const sentBodies: string[] = [];
    const send = matomo.transport.send.bind(matomo.transport);
    matomo.transport.send = async (r) => (sentBodies.push(r.body!), send(r));
    await drive(replay, clock);
    // The 500 stored hits 4..8 (visit 1's event and ping, visit 2): visit 0 lost whole, visit 1 its pageview.
    const resent = (JSON.parse(sentBodies[1]!) as { requests: string[] }).requests;
    expect(resent.map((q) => /_id=([0-9a-f]+)/.exec(q)![1]!.slice(-1) + (q.includes('new_visit=1') ? '+new' : ''))).toEqual(['0+new', '0', '0', '1']);
  });

  it('reconciles a resend that failed the same way, until nothing is missing', async () => {
    const { matomo, replay, clock } = setup({}, (call) => call === 1 || call === 4);
    const result = await drive(replay, clock);
    const keys = matomo.stored.map((h) => `${h.visitor}@${h.at}:${h.type}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(36);
    expect(result.days[0]).toMatchObject({ tracked: 36, uncertain: 0, visitsAcked: 12 });
  });

  it('leaves the hits uncertain, and resends nothing, when the raw log cannot be read', async () => {
    const { matomo, replay, clock } = setup({ reconcile: async () => ({ unavailable: 'HTTP 503' }) }, (call) => call === 1);
    const result = await drive(replay, clock);
    expect(matomo.trackerCalls).toHaveLength(4);
    expect(result.days[0]).toMatchObject({ tracked: 27, uncertain: 9, visitsUncertain: 3, reconciled: 0 });
  });

  it('waits for a timed-out request to settle before reading the raw log', async () => {
    const clock = new ManualClock();
    const asked: number[] = [];
    let calls = 0;
    const transport: Transport = {
      async send(r) {
        const n = (JSON.parse(r.body!) as { requests: string[] }).requests.length;
        if (calls++ === 0) return { kind: 'error', errorClass: 'timeout', message: 'timeout', latencyMs: 1, mayHaveBeenProcessed: true };
        return { kind: 'response', status: 200, headers: {}, body: JSON.stringify({ status: 'success', tracked: n, invalid: 0 }), latencyMs: 1 };
      },
      async close() {},
    };
    const replay = new Replay({
      clock, transport, rng: seeded('j'), url: 'http://127.0.0.1:1/matomo.php', bulkSize: 9, concurrency: 1, settleMs: 5000,
      days: [{ date: 'd', visits: [0], plannedVisits: 1 }], visitsOfDay: visitsOf(hex),
      journal: { inFlight: () => {}, settle: () => {} }, deadLetter: () => {},
      reconcile: async (_d, requests) => (asked.push(clock.monotonic()), requests.map(() => 'recorded' as const)),
    });
    const result = await drive(replay, clock);
    expect(asked).toHaveLength(1);
    expect(asked[0]).toBeGreaterThanOrEqual(5000);
    expect(asked[0]).toBeLessThan(5200);
    expect(result.days[0]).toMatchObject({ tracked: 3, reconciled: 3, resentAfterReconcile: 0 });
  });

  it('on resume, reconciles visits left in flight before sending anything of them', async () => {
    // Visits 0-2 were sent by a killed run: Matomo holds 0 and 1 whole, nothing of 2.
    const { matomo, replay, clock } = setup(
      { days: [{ date: '2026-01-01', reconcileFirst: [0, 1, 2], visits: [3, 4], plannedVisits: 5 }] },
      () => false,
    );
    const visits = [...visitsOf(hex)('2026-01-01', [0, 1])];
    for (const v of visits) for (const r of v.requests) {
      const p = new Map(r.params);
      matomo.stored.push({ visitor: p.get('_id')!, type: r.type, at: Number(p.get('at_s')), visitIndex: r.visitIndex });
    }
    const result = await drive(replay, clock);
    const keys = matomo.stored.map((h) => `${h.visitor}@${h.at}:${h.type}`);
    expect(keys).toHaveLength(15);
    expect(new Set(keys).size).toBe(15);
    // Visit 2's three hits (missing), and visits 3 and 4 as usual: nothing of visits 0 and 1.
    expect(matomo.trackerCalls.map((c) => c.hits.length).sort()).toEqual([3, 6]);
    expect(matomo.trackerCalls.flatMap((c) => c.hits).filter((h) => h.startsWith(hex(0)) || h.startsWith(hex(1)))).toEqual([]);
    expect(result.days[0]).toMatchObject({ reconciled: 9, resentAfterReconcile: 3, visitsAcked: 5, uncertain: 0 });
  });
});

describe('replay: order', () => {
  it("sends a visitor's later visit only after the batch with its earlier visit was answered", async () => {
    // Six visits of two visitors, alternating; bulk of one visit each, three in flight at once.
    const { matomo, replay, clock } = setup(
      { bulkSize: 3, concurrency: 3, days: [{ date: '2026-01-01', visits: [0, 1, 2, 3, 4, 5], plannedVisits: 6 }], visitsOfDay: visitsOf((i) => hex(i % 2)) },
      () => false,
    );
    const inFlight = new Map<string, number>();
    let overlap = 0;
    const send = matomo.transport.send.bind(matomo.transport);
    matomo.transport.send = async (r) => {
      const visitor = /_id=([0-9a-f]+)/.exec(r.body!)![1]!;
      if (inFlight.get(visitor)) overlap++;
      inFlight.set(visitor, (inFlight.get(visitor) ?? 0) + 1);
      await clock.sleep(50);
      const answer = await send(r);
      inFlight.set(visitor, inFlight.get(visitor)! - 1);
      return answer;
    };
    await drive(replay, clock);
    expect(overlap).toBe(0);
    const first = matomo.trackerCalls.map((c) => c.hits[0]);
    expect(first).toHaveLength(6);
  });

  it("opens one date at a time: a date's batches wait for its first one, and no two first batches overlap", async () => {
    const days = ['2026-01-01', '2026-01-02', '2026-01-03', '2026-01-04'].map((date) => ({ date, visits: [0, 1, 2, 3, 4, 5], plannedVisits: 6 }));
    const { matomo, replay, clock } = setup({ bulkSize: 3, concurrency: 4, days }, () => false);
    const opened = new Map<string, boolean>(); // date -> its opener still in flight
    let openersOut = 0;
    let violations = 0;
    let besideOpener = 0;
    let inFlight = 0;
    const send = matomo.transport.send.bind(matomo.transport);
    matomo.transport.send = async (r) => {
      const date = /[?&]d=(\d{4}-\d{2}-\d{2})/.exec(r.body!)![1]!;
      const opener = !opened.has(date);
      if (opener) {
        if (openersOut > 0) violations++; // two dates opening at once
        opened.set(date, true);
        openersOut++;
        if (inFlight > 0) besideOpener++;
      } else if (opened.get(date)) {
        violations++; // a batch of a date whose first batch is unanswered
      }
      inFlight++;
      await clock.sleep(100);
      const answer = await send(r);
      inFlight--;
      if (opener) {
        opened.set(date, false);
        openersOut--;
      }
      return answer;
    };
    const result = await drive(replay, clock);
    expect(violations).toBe(0);
    expect(opened.size).toBe(4);
    // Other dates' batches do go on beside an opener: the rule costs little throughput.
    expect(besideOpener).toBeGreaterThan(0);
    expect(result.days.every((d) => d.visitsAcked === 6)).toBe(true);
  });

  it("without openDaysAlone, a day's batches may all start at once", async () => {
    const { matomo, replay, clock } = setup({ bulkSize: 3, concurrency: 4, openDaysAlone: false, days: [{ date: 'x', visits: [0, 1, 2, 3], plannedVisits: 4 }] }, () => false);
    let now = 0;
    let peak = 0;
    const send = matomo.transport.send.bind(matomo.transport);
    matomo.transport.send = async (r) => {
      peak = Math.max(peak, ++now);
      await clock.sleep(100);
      now--;
      return send(r);
    };
    await drive(replay, clock);
    expect(peak).toBe(4);
  });
});
