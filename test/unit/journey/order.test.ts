import { describe, expect, it } from 'vitest';
import { products } from '../../../src/journey/data/predecessor.js';
import { buildOrder, ecommerceProblem, orderId, orderParams } from '../../../src/journey/order.js';
import { seeded } from '../../../src/random/rng.js';
import { allOff, mediumSettings, param, visits } from '../../helpers/journey-helpers.js';

const weights = [0.6, 0.25, 0.1, 0.04, 0.01];
const priceOf = new Map(products.map((p) => [p.sku, p.priceCents / 100]));
const money = /^\d+\.\d{2}$/;

describe('orders', () => {
  it.each([
    { why: 'predecessor medium', orderValue: { min: 15.99, max: 299.99 }, items: { min: 1, max: 5 } },
    { why: 'light: narrow, cheap', orderValue: { min: 15.99, max: 99.99 }, items: { min: 1, max: 5 } },
    { why: 'extreme: wide', orderValue: { min: 15.99, max: 999.99 }, items: { min: 1, max: 5 } },
    { why: 'expensive floor forces quantities up', orderValue: { min: 2000, max: 2500 }, items: { min: 1, max: 2 } },
    { why: 'many items', orderValue: { min: 100, max: 1000 }, items: { min: 4, max: 8 } },
  ])('lands the revenue within min..max with unscaled catalogue prices: $why', ({ orderValue, items }) => {
    const settings = mediumSettings().ecommerce;
    const eco = { ...settings, orderValue, items };
    const rng = seeded(`orders-${orderValue.min}`);
    for (let i = 0; i < 2000; i++) {
      const order = buildOrder(rng, eco, products, weights);
      const p = new Map(orderParams(order, 'x'.repeat(16)));
      const lines = JSON.parse(p.get('ec_items')!) as Array<[string, string, string, number, number]>;
      expect(lines.length).toBeGreaterThanOrEqual(items.min);
      expect(lines.length).toBeLessThanOrEqual(items.max);
      let subtotal = 0;
      for (const [sku, name, category, price, quantity] of lines) {
        expect(price).toBe(priceOf.get(sku)); // never scaled
        expect(typeof name).toBe('string');
        expect(typeof category).toBe('string');
        expect(Number.isInteger(quantity) && quantity >= 1).toBe(true);
        subtotal += Math.round(price * 100) * quantity;
      }
      for (const key of ['revenue', 'ec_st', 'ec_tx', 'ec_sh']) expect(p.get(key)).toMatch(money);
      const [revenue, st, tx, sh] = ['revenue', 'ec_st', 'ec_tx', 'ec_sh'].map((k) => Math.round(Number(p.get(k)) * 100)) as [number, number, number, number];
      expect(st).toBe(subtotal);
      expect(tx).toBe(Math.round(subtotal * 0.1));
      expect([0, 599, 999, 1599]).toContain(sh);
      expect(revenue).toBe(st + tx + sh);
      expect(revenue).toBeGreaterThanOrEqual(Math.round(orderValue.min * 100));
      expect(revenue).toBeLessThanOrEqual(Math.round(orderValue.max * 100));
    }
  });

  it('weights the item count towards 1-2 (predecessor weights 60/25/10/4/1 %)', () => {
    const rng = seeded('counts');
    const eco = { ...mediumSettings().ecommerce, orderValue: { min: 10, max: 5000 } };
    let oneOrTwo = 0;
    const n = 5000;
    for (let i = 0; i < n; i++) if (buildOrder(rng, eco, products, weights).lines.length <= 2) oneOrTwo++;
    // Expected 0.85; 5 standard errors (sqrt(0.85*0.15/5000) = 0.005) either side.
    expect(Math.abs(oneOrTwo / n - 0.85)).toBeLessThan(0.025);
  });

  it('reports settings that admit no order, and accepts the presets', () => {
    const eco = mediumSettings().ecommerce;
    expect(ecommerceProblem(eco, products, weights)).toBeUndefined();
    expect(ecommerceProblem({ ...eco, orderValue: { min: 1, max: 5 } }, products, weights)).toMatch(/^ecommerce: no order of 1-5 items fits an order value of 1-5/);
  });

  it('never repeats an order id over 1,000,000 orders across seeds, days and visits', () => {
    const seen = new Set<string>();
    const scopes = ['run', ...Array.from({ length: 9 }, (_, d) => `2026-01-0${d + 1}`)];
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) {
      for (const scope of scopes) {
        for (let visit = 0; visit < 10_000; visit++) {
          const id = orderId(seed, scope, visit);
          seen.add(id);
        }
      }
    }
    expect(seen.size).toBe(1_000_000);
    expect(orderId(1, 'run', 0)).toMatch(/^[0-9a-f]{16}$/);
    expect(orderId(1, 'run', 0)).toBe(orderId(1, 'run', 0));
  }, 120_000);

  it('sends orders without a currency and with a 16-hex ec_id, unique within a run', () => {
    const ids = new Set<string>();
    for (const v of visits(2000, mediumSettings({ probabilities: { ...allOff, ecommerce: 1 } }))) {
      const order = v.hits.find((h) => h.type === 'ecommerce')!;
      expect(param(order, 'idgoal')).toBe('0');
      expect(param(order, 'ec_id')).toMatch(/^[0-9a-f]{16}$/);
      ids.add(param(order, 'ec_id')!);
      expect(order.params.some(([k]) => /currency/.test(k))).toBe(false);
    }
    expect(ids.size).toBe(2000);
  });
});
