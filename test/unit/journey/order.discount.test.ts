import { describe, expect, it } from 'vitest';
import { buildOrder, orderParams, withDiscount } from '../../../src/journey/order.js';
import { seeded } from '../../../src/random/rng.js';
import { param, visits } from '../../helpers/journey-helpers.js';
import { realSettings } from '../../helpers/realism-helpers.js';
import { products, itemCountWeights } from '../../../src/journey/data/predecessor.js';

const ecommerce = realSettings().ecommerce;
const cents = (text: string | undefined): number => Math.round(Number(text) * 100);

describe('order discounts (ec_dt)', () => {
  it('keeps revenue = subtotal + tax + shipping - discount, two decimals, inside the value range', () => {
    const rng = seeded('discount');
    let discounted = 0;
    for (let i = 0; i < 2_000; i++) {
      const order = withDiscount(rng, buildOrder(rng, ecommerce, products, itemCountWeights), ecommerce);
      const params = new Map(orderParams(order, 'x'));
      for (const name of ['revenue', 'ec_st', 'ec_tx', 'ec_sh']) expect(params.get(name)).toMatch(/^\d+\.\d\d$/);
      const dt = params.get('ec_dt');
      if (dt !== undefined) {
        discounted++;
        expect(dt).toMatch(/^\d+\.\d\d$/);
        expect(cents(dt)).toBeGreaterThan(0);
      }
      expect(cents(params.get('revenue'))).toBe(cents(params.get('ec_st')) + cents(params.get('ec_tx')) + cents(params.get('ec_sh')) - cents(dt ?? '0'));
      expect(cents(params.get('revenue'))).toBeGreaterThanOrEqual(Math.round(ecommerce.orderValue.min * 100));
      expect(cents(params.get('revenue'))).toBeLessThanOrEqual(Math.round(ecommerce.orderValue.max * 100));
    }
    // Only an order at the bottom of the range can go without (the cut leaves no room).
    expect(discounted).toBeGreaterThan(1_900);
  });

  it('gives the configured share of orders a coupon, and never an abandoned cart', () => {
    const sample = visits(20_000, realSettings({ discountShare: 0.2 }), { seed: 7 });
    const orders = sample.flatMap((v) => v.hits.filter((h) => h.type === 'ecommerce'));
    const carts = sample.flatMap((v) => v.hits.filter((h) => h.type === 'cart'));
    const share = orders.filter((h) => param(h, 'ec_dt') !== undefined).length / orders.length;
    const tol = 5 * Math.sqrt((0.2 * 0.8) / orders.length);
    expect(orders.length).toBeGreaterThan(300);
    expect(Math.abs(share - 0.2), `${share} of ${orders.length} orders`).toBeLessThanOrEqual(tol);
    expect(carts.some((h) => param(h, 'ec_dt') !== undefined)).toBe(false);
  });

  it('sends no ec_dt with discountShare 0', () => {
    const sample = visits(5_000, realSettings({ discountShare: 0 }), { seed: 7 });
    expect(sample.some((v) => v.hits.some((h) => param(h, 'ec_dt') !== undefined))).toBe(false);
  });
});
