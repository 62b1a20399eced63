import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSink, type RunningSink } from '../../../src/sink/index.js';
import type { SinkOptions } from '../../../src/sink/options.js';
import { ManualClock } from '../../../src/time/clock.js';
import { matomoFixture } from '../../helpers/fixtures.js';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const HIT = 'idsite=1&rec=1&url=http%3A%2F%2Fexample.test%2Fa&_id=0123456789abcdef';
const UA = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36' };
const sinks: RunningSink[] = [];

function options(extra: Partial<SinkOptions> = {}): SinkOptions {
  return {
    host: '127.0.0.1',
    port: 0,
    timezone: 'UTC',
    currency: 'EUR',
    faults: { failRate: 0, failStatus: 500, resetRate: 0, seed: 0 },
    ...extra,
  };
}

async function sink(extra: Partial<SinkOptions> = {}, clock = new ManualClock(NOW)): Promise<RunningSink> {
  const running = await startSink(options(extra), clock);
  sinks.push(running);
  return running;
}

afterEach(async () => {
  await Promise.all(sinks.splice(0).map((s) => s.stop()));
});

const get = (s: RunningSink, path: string, headers: Record<string, string> = UA) => fetch(`${s.url}${path}`, { headers });
const post = (s: RunningSink, path: string, body: string, type = 'application/x-www-form-urlencoded') =>
  fetch(`${s.url}${path}`, { method: 'POST', body, headers: { ...UA, 'content-type': type } });

async function expectLike(response: Response, fixture: string): Promise<void> {
  const recorded = matomoFixture(fixture);
  expect(response.status).toBe(recorded.status);
  expect(response.headers.get('content-type')).toBe(recorded.headers['content-type']);
  expect(await response.text()).toBe(recorded.body);
}

describe('sink tracker: answers like the recorded Matomo 5.0.2', () => {
  it('a bare GET gets the Matomo page', async () => {
    const s = await sink();
    await expectLike(await get(s, '/matomo.php'), 'tracker-bare-get');
  });

  it('a hit with send_image=0 gets 204 "No Response"; without, the 1x1 GIF', async () => {
    const s = await sink();
    const r = await get(s, `/matomo.php?${HIT}&send_image=0`);
    await expectLike(r, 'tracker-hit-204');
    expect(r.statusText).toBe('No Response');
    expect(r.headers.get('cache-control')).toBe('no-store');
    const gif = await get(s, `/matomo.php?${HIT}&pv_id=bbbbbb`);
    expect(gif.status).toBe(200);
    expect(gif.headers.get('content-type')).toBe('image/gif');
    const expected = readFileSync(new URL('../../fixtures/matomo-5.0.2/tracker-hit-gif.body', import.meta.url));
    expect(Buffer.from(await gif.arrayBuffer()).equals(expected)).toBe(true);
  });

  it.each([
    { fixture: 'tracker-old-cdt-no-token-400', query: `${HIT}&send_image=0&cdt=2026-11-20+12:00:00`, reason: 'old-cdt-needs-token' },
    { fixture: 'tracker-cip-no-token-400', query: `${HIT}&send_image=0&cip=10.0.0.1`, reason: 'cip-needs-token' },
    { fixture: 'tracker-unknown-site-400', query: `${HIT.replace('idsite=1', 'idsite=999')}&send_image=0`, reason: 'unknown-site' },
  ])('$fixture', async ({ fixture, query, reason }) => {
    const s = await sink({ sites: [1] });
    await expectLike(await get(s, `/matomo.php?${query}`), fixture);
    expect(s.snapshot().rejected).toEqual({ [reason]: 1 });
  });

  it('accepts an old cdt and cip with the exact --token, and refuses another token', async () => {
    const s = await sink({ token: 'secret' });
    const old = `${HIT}&send_image=0&cdt=2026-11-20+12:00:00&cip=10.0.0.1`;
    expect((await get(s, `/matomo.php?${old}&token_auth=secret`)).status).toBe(204);
    expect((await get(s, `/matomo.php?${old}&token_auth=wrong`)).status).toBe(400);
    expect((await post(s, '/matomo.php', `${old}&token_auth=secret&pv_id=cccccc`)).status).toBe(204);
    expect(s.snapshot().hits).toMatchObject({ recorded: 2, rejected: 1 });
  });

  it('answers excluded hits like recorded ones and counts them by reason', async () => {
    const s = await sink();
    expect((await get(s, `/matomo.php?${HIT.replace('rec=1&', '')}&send_image=0`)).status).toBe(204);
    expect((await get(s, `/matomo.php?${HIT}&send_image=0`, { 'user-agent': 'Googlebot/2.1 (+http://www.google.com/bot.html)' })).status).toBe(204);
    expect((await get(s, `/matomo.php?${HIT}`, { 'user-agent': 'Googlebot/2.1' })).headers.get('content-type')).toBe('image/gif');
    expect(s.snapshot().excluded).toEqual({ 'bot-user-agent': 2, 'rec-missing': 1 });
    expect(s.snapshot().hits.recorded).toBe(0);
  });
});

describe('sink bulk tracking', () => {
  const bulk = (requests: string[], token?: string) => JSON.stringify(token ? { requests, token_auth: token } : { requests });
  const ok = (n: number) => `?${HIT}&pv_id=p0000${n}&cdt=2026-11-20+12:00:0${n}`;

  it('matches bulk-superuser-one-invalid: invalid_indices for the right token', async () => {
    const s = await sink({ token: 'secret', sites: [1] });
    const r = await post(s, '/matomo.php', bulk([ok(1), ok(2), `?${HIT.replace('idsite=1', 'idsite=999')}`], 'secret'), 'application/json');
    await expectLike(r, 'bulk-superuser-one-invalid');
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('matches bulk-no-token-old-cdt and bulk-bad-token: invalid counted, no indices', async () => {
    const s = await sink({ token: 'secret' });
    await expectLike(await post(s, '/matomo.php', bulk([ok(1)])), 'bulk-no-token-old-cdt');
    await expectLike(await post(s, '/matomo.php', bulk([ok(1)], 'wrong')), 'bulk-bad-token');
    expect(s.snapshot().rejected).toEqual({ 'old-cdt-needs-token': 2 });
  });

  it('accepts object entries and whole URLs, in order, counting each hit', async () => {
    const s = await sink();
    const r = await post(
      s,
      '/matomo.php',
      JSON.stringify({
        requests: [`http://x.test/matomo.php?${HIT}&pv_id=aaaaaa`, { idsite: 1, rec: 1, url: 'http://example.test/b', _id: '0123456789abcdef', pv_id: 'bbbbbb' }],
        token_auth: 'any',
      }),
    );
    expect(await r.json()).toEqual({ status: 'success', tracked: 2, invalid: 0, invalid_indices: [] });
    expect(s.snapshot()).toMatchObject({ visits: 1, actions: 2, requests: { bulk: 1 } });
  });
});

describe('sink Reporting API', () => {
  const api = (s: RunningSink, query: string) => get(s, `/index.php?module=API&format=JSON&${query}`);

  it('matches the recorded simple answers', async () => {
    const s = await sink({ sites: [1] });
    await expectLike(await api(s, 'method=API.getMatomoVersion'), 'api-getMatomoVersion');
    await expectLike(await api(s, 'method=UsersManager.hasSuperUserAccess'), 'api-hasSuperUserAccess');
    await expectLike(await api(s, 'method=UsersManager.getSitesAccessFromUser&userLogin=x'), 'api-getSitesAccessFromUser');
    await expectLike(await api(s, 'method=SitesManager.getSiteFromId&idSite=999'), 'api-getSiteFromId-unknown');
    await expectLike(await api(s, 'method=VisitsSummary.get&idSite=1&period=day&date=2026-11-22'), 'api-visitsSummary-not-archived');
  });

  it('getSiteFromId has the recorded shape, with the sink\'s zone and currency', async () => {
    const s = await sink({ timezone: 'Europe/Stockholm' });
    const r = await api(s, 'method=SitesManager.getSiteFromId&idSite=1');
    const recorded = JSON.parse(matomoFixture('api-getSiteFromId').body) as Record<string, unknown>;
    const body = (await r.json()) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(Object.keys(recorded));
    expect(body).toMatchObject({ idsite: 1, timezone: 'Europe/Stockholm', currency: 'EUR', ecommerce: 1, sitesearch: 1, main_url: 'http://example.test' });
  });

  it('a wrong token gets the recorded 401 error object, GET or POST', async () => {
    const s = await sink({ token: 'secret' });
    await expectLike(await api(s, 'method=API.getMatomoVersion&token_auth=wrong'), 'api-bad-token');
    await expectLike(await post(s, '/index.php', 'module=API&format=JSON&method=API.getMatomoVersion&token_auth=wrong'), 'api-bad-token');
    expect((await post(s, '/index.php', 'module=API&format=JSON&method=API.getMatomoVersion&token_auth=secret')).status).toBe(200);
  });

  it('VisitsSummary.get and Live.getLastVisitsDetails report what was recorded', async () => {
    const s = await sink();
    await get(s, `/matomo.php?${HIT}&pv_id=aaaaaa&cdt=2026-11-23+10:00:00&send_image=0`);
    await get(s, `/matomo.php?${HIT}&pv_id=bbbbbb&cdt=2026-11-23+10:00:01&send_image=0`);
    await get(s, `/matomo.php?${HIT.replace('0123456789abcdef', '1111111111111111')}&pv_id=cccccc&cdt=2026-11-23+11:00:00&send_image=0`);
    const summary = await (await api(s, 'method=VisitsSummary.get&idSite=1&period=day&date=2026-11-23')).json();
    const recorded = JSON.parse(matomoFixture('api-visitsSummary-archived').body) as Record<string, unknown>;
    expect(Object.keys(summary as object)).toEqual(Object.keys(recorded));
    expect(summary).toMatchObject({ nb_uniq_visitors: 2, nb_visits: 2, nb_actions: 3, bounce_count: 1, sum_visit_length: 1, max_actions: 2, bounce_rate: '50%', nb_actions_per_visit: 1.5, avg_time_on_site: 1 });
    const range = await (await api(s, 'method=VisitsSummary.get&idSite=1&period=range&date=2026-11-22,2026-11-23')).json();
    expect(Object.keys(range as object)).toEqual(Object.keys(JSON.parse(matomoFixture('api-visitsSummary-range').body) as object));
    expect(range).toMatchObject({ nb_visits: 2, nb_actions: 3 });
    const visits = (await (await api(s, 'method=Live.getLastVisitsDetails&idSite=1&period=day&date=2026-11-23&filter_limit=-1')).json()) as Array<Record<string, unknown>>;
    expect(visits).toHaveLength(2);
    expect(visits[0]).toMatchObject({ visitorId: '1111111111111111', serverDate: '2026-11-23', actions: 1 });
    expect(visits[1]).toMatchObject({ visitorId: '0123456789abcdef', actions: 2 });
    expect(await (await api(s, 'method=Live.getLastVisitsDetails&idSite=1&period=day&date=2026-11-22')).json()).toEqual([]);
    expect(await (await api(s, 'method=Live.getLastVisitsDetails&idSite=1&period=range&date=2026-11-01,2026-11-30&filter_limit=1')).json()).toHaveLength(1);
  });

  it('CoreAdminHome.getTrackingFailures lists the first failure per site and problem, without the token', async () => {
    const s = await sink({ sites: [1], token: 'secret' });
    await get(s, `/matomo.php?${HIT}&send_image=0&cdt=2026-11-20+01:11:59`);
    await get(s, `/matomo.php?${HIT.replace('idsite=1', 'idsite=999')}&send_image=0&token_auth=secret`);
    await get(s, `/matomo.php?${HIT.replace('idsite=1', 'idsite=999')}&send_image=0&token_auth=secret`);
    const failures = (await (await api(s, 'method=CoreAdminHome.getTrackingFailures&token_auth=secret')).json()) as Array<Record<string, unknown>>;
    const recorded = JSON.parse(matomoFixture('api-trackingFailures').body) as Array<Record<string, unknown>>;
    expect(failures).toHaveLength(2);
    expect(Object.keys(failures[0]!)).toEqual(Object.keys(recorded[0]!));
    expect(failures.map((f) => [f.idsite, f.idfailure, f.site_name])).toEqual([[1, 2, 'Site 1'], [999, 1, 'Unknown']]);
    expect(JSON.stringify(failures)).not.toContain('secret');
  });

  it('an unknown method is an error object with 200', async () => {
    const s = await sink();
    const r = await api(s, 'method=Nope.nothing');
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ result: 'error' });
  });
});

describe('sink fault injection over HTTP', () => {
  it('fails and resets exact numbers of requests whatever the concurrency', async () => {
    const faults = { failRate: 0.3, failStatus: 429 as const, resetRate: 0.1, seed: 42 };
    const paths = Array.from({ length: 300 }, (_, i) => `/matomo.php?${HIT}&pv_id=p${String(i).padStart(5, '0')}&send_image=0`);
    const outcome = async (concurrency: number, order: string[]) => {
      const s = await sink({ faults });
      const statuses = new Map<string, number>();
      let retryAfter = 0;
      for (let i = 0; i < order.length; i += concurrency) {
        await Promise.all(
          order.slice(i, i + concurrency).map(async (path) => {
            try {
              const r = await fetch(`${s.url}${path}`, { headers: { ...UA, connection: 'close' } });
              if (r.headers.get('retry-after') === '1') retryAfter += 1;
              await r.arrayBuffer();
              statuses.set(String(r.status), (statuses.get(String(r.status)) ?? 0) + 1);
            } catch {
              statuses.set('reset', (statuses.get('reset') ?? 0) + 1);
            }
          }),
        );
      }
      const summary = await s.stop();
      return { statuses, retryAfter, summary };
    };
    const a = await outcome(1, paths);
    const b = await outcome(25, [...paths].reverse());
    expect(b.statuses).toEqual(a.statuses);
    expect(a.retryAfter).toBe(a.statuses.get('429'));
    expect(a.summary.faults).toEqual({ delayed: 0, failed: a.statuses.get('429'), reset: a.statuses.get('reset'), partialCommits: 0, lostHits: 0 });
    expect(a.summary.hits.recorded).toBe(a.statuses.get('204'));
    expect(b.summary.hits.recorded).toBe(a.summary.hits.recorded);
    expect(a.statuses.get('429')).toBeGreaterThan(40);
    expect(a.statuses.get('reset')).toBeGreaterThan(10);
  });

  it('delays answers by the injected latency on the sink\'s clock', async () => {
    const clock = new ManualClock(NOW);
    const s = await sink({ faults: { failRate: 0, failStatus: 500, resetRate: 0, seed: 0, latencyMs: { min: 100, max: 100 } } }, clock);
    const pending = fetch(`${s.url}/matomo.php?${HIT}&send_image=0`, { headers: UA });
    while (clock.pending() === 0) await new Promise((r) => setImmediate(r));
    await clock.advance(100);
    expect((await pending).status).toBe(204);
    expect(s.snapshot().faults.delayed).toBe(1);
  });
});

describe('sink --record', () => {
  it('writes each recorded hit as {type, at, params} in the order received, without token_auth', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sink-record-'));
    const file = join(dir, 'hits.ndjson');
    const s = await sink({ record: file, token: 'secret' });
    await get(s, `/matomo.php?${HIT}&pv_id=aaaaaa&cdt=2026-11-23+10:00:00&token_auth=secret&send_image=0`);
    await get(s, `/matomo.php?${HIT.replace('idsite=1', 'idsite=0')}&send_image=0`); // rejected: not recorded
    await post(s, '/matomo.php', JSON.stringify({ requests: [`?${HIT}&pv_id=aaaaaa&e_c=Video&e_a=Play&cdt=2026-11-23+10:00:05`], token_auth: 'secret' }));
    await s.stop();
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toEqual([
      {
        type: 'pageview',
        at: '2026-11-23T10:00:00.000Z',
        params: { idsite: '1', rec: '1', url: 'http://example.test/a', _id: '0123456789abcdef', pv_id: 'aaaaaa', cdt: '2026-11-23 10:00:00', send_image: '0' },
      },
      {
        type: 'event',
        at: '2026-11-23T10:00:05.000Z',
        params: { idsite: '1', rec: '1', url: 'http://example.test/a', _id: '0123456789abcdef', pv_id: 'aaaaaa', e_c: 'Video', e_a: 'Play', cdt: '2026-11-23 10:00:05' },
      },
    ]);
    expect(Object.keys(lines[0]!.params as object)).toEqual(['idsite', 'rec', 'url', '_id', 'pv_id', 'cdt', 'send_image']);
  });
});
