import type { HitType } from '../journey/visit.js';
import type { DayKeys } from './day-key.js';
import { fnv1a } from './hash.js';
import type { AcceptedHit, ExcludeReason, FlagReason, LiveFields, RejectReason } from './judge.js';

export const HIT_TYPES: readonly HitType[] = [
  'pageview',
  'search',
  'outlink',
  'download',
  'event',
  'ecommerce',
  'cart',
  'goal',
  'ping',
];

/** Hit types that Matomo counts as actions (nb_actions); goals, orders, carts and pings are not. */
const ACTION_TYPES: ReadonlySet<HitType> = new Set(['pageview', 'search', 'outlink', 'download', 'event']);
const VISIT_IDLE_MS = 30 * 60_000;
/** Visits kept per visitor for the lookup by time. */
const RECENT_VISITS = 8;
/** A ping names one of the visitor's recent page views; older ones are forgotten. */
const PAGEVIEWS_KEPT = 32;
/** Per-visitor duplicate keys stay in an array up to this size, then move to a Set. */
const SMALL_KEYS = 48;

export type TypeCounts = Record<HitType, number>;

export function emptyTypeCounts(): TypeCounts {
  return { pageview: 0, search: 0, outlink: 0, download: 0, event: 0, ecommerce: 0, cart: 0, goal: 0, ping: 0 };
}

/** What Matomo's VisitsSummary would say of one site and local day, plus the sink's own counts. */
export interface DayStats {
  visits: number;
  actions: number;
  hits: number;
  uniqueVisitors: number;
  bounces: number;
  /** Visits by a visitor id the sink had already seen (Matomo's returning visits). */
  returningVisits: number;
  /** Visits that sent at least one cart update (idgoal=0 without ec_id). */
  visitsWithCart: number;
  sumVisitLengthS: number;
  maxActions: number;
  visitsConverted: number;
  revenue: number;
  duplicates: number;
  byType: TypeCounts;
}

function emptyDay(): DayStats {
  return {
    visits: 0,
    actions: 0,
    hits: 0,
    uniqueVisitors: 0,
    bounces: 0,
    returningVisits: 0,
    visitsWithCart: 0,
    sumVisitLengthS: 0,
    maxActions: 0,
    visitsConverted: 0,
    revenue: 0,
    duplicates: 0,
    byType: emptyTypeCounts(),
  };
}

/**
 * One entry of a visit's actionDetails, as Matomo keeps it: page views, searches, outlinks,
 * downloads and events are actions; orders, goals and the visit's one abandoned cart are
 * conversions. Pings leave none (they only move the visit's last action time).
 */
export interface ActionDetail {
  type: HitType;
  /** Epoch ms (the hit's cdt). */
  at: number;
  pvId: string;
  revenue: number;
  orderId: string;
  live: LiveFields;
}

/** One visit, as Live.getLastVisitsDetails reports it. */
export interface VisitRecord {
  idVisit: number;
  site: number;
  visitorId: string;
  returning: boolean;
  /** The visitor had ordered before this visit, or starts it with an order: Matomo's returningCustomer. */
  returningCustomer?: boolean;
  /** Which visit of the visitor this is (1 for the first), Matomo's visitCount. */
  visitCount: number;
  /** Hits recorded in the visit, pings included. */
  hits: number;
  /** What Matomo adds to visit_total_time when the latest hit is a conversion (idgoal + 2). */
  conversionBonus: number;
  /** The visit's `uid`, when a hit had one. */
  userId?: string;
  details: ActionDetail[];
  /** Local day of the visit's first hit: where its visit and actions are counted. */
  day: string;
  first: number;
  /** The latest hit, pings included: the visit's length (visit_total_time). */
  last: number;
  /** The latest hit that is not a ping: Matomo's visit_last_action_time (pings leave it). */
  lastAction: number;
  actions: number;
  converted: boolean;
  hasCart?: boolean;
}

interface VisitorState {
  visit: VisitRecord | undefined;
  /** The visitor's latest visits (newest last), for Matomo's lookup by time. */
  recent: VisitRecord[];
  /** Hashes of recent page-view ids, for pings. */
  pageviews: number[];
  /** Hashes of (pv_id, type, cdt, detail): small per visitor, so 32 bits are plenty. */
  keys: number[] | Set<number>;
  /** Local days this visitor was already counted unique on. */
  days: string[];
  visits: number;
  ordered: boolean;
}

export interface SiteLedger {
  days: Map<string, DayStats>;
  visits: Map<string, VisitRecord[]>;
  distinctVisitors: number;
  duplicates: number;
}

export interface TrackingFailure {
  idsite: number;
  reason: RejectReason;
  firstAt: number;
  requestUrl: string;
  url: string;
}

/**
 * The sink's memory of what it recorded, counted the way Matomo classifies hits. Memory grows
 * with distinct visitors (about 200 bytes each), visits (about 120 bytes) and hits (4-8 bytes
 * each, the duplicate keys); nothing keeps whole requests.
 */
export class Ledger {
  readonly sites = new Map<number, SiteLedger>();
  readonly rejected = new Map<RejectReason, number>();
  readonly excluded = new Map<ExcludeReason, number>();
  readonly flagged = new Map<FlagReason, number>();
  readonly failures = new Map<string, TrackingFailure>();
  private readonly visitors = new Map<string, VisitorState>();
  private readonly orders = new Set<string>();
  private visitSeq = 0;
  recorded = 0;
  duplicates = 0;

  constructor(private readonly days: DayKeys) {}

  site(id: number): SiteLedger {
    let site = this.sites.get(id);
    if (!site) {
      site = { days: new Map(), visits: new Map(), distinctVisitors: 0, duplicates: 0 };
      this.sites.set(id, site);
    }
    return site;
  }

  reject(reason: RejectReason): void {
    this.rejected.set(reason, (this.rejected.get(reason) ?? 0) + 1);
  }

  exclude(reason: ExcludeReason): void {
    this.excluded.set(reason, (this.excluded.get(reason) ?? 0) + 1);
  }

  /** Keeps the first failure per site and reason, as Matomo's tracking-failure log does. */
  noteFailure(failure: TrackingFailure): void {
    const key = `${failure.idsite}|${failure.reason}`;
    if (!this.failures.has(key) && this.failures.size < 1000) this.failures.set(key, failure);
  }

  /**
   * Records an accepted hit, or returns why it cannot be (a ping with no page view before it, an
   * order id the site already has).
   * Duplicates are recorded too, as Matomo would, and counted.
   */
  record(hit: AcceptedHit, cdt: string): RejectReason | undefined {
    const visitorKey = `${hit.site}|${hit.visitorId}`;
    let visitor = this.visitors.get(visitorKey);
    const site = this.site(hit.site);
    if (hit.type === 'ping') {
      const known = visitor ? lookup(visitor, hit.at) : undefined;
      const idle = !known || hit.at - known.lastAction > VISIT_IDLE_MS;
      if (idle || !knowsPageview(visitor!, hit.pvId)) return 'ping-without-pageview';
    }
    if (!visitor) {
      visitor = { visit: undefined, recent: [], pageviews: [], keys: [], days: [], visits: 0, ordered: false };
      this.visitors.set(visitorKey, visitor);
      site.distinctVisitors += 1;
    }
    this.recorded += 1;
    for (const flag of hit.flags) this.flagged.set(flag, (this.flagged.get(flag) ?? 0) + 1);

    const duplicate = seenBefore(visitor, fnv1a(hit.pvId, hit.type, cdt, hit.detail));
    let visit = lookup(visitor, hit.at);
    const startsVisit = hit.type !== 'ping' && (hit.newVisit || visit === undefined || this.endsVisit(visit, hit.at));
    let day: DayStats;
    if (startsVisit || visit === undefined) {
      visit = {
        idVisit: ++this.visitSeq,
        site: hit.site,
        visitorId: hit.visitorId,
        returning: visit !== undefined,
        day: this.days.of(hit.at),
        first: hit.at,
        last: hit.at,
        lastAction: hit.at,
        actions: 0,
        converted: false,
        visitCount: ++visitor.visits,
        hits: 0,
        conversionBonus: 0,
        details: [],
      };
      if (visitor.ordered || (hit.type === 'ecommerce' && hit.orderId !== '')) visit.returningCustomer = true;
      visitor.visit = visit;
      visitor.recent.push(visit);
      if (visitor.recent.length > RECENT_VISITS) visitor.recent.shift();
      day = dayOf(site, visit.day);
      day.visits += 1;
      if (visit.returning) day.returningVisits += 1;
      let list = site.visits.get(visit.day);
      if (!list) site.visits.set(visit.day, (list = []));
      list.push(visit);
      if (!visitor.days.includes(visit.day)) {
        visitor.days.push(visit.day);
        day.uniqueVisitors += 1;
      }
    } else {
      day = dayOf(site, visit.day);
      if (hit.at > visit.last) {
        day.sumVisitLengthS += Math.round((hit.at - visit.first) / 1000) - Math.round((visit.last - visit.first) / 1000);
        visit.last = hit.at;
      }
    }
    day.hits += 1;
    day.byType[hit.type] += 1;
    if (duplicate) {
      day.duplicates += 1;
      site.duplicates += 1;
      this.duplicates += 1;
    }
    if (ACTION_TYPES.has(hit.type)) {
      visit.actions += 1;
      day.actions += 1;
      if (visit.actions === 1) day.bounces += 1;
      else if (visit.actions === 2) day.bounces -= 1;
      if (visit.actions > day.maxActions) day.maxActions = visit.actions;
    }
    // A site search is a page load of its own (its own pv_id): a ping may extend it too.
    if ((hit.type === 'pageview' || hit.type === 'search') && hit.pvId) {
      visitor.pageviews.push(fnv1a(hit.pvId));
      if (visitor.pageviews.length > PAGEVIEWS_KEPT) visitor.pageviews.shift();
    }
    if (hit.type === 'cart' && !visit.hasCart) {
      visit.hasCart = true;
      day.visitsWithCart += 1;
    }
    if (hit.type !== 'ping' && hit.at > visit.lastAction) visit.lastAction = hit.at;
    const refused = this.convert(hit, visit, day);
    if (refused) {
      // The hit is refused, yet Matomo 5.0.2 has stored its visit by then (tracker-order-repeated).
      this.recorded -= 1;
      day.hits -= 1;
      day.byType[hit.type] -= 1;
      if (duplicate) {
        day.duplicates -= 1;
        site.duplicates -= 1;
        this.duplicates -= 1;
      }
      return refused;
    }
    visit.hits += 1;
    visit.conversionBonus = visit.hits > 1 ? conversionBonus(hit) : 0;
    if (hit.live.userId) visit.userId = hit.live.userId;
    addDetail(visit, hit);
    return undefined;
  }

  /**
   * Whether a hit at `at` cannot join the visit Matomo's lookup found for it (core/Tracker/
   * Model::findVisitor and create_new_visit_after_midnight = 1): more than 30 minutes after its last
   * action, more than 30 minutes before it (an early hit sent after later ones), or on another
   * site-local day than its last action.
   */
  private endsVisit(visit: VisitRecord, at: number): boolean {
    if (Math.abs(at - visit.lastAction) > VISIT_IDLE_MS) return true;
    return this.days.of(at) !== this.days.of(visit.lastAction);
  }

  /**
   * An order whose ec_id the site already holds is refused (400 alone, invalid in a bulk), yet
   * Matomo 5.0.2 has stored its visit by then: the visit counts, the order and its revenue do not
   * (fixtures tracker-order-repeated, bulk-order-repeated, bulk-order-twice).
   */
  private convert(hit: AcceptedHit, visit: VisitRecord, day: DayStats): RejectReason | undefined {
    if (hit.type !== 'ecommerce' && hit.type !== 'goal') return undefined;
    if (hit.type === 'ecommerce') {
      const key = `${hit.site}|${hit.orderId}`;
      if (this.orders.has(key)) return 'order-repeated';
      this.orders.add(key);
      const visitor = this.visitors.get(`${hit.site}|${hit.visitorId}`);
      if (visitor) visitor.ordered = true;
    }
    day.revenue += hit.revenue;
    if (!visit.converted) {
      visit.converted = true;
      day.visitsConverted += 1;
    }
    return undefined;
  }

  distinctVisitors(): number {
    return this.visitors.size;
  }
}

/**
 * Keeps what Matomo's log tables keep of a hit: a row per action and per order; one abandoned
 * cart per visit, rewritten by each cart update (Matomo updates its conversion row in place) and
 * gone once the visit has an order; a goal once per visit (goals allow one conversion per visit by
 * default); nothing for a ping.
 */
function addDetail(visit: VisitRecord, hit: AcceptedHit): void {
  if (hit.type === 'ping') return;
  const detail: ActionDetail = { type: hit.type, at: hit.at, pvId: hit.pvId, revenue: hit.revenue, orderId: hit.orderId, live: hit.live };
  // An order deletes the visit's abandoned cart, and later cart updates of the visit leave none.
  if (hit.type === 'ecommerce') visit.details = visit.details.filter((d) => d.type !== 'cart');
  if (hit.type === 'cart' && visit.details.some((d) => d.type === 'ecommerce')) return;
  if (hit.type === 'cart' || hit.type === 'goal') {
    const same = visit.details.findIndex((d) => d.type === hit.type && (hit.type === 'cart' || d.live.goalId === hit.live.goalId));
    if (same >= 0) {
      if (hit.type === 'cart') visit.details[same] = detail;
      return;
    }
  }
  visit.details.push(detail);
}

/** plugins/CoreHome/Columns/VisitTotalTime::onConvertedVisit adds idgoal + 2 (cart -1, order 0). */
function conversionBonus(hit: AcceptedHit): number {
  if (hit.type === 'cart') return 1;
  if (hit.type === 'ecommerce') return 2;
  if (hit.type === 'goal') return Number(hit.live.goalId ?? 0) + 2;
  return 0;
}

function dayOf(site: SiteLedger, key: string): DayStats {
  let day = site.days.get(key);
  if (!day) site.days.set(key, (day = emptyDay()));
  return day;
}

/**
 * Matomo's lookup of a known visitor (Model::findVisitor by visitor id): its visit with the latest
 * last action no later than 30 minutes after the hit. Visits of one visitor on several days may
 * arrive interleaved (days in flight at once): each hit still finds its own visit.
 */
function lookup(visitor: VisitorState, at: number): VisitRecord | undefined {
  // Matomo's visit_last_action_time: pings do not move it.
  let best: VisitRecord | undefined;
  for (const v of visitor.recent) {
    if (v.lastAction <= at + VISIT_IDLE_MS && (best === undefined || v.lastAction > best.lastAction)) best = v;
  }
  return best;
}

function knowsPageview(visitor: VisitorState, pvId: string): boolean {
  if (visitor.pageviews.length === 0) return false;
  if (!pvId) return true;
  return visitor.pageviews.includes(fnv1a(pvId));
}

function seenBefore(visitor: VisitorState, key: number): boolean {
  const keys = visitor.keys;
  if (Array.isArray(keys)) {
    if (keys.includes(key)) return true;
    keys.push(key);
    if (keys.length > SMALL_KEYS) visitor.keys = new Set(keys);
    return false;
  }
  if (keys.has(key)) return true;
  keys.add(key);
  return false;
}

/** Sums day stats (for a site total or a date range). */
export function sumDays(days: Iterable<DayStats>): DayStats {
  const total = emptyDay();
  for (const day of days) {
    total.visits += day.visits;
    total.actions += day.actions;
    total.hits += day.hits;
    total.uniqueVisitors += day.uniqueVisitors;
    total.bounces += day.bounces;
    total.returningVisits += day.returningVisits;
    total.visitsWithCart += day.visitsWithCart;
    total.sumVisitLengthS += day.sumVisitLengthS;
    total.maxActions = Math.max(total.maxActions, day.maxActions);
    total.visitsConverted += day.visitsConverted;
    total.revenue += day.revenue;
    total.duplicates += day.duplicates;
    for (const type of HIT_TYPES) total.byType[type] += day.byType[type];
  }
  return total;
}
