import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/config/resolve.js';
import type { Config } from '../../../src/config/schema.js';
import { memoryIo } from '../../../src/io.js';
import { loadConfig } from '../../../src/config/load.js';
import { PRESET_NAMES } from '../../../src/config/presets.js';
import { ecommerceProblem } from '../../../src/journey/order.js';
import { itemCountWeights, products } from '../../../src/journey/data/predecessor.js';
import {
  checkedWorkload,
  createWorkload,
  orderSettingsKey,
  PROVEN_ORDER_SETTINGS,
  workloadProblems,
} from '../../../src/workload/workload.js';

const NOW = Date.UTC(2026, 10, 26, 12);

function config(values: Record<string, unknown>): Config {
  const r = resolveConfig([{ kind: 'flags', label: 'flags', values, origins: {} }], { now: NOW });
  if (!r.config) throw new Error(JSON.stringify(r.errors));
  return r.config;
}

describe('workload', () => {
  it('rejects durations that force a gap of 30 idle minutes', () => {
    const c = config({ url: 'http://127.0.0.1/matomo.php', visitDurationMinutes: { min: 1, max: 100 }, pageviews: { min: 2, max: 3 } });
    const problems = workloadProblems(c, createWorkload(c, 1).catalogues);
    expect(problems.map((p) => p.path)).toEqual(['visitDurationMinutes.max']);
    expect(problems[0]!.message).toMatch(/30 idle minutes/);
  });

  it('reports a bad funnel file and the journey rules as configuration issues', () => {
    const c = config({ url: 'http://127.0.0.1/matomo.php' });
    const bad = checkedWorkload(c, 1, { funnelsText: 'funnels: 3' });
    expect(bad.workload).toBeUndefined();
    expect(bad.issues.length).toBeGreaterThan(0);
    expect(bad.issues.every((i) => i.path === 'funnelsFile')).toBe(true);
    const tooLong = config({ url: 'http://127.0.0.1/matomo.php', visitDurationMinutes: { min: 1, max: 100 }, pageviews: { min: 2, max: 3 } });
    expect(checkedWorkload(tooLong, 1, {}).issues.map((i) => i.path)).toEqual(['visitDurationMinutes.max']);
    expect(checkedWorkload(c, 1, {}).workload).toBeDefined();
  });

  it('accepts the built-in defaults', () => {
    const c = config({ url: 'http://127.0.0.1/matomo.php' });
    expect(workloadProblems(c, createWorkload(c, 1).catalogues)).toEqual([]);
  });

  it.each([...PROVEN_ORDER_SETTINGS])('proven order settings %s pass the order probe', (key) => {
    const [min, max, itemsMin, itemsMax, taxRate, shippingRates] = JSON.parse(key) as [number, number, number, number, number, number[]];
    const settings = { orderValue: { min, max }, items: { min: itemsMin, max: itemsMax }, taxRate, shippingRates, currency: 'SEK' };
    expect(ecommerceProblem(settings, products, itemCountWeights)).toBeUndefined();
  });

  it.each(['(defaults)', ...PRESET_NAMES])('the order settings of %s are among the proven ones', async (name) => {
    const io = memoryIo({ argv: [], env: { MATOMO_URL: 'http://127.0.0.1/matomo.php', MATOMO_TOKEN_AUTH: 't' } });
    const r = await loadConfig(io, { values: {}, ...(name === '(defaults)' ? {} : { preset: name }) }, { now: NOW });
    expect(PROVEN_ORDER_SETTINGS.has(orderSettingsKey(r.config!.ecommerce))).toBe(true);
  });

  it('rejects order bounds the product catalogue cannot meet', () => {
    const c = config({ url: 'http://127.0.0.1/matomo.php', ecommerce: { orderValue: { min: 0.01, max: 0.02 } } });
    expect(workloadProblems(c, createWorkload(c, 1).catalogues).map((p) => p.path)).toEqual(['ecommerce.orderValue']);
  });

  it('spreads visits over targets by weight and over a site range, reproducibly', () => {
    const c = config({
      targets: [
        { url: 'http://127.0.0.1:1/matomo.php', siteId: '1-4', weight: 3 },
        { url: 'http://127.0.0.1:2/matomo.php', siteId: 9, weight: 1 },
      ],
    });
    const w = createWorkload(c, 'seed');
    const n = 20_000;
    const perTarget = [0, 0];
    const sites = new Set<number>();
    for (let i = 0; i < n; i++) {
      const p = w.placeRunVisit(i);
      perTarget[p.target]! += 1;
      if (p.target === 0) sites.add(p.siteId);
      else expect(p.siteId).toBe(9);
    }
    // Share 0.75, n = 20,000: standard error 0.0031; 5 SE = 0.015.
    expect(Math.abs(perTarget[0]! / n - 0.75)).toBeLessThan(0.015);
    expect([...sites].sort()).toEqual([1, 2, 3, 4]);
    expect(createWorkload(c, 'seed').placeRunVisit(123)).toEqual(w.placeRunVisit(123));
  });
});
