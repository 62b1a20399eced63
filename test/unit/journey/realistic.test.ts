import { describe, expect, it } from 'vitest';
import { buildVisit } from '../../../src/journey/journey.js';
import type { Visit } from '../../../src/journey/visit.js';
import { encodeVisit } from '../../../src/matomo/encode.js';
import { devices } from '../../../src/journey/data/devices.js';
import { countryZones } from '../../../src/journey/data/zones.js';
import { builtin, mediumSettings, param, visits } from '../../helpers/journey-helpers.js';
import { realism, realSettings } from '../../helpers/realism-helpers.js';

const settings = realSettings({ goals: [{ id: 3, probability: 1, page: '/checkout/confirmation', revenue: 10 }, { id: 4, probability: 0.5, event: 'Form' }] });
const sample = visits(4000, settings, { seed: 11 });
const loads = (v: Visit) => v.hits.filter((h) => h.type === 'pageview' || h.type === 'search');
const pageviews = (v: Visit) => v.hits.filter((h) => h.type === 'pageview');

describe('realism keeps every rule of the journey model', () => {
  it('gives bounces exactly one pageview and a ping, and others n pageviews within the configured range', () => {
    let bounces = 0;
    for (const v of sample) {
      if (v.traits!.bounce) {
        bounces++;
        expect(v.hits.map((h) => h.type)).toEqual(['pageview', 'ping']);
      } else {
        const n = pageviews(v).length;
        expect(n).toBeGreaterThanOrEqual(3);
        expect(n).toBeLessThanOrEqual(6);
      }
    }
    expect(bounces).toBeGreaterThan(0);
  });

  it('never puts an action, cart, goal or order on the landing page, and ends with a ping on the last pv_id', () => {
    for (const v of sample) {
      const firstPv = param(v.hits[0]!, 'pv_id');
      expect(v.hits[0]!.type).toBe('pageview');
      expect(param(v.hits[0]!, 'new_visit')).toBe('1');
      for (const h of v.hits.slice(1, -1)) if (h.type !== 'pageview' && h.type !== 'search') expect(param(h, 'pv_id')).not.toBe(firstPv);
      const last = v.hits[v.hits.length - 1]!;
      expect(last.type).toBe('ping');
      expect(param(last, 'pv_id')).toBe(param(loads(v).at(-1)!, 'pv_id'));
    }
  });

  it('keeps every gap below 29 minutes and hits in time order', () => {
    for (const v of sample) {
      for (let i = 1; i < v.hits.length; i++) {
        const gap = v.hits[i]!.atMs - v.hits[i - 1]!.atMs;
        expect(gap).toBeGreaterThanOrEqual(0);
        expect(gap).toBeLessThan(29 * 60_000);
      }
    }
  });

  it('orders the cart: the order follows the last pageview with the last cart update items; carts carry no ec_id', () => {
    const ids = new Set<string>();
    let ordered = 0;
    let abandoned = 0;
    for (const v of sample) {
      const carts = v.hits.filter((h) => h.type === 'cart');
      const orders = v.hits.filter((h) => h.type === 'ecommerce');
      for (const c of carts) {
        expect(param(c, 'idgoal')).toBe('0');
        expect(param(c, 'ec_id')).toBeUndefined();
        const items = JSON.parse(param(c, 'ec_items')!) as Array<[string, string, string, number, number]>;
        const total = items.reduce((s, [, , , price, q]) => s + Math.round(price * 100) * q, 0);
        expect(param(c, 'revenue')).toBe((total / 100).toFixed(2));
      }
      if (v.traits!.cart === 'abandoned') {
        abandoned++;
        expect(carts.length).toBeGreaterThan(0);
        expect(orders).toHaveLength(0);
      }
      if (v.traits!.cart === 'ordered') {
        ordered++;
        expect(orders).toHaveLength(1);
        const order = orders[0]!;
        expect(param(order, 'ec_items')).toBe(param(carts.at(-1)!, 'ec_items'));
        const id = param(order, 'ec_id')!;
        expect(id).toMatch(/^[0-9a-f]{16}$/);
        expect(ids.has(id)).toBe(false);
        ids.add(id);
        // After the last page load: nothing but goals, the order and the ping follow it on that page.
        const lastLoad = v.hits.lastIndexOf(loads(v).at(-1)!);
        expect(v.hits.indexOf(order)).toBeGreaterThan(lastLoad);
        const value = Number(param(order, 'revenue'));
        expect(value).toBeGreaterThanOrEqual(15.99);
        expect(value).toBeLessThanOrEqual(299.99);
      }
      if (v.traits!.cart === 'none') expect(carts.length + orders.length).toBe(0);
    }
    expect(ordered).toBeGreaterThan(20);
    expect(abandoned).toBeGreaterThan(ordered);
  });

  it('puts product info on product pages and each cart update right after a product page view', () => {
    let products = 0;
    for (const v of sample) {
      for (const h of v.hits) {
        if (param(h, '_pks') === undefined) continue;
        products++;
        expect(h.type).toBe('pageview');
        expect(param(h, 'url')).toMatch(/^https:\/\/example\.test\/shop\//);
        expect(Number(param(h, '_pkp'))).toBeGreaterThan(0);
        expect(param(h, '_pkn')).toBeTruthy();
        expect(param(h, '_pkc')).toBeTruthy();
      }
      for (const c of v.hits.filter((h) => h.type === 'cart')) {
        const page = v.hits.find((h) => h.type === 'pageview' && param(h, 'pv_id') === param(c, 'pv_id'))!;
        expect(param(page, '_pks')).toBeDefined();
      }
    }
    expect(products).toBeGreaterThan(500);
  });

  it('converts page goals on the checkout page and event goals after their event, once per visit', () => {
    let pageGoals = 0;
    let eventGoals = 0;
    for (const v of sample) {
      const goals = v.hits.filter((h) => h.type === 'goal');
      expect(new Set(goals.map((g) => param(g, 'idgoal'))).size).toBe(goals.length);
      for (const g of goals) {
        if (param(g, 'idgoal') === '3') {
          pageGoals++;
          expect(param(g, 'url')).toBe('https://example.test/checkout/confirmation');
          expect(param(g, 'revenue')).toBe('10.00');
        } else {
          eventGoals++;
          const i = v.hits.indexOf(g);
          expect(v.hits.slice(0, i).some((h) => h.type === 'event' && param(h, 'e_c') === 'Form' && param(h, 'pv_id') === param(g, 'pv_id'))).toBe(true);
        }
      }
      expect(goals).toHaveLength(v.traits!.goals);
    }
    expect(pageGoals).toBeGreaterThan(10);
    expect(eventGoals).toBeGreaterThan(0);
  });

  it('sends whole-millisecond page timings on pageviews only', () => {
    for (const v of sample.slice(0, 500)) {
      for (const h of v.hits) {
        const net = param(h, 'pf_net');
        if (h.type !== 'pageview') expect(net).toBeUndefined();
        else for (const k of ['pf_net', 'pf_srv', 'pf_tfr', 'pf_dm1', 'pf_dm2', 'pf_onl']) expect(param(h, k)).toMatch(/^\d+$/);
      }
    }
  });

  it('puts campaign parameters on the landing page only', () => {
    let campaigns = 0;
    for (const v of sample) {
      const urls = v.hits.map((h) => param(h, 'url')!);
      if (v.traits!.campaign) {
        campaigns++;
        const landing = new URL(urls[0]!);
        expect(landing.searchParams.get('mtm_campaign')).toBe(v.traits!.campaign);
        expect(landing.searchParams.get('mtm_source')).toBeTruthy();
        expect(landing.searchParams.get('mtm_medium')).toBeTruthy();
      } else {
        expect(urls[0]).not.toContain('mtm_');
      }
      for (const h of v.hits) if (param(h, 'pv_id') !== param(v.hits[0]!, 'pv_id')) expect(param(h, 'url')).not.toContain('mtm_campaign');
    }
    expect(campaigns).toBeGreaterThan(300);
  });
});

describe('visitors', () => {
  it('draws devices with a resolution of their own class and lang and time zone of their country', () => {
    const resByUa = new Map(devices.map((d) => [d.ua, d.resolutions]));
    for (const v of sample) {
      const { visitor, traits } = v;
      expect(resByUa.get(visitor.userAgent)).toContain(visitor.resolution);
      expect(devices.find((d) => d.ua === visitor.userAgent)!.type).toBe(traits!.device);
      const zones = countryZones[traits!.country!]!.map((z) => z[0]);
      expect(zones).toContain(visitor.timezone);
      const lang = builtin.countries.find((c) => c.code === traits!.country)!.lang;
      expect(visitor.lang).toBe(lang);
    }
  });

  it('has at least 30 user agents whose weights sum to 100', () => {
    expect(new Set(devices.map((d) => d.ua)).size).toBeGreaterThanOrEqual(30);
    expect(devices.reduce((s, d) => s + d.weight, 0)).toBeCloseTo(100, 6);
  });

  it('sends h/m/s in the visitor zone (Los Angeles is 9 hours behind CET in January)', () => {
    const v = sample.find((x) => x.visitor.timezone === 'America/Los_Angeles')!;
    const start = Date.UTC(2026, 0, 15, 18, 30, 0);
    const [first] = encodeVisit(v, { siteId: 1, startAt: start, timezone: 'CET' });
    const p = new Map(first!.params);
    expect([p.get('h'), p.get('m'), p.get('s')]).toEqual(['10', '30', '0']);
    expect(p.get('res')).toBe(v.visitor.resolution);
  });

  it('reuses pool identities across days: same _id, device, country and uid, with new_visit=1', () => {
    const byId = new Map<string, Visit[]>();
    const days = ['2026-01-05', '2026-01-06', '2026-01-07'];
    for (const day of days) for (const v of visits(1500, realSettings({ visitorPool: 300 }), { seed: 5, scope: day })) {
      if (!v.traits!.returning) continue;
      const list = byId.get(v.visitor.id) ?? [];
      list.push(v);
      byId.set(v.visitor.id, list);
    }
    const repeated = [...byId.values()].filter((l) => l.length > 1);
    expect(repeated.length).toBeGreaterThan(100);
    let withUid = 0;
    for (const list of repeated) {
      const [a] = list;
      for (const b of list) {
        expect([b.visitor.userAgent, b.visitor.resolution, b.visitor.ip, b.visitor.uid, b.visitor.timezone]).toEqual([a!.visitor.userAgent, a!.visitor.resolution, a!.visitor.ip, a!.visitor.uid, a!.visitor.timezone]);
        expect(param(b.hits[0]!, 'new_visit')).toBe('1');
      }
      if (a!.visitor.uid) withUid++;
    }
    expect(withUid).toBeGreaterThan(0);
    expect(withUid).toBeLessThan(repeated.length);
  });

  it('keeps a day identical whatever else is generated (visit i depends on seed, scope and index only)', () => {
    const day = '2026-02-01';
    const alone = buildVisit({ seed: 9, scope: day, index: 77, settings, catalogues: builtin });
    visits(50, settings, { seed: 9, scope: '2026-01-31' });
    const again = buildVisit({ seed: 9, scope: day, index: 77, settings, catalogues: builtin });
    expect(again).toEqual(alone);
  });
});

describe('the classic persona', () => {
  it('is byte for byte the model without realism, alone and inside a mix', () => {
    const plain = mediumSettings();
    const classicOnly = mediumSettings({ realism: realism({ personas: { casual: 0, researcher: 0, buyer: 0, returning: 0, classic: 1 } }) });
    const mixed = mediumSettings({ realism: realism({ personas: { casual: 1, researcher: 1, buyer: 1, returning: 1, classic: 1 } }) });
    const anchor = Date.UTC(2026, 2, 1);
    const enc = (v: Visit) => encodeVisit(v, { siteId: 1, startAt: anchor, timezone: 'CET' });
    let classicInMix = 0;
    for (let index = 0; index < 400; index++) {
      const base = { seed: 3, scope: 'run', index, catalogues: builtin };
      const expected = enc(buildVisit({ ...base, settings: plain }));
      expect(enc(buildVisit({ ...base, settings: classicOnly }))).toEqual(expected);
      const m = buildVisit({ ...base, settings: mixed });
      if (m.traits!.persona === 'classic') {
        classicInMix++;
        expect(enc(m)).toEqual(expected);
      }
    }
    expect(classicInMix).toBeGreaterThan(40);
  });
});
