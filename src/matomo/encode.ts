import type { Visit } from '../journey/visit.js';
import { formatCdt, localTime, zoneOffsets } from './local-time.js';
import type { TrackingRequest } from './request.js';

export interface EncodeOptions {
  siteId: number | string;
  /**
   * Epoch ms of the visit's first hit on the simulated timeline. In `run`: the instant the visit
   * starts sending minus visit.durationMs, so the timeline ends now and no cdt is in the future.
   * In backfill: the planned historical instant.
   */
  startAt: number;
  /** IANA zone of the visitor's local time (h, m, s), unless the visitor carries its own. */
  timezone: string;
}

/**
 * Deterministic `rand` (Matomo's cache buster): FNV-1a of the visitor id and the hit's position.
 * The visitor id comes from the seed, so a rerun sends the same value.
 */
function cacheBuster(visitorId: string, hitIndex: number): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < visitorId.length; i++) {
    hash ^= visitorId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hitIndex;
  hash = Math.imul(hash, 0x01000193);
  return String((hash >>> 0) % 1_000_000);
}

/**
 * Turns a visit into tracking requests, one per planned hit. Parameter order (fixed):
 * idsite, rec, the hit's own parameters (url, action_name, ... pv_id), _id, cdt, h, m, s, ua,
 * lang, cip, country, res, uid, rand, send_image. lang, cip, country, res and uid only when the
 * visitor carries them;
 * token_auth is added by the sender, never here.
 */
export function encodeVisit(visit: Visit, options: EncodeOptions): TrackingRequest[] {
  const encodeHit = hitEncoder(visit, options);
  const requests: TrackingRequest[] = [];
  for (let hitIndex = 0; hitIndex < visit.hits.length; hitIndex++) requests.push(encodeHit(hitIndex));
  return requests;
}

/**
 * encodeVisit one hit at a time: `encodeHit(j)` is `encodeVisit(visit, options)[j]`. A live run
 * encodes each hit just before sending it, so a visit in flight holds no encoded requests of its
 * later hits (at full speed those would outlive young-generation collections and cost GC time).
 */
export function hitEncoder(visit: Visit, options: EncodeOptions): (hitIndex: number) => TrackingRequest {
  // The realism model gives visitors their own country's zone; h/m/s are their wall clock.
  const zone = zoneOffsets(visit.visitor.timezone ?? options.timezone);
  const siteId = String(options.siteId);
  const { visitor } = visit;
  return (hitIndex) => {
    const hit = visit.hits[hitIndex];
    if (hit === undefined) throw new RangeError(`visit ${visit.index} has no hit ${hitIndex}`);
    const at = options.startAt + hit.atMs;
    const time = localTime(at, zone);
    const params: Array<[string, string]> = [
      ['idsite', siteId],
      ['rec', '1'],
    ];
    for (const pair of hit.params) params.push([pair[0], pair[1]]);
    params.push(['_id', visitor.id], ['cdt', formatCdt(at)], ['h', time.h], ['m', time.m], ['s', time.s], ['ua', visitor.userAgent]);
    if (visitor.lang !== undefined) params.push(['lang', visitor.lang]);
    if (visitor.ip !== undefined) params.push(['cip', visitor.ip]);
    if (visitor.country !== undefined) params.push(['country', visitor.country]);
    if (visitor.resolution !== undefined) params.push(['res', visitor.resolution]);
    if (visitor.uid !== undefined) params.push(['uid', visitor.uid]);
    params.push(['rand', cacheBuster(visitor.id, hitIndex)], ['send_image', '0']);
    return { type: hit.type, visitIndex: visit.index, hitIndex, at, params, userAgent: visitor.userAgent };
  };
}
