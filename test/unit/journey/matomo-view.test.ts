import { describe, expect, it } from 'vitest';
import { matomoView } from '../../../src/journey/matomo-view.js';
import type { PlannedHit, Visit } from '../../../src/journey/visit.js';

const hit = (type: PlannedHit['type'], atMs: number, params: Array<[string, string]> = []): PlannedHit => ({ type, atMs, pauseMs: 0, params });
const UA = 'Mozilla/5.0 (Linux; Android 14; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0.0.0 Safari/537.36';

function visit(hits: PlannedHit[], extra: Partial<Visit['visitor']> = {}, cart: 'none' | 'abandoned' | 'ordered' = 'none'): Visit {
  const durationMs = Math.max(...hits.map((h) => h.atMs));
  return {
    index: 0,
    visitor: { id: '0123456789abcdef', userAgent: UA, ...extra },
    durationMs,
    hits,
    traits: { persona: 'casual', bounce: false, returning: false, loggedIn: false, device: 'tablet', referrerType: 'social', cart, goals: 0 },
  };
}

describe('matomoView: the plan in Matomo\'s terms', () => {
  const bounce = visit([hit('pageview', 0), hit('ping', 1_400)]);
  const buyer = visit(
    [hit('pageview', 0), hit('event', 500), hit('cart', 600), hit('pageview', 30_000), hit('ecommerce', 30_100, [['revenue', '12.34']]), hit('ping', 61_999)],
    { country: 'se' },
    'ordered',
  );

  it('counts actions (not carts, orders or pings), bounces, orders, revenue and device names', () => {
    const m = matomoView([bounce, buyer]);
    expect(m).toMatchObject({ visits: 2, actions: 4, bounces: 1, orders: 1, revenue: 12.34, abandonedCarts: 0 });
    expect(m.deviceTypes).toEqual({ Tablet: 2 });
    expect(m.browsers).toEqual({ Chrome: 2 });
    expect(m.referrerTypes).toEqual({ social: 2 });
    // Only a sent country is known to a Matomo without GeoIP; 'xx' is its unknown.
    expect(m.countries).toEqual({ se: 1, xx: 1 });
  });

  it('measures visit length between whole-second cdts, plus 1 s per visit, when starts are known', () => {
    // Started at .900 s: the bounce's ping at 2.300 s is 2 whole seconds later; the buyer's last hit
    // at 62.899 s is 62 whole seconds after 0.900 s.
    const m = matomoView([bounce, buyer], undefined, [900, 900]);
    expect(m.sumVisitLengthSeconds).toBe(2 + 62 + 2);
    // Without starts: rounded durations.
    expect(matomoView([bounce, buyer]).sumVisitLengthSeconds).toBe(1 + 62 + 2);
  });

  it('takes the returning count from the forecast when there is one', () => {
    expect(matomoView([bounce, buyer], { visits: 2, returning: 1 })).toMatchObject({ returningVisits: 1, returningShare: 0.5 });
  });
});
