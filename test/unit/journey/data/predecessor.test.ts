import { describe, expect, it } from 'vitest';
import { clickEvents, randomEvents } from '../../../../src/journey/data/predecessor.js';
import { mediumSettings, param, visits } from '../../../helpers/journey-helpers.js';

/**
 * Mixes over 20,000 seeded visits against the configured numbers, written here (not read back from
 * the configuration code). Tolerance: 5 standard errors of a binomial share, sqrt(p(1-p)/n). One
 * check then fails by chance with probability ~6e-7, so ~30 checks stay below 2e-5 overall, while a
 * real bias of a percentage point (about 3 standard errors at p = 0.3) already shows, and anything
 * the size of the predecessor's defects (a share halved, a country missing) fails by far.
 */
const n = 20_000;
const settings = mediumSettings({ countries: { randomize: true, geo: 'country' } });
const all = visits(n, settings, { seed: 'stats' });

function expectShare(count: number, total: number, p: number): void {
  const se = Math.sqrt((p * (1 - p)) / total);
  expect(Math.abs(count / total - p), `share ${count / total} vs ${p} (se ${se.toFixed(4)})`).toBeLessThan(5 * se);
}

const clickCategories = new Set(clickEvents.map((e) => e.category));
const randomCategories = new Set(randomEvents.map((e) => e.category));
const has = (pred: (h: (typeof all)[number]['hits'][number]) => boolean) => all.filter((v) => v.hits.some(pred)).length;

describe('probabilities (medium preset: every visit has 3-6 pageviews, so every visit is eligible)', () => {
  it.each([
    { what: 'site search 0.15', p: 0.15, count: () => has((h) => h.type === 'search') },
    { what: 'outlinks 0.10', p: 0.1, count: () => has((h) => h.type === 'outlink') },
    { what: 'downloads 0.08', p: 0.08, count: () => has((h) => h.type === 'download') },
    { what: 'click events 0.25', p: 0.25, count: () => has((h) => h.type === 'event' && clickCategories.has(param(h, 'e_c')!)) },
    { what: 'random events 0.12', p: 0.12, count: () => has((h) => h.type === 'event' && randomCategories.has(param(h, 'e_c')!)) },
    { what: 'ecommerce 0.05', p: 0.05, count: () => has((h) => h.type === 'ecommerce') },
    { what: 'direct traffic 0.30', p: 0.3, count: () => all.filter((v) => param(v.hits[0]!, 'urlref') === undefined).length },
  ])('$what', ({ p, count }) => expectShare(count(), n, p));

  it('draws pageview counts 3..6 uniformly', () => {
    for (const k of [3, 4, 5, 6]) expectShare(all.filter((v) => v.hits.filter((h) => h.type === 'pageview').length === k).length, n, 0.25);
  });
});

describe('referrer mix: search 35, social 15, referral 20 of 100 with direct 30', () => {
  const refs = all.map((v) => param(v.hits[0]!, 'urlref')).filter((r): r is string => r !== undefined);
  const isSearch = (r: string) => /[?&](q|p|text)=/.test(r) && /google|bing|duckduckgo|yahoo|ecosia|yandex/.test(r);
  const social = /\/\/t\.co\/|linkedin|facebook|reddit|ycombinator|youtube|instagram|mastodon/;
  it.each([
    { kind: 'search engines', p: 0.35, match: isSearch },
    { kind: 'social', p: 0.15, match: (r: string) => !isSearch(r) && social.test(r) },
    { kind: 'referral sites', p: 0.2, match: (r: string) => !isSearch(r) && !social.test(r) },
  ])('$kind', ({ p, match }) => expectShare(refs.filter(match).length, n, p));

  it('search referrers carry a query', () => {
    for (const r of refs.filter(isSearch)) expect(r).toMatch(/[?&](q|p|text)=[a-z+]+$/);
  });
});

describe('country mix', () => {
  const expected: Record<string, number> = { us: 0.35, de: 0.1, gb: 0.08, ca: 0.06, fr: 0.06, au: 0.05, nl: 0.05, jp: 0.04, se: 0.03, br: 0.03 };
  const named = new Set(Object.keys(expected));
  it.each(Object.entries(expected))('%s %d', (code, p) => expectShare(all.filter((v) => v.visitor.country === code).length, n, p));
  it('other countries 0.15', () => expectShare(all.filter((v) => !named.has(v.visitor.country!)).length, n, 0.15));
});
