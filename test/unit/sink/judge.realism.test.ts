import { describe, expect, it } from 'vitest';
import { encodeVisit } from '../../../src/matomo/encode.js';
import { DayKeys } from '../../../src/sink/day-key.js';
import { judgeHit } from '../../../src/sink/judge.js';
import { Ledger, sumDays } from '../../../src/sink/ledger.js';
import { lookup, parseQuery } from '../../../src/sink/params.js';
import { renderReport, summarize } from '../../../src/sink/report.js';
import { visits } from '../../helpers/journey-helpers.js';
import { realSettings } from '../../helpers/realism-helpers.js';

const NOW = Date.UTC(2026, 4, 20, 12, 0, 0);

function query(params: ReadonlyArray<readonly [string, string]>): string {
  return params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

describe('realism hits through the sink', () => {
  // Three backfilled days with a small pool, so visitors come back, and goals configured.
  const settings = realSettings({ visitorPool: 200, goals: [{ id: 2, probability: 1, page: '/checkout/confirmation', revenue: 5 }] }, { countries: { randomize: true, geo: 'both' } });
  const ledger = new Ledger(new DayKeys('UTC'));
  const seen = new Set<string>();
  const rejected: string[] = [];
  const excluded: string[] = [];
  ['2026-05-17', '2026-05-18', '2026-05-19'].forEach((day, d) => {
    // From the day's midnight: 1200 visits a minute apart end before the next one, and Matomo
    // (like the sink) starts a new visit at the site's midnight.
    const dayStart = Date.UTC(2026, 4, 17 + d);
    visits(1200, settings, { seed: 4, scope: day }).forEach((visit, i) => {
      for (const r of encodeVisit(visit, { siteId: 1, startAt: dayStart + i * 60_000, timezone: 'CET' })) {
        const params = lookup(parseQuery(query(r.params)));
        for (const [k] of r.params) seen.add(k.startsWith('pf_') ? 'pf_*' : k);
        const verdict = judgeHit(params, { authenticated: true, remoteAddress: '127.0.0.1', headerUserAgent: '', now: NOW, sites: undefined });
        if (verdict.kind === 'rejected') rejected.push(`${verdict.reason}: ${query(r.params)}`);
        else if (verdict.kind === 'excluded') excluded.push(`${verdict.reason}: ${query(r.params)}`);
        else {
          const why = ledger.record(verdict, params.get('cdt') ?? '');
          if (why) rejected.push(`${why}: ${query(r.params)}`);
        }
      }
    });
  });

  it('accepts every hit, with every new parameter present', () => {
    expect(rejected.slice(0, 3)).toEqual([]);
    expect(excluded.slice(0, 3)).toEqual([]);
    for (const name of ['uid', 'res', 'lang', 'pf_*', '_pkc', '_pks', '_pkn', '_pkp', 'ec_items', 'idgoal', 'revenue', 'ec_id']) expect(seen, name).toContain(name);
  });

  it('counts returning visits, carts, orders and goals in the report', () => {
    const total = sumDays([...ledger.sites.get(1)!.days.values()]);
    expect(total.visits).toBe(3600);
    expect(total.returningVisits).toBeGreaterThan(300);
    expect(total.visitsWithCart).toBeGreaterThan(50);
    expect(total.byType.cart).toBeGreaterThanOrEqual(total.visitsWithCart);
    expect(total.byType.goal).toBeGreaterThan(0);
    // Bounces: one action. About 35 % of the visits.
    expect(total.bounces / total.visits).toBeGreaterThan(0.3);
    expect(total.bounces / total.visits).toBeLessThan(0.4);
    const summary = summarize({
      url: 'http://127.0.0.1:1',
      timezone: 'UTC',
      startedAt: NOW,
      stoppedAt: NOW + 1000,
      ledger,
      traffic: { tracker: 0, bulk: 0, api: 0, other: 0, hitsReceived: 0, statusCodes: new Map() },
      faults: { counts: { delayed: 0, failed: 0, reset: 0 } } as never,
    } as never);
    expect(summary.returningVisits).toBe(total.returningVisits);
    expect(summary.visitsWithCart).toBe(total.visitsWithCart);
    expect(renderReport(summary)).toContain(`returning     ${total.returningVisits.toLocaleString('en-US')} visits   carts ${total.visitsWithCart.toLocaleString('en-US')} visits`);
  });

  it('rejects malformed page timings and goal ids', () => {
    const base = 'idsite=1&rec=1&url=https%3A%2F%2Fexample.test%2F&_id=0123456789abcdef';
    const ctx = { authenticated: true, remoteAddress: '127.0.0.1', headerUserAgent: '', now: NOW, sites: undefined };
    expect(judgeHit(lookup(parseQuery(`${base}&pf_srv=12.5`)), ctx)).toMatchObject({ kind: 'rejected', reason: 'performance-invalid' });
    expect(judgeHit(lookup(parseQuery(`${base}&pf_net=-3`)), ctx)).toMatchObject({ kind: 'rejected', reason: 'performance-invalid' });
    expect(judgeHit(lookup(parseQuery(`${base}&idgoal=abc`)), ctx)).toMatchObject({ kind: 'rejected', reason: 'goal-invalid' });
    expect(judgeHit(lookup(parseQuery(`${base}&idgoal=4&revenue=5.00`)), ctx)).toMatchObject({ kind: 'accepted', type: 'goal' });
    expect(judgeHit(lookup(parseQuery(`${base}&idgoal=0&ec_items=%5B%5D`)), ctx)).toMatchObject({ kind: 'accepted', type: 'cart' });
  });
});
