import { loadCatalogues } from '../../src/journey/catalogues.js';
import type { JourneySettings } from '../../src/journey/settings.js';

/** The predecessor's "medium" preset, written out here (not read from the config code). */
export function mediumSettings(overrides: Partial<JourneySettings> = {}): JourneySettings {
  return {
    pageviews: { min: 3, max: 6 },
    visitDurationMinutes: { min: 1, max: 8 },
    pauseSeconds: { min: 0.5, max: 2 },
    probabilities: {
      siteSearch: 0.15,
      outlinks: 0.1,
      downloads: 0.08,
      clickEvents: 0.25,
      randomEvents: 0.12,
      directTraffic: 0.3,
      ecommerce: 0.05,
    },
    countries: { randomize: true, geo: 'ip' },
    ecommerce: {
      orderValue: { min: 15.99, max: 299.99 },
      items: { min: 1, max: 5 },
      taxRate: 0.1,
      shippingRates: [0, 5.99, 9.99, 15.99],
      currency: 'SEK',
    },
    timezone: 'CET',
    pageHost: 'example.test',
    ...overrides,
  };
}

export const builtin = loadCatalogues({ pageHost: 'example.test' });

import { buildVisit } from '../../src/journey/journey.js';
import type { Funnel } from '../../src/journey/funnel.js';
import type { PlannedHit, Visit } from '../../src/journey/visit.js';
import type { Catalogues } from '../../src/journey/catalogues.js';

export function visits(
  count: number,
  settings: JourneySettings,
  options: { seed?: string | number; scope?: string; funnels?: Funnel[]; catalogues?: Catalogues } = {},
): Visit[] {
  const out: Visit[] = [];
  for (let index = 0; index < count; index++) {
    out.push(
      buildVisit({
        seed: options.seed ?? 7,
        scope: options.scope ?? 'run',
        index,
        settings,
        catalogues: options.catalogues ?? builtin,
        funnels: options.funnels ?? [],
      }),
    );
  }
  return out;
}

export function param(hit: PlannedHit, key: string): string | undefined {
  return hit.params.find(([k]) => k === key)?.[1];
}

export const allOn = {
  siteSearch: 1,
  outlinks: 1,
  downloads: 1,
  clickEvents: 1,
  randomEvents: 1,
  directTraffic: 0,
  ecommerce: 1,
};

export const allOff = {
  siteSearch: 0,
  outlinks: 0,
  downloads: 0,
  clickEvents: 0,
  randomEvents: 0,
  directTraffic: 0,
  ecommerce: 0,
};
