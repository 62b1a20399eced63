/**
 * A visit is data with relative offsets; time is applied at the edge (live run or backfill).
 * The journey model produces Visits; the encoder (matomo/encode.ts) turns them into requests.
 */
export type HitType =
  | 'pageview'
  | 'search'
  | 'outlink'
  | 'download'
  | 'event'
  | 'ecommerce'
  | 'ping'
  | 'cart'
  | 'goal';

export interface Visitor {
  /** Matomo's visitor id `_id`: 16 lowercase hex characters. */
  id: string;
  userAgent: string;
  /** Browser language, sent as `lang` (e.g. "en-US,en;q=0.9"). */
  lang?: string;
  /** Visitor address, sent as `cip` (needs token_auth). */
  ip?: string;
  /** ISO 3166-1 alpha-2, lowercase; sent as `country` when the geo mode asks for it. */
  country?: string;
  /** Screen resolution `WxH`, sent as `res`. */
  resolution?: string;
  /** Stable user id of a logged-in visitor, sent as `uid`. */
  uid?: string;
  /**
   * IANA zone of the visitor's own clock (h, m, s); absent: the configured zone. The realism model
   * sets it to a zone of the visitor's country when countries are randomized.
   */
  timezone?: string;
}

/** What the realism model decided for a visit: read by `inspect`, never encoded. */
export interface VisitTraits {
  persona: 'casual' | 'researcher' | 'buyer' | 'returning' | 'classic';
  bounce: boolean;
  /** A pool identity (a visitor who has been here before or will come again). */
  returning: boolean;
  loggedIn: boolean;
  device: 'desktop' | 'mobile' | 'tablet';
  country?: string;
  campaign?: string;
  /** Matomo's referrer type of the visit: the first pageview's `urlref`, or a campaign landing. */
  referrerType: 'direct' | 'search' | 'social' | 'website' | 'campaign';
  cart: 'none' | 'abandoned' | 'ordered';
  goals: number;
}

export interface PlannedHit {
  type: HitType;
  /** Offset on the simulated timeline from the visit's first hit, in ms; stamps `cdt`. */
  atMs: number;
  /**
   * Real pause before this hit is sent in live mode, in ms: the configured pause between
   * pageviews, 0 for the first hit and for actions that follow their pageview at once.
   */
  pauseMs: number;
  /**
   * The action's own tracking parameters in send order (url, action_name, pv_id, e_c, ...). The
   * encoder adds the envelope: idsite, rec, _id, cdt, h/m/s, ua, lang, cip, rand, send_image.
   */
  params: ReadonlyArray<readonly [string, string]>;
}

export interface Visit {
  /** Position of the visit in the run, or within its day in backfill. */
  index: number;
  visitor: Visitor;
  /** Simulated length of the visit in ms, from the first hit to the closing ping. */
  durationMs: number;
  hits: PlannedHit[];
  /** The realism model's decisions, for summaries (`inspect`). */
  traits?: VisitTraits;
}
