import { describe, expect, it } from 'vitest';
import { summarizeVisits } from '../../../src/journey/inspect.js';
import type { Visit } from '../../../src/journey/visit.js';
import { param, visits } from '../../helpers/journey-helpers.js';
import { realSettings } from '../../helpers/realism-helpers.js';

/**
 * 24,000 seeded visits of the medium preset with the presets' realism section, against numbers
 * written here. Tolerance: 5 binomial standard deviations, sqrt(p(1-p)/n) (about 0.016 for a
 * share near 0.4 over 24,000 visits; the chance that a correct model fails one check is below
 * 1e-6). Shares measured over non-bounce visits use their count as n.
 */
const N = 24_000;
const sample = visits(N, realSettings(), { seed: 2024 });
const summary = summarizeVisits(sample);
const live = sample.filter((v) => !v.traits!.bounce);

function near(actual: number, expected: number, n: number): void {
  const tol = 5 * Math.sqrt((expected * (1 - expected)) / n);
  expect(Math.abs(actual - expected), `${actual} vs ${expected} (tolerance ${tol.toFixed(4)})`).toBeLessThanOrEqual(tol);
}

const shareOf = (vs: Visit[], f: (v: Visit) => boolean): number => vs.filter(f).length / vs.length;

describe('realism mix over 24,000 visits', () => {
  it.each([
    ['casual', 0.45],
    ['researcher', 0.25],
    ['buyer', 0.15],
    ['returning', 0.15],
  ])('persona %s has its weight %d', (name, share) => near(summary.personas[name]!, share, N));

  it('bounces at the configured rate, returns at the configured share', () => {
    near(summary.bounceRate, 0.35, N);
    near(summary.returningShare, 0.3, N);
    // Logged in: a quarter of the identities, on every visit (a return keeps its first visit's uid).
    near(summary.loggedInShare, 0.25, N);
  });

  it('mixes devices 55 / 40 / 5 and countries by their weights', () => {
    near(summary.devices['desktop']!, 0.55, N);
    near(summary.devices['mobile']!, 0.4, N);
    near(summary.devices['tablet']!, 0.05, N);
    near(summary.countries['us']!, 0.35, N);
    near(summary.countries['de']!, 0.1, N);
    near(summary.countries['gb']!, 0.08, N);
  });

  it('puts campaigns on 12 % of landings, by campaign weight', () => {
    near(summary.campaignShare, 0.12, N);
    const c = Math.round(0.12 * N);
    near(summary.campaigns['spring-sale']!, 0.3, c);
    near(summary.campaigns['brand-search']!, 0.25, c);
  });

  it('keeps the preset probabilities as averages over visits that do not bounce', () => {
    const n = live.length;
    near(shareOf(live, (v) => v.hits.some((h) => h.type === 'search')), 0.15, n);
    near(shareOf(live, (v) => v.hits.some((h) => h.type === 'outlink')), 0.1, n);
    near(shareOf(live, (v) => v.hits.some((h) => h.type === 'download')), 0.08, n);
    near(shareOf(live, (v) => v.traits!.cart === 'ordered'), 0.05, n);
    // Carts: orders are the 30 % of carts not abandoned, so carts are 0.05 / 0.3 of these visits.
    near(shareOf(live, (v) => v.traits!.cart !== 'none'), 0.05 / 0.3, n);
    near(shareOf(live, (v) => v.hits[0]!.params.some(([k]) => k === 'urlref')), 0.7, n);
  });

  it('keeps pageviews of visits that do not bounce inside 3..6, with a mean near the middle', () => {
    const counts = live.map((v) => v.hits.filter((h) => h.type === 'pageview').length);
    expect(Math.min(...counts)).toBe(3);
    expect(Math.max(...counts)).toBe(6);
    const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
    // Personas use parts of the range (casual the low third, researchers the upper half): the
    // mix centres within half a pageview of the middle, 4.5.
    expect(Math.abs(mean - 4.5)).toBeLessThan(0.5);
  });

  it('reports hits per visit and durations consistent with the visits', () => {
    expect(summary.visits).toBe(N);
    expect(summary.hits).toBe(sample.reduce((s, v) => s + v.hits.length, 0));
    expect(summary.hitsPerVisit.mean).toBeGreaterThan(2);
    expect(summary.durationSeconds.max).toBeLessThanOrEqual(8 * 60);
    // Bounces last 4-75 s; half the visits at least are longer than the shortest bounce.
    expect(summary.durationSeconds.p50).toBeGreaterThan(4);
    expect(sample.filter((v) => v.traits!.bounce).every((v) => v.durationMs >= 4000 && v.durationMs <= 75_000)).toBe(true);
    expect(sample.some((v) => param(v.hits[0]!, 'pf_srv') !== undefined)).toBe(true);
  });
});
