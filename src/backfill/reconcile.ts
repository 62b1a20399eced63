import { IANAZone } from 'luxon';
import type { HitType } from '../journey/visit.js';
import type { TrackingRequest } from '../matomo/request.js';
import type { StoredActionType, StoredVisit } from '../matomo/reporting.js';

/**
 * Reconciliation (pure): which hits of a batch whose answer proved nothing (a 5xx, a timeout after
 * the body was sent, counts that don't add up) Matomo's raw log already holds, and which are
 * missing and safe to send again. Matomo 5.0.2 can store part of a bulk batch and still answer
 * 500, so a blind resend duplicates visits; this decides per hit instead.
 *
 * Matching is per visitor id and hit time, never per visit id: Matomo may have split one planned
 * visit into two when its hits arrived out of order.
 * - Hits that leave an action (pageviews, searches, outlinks, downloads, events, goals) are matched
 *   as a multiset on (visitor, action type, second): the n-th such hit is recorded when Matomo
 *   holds at least n of them.
 * - An order is matched on its order id (Matomo refuses a repeated one anyway).
 * - A ping leaves no action: it is recorded when a stored visit of the visitor lasts until its
 *   time (Matomo's visitDuration is last hit minus first plus 1 s, pings included), or when a later
 *   hit of its visit is recorded (its only effect, the visit's length, is then already there).
 *   Resending one that cannot be proven is harmless: it only sets the visit's length again.
 * - A cart update leaves at most the visit's abandoned cart: it counts as recorded when a later
 *   cart update or order of its visit is recorded (resending it then would bring back an old cart),
 *   or when the stored abandoned cart is at least as recent; else it is resent, which only rewrites
 *   the visit's cart.
 */
export type HitFate = 'recorded' | 'missing';

const ACTION_OF: Partial<Record<HitType, StoredActionType>> = {
  pageview: 'action',
  search: 'search',
  outlink: 'outlink',
  download: 'download',
  event: 'event',
  goal: 'goal',
};

function param(req: TrackingRequest, name: string): string | undefined {
  for (const [k, v] of req.params) if (k === name) return v;
  return undefined;
}

function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}

/**
 * The fate of each request (same order). `visitorIdOf` gives the id Matomo stores for a request:
 * `_id`, or the hash of `uid` when one is set. `stored`: the Live API's visits of those visitors on
 * the batch's day. `actionSeconds` turns a hit's instant into the seconds Matomo 5.0.2 reports for
 * its action: `actionDetails[].timestamp` is UTC plus the site's offset at that instant (the
 * visit-level timestamps are true UTC); see actionSecondsIn().
 */
export function reconcileHits(
  requests: readonly TrackingRequest[],
  stored: readonly StoredVisit[],
  visitorIdOf: (req: TrackingRequest) => string,
  actionSeconds: (atMs: number) => number = seconds,
): HitFate[] {
  const counts = new Map<string, number>();
  const orderIds = new Set<string>();
  const visitSpans = new Map<string, Array<[number, number]>>();
  const cartAt = new Map<string, number>();
  for (const visit of stored) {
    // NaN (a field Matomo left out) proves nothing, and must not hide what the other field proves.
    const end = Math.max(...[visit.lastActionTimestamp, visit.firstActionTimestamp + visit.visitDuration - 1].filter(Number.isFinite));
    const spans = visitSpans.get(visit.visitorId);
    if (spans) spans.push([visit.firstActionTimestamp, end]);
    else visitSpans.set(visit.visitorId, [[visit.firstActionTimestamp, end]]);
    for (const a of visit.actions) {
      if (a.type === 'ecommerceOrder' && a.orderId !== undefined) orderIds.add(a.orderId);
      else if (a.type === 'ecommerceAbandonedCart') cartAt.set(visit.visitorId, Math.max(cartAt.get(visit.visitorId) ?? -Infinity, a.timestamp));
      const key = `${visit.visitorId}|${a.type}|${a.timestamp}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }

  const fates: Array<HitFate | undefined> = new Array(requests.length);
  // Pass 1: hits that leave something to match.
  requests.forEach((req, i) => {
    const visitor = visitorIdOf(req);
    if (req.type === 'ecommerce') {
      const id = param(req, 'ec_id');
      if (id !== undefined) {
        fates[i] = orderIds.has(id) ? 'recorded' : 'missing';
        return;
      }
      const key = `${visitor}|ecommerceOrder|${actionSeconds(req.at)}`;
      fates[i] = take(counts, key) ? 'recorded' : 'missing';
      return;
    }
    const type = ACTION_OF[req.type];
    if (type === undefined) return;
    fates[i] = take(counts, `${visitor}|${type}|${actionSeconds(req.at)}`) ? 'recorded' : 'missing';
  });
  // Pass 2: pings and cart updates, from what the rest of their visit shows (latest hit first).
  const laterRecorded = new Set<string>();
  const laterCartOrOrder = new Set<string>();
  for (let i = requests.length - 1; i >= 0; i--) {
    const req = requests[i] as TrackingRequest;
    const visitor = visitorIdOf(req);
    const visitKey = `${visitor}|${req.visitIndex}`;
    if (req.type === 'ping') {
      const at = seconds(req.at);
      const proven = (visitSpans.get(visitor) ?? []).some(([from, to]) => from <= at && at <= to);
      fates[i] = proven || laterRecorded.has(visitKey) ? 'recorded' : 'missing';
    } else if (req.type === 'cart') {
      const proven = (cartAt.get(visitor) ?? -Infinity) >= actionSeconds(req.at);
      fates[i] = proven || laterCartOrOrder.has(visitKey) ? 'recorded' : 'missing';
    }
    if (fates[i] === undefined) fates[i] = 'missing';
    if (fates[i] === 'recorded') {
      laterRecorded.add(visitKey);
      if (req.type === 'cart' || req.type === 'ecommerce') laterCartOrOrder.add(visitKey);
    }
  }
  return fates as HitFate[];
}

function take(counts: Map<string, number>, key: string): boolean {
  const n = counts.get(key) ?? 0;
  if (n <= 0) return false;
  counts.set(key, n - 1);
  return true;
}

/** The distinct visitor ids of some requests, in first-seen order. */
export function visitorIdsOf(requests: readonly TrackingRequest[], visitorIdOf: (req: TrackingRequest) => string): string[] {
  return [...new Set(requests.map(visitorIdOf))];
}

/**
 * The action timestamps Matomo 5.0.2's Live API reports for a site in `zone`: the hit's UTC
 * seconds plus the zone's offset at that instant (+3600 in a Stockholm winter, +7200 in summer).
 */
export function actionSecondsIn(zone: string): (atMs: number) => number {
  const iana = zone === 'UTC' ? undefined : IANAZone.create(zone);
  if (iana && !iana.isValid) throw new RangeError(`unknown time zone ${zone}`);
  return (atMs) => Math.floor(atMs / 1000) + (iana ? iana.offset(atMs) * 60 : 0);
}
