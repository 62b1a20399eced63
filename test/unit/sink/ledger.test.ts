import { describe, expect, it } from 'vitest';
import { DayKeys } from '../../../src/sink/day-key.js';
import { judgeHit, type AcceptedHit } from '../../../src/sink/judge.js';
import { Ledger, sumDays } from '../../../src/sink/ledger.js';
import { lookup, parseQuery } from '../../../src/sink/params.js';

const NOW = Date.UTC(2026, 0, 10, 23, 0, 0);
const VISITOR = '0123456789abcdef';

function hit(extra: string, visitor = VISITOR): { hit: AcceptedHit; cdt: string } {
  const params = lookup(parseQuery(`idsite=1&rec=1&url=http%3A%2F%2Fexample.test%2Fa&_id=${visitor}&${extra}`));
  const verdict = judgeHit(params, {
    authenticated: true,
    remoteAddress: '127.0.0.1',
    headerUserAgent: 'Mozilla/5.0',
    now: NOW,
    sites: undefined,
  });
  if (verdict.kind !== 'accepted') throw new Error(`not accepted: ${JSON.stringify(verdict)}`);
  return { hit: verdict, cdt: params.get('cdt') ?? '' };
}

function ledgerWith(zone = 'UTC'): { ledger: Ledger; add(extra: string, visitor?: string): string | undefined } {
  const ledger = new Ledger(new DayKeys(zone));
  return {
    ledger,
    add: (extra, visitor) => {
      const h = hit(extra, visitor);
      return ledger.record(h.hit, h.cdt);
    },
  };
}

const day = (l: Ledger, key: string) => l.sites.get(1)!.days.get(key)!;

describe('Ledger: counting like Matomo', () => {
  it('starts a visit for an unseen visitor, on new_visit=1 and after 30 idle minutes', () => {
    const { ledger, add } = ledgerWith();
    add('pv_id=aaaaaa&cdt=2026-01-10+10:00:00');
    add('pv_id=bbbbbb&cdt=2026-01-10+10:29:59'); // same visit: 29:59 idle
    add('pv_id=cccccc&cdt=2026-01-10+11:00:00'); // 30:01 idle: a new visit
    add('pv_id=dddddd&cdt=2026-01-10+11:01:00&new_visit=1'); // forced
    add('pv_id=eeeeee&cdt=2026-01-10+11:01:00', 'fedcba9876543210'); // another visitor
    const d = day(ledger, '2026-01-10');
    expect(d.visits).toBe(4);
    expect(d.actions).toBe(5);
    expect(d.uniqueVisitors).toBe(2);
    expect(d.bounces).toBe(3);
    expect(d.maxActions).toBe(2);
    expect(d.sumVisitLengthS).toBe(29 * 60 + 59);
    expect(ledger.distinctVisitors()).toBe(2);
  });

  it('counts actions by type; goals, orders, carts and pings are no actions', () => {
    const { ledger, add } = ledgerWith();
    const t = '&cdt=2026-01-10+10:00:00';
    add(`pv_id=aaaaaa${t}`);
    add(`pv_id=aaaaaa&search=shoes${t}`);
    add(`pv_id=aaaaaa&link=http%3A%2F%2Fo.test${t}`);
    add(`pv_id=aaaaaa&download=http%3A%2F%2Fd.test%2Fa.zip${t}`);
    add(`pv_id=aaaaaa&e_c=Video&e_a=Play${t}`);
    add(`pv_id=aaaaaa&idgoal=0&ec_items=%5B%5B%22a%22%2C%22b%22%2C%22c%22%2C10%2C1%5D%5D${t}`);
    add(`pv_id=aaaaaa&idgoal=0&ec_id=O1&revenue=10.50${t}`);
    add(`pv_id=aaaaaa&idgoal=2&revenue=3${t}`);
    add(`pv_id=aaaaaa&ping=1&cdt=2026-01-10+10:00:30`);
    const d = day(ledger, '2026-01-10');
    expect(d.byType).toEqual({ pageview: 1, search: 1, outlink: 1, download: 1, event: 1, ecommerce: 1, cart: 1, goal: 1, ping: 1 });
    expect(d.actions).toBe(5);
    expect(d.hits).toBe(9);
    expect(d.revenue).toBe(13.5);
    expect(d.visits).toBe(1);
    expect(d.visitsConverted).toBe(1);
    expect(d.sumVisitLengthS).toBe(30);
  });

  it('rejects a ping before any page view of the visitor, or naming an unknown page view', () => {
    const { ledger, add } = ledgerWith();
    expect(add('pv_id=aaaaaa&ping=1&cdt=2026-01-10+10:00:00')).toBe('ping-without-pageview');
    add('pv_id=aaaaaa&cdt=2026-01-10+10:00:00');
    expect(add('pv_id=zzzzzz&ping=1&cdt=2026-01-10+10:00:10')).toBe('ping-without-pageview');
    expect(add('pv_id=aaaaaa&ping=1&cdt=2026-01-10+10:00:10')).toBeUndefined();
    expect(add('pv_id=aaaaaa&ping=1&cdt=2026-01-10+10:40:10')).toBe('ping-without-pageview'); // visit expired
    expect(ledger.recorded).toBe(2);
  });

  it('counts the same visitor, page view, type and cdt twice as a duplicate (and records it, as Matomo would)', () => {
    const { ledger, add } = ledgerWith();
    add('pv_id=aaaaaa&cdt=2026-01-10+10:00:00');
    add('pv_id=aaaaaa&cdt=2026-01-10+10:00:00');
    add('pv_id=aaaaaa&cdt=2026-01-10+10:00:01'); // another second: not a duplicate
    add('pv_id=aaaaaa&e_c=a&e_a=b&cdt=2026-01-10+10:00:00'); // another type
    add('pv_id=aaaaaa&cdt=2026-01-10+10:00:00', 'fedcba9876543210'); // another visitor
    for (let i = 0; i < 100; i++) add(`pv_id=p${String(i).padStart(5, '0')}&cdt=2026-01-10+10:05:00`); // past the small-array limit
    add('pv_id=p00007&cdt=2026-01-10+10:05:00');
    expect(ledger.duplicates).toBe(2);
    expect(day(ledger, '2026-01-10').duplicates).toBe(2);
    expect(ledger.recorded).toBe(106);
  });

  it('tells two cart updates of one page in the same second apart by their items', () => {
    const { ledger, add } = ledgerWith();
    const one = encodeURIComponent('[["A","a","c",1.5,1]]');
    const two = encodeURIComponent('[["A","a","c",1.5,1],["B","b","c",2.5,1]]');
    add('pv_id=aaaaaa&cdt=2026-01-10+10:00:00');
    add(`pv_id=aaaaaa&idgoal=0&ec_items=${one}&revenue=1.5&cdt=2026-01-10+10:00:01`);
    add(`pv_id=aaaaaa&idgoal=0&ec_items=${two}&revenue=4&cdt=2026-01-10+10:00:01`);
    expect(ledger.duplicates).toBe(0);
    add(`pv_id=aaaaaa&idgoal=0&ec_items=${two}&revenue=4&cdt=2026-01-10+10:00:01`); // the same update again
    expect(ledger.duplicates).toBe(1);
  });

  it('refuses a repeated order id but keeps its visit, as Matomo 5.0.2 does', () => {
    const { ledger, add } = ledgerWith();
    expect(add('pv_id=aaaaaa&idgoal=0&ec_id=O1&revenue=10&cdt=2026-01-10+10:00:00')).toBeUndefined();
    expect(add('pv_id=bbbbbb&idgoal=0&ec_id=O1&revenue=10&cdt=2026-01-10+10:01:00', 'fedcba9876543210')).toBe('order-repeated');
    expect(day(ledger, '2026-01-10').revenue).toBe(10);
    expect(day(ledger, '2026-01-10').visitsConverted).toBe(1);
    // The refused order's visitor still got a visit (Live shows it with 0 actions); the hit is not recorded.
    expect(day(ledger, '2026-01-10').visits).toBe(2);
    expect(day(ledger, '2026-01-10').hits).toBe(1);
    expect(ledger.recorded).toBe(1);
  });

  it('finds each hit its own visit when two visits of a visitor arrive interleaved (Matomo looks up by time)', () => {
    const { ledger, add } = ledgerWith();
    expect(add('pv_id=bbbbbb&new_visit=1&cdt=2026-01-10+12:00:00')).toBeUndefined(); // the later visit first
    expect(add('pv_id=aaaaaa&new_visit=1&cdt=2026-01-09+12:00:00')).toBeUndefined(); // then the earlier one
    expect(add('pv_id=bbbbbb&ping=1&cdt=2026-01-10+12:05:00')).toBeUndefined(); // still the later visit's ping
    expect(add('pv_id=aaaaaa&ping=1&cdt=2026-01-09+12:05:00')).toBeUndefined();
    expect(day(ledger, '2026-01-10').visits).toBe(1);
    expect(day(ledger, '2026-01-09').visits).toBe(1);
    expect(day(ledger, '2026-01-10').sumVisitLengthS).toBe(300);
  });

  it('counts per local day in the sink\'s time zone', () => {
    const { ledger, add } = ledgerWith('Europe/Stockholm');
    add('pv_id=aaaaaa&cdt=2026-01-10+22:59:59'); // 23:59:59 in Stockholm
    add('pv_id=bbbbbb&cdt=2026-01-10+23:00:00', 'fedcba9876543210'); // 00:00 the next day
    expect(day(ledger, '2026-01-10').visits).toBe(1);
    expect(day(ledger, '2026-01-11').visits).toBe(1);
    expect(sumDays(ledger.sites.get(1)!.days.values()).visits).toBe(2);
  });
});

describe('DayKeys', () => {
  it('agrees with luxon across a DST change and returns one string per day', () => {
    const keys = new DayKeys('Europe/Stockholm');
    // 2026-03-29: clocks go from 02:00 to 03:00 local; local midnight of the 30th is 22:00 UTC.
    expect(keys.of(Date.UTC(2026, 2, 29, 21, 59, 59))).toBe('2026-03-29');
    expect(keys.of(Date.UTC(2026, 2, 29, 22, 0, 0))).toBe('2026-03-30');
    expect(keys.of(Date.UTC(2026, 2, 28, 22, 59, 59))).toBe('2026-03-28');
    expect(keys.of(Date.UTC(2026, 2, 28, 23, 0, 0))).toBe('2026-03-29');
    expect(keys.of(Date.UTC(2026, 2, 29, 1, 0, 0))).toBe(keys.of(Date.UTC(2026, 2, 29, 12, 0, 0)));
    const kolkata = new DayKeys('Asia/Kolkata');
    expect(kolkata.of(Date.UTC(2026, 0, 1, 18, 29, 59))).toBe('2026-01-01');
    expect(kolkata.of(Date.UTC(2026, 0, 1, 18, 30, 0))).toBe('2026-01-02');
  });
});

describe('sink: a site search is a page load of its own', () => {
  it("accepts a ping that names the search results page's pv_id (the model ends some visits on one)", () => {
    const ledger = new Ledger(new DayKeys('UTC'));
    const add = (extra: string): string | undefined => {
      const params = lookup(parseQuery(`idsite=1&rec=1&url=http%3A%2F%2Fexample.test%2Fa&_id=0123456789abcdef&${extra}`));
      const verdict = judgeHit(params, { authenticated: false, remoteAddress: '127.0.0.1', headerUserAgent: 'Mozilla/5.0', now: Date.UTC(2026, 5, 1, 12), sites: undefined });
      if (verdict.kind !== 'accepted') throw new Error(JSON.stringify(verdict));
      return ledger.record(verdict, params.get('cdt') ?? '');
    };
    expect(add('pv_id=aaaaaa&cdt=2026-06-01+11:00:00')).toBeUndefined();
    expect(add('pv_id=bbbbbb&search=shoes&cdt=2026-06-01+11:00:10')).toBeUndefined();
    expect(add('pv_id=bbbbbb&ping=1&cdt=2026-06-01+11:00:40')).toBeUndefined();
    expect(add('pv_id=cccccc&ping=1&cdt=2026-06-01+11:00:50')).toBe('ping-without-pageview');
  });
});
