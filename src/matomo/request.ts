import type { HitType } from '../journey/visit.js';

/** One encoded Matomo tracking request, before transport. token_auth is never in here. */
export interface TrackingRequest {
  type: HitType;
  visitIndex: number;
  hitIndex: number;
  /** Epoch ms of the hit on the simulated timeline (what `cdt` says). */
  at: number;
  /** Every tracking parameter as a string, in send order. */
  params: Array<[string, string]>;
  /** The visit's user agent, for the User-Agent header of single hits. */
  userAgent: string;
  /** The bulk query of `params`, when a worker thread already made it (workers/encoded.ts). */
  readonly bulkQuery?: string;
  /**
   * encodeQuery(params), when the live encoder (hitEncoder) made it along with the params: the
   * parts a visit's hits share are encoded once per visit. A request derived with other params
   * must not carry it over.
   */
  readonly query?: string;
}
