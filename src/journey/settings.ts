/**
 * What the journey model reads from the configuration. The resolved Config (config/schema.ts) is a
 * structural superset of this, so the model never imports the config module and tests can build
 * settings by hand.
 */
export interface Range {
  min: number;
  max: number;
}

export interface JourneySettings {
  /** Pageviews per visit (the exact number Matomo records), min..max inclusive. */
  pageviews: Range;
  /** Simulated visit duration in minutes; stamps the cdt timeline. */
  visitDurationMinutes: Range;
  /** Real pause between pageviews in seconds (live mode only). */
  pauseSeconds: Range;
  probabilities: {
    siteSearch: number;
    outlinks: number;
    downloads: number;
    clickEvents: number;
    randomEvents: number;
    directTraffic: number;
    ecommerce: number;
  };
  countries: {
    randomize: boolean;
    /** ip: send `cip`; country: send `country`; both. */
    geo: 'ip' | 'country' | 'both';
  };
  ecommerce: {
    orderValue: Range;
    items: Range;
    taxRate: number;
    shippingRates: number[];
    /** ISO 4217; a site setting in Matomo, compared by validate, never sent. */
    currency: string;
  };
  /** IANA zone (default CET) of the visitor local time and of backfill days. */
  timezone: string;
  /** Host of the built-in URL catalogue (default example.test). */
  pageHost: string;
  /** Optional user URL catalogue (`URL [title]` per line); replaces the built-in one. */
  urlsFile?: string;
  /** Optional funnels file (JSON or YAML). */
  funnelsFile?: string;
}
