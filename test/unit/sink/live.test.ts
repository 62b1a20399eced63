import { afterEach, describe, expect, it } from 'vitest';
import { startSink, type RunningSink } from '../../../src/sink/index.js';
import { dayBounds, parseVisitorSegment, SegmentError } from '../../../src/sink/live.js';
import type { SinkOptions } from '../../../src/sink/options.js';
import { storedVisitorId } from '../../../src/matomo/visitor-id.js';
import { ManualClock } from '../../../src/time/clock.js';
import { matomoFixture } from '../../helpers/fixtures.js';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const UA = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0' };
const SITE = 'https://research.example.com';
const sinks: RunningSink[] = [];

async function sink(extra: Partial<SinkOptions> = {}): Promise<RunningSink> {
  const running = await startSink(
    { host: '127.0.0.1', port: 0, timezone: 'Europe/Stockholm', currency: 'SEK', faults: { failRate: 0, failStatus: 500, resetRate: 0, seed: 0 }, ...extra },
    new ManualClock(NOW),
  );
  sinks.push(running);
  return running;
}

afterEach(async () => {
  await Promise.all(sinks.splice(0).map((s) => s.stop()));
});

type Row = Record<string, unknown>;

/** One hit of site 2 as a bulk entry; `cdt` in UTC. */
function hit(id: string, cdt: string, params: Record<string, string>): string {
  return '?' + new URLSearchParams({ idsite: '2', rec: '1', _id: id, cdt, ...params }).toString();
}

async function track(s: RunningSink, requests: string[]): Promise<Row> {
  const r = await fetch(`${s.url}/matomo.php`, { method: 'POST', headers: UA, body: JSON.stringify({ requests, token_auth: 'tok' }) });
  return (await r.json()) as Row;
}

async function live(s: RunningSink, query: Record<string, string>): Promise<Row[]> {
  const body = new URLSearchParams({ module: 'API', format: 'JSON', method: 'Live.getLastVisitsDetails', idSite: '2', token_auth: 'tok', ...query });
  const r = await fetch(`${s.url}/index.php`, { method: 'POST', headers: { ...UA, 'content-type': 'application/x-www-form-urlencoded' }, body });
  expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8');
  return (await r.json()) as Row[];
}

/**
 * The hits behind the recorded fixture api-live-segment-visitorIds (site 2, Europe/Stockholm),
 * reconstructed from its actionDetails: a visit with every kind of hit, a logged-in visitor
 * (uid user-42) and a visit with a cart update and a ping.
 */
const FIXTURE_HITS = [
  hit('a1a1000000000001', '2026-11-21 10:00:00', { url: `${SITE}/home`, action_name: 'Home', pv_id: 'pv0001' }),
  hit('a1a1000000000001', '2026-11-21 10:01:00', { url: `${SITE}/search`, search: 'shoes', search_cat: 'all', search_count: '3', pv_id: 'pv0002' }),
  hit('a1a1000000000001', '2026-11-21 10:02:00', { url: `${SITE}/product/1`, e_c: 'Video', e_a: 'Play', e_n: 'Intro', e_v: '2.5' }),
  hit('a1a1000000000001', '2026-11-21 10:03:00', { url: `${SITE}/product/1`, link: 'https://other.example.org/page' }),
  hit('a1a1000000000001', '2026-11-21 10:04:00', { url: `${SITE}/product/1`, download: `${SITE}/files/manual.pdf` }),
  hit('a1a1000000000001', '2026-11-21 10:06:00', {
    url: `${SITE}/checkout`, idgoal: '0', ec_id: 'ORD-LR-0001', revenue: '549.5', ec_st: '499.5', ec_tx: '50', ec_sh: '0', ec_dt: '0',
    ec_items: '[["SKU1","Shoe","Shoes",499.5,1]]',
  }),
  hit('a1a1000000000001', '2026-11-21 10:07:00', { url: `${SITE}/thanks`, action_name: 'Thanks', pv_id: 'pv0003' }),
  hit('a1a1000000000001', '2026-11-21 10:08:00', { url: `${SITE}/thanks`, idgoal: '1', revenue: '5' }),
  hit('b2b2000000000002', '2026-11-21 11:00:00', { url: `${SITE}/login`, action_name: 'Login', uid: 'user-42' }),
  hit('b2b2000000000002', '2026-11-21 11:01:00', { url: `${SITE}/account`, action_name: 'Account', uid: 'user-42' }),
  hit('a1a1000000000004', '2026-11-21 12:00:00', { url: `${SITE}/p`, action_name: 'P', pv_id: 'pvc001' }),
  hit('a1a1000000000004', '2026-11-21 12:02:00', { url: `${SITE}/p`, idgoal: '0', revenue: '99', ec_items: '[["SKU2","Sock","Socks",49.5,2]]' }),
  hit('a1a1000000000004', '2026-11-21 12:02:30', { url: `${SITE}/p`, ping: '1', pv_id: 'pvc001' }),
];
const FIXTURE_SEGMENT = 'visitorId==a1a1000000000001,visitorId==685ec89afbc0d819,visitorId==a1a1000000000004';

/** Visit fields the sink computes from the hits alone (site names, ids, devices are the server's own). */
const VISIT_FIELDS = [
  'visitorId', 'goalConversions', 'siteCurrency', 'serverDate', 'visitServerHour', 'lastActionTimestamp', 'lastActionDateTime',
  'serverTimestamp', 'firstActionTimestamp', 'userId', 'visitorType', 'visitConverted', 'visitCount', 'visitEcommerceStatus',
  'visitDuration', 'searches', 'actions', 'interactions', 'events',
];
/** Action fields that name things only the real server knows (goal names, the currency's symbol). */
const SERVER_ONLY = new Set(['goalName', 'subtitle', 'pageIdAction', 'pageId', 'timeSpent', 'timeSpentPretty', 'goalPageId']);

function jsonType(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

describe('sink Live.getLastVisitsDetails against the recorded Matomo 5.0.2 answer', () => {
  const recorded = JSON.parse(matomoFixture('api-live-segment-visitorIds').body) as Row[];

  it('answers the same visits, in the same order, with the same values for what the hits decide', async () => {
    const s = await sink();
    expect(await track(s, FIXTURE_HITS)).toMatchObject({ status: 'success', tracked: 13, invalid: 0 });
    const visits = await live(s, { period: 'day', date: '2026-11-21', filter_limit: '-1', segment: FIXTURE_SEGMENT });
    expect(visits.map((v) => v.visitorId)).toEqual(recorded.map((v) => v.visitorId));
    visits.forEach((visit, i) => {
      const real = recorded[i]!;
      for (const field of VISIT_FIELDS) expect({ field, value: visit[field] }).toEqual({ field, value: real[field] });
      const details = visit.actionDetails as Row[];
      const realDetails = real.actionDetails as Row[];
      expect(details.map((d) => d.type)).toEqual(realDetails.map((d) => d.type));
      details.forEach((d, j) => {
        const expected = Object.fromEntries(Object.keys(d).filter((k) => !SERVER_ONLY.has(k)).map((k) => [k, realDetails[j]![k]]));
        const got = Object.fromEntries(Object.keys(d).filter((k) => !SERVER_ONLY.has(k)).map((k) => [k, d[k]]));
        expect(got).toEqual(expected);
      });
    });
  });

  it('uses only keys the real answer has, each with the real JSON type', async () => {
    const s = await sink();
    await track(s, FIXTURE_HITS);
    const visits = await live(s, { period: 'day', date: '2026-11-21', filter_limit: '-1', segment: FIXTURE_SEGMENT });
    visits.forEach((visit, i) => {
      const real = recorded[i]!;
      for (const [key, value] of Object.entries(visit)) {
        expect({ key, has: key in real }).toEqual({ key, has: true });
        if (real[key] !== null && value !== null) expect({ key, type: jsonType(value) }).toEqual({ key, type: jsonType(real[key]) });
      }
      (visit.actionDetails as Row[]).forEach((d, j) => {
        const realDetail = (real.actionDetails as Row[])[j]!;
        for (const [key, value] of Object.entries(d)) {
          expect({ type: d.type, key, has: key in realDetail }).toEqual({ type: d.type, key, has: true });
          if (realDetail[key] !== null && value !== null) expect({ key, type: jsonType(value) }).toEqual({ key, type: jsonType(realDetail[key]) });
        }
      });
    });
  });

  it('an action timestamp is the hit time plus the site zone offset; the visit timestamps are UTC', async () => {
    const s = await sink();
    await track(s, FIXTURE_HITS.slice(0, 1));
    const [visit] = await live(s, { period: 'day', date: '2026-11-21', filter_limit: '-1' });
    const utc = Date.UTC(2026, 10, 21, 10, 0, 0) / 1000;
    expect(visit).toMatchObject({ firstActionTimestamp: utc, lastActionTimestamp: utc });
    expect((visit!.actionDetails as Row[])[0]).toMatchObject({ timestamp: utc + 3600, serverTimePretty: 'Nov 21, 2026 11:00:00' });
    // In summer (CEST) the offset is two hours.
    await track(s, [hit('c3c3000000000003', '2026-06-10 10:00:00', { url: `${SITE}/summer` })]);
    const [june] = await live(s, { period: 'day', date: '2026-06-10' });
    expect((june!.actionDetails as Row[])[0]!.timestamp).toBe(Date.UTC(2026, 5, 10, 12, 0, 0) / 1000);
  });

  it('an unknown visitor id gives the recorded empty list; a malformed one the recorded error', async () => {
    const s = await sink();
    await track(s, FIXTURE_HITS);
    const none = await fetch(`${s.url}/index.php?module=API&format=JSON&method=Live.getLastVisitsDetails&idSite=2&period=day&date=2026-11-21&segment=visitorId%3D%3Dffffffffffffffff`);
    expect(await none.text()).toBe(matomoFixture('api-live-segment-visitorIds-none').body);
    const bad = await fetch(`${s.url}/index.php?module=API&format=JSON&method=Live.getLastVisitsDetails&idSite=2&period=day&date=2026-11-21&segment=visitorId%3D%3Da1a10000000000`);
    expect(bad.status).toBe(200);
    expect(await bad.text()).toBe(matomoFixture('api-live-segment-too-long').body);
  });

  it('showColumns gives the keys of the recorded api-live-lastVisits answer', async () => {
    const s = await sink();
    await track(s, FIXTURE_HITS);
    const rows = await live(s, { period: 'day', date: '2026-11-21', showColumns: 'idVisit,visitorId,serverDate,actions' });
    const real = JSON.parse(matomoFixture('api-live-lastVisits').body) as Row[];
    expect(Object.keys(rows[0]!)).toEqual(Object.keys(real[0]!));
    expect(rows[0]!.idVisit).toBeTypeOf(jsonType(real[0]!.idVisit) as 'number');
  });
});

describe('sink Live.getLastVisitsDetails: selection like Matomo', () => {
  it('selects visits by the site-local day of their last action, and serverDate is its UTC date', async () => {
    const s = await sink();
    // 23:30 UTC on the 21st is 00:30 on the 22nd in Stockholm.
    await track(s, [hit('d4d4000000000004', '2026-11-21 23:30:00', { url: `${SITE}/late` })]);
    expect(await live(s, { period: 'day', date: '2026-11-21' })).toEqual([]);
    const [visit] = await live(s, { period: 'day', date: '2026-11-22' });
    expect(visit).toMatchObject({ visitorId: 'd4d4000000000004', serverDate: '2026-11-21' });
    expect(await live(s, { period: 'range', date: '2026-11-20,2026-11-22' })).toHaveLength(1);
  });

  it('splits a visit at site-local midnight and when an early hit comes after later ones', async () => {
    const s = await sink();
    await track(s, [
      hit('e5e5000000000005', '2026-11-21 22:50:00', { url: `${SITE}/a` }), // 23:50 local
      hit('e5e5000000000005', '2026-11-21 23:10:00', { url: `${SITE}/b` }), // 00:10 local: a new visit
      hit('f6f6000000000006', '2026-11-21 10:20:00', { url: `${SITE}/c` }),
      hit('f6f6000000000006', '2026-11-21 10:50:00', { url: `${SITE}/d` }),
      hit('f6f6000000000006', '2026-11-21 10:00:00', { url: `${SITE}/early` }), // 50 min before the last action
    ]);
    const byVisitor = async (id: string) => live(s, { period: 'range', date: '2026-11-20,2026-11-23', segment: `visitorId==${id}`, filter_sort_order: 'asc' });
    expect((await byVisitor('e5e5000000000005')).map((v) => v.actions)).toEqual([1, 1]);
    const f = await byVisitor('f6f6000000000006');
    expect(f.map((v) => (v.actionDetails as Row[]).map((d) => d.url))).toEqual([[`${SITE}/early`], [`${SITE}/c`, `${SITE}/d`]]);
    // Matomo's visitor-id lookup takes the newest visit whose last action is at most 30 minutes after
    // the hit (core/Tracker/Model::findVisitor): the early hit finds none, so its visit is new too.
    expect(f.map((v) => v.visitorType)).toEqual(['new', 'new']);
  });

  it('stores sha1(uid)[0:16] as the visitor id, as the real server did for uid user-42', () => {
    expect(storedVisitorId('user-42', 'B2B2000000000002')).toBe('685ec89afbc0d819');
    expect(storedVisitorId('user-77', 'b2b2000000000002')).toBe('14c8791407c4909e');
    expect(storedVisitorId(undefined, 'B2B2000000000002')).toBe('b2b2000000000002');
  });

  it('keeps one abandoned cart per visit (the latest) and drops it once the visit orders', async () => {
    const s = await sink();
    const cart = (cdt: string, revenue: string) => hit('a7a7000000000007', cdt, { url: `${SITE}/cart`, idgoal: '0', revenue, ec_items: '[["S","N","C",1,1]]' });
    await track(s, [hit('a7a7000000000007', '2026-11-21 09:00:00', { url: `${SITE}/p`, pv_id: 'aaaaaa' }), cart('2026-11-21 09:01:00', '10'), cart('2026-11-21 09:02:00', '20')]);
    let [visit] = await live(s, { period: 'day', date: '2026-11-21' });
    expect((visit!.actionDetails as Row[]).filter((d) => d.type === 'ecommerceAbandonedCart')).toEqual([
      expect.objectContaining({ revenue: 20, timestamp: Date.UTC(2026, 10, 21, 10, 2, 0) / 1000 }),
    ]);
    await track(s, [hit('a7a7000000000007', '2026-11-21 09:03:00', { url: `${SITE}/buy`, idgoal: '0', ec_id: 'O-7', revenue: '20' }), cart('2026-11-21 09:04:00', '5')]);
    [visit] = await live(s, { period: 'day', date: '2026-11-21' });
    expect((visit!.actionDetails as Row[]).map((d) => d.type)).toEqual(['action', 'ecommerceOrder']);
    expect(visit).toMatchObject({ visitEcommerceStatus: 'ordered', lastActionTimestamp: Date.UTC(2026, 10, 21, 9, 4, 0) / 1000 });
  });

  it('refuses a resent order that was stored, as measured: 200 with the hit invalid, nothing stored twice', async () => {
    const s = await sink();
    await track(s, FIXTURE_HITS.slice(0, 8));
    const again = await track(s, [FIXTURE_HITS[5]!]);
    expect(again).toEqual({ status: 'success', tracked: 0, invalid: 1, invalid_indices: [0] });
    expect(s.snapshot()).toMatchObject({ hits: { recorded: 8, duplicates: 0 }, rejected: { 'order-repeated': 1 } });
  });

  it('a ping leaves no action and does not move the last action time, only the duration', async () => {
    const s = await sink();
    await track(s, [
      hit('a8a8000000000008', '2026-11-21 08:00:00', { url: `${SITE}/p`, pv_id: 'bbbbbb' }),
      hit('a8a8000000000008', '2026-11-21 08:00:40', { url: `${SITE}/p`, pv_id: 'bbbbbb', ping: '1' }),
      hit('a8a8000000000008', '2026-11-21 08:01:20', { url: `${SITE}/p`, pv_id: 'bbbbbb', ping: '1' }),
    ]);
    const [visit] = await live(s, { period: 'day', date: '2026-11-21' });
    expect(visit).toMatchObject({ actions: 1, visitDuration: 81, lastActionTimestamp: Date.UTC(2026, 10, 21, 8, 0, 0) / 1000 });
    expect((visit!.actionDetails as Row[]).map((d) => d.type)).toEqual(['action']);
  });

  it('honours filter_limit (-1 = all), filter_offset, filter_sort_order and doNotFetchActions', async () => {
    const s = await sink();
    const ids = Array.from({ length: 12 }, (_, i) => `b9b9${String(i).padStart(12, '0')}`);
    await track(s, ids.map((id, i) => hit(id, `2026-11-21 07:${String(i).padStart(2, '0')}:00`, { url: `${SITE}/x` })));
    const day = { period: 'day', date: '2026-11-21' };
    expect(await live(s, { ...day, filter_limit: '-1' })).toHaveLength(12);
    expect((await live(s, { ...day, filter_limit: '3' })).map((v) => v.visitorId)).toEqual([ids[11], ids[10], ids[9]]);
    expect((await live(s, { ...day, filter_limit: '2', filter_offset: '1', filter_sort_order: 'asc' })).map((v) => v.visitorId)).toEqual([ids[1], ids[2]]);
    const bare = await live(s, { ...day, filter_limit: '1', doNotFetchActions: '1' });
    expect(bare[0]).toMatchObject({ actionDetails: [], actions: 1 });
  });
});

describe('sink Live helpers', () => {
  it('reads visitor-id segments, decoded once or twice, and refuses others with Matomo\'s messages', () => {
    expect(parseVisitorSegment('visitorId==A1a1000000000001,visitorId==a1a1000000000004')).toEqual(new Set(['a1a1000000000001', 'a1a1000000000004']));
    expect(parseVisitorSegment('visitorId%3D%3Da1a1000000000001')).toEqual(new Set(['a1a1000000000001']));
    expect(parseVisitorSegment(undefined)).toBeUndefined();
    expect(() => parseVisitorSegment('visitorId==123')).toThrow('visitorId is expected to be a 16 hex char string');
    expect(() => parseVisitorSegment('browserCode==FF')).toThrow("Segment 'browserCode' is not a supported segment.");
    expect(() => parseVisitorSegment('visitorId>a')).toThrow(SegmentError);
  });

  it('bounds a day at site-local midnights, DST included', () => {
    expect(dayBounds('2026-11-21', '2026-11-21', 'Europe/Stockholm')).toEqual({ fromMs: Date.UTC(2026, 10, 20, 23), toMs: Date.UTC(2026, 10, 21, 23) });
    // 2026-03-29 has 23 hours in Stockholm.
    expect(dayBounds('2026-03-29', '2026-03-29', 'Europe/Stockholm')).toEqual({ fromMs: Date.UTC(2026, 2, 28, 23), toMs: Date.UTC(2026, 2, 29, 22) });
  });
});

describe('sink SitesManager.getSiteFromId', () => {
  it("reports the sink's zone, CET unless --timezone says otherwise, in the recorded shape", async () => {
    const { parseSinkFlags } = await import('../../../src/sink/options.js');
    const s = await sink({ timezone: parseSinkFlags({}).timezone });
    const r = await fetch(`${s.url}/index.php?module=API&format=JSON&method=SitesManager.getSiteFromId&idSite=2`);
    const body = (await r.json()) as Row;
    expect(Object.keys(body)).toEqual(Object.keys(JSON.parse(matomoFixture('api-site-timezone').body) as Row));
    expect(body).toMatchObject({ idsite: 2, timezone: 'CET' });
    const other = await sink({ timezone: 'Europe/Stockholm' });
    const r2 = await fetch(`${other.url}/index.php?module=API&format=JSON&method=SitesManager.getSiteFromId&idSite=2`);
    expect(await r2.json()).toMatchObject({ timezone: 'Europe/Stockholm' });
  });
});
