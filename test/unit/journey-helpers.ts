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
