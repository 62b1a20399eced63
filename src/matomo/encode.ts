import type { Visit } from '../journey/visit.js';
import { formatCdt, localTime, zoneOffsets } from './local-time.js';
import { encodeComponent } from './query.js';
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
function cacheBuster(idHash: number, hitIndex: number): string {
  const hash = Math.imul(idHash ^ hitIndex, 0x01000193);
  return String((hash >>> 0) % 1_000_000);
}

/** The FNV-1a state after the visitor id, the part of cacheBuster a visit's hits share. */
function visitorHash(visitorId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < visitorId.length; i++) {
    hash ^= visitorId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash;
}

/**
 * Turns a visit into tracking requests, one per planned hit. Parameter order (fixed):
 * idsite, rec, the hit's own parameters (url, action_name, ... pv_id), _id, cdt, h, m, s, ua,
 * lang, cip, country, res, uid, rand, send_image. lang, cip, country, res and uid only when the
 * visitor carries them;
 * token_auth is added by the sender, never here.
 */
export function encodeVisit(visit: Visit, options: EncodeOptions): TrackingRequest[] {
  const encodeHit = encoderOf(visit, options, false);
  const requests: TrackingRequest[] = [];
  for (let hitIndex = 0; hitIndex < visit.hits.length; hitIndex++) requests.push(encodeHit(hitIndex));
  return requests;
}

/**
 * encodeVisit one hit at a time, for a live run: `encodeHit(j)` is `encodeVisit(visit, options)[j]`
 * with its `query` (the percent-encoded parameters, what goes on the wire) made as well. A live run
 * encodes each hit just before sending it, so a visit in flight holds no encoded requests of its
 * later hits (at full speed those would outlive young-generation collections and cost GC time).
 */
export function hitEncoder(visit: Visit, options: EncodeOptions): (hitIndex: number) => TrackingRequest {
  return encoderOf(visit, options, true);
}

function encoderOf(visit: Visit, options: EncodeOptions, withQuery: boolean): (hitIndex: number) => TrackingRequest {
  // The realism model gives visitors their own country's zone; h/m/s are their wall clock.
  const zone = zoneOffsets(visit.visitor.timezone ?? options.timezone);
  const siteId = String(options.siteId);
  const { visitor } = visit;
  // What every hit of the visit repeats (the site, the visitor), percent-encoded once per visit
  // rather than per hit: the user agent alone is ~120 characters to escape.
  const query = withQuery ? visitQuery(siteId, visitor) : undefined;
  const idHash = visitorHash(visitor.id);
  return (hitIndex) => {
    const hit = visit.hits[hitIndex];
    if (hit === undefined) throw new RangeError(`visit ${visit.index} has no hit ${hitIndex}`);
    const at = options.startAt + hit.atMs;
    const time = localTime(at, zone);
    const cdt = formatCdt(at);
    const rand = cacheBuster(idHash, hitIndex);
    const own = hit.params;
    const params: Array<[string, string]> = [
      ['idsite', siteId],
      ['rec', '1'],
    ];
    // The hit's own pairs are shared, not copied: nothing changes a request's pairs once made.
    for (let i = 0; i < own.length; i++) params.push(own[i] as [string, string]);
    params.push(['_id', visitor.id], ['cdt', cdt], ['h', time.h], ['m', time.m], ['s', time.s], ['ua', visitor.userAgent]);
    if (visitor.lang !== undefined) params.push(['lang', visitor.lang]);
    if (visitor.ip !== undefined) params.push(['cip', visitor.ip]);
    if (visitor.country !== undefined) params.push(['country', visitor.country]);
    if (visitor.resolution !== undefined) params.push(['res', visitor.resolution]);
    if (visitor.uid !== undefined) params.push(['uid', visitor.uid]);
    params.push(['rand', rand], ['send_image', '0']);
    if (query === undefined) return { type: hit.type, visitIndex: visit.index, hitIndex, at, params, userAgent: visitor.userAgent };
    let text = query.head;
    for (let i = 0; i < own.length; i++) {
      const pair = own[i] as readonly [string, string];
      text += '&' + encodeComponent(pair[0]) + '=' + encodeComponent(pair[1]);
    }
    // h, m, s and rand are digits; cdt has a space and colons.
    text += query.visitor + encodeComponent(cdt) + '&h=' + time.h + '&m=' + time.m + '&s=' + time.s + query.tail + rand + '&send_image=0';
    return { type: hit.type, visitIndex: visit.index, hitIndex, at, params, userAgent: visitor.userAgent, query: text };
  };
}

/**
 * The encoded query around a hit's own parameters: `head` (idsite, rec), then after them
 * `visitor` (_id, up to `cdt=`), and after h, m, s `tail` (ua … uid, up to `rand=`). Together with
 * the hit's parts it is encodeQuery(params) of encodeVisit, byte for byte.
 */
function visitQuery(siteId: string, visitor: Visit['visitor']): { head: string; visitor: string; tail: string } {
  let tail = '&ua=' + encodeComponent(visitor.userAgent);
  if (visitor.lang !== undefined) tail += '&lang=' + encodeComponent(visitor.lang);
  if (visitor.ip !== undefined) tail += '&cip=' + encodeComponent(visitor.ip);
  if (visitor.country !== undefined) tail += '&country=' + encodeComponent(visitor.country);
  if (visitor.resolution !== undefined) tail += '&res=' + encodeComponent(visitor.resolution);
  if (visitor.uid !== undefined) tail += '&uid=' + encodeComponent(visitor.uid);
  return {
    head: 'idsite=' + encodeComponent(siteId) + '&rec=1',
    visitor: '&_id=' + encodeComponent(visitor.id) + '&cdt=',
    tail: tail + '&rand=',
  };
}
