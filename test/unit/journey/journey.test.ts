import { describe, expect, it } from 'vitest';
import { loadCatalogues } from '../../../src/journey/catalogues.js';
import { buildVisit } from '../../../src/journey/journey.js';
import { MAX_GAP_MS, forcedGapMs, timelineFeasible, timelineProblem } from '../../../src/journey/timeline.js';
import type { Visit } from '../../../src/journey/visit.js';
import { allOff, allOn, builtin, mediumSettings, param, visits } from '../../helpers/journey-helpers.js';

const pageLoads = (v: Visit) => v.hits.filter((h) => h.type === 'pageview' || h.type === 'search');

describe('pageviews', () => {
  it('records exactly the drawn number of pageviews, within min..max, all of them reached', () => {
    const seen = new Set<number>();
    for (const v of visits(2000, mediumSettings({ probabilities: allOn }))) {
      const n = v.hits.filter((h) => h.type === 'pageview').length;
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(6);
      seen.add(n);
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });

  it('sends exactly the configured count when min = max, whatever else happens', () => {
    for (const v of visits(500, mediumSettings({ pageviews: { min: 4, max: 4 }, probabilities: allOn }))) {
      expect(v.hits.filter((h) => h.type === 'pageview')).toHaveLength(4);
    }
  });

  it('marks only the first hit, a pageview, with new_visit=1 and gives each page load its own 6-char pv_id', () => {
    for (const v of visits(300, mediumSettings({ probabilities: allOn }))) {
      expect(v.hits[0]?.type).toBe('pageview');
      expect(v.hits.filter((h) => param(h, 'new_visit') !== undefined).map((h) => param(h, 'new_visit'))).toEqual(['1']);
      expect(param(v.hits[0]!, 'new_visit')).toBe('1');
      const ids = pageLoads(v).map((h) => param(h, 'pv_id') as string);
      for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9]{6}$/);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it('chains urlref: every later page load names the previous page load; actions carry none', () => {
    for (const v of visits(300, mediumSettings({ probabilities: { ...allOn, directTraffic: 0.5 } }))) {
      const loads = pageLoads(v);
      loads.slice(1).forEach((h, i) => expect(param(h, 'urlref')).toBe(param(loads[i]!, 'url')));
      for (const h of v.hits) if (h.type !== 'pageview' && h.type !== 'search') expect(param(h, 'urlref')).toBeUndefined();
    }
  });

  it('sends no referrer at all on direct traffic, and one on the first pageview otherwise', () => {
    for (const v of visits(200, mediumSettings({ probabilities: { ...allOff, directTraffic: 1 } }))) {
      expect(param(v.hits[0]!, 'urlref')).toBeUndefined();
    }
    for (const v of visits(200, mediumSettings({ probabilities: { ...allOff, directTraffic: 0 } }))) {
      expect(param(v.hits[0]!, 'urlref')).toMatch(/^https:\/\/[^/]+\//);
      expect(param(v.hits[0]!, 'urlref')).not.toContain('example.test');
    }
  });

  it('uses a user URL catalogue instead of the built-in one, with its titles', () => {
    const catalogues = loadCatalogues({
      pageHost: 'ignored.test',
      urlsText: '# shop\nhttps://shop.test/a Alpha page\nhttps://shop.test/b\n',
      urlsFile: 'urls.txt',
    });
    for (const v of visits(50, mediumSettings({ probabilities: allOff }), { catalogues })) {
      for (const h of v.hits.filter((x) => x.type === 'pageview')) {
        const url = param(h, 'url');
        expect(['https://shop.test/a', 'https://shop.test/b']).toContain(url);
        expect(param(h, 'action_name')).toBe(url === 'https://shop.test/a' ? 'Alpha page' : undefined);
      }
    }
  });
});

describe('actions', () => {
  it('keeps every planned action: all probabilities 1 give one of each, after their pageview', () => {
    for (const v of visits(300, mediumSettings({ pageviews: { min: 2, max: 5 }, probabilities: allOn }))) {
      const count = (t: string) => v.hits.filter((h) => h.type === t).length;
      expect([count('outlink'), count('download'), count('event'), count('ecommerce'), count('search'), count('ping')]).toEqual([1, 1, 2, 1, 1, 1]);
    }
  });

  it('puts no action on the first pageview; a one-pageview visit gets none', () => {
    for (const v of visits(300, mediumSettings({ probabilities: allOn }))) {
      const firstPv = param(v.hits[0]!, 'pv_id');
      for (const h of v.hits) if (['outlink', 'download', 'event'].includes(h.type)) expect(param(h, 'pv_id')).not.toBe(firstPv);
    }
    for (const v of visits(300, mediumSettings({ pageviews: { min: 1, max: 1 }, probabilities: allOn }))) {
      expect(v.hits.some((h) => ['outlink', 'download', 'event'].includes(h.type))).toBe(false);
    }
  });

  it('sends actions with the url and pv_id of the page load they follow', () => {
    for (const v of visits(300, mediumSettings({ probabilities: allOn }))) {
      let page = v.hits[0]!;
      for (const h of v.hits) {
        if (h.type === 'pageview' || h.type === 'search') page = h;
        else {
          expect(param(h, 'url')).toBe(param(page, 'url'));
          expect(param(h, 'pv_id')).toBe(param(page, 'pv_id'));
        }
        if (h.type === 'outlink' || h.type === 'download' || h.type === 'event' || h.type === 'ecommerce') expect(page.type).toBe('pageview');
      }
    }
  });

  it('encodes each action kind with its own parameters', () => {
    for (const v of visits(200, mediumSettings({ probabilities: allOn }))) {
      for (const h of v.hits) {
        if (h.type === 'outlink') expect(param(h, 'link')).toMatch(/^https:\/\//);
        if (h.type === 'download') expect(param(h, 'download')).toMatch(/^https:\/\/example\.test\/(downloads|files|assets)\//);
        if (h.type === 'event') {
          expect(param(h, 'e_c')).toBeTruthy();
          expect(param(h, 'e_a')).toBeTruthy();
          const ev = param(h, 'e_v');
          if (ev !== undefined) expect(Number.isFinite(Number(ev))).toBe(true);
        }
        if (h.type === 'search') {
          expect(param(h, 'search')).toBeTruthy();
          expect(param(h, 'search_count')).toMatch(/^(\d|1\d|2[0-5])$/);
          expect(param(h, 'url')).toBe(`https://example.test/search?q=${encodeURIComponent(param(h, 'search')!).replace(/%20/g, '+')}`);
        }
      }
    }
  });

  it('places the search results page as a page load of its own, never first', () => {
    for (const v of visits(300, mediumSettings({ probabilities: { ...allOff, siteSearch: 1 } }))) {
      const searches = v.hits.filter((h) => h.type === 'search');
      expect(searches).toHaveLength(1);
      expect(v.hits.indexOf(searches[0]!)).toBeGreaterThan(0);
    }
  });

  it('sends the order as its own hit right after the last pageview, carrying its pv_id', () => {
    for (const v of visits(300, mediumSettings({ probabilities: { ...allOn, ecommerce: 1 } }))) {
      const orderIndex = v.hits.findIndex((h) => h.type === 'ecommerce');
      const lastPv = v.hits.map((h, i) => ({ h, i })).filter(({ h }) => h.type === 'pageview').at(-1)!;
      expect(orderIndex).toBeGreaterThan(lastPv.i);
      expect(v.hits.slice(lastPv.i + 1, orderIndex).every((h) => h.type === 'event')).toBe(true);
      expect(param(v.hits[orderIndex]!, 'pv_id')).toBe(param(lastPv.h, 'pv_id'));
      expect(param(v.hits[orderIndex]!, 'action_name')).toBeUndefined();
    }
  });
});

describe('ping and timeline', () => {
  it('ends every visit with ping=1 at durationMs carrying the last page load pv_id and url', () => {
    for (const v of visits(500, mediumSettings({ probabilities: allOn }))) {
      const ping = v.hits.at(-1)!;
      const last = pageLoads(v).at(-1)!;
      expect(ping.type).toBe('ping');
      expect(param(ping, 'ping')).toBe('1');
      expect(param(ping, 'pv_id')).toBe(param(last, 'pv_id'));
      expect(param(ping, 'url')).toBe(param(last, 'url'));
      expect(ping.atMs).toBe(v.durationMs);
      expect(v.hits.filter((h) => h.type === 'ping')).toHaveLength(1);
    }
  });

  it('starts at 0, keeps hits in time order and fills the drawn duration (1..8 minutes)', () => {
    for (const v of visits(500, mediumSettings({ probabilities: allOn }))) {
      expect(v.hits[0]!.atMs).toBe(0);
      v.hits.slice(1).forEach((h, i) => expect(h.atMs).toBeGreaterThanOrEqual(v.hits[i]!.atMs));
      expect(v.durationMs).toBeGreaterThanOrEqual(60_000);
      expect(v.durationMs).toBeLessThanOrEqual(8 * 60_000);
    }
  });

  it.each([
    { why: 'long visits, enough pages: 120 min over 5+ pages fits', pageviews: { min: 5, max: 6 }, minutes: { min: 100, max: 120 } },
    { why: 'infeasible settings are clamped, never a 30-minute gap', pageviews: { min: 1, max: 2 }, minutes: { min: 100, max: 120 } },
  ])('keeps every gap below 29 minutes: $why', ({ pageviews, minutes }) => {
    for (const v of visits(300, mediumSettings({ pageviews, visitDurationMinutes: minutes, probabilities: allOn }))) {
      v.hits.slice(1).forEach((h, i) => expect(h.atMs - v.hits[i]!.atMs).toBeLessThanOrEqual(MAX_GAP_MS));
    }
  });

  it.each([
    { why: 'predecessor medium: 8 min over 3 pages', pv: 3, max: 8, feasible: true },
    { why: '29 min on one page is the limit', pv: 1, max: 29, feasible: true },
    { why: '30 min on one page forces a 30-minute gap', pv: 1, max: 30, feasible: false },
    { why: '120 min over 4 pages needs 30-minute dwell', pv: 4, max: 120, feasible: false },
    { why: '120 min over 5 pages: 24 minutes each', pv: 5, max: 120, feasible: true },
  ])('timelineFeasible: $why', ({ pv, max, feasible }) => {
    const s = { pageviews: { min: pv, max: pv + 2 }, visitDurationMinutes: { min: 0.5, max } };
    expect(timelineFeasible(s)).toBe(feasible);
    expect(forcedGapMs(s)).toBe((max * 60_000) / pv);
    if (feasible) expect(timelineProblem(s)).toBeUndefined();
    else expect(timelineProblem(s)).toMatch(/visit duration max to \d+ or raise the pageviews min/);
  });

  it('pauses only before page loads and the ping, within the configured range', () => {
    for (const v of visits(300, mediumSettings({ probabilities: allOn }))) {
      v.hits.forEach((h, i) => {
        if (i === 0 || !['pageview', 'search', 'ping'].includes(h.type)) expect(h.pauseMs).toBe(0);
        else {
          expect(h.pauseMs).toBeGreaterThanOrEqual(500);
          expect(h.pauseMs).toBeLessThanOrEqual(2000);
        }
      });
    }
  });
});

describe('determinism', () => {
  const input = { seed: 'abc', scope: 'run', index: 17, settings: mediumSettings({ probabilities: allOn }), catalogues: builtin };

  it('gives the same visit for the same seed, scope and index', () => {
    expect(buildVisit(input)).toEqual(buildVisit({ ...input }));
  });

  it('gives different visits for another index, seed or day', () => {
    const base = JSON.stringify(buildVisit(input));
    expect(JSON.stringify(buildVisit({ ...input, index: 18 }))).not.toBe(base);
    expect(JSON.stringify(buildVisit({ ...input, seed: 'abd' }))).not.toBe(base);
    expect(JSON.stringify(buildVisit({ ...input, scope: '2026-01-01' }))).not.toBe(base);
  });

  it('does not depend on which visits were built before', () => {
    const alone = buildVisit({ ...input, index: 5 });
    for (let i = 0; i < 5; i++) buildVisit({ ...input, index: i });
    expect(buildVisit({ ...input, index: 5 })).toEqual(alone);
  });
});
