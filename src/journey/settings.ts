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
  /**
   * The realism model (personas, bounces, returning visitors, devices, campaigns, goals, carts,
   * page timings). Absent: every visit is a `classic` one, the predecessor's flat shape.
   */
  realism?: RealismSettings;
  /** Hour-of-day and day-of-week profile (backfill start times and day targets, run --follow-profile). */
  timeShape?: TimeShapeSettings;
}

export type PersonaName = 'casual' | 'researcher' | 'buyer' | 'returning' | 'classic';

export interface CampaignSetting {
  name: string;
  source: string;
  medium: string;
  weight: number;
  keywords?: string[] | undefined;
  contents?: string[] | undefined;
}

/** A manual goal conversion (`idgoal=N`), triggered on a page (URL substring) or an event category. */
export interface GoalSetting {
  id: number;
  /** Chance the conversion happens when the trigger is met (once per visit at most). */
  probability: number;
  /** Substring of the page URL that triggers it. */
  page?: string | undefined;
  /** Event category that triggers it. */
  event?: string | undefined;
  /** Revenue sent with the conversion (two decimals). */
  revenue?: number | undefined;
}

export interface RealismSettings {
  /** Relative weights of the personas (need not sum to 1). */
  personas: Record<PersonaName, number>;
  /** Share of single-pageview visits among the visits of personas other than classic. */
  bounceRate: number;
  /** Share of visits (personas other than classic) made by a returning identity from the pool. */
  returningShare: number;
  /** Number of identities in the seeded pool of returning visitors. */
  visitorPool: number;
  /** Share of pool identities that have an account and send a stable `uid`. */
  loggedInShare: number;
  /** Share of landing pages that carry campaign parameters. */
  campaignShare: number;
  /** Campaigns to pick from by weight; empty or absent: the built-in mix. */
  campaigns?: CampaignSetting[] | undefined;
  /** Share of carts that are abandoned (never ordered). */
  abandonedCartRate: number;
  /** Share of orders with a coupon discount (`ec_dt`). */
  discountShare: number;
  /** Manual goal conversions. */
  goals?: GoalSetting[] | undefined;
  /** Send page performance timings (pf_net ... pf_onl) on pageviews. */
  pageTimings: boolean;
}

export interface TimeShapeSettings {
  /** 24 relative weights for local hours 0..23, `flat`, or `default` (also when absent). */
  hours?: number[] | 'default' | 'flat' | undefined;
  /** 7 relative weights Monday..Sunday; absent: the built-in profile. */
  weekdays?: number[] | undefined;
  /** Live run: modulate the visit rate by the profile over the local day and week. */
  followProfile: boolean;
}
