import { DateTime } from 'luxon';
import { formatCdt } from './cdt.js';
import { checkItems } from './judge.js';
import type { ActionDetail, SiteLedger, VisitRecord } from './ledger.js';

/**
 * Live.getLastVisitsDetails as Matomo 5.0.2 answers it (plugins/Live, measured in
 * /work/notes/live-api.md and test/fixtures/matomo-5.0.2): visits selected by their last action
 * time within the site-local days asked, an optional `visitorId==` segment, newest first unless
 * `filter_sort_order=asc`, each with its actionDetails.
 */
export interface LiveQuery {
  /** Epoch ms bounds on the visit's last action time, both inclusive; undefined: no bound. */
  fromMs?: number;
  toMs?: number;
  visitorIds?: ReadonlySet<string>;
  ascending: boolean;
  offset: number;
  /** Infinity for filter_limit=-1. */
  limit: number;
  withActions: boolean;
}

export interface LiveSite {
  idSite: number;
  timezone: string;
  currency: string;
  name: string;
}

/** Thrown for a segment Matomo would refuse; the message is Matomo's. */
export class SegmentError extends Error {}

const HEX16 = /^[0-9a-f]{16}$/;

/**
 * The visitor ids of a segment that ORs `visitorId==` conditions (`,`); undefined for no segment.
 * Other segments are refused with Matomo's message rather than answered wrongly.
 */
export function parseVisitorSegment(segment: string | undefined): Set<string> | undefined {
  if (segment === undefined || segment === '') return undefined;
  // Matomo url-decodes segment values once more; a doubly encoded segment reads the same.
  const text = segment.includes('%') ? safeDecode(segment) : segment;
  const ids = new Set<string>();
  for (const part of text.split(',')) {
    const match = /^([A-Za-z_.]+)==(.*)$/.exec(part);
    if (!match) throw new SegmentError(`The segment condition '${part}' is not valid.`);
    if (match[1] !== 'visitorId') throw new SegmentError(`Segment '${match[1]}' is not a supported segment.`);
    const id = match[2]!;
    if (!HEX16.test(id.toLowerCase())) throw new SegmentError('visitorId is expected to be a 16 hex char string');
    ids.add(id.toLowerCase());
  }
  return ids;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Site-local midnight of `from` and of the day after `to`, as epoch ms (Matomo's Live bounds). */
export function dayBounds(from: string, to: string, zone: string): { fromMs: number; toMs: number } {
  const start = DateTime.fromISO(from, { zone }).startOf('day');
  const end = DateTime.fromISO(to, { zone }).startOf('day').plus({ days: 1 });
  return { fromMs: start.toMillis(), toMs: end.toMillis() };
}

/** The visits a query selects, in answer order. */
export function selectVisits(site: SiteLedger | undefined, query: LiveQuery): VisitRecord[] {
  const picked: VisitRecord[] = [];
  for (const list of site?.visits.values() ?? []) {
    for (const visit of list) {
      if (query.fromMs !== undefined && visit.lastAction < query.fromMs) continue;
      if (query.toMs !== undefined && visit.lastAction > query.toMs) continue;
      if (query.visitorIds && !query.visitorIds.has(visit.visitorId)) continue;
      picked.push(visit);
    }
  }
  const sign = query.ascending ? 1 : -1;
  picked.sort((a, b) => sign * (a.lastAction - b.lastAction || a.idVisit - b.idVisit));
  return picked.slice(query.offset, query.offset + query.limit);
}

/** One visit in the answer's shape: the real answer's keys that the sink can know, in its order. */
export function visitJson(visit: VisitRecord, site: LiveSite, withActions: boolean): Record<string, unknown> {
  const lastS = Math.floor(visit.lastAction / 1000);
  const hasOrder = visit.details.some((d) => d.type === 'ecommerce');
  const cart = visit.details.some((d) => d.type === 'cart');
  const counted = (types: ReadonlyArray<ActionDetail['type']>): number => visit.details.filter((d) => types.includes(d.type)).length;
  return {
    idSite: visit.site,
    idVisit: visit.idVisit,
    visitorId: visit.visitorId,
    actionDetails: withActions ? actionDetails(visit, site) : [],
    goalConversions: counted(['goal']),
    siteCurrency: site.currency,
    serverDate: formatCdt(visit.lastAction).slice(0, 10),
    visitServerHour: String(new Date(visit.lastAction).getUTCHours()),
    lastActionTimestamp: lastS,
    lastActionDateTime: formatCdt(visit.lastAction),
    siteName: site.name,
    serverTimestamp: lastS,
    firstActionTimestamp: Math.floor(visit.first / 1000),
    userId: visit.userId ?? null,
    visitorType: visit.returningCustomer ? 'returningCustomer' : visit.returning ? 'returning' : 'new',
    visitConverted: visit.converted ? 1 : 0,
    visitCount: visit.visitCount,
    visitEcommerceStatus: hasOrder ? (cart ? 'orderedThenAbandonedCart' : 'ordered') : cart ? 'abandonedCart' : 'none',
    // visit_total_time: 0 for a one-hit visit, else 1 + last - first (pings included), plus a
    // conversion's quirk when the latest hit was one.
    visitDuration: visit.hits > 1 ? 1 + Math.round((visit.last - visit.first) / 1000) + visit.conversionBonus : 0,
    searches: counted(['search']),
    actions: visit.actions,
    interactions: counted(['pageview', 'search']),
    events: counted(['event']),
  };
}

/**
 * A visit's actionDetails in time order. `timestamp` is NOT UTC in Matomo 5.0.2: it is the hit's
 * time plus the site's UTC offset at that instant (plugins/Actions/VisitorDetails.php converts
 * server_time "to the site timezone" and takes that wall-clock time as UTC); the visit's
 * first/lastActionTimestamp are true UTC.
 */
export function actionDetails(visit: VisitRecord, site: LiveSite): Array<Record<string, unknown>> {
  const ordered = visit.details.map((detail, index) => ({ detail, index }));
  ordered.sort((a, b) => a.detail.at - b.detail.at || a.index - b.index);
  let position = 0;
  return ordered.map(({ detail }) => {
    // A site search is a page load of its own: it moves the position like a page view.
    if (detail.type === 'pageview' || detail.type === 'search') position += 1;
    return detailJson(detail, site, position);
  });
}

function localTime(ms: number, zone: string): { timestamp: number; pretty: string } {
  const local = DateTime.fromMillis(ms, { zone });
  return {
    timestamp: Math.floor((ms + local.offset * 60_000) / 1000),
    pretty: local.setLocale('en-US').toFormat('LLL d, yyyy HH:mm:ss'),
  };
}

const ICONS = 'plugins/Morpheus/images/';

function detailJson(d: ActionDetail, site: LiveSite, pageviewPosition: number): Record<string, unknown> {
  const { timestamp, pretty } = localTime(d.at, site.timezone);
  const live = d.live;
  const icons = (name: string): Record<string, string> => ({ icon: `${ICONS}${name}.png`, iconSVG: `${ICONS}${name}.svg` });
  switch (d.type) {
    case 'pageview':
      return {
        type: 'action', url: live.url, pageTitle: live.pageTitle ?? null, idpageview: d.pvId, serverTimePretty: pretty, pageviewPosition,
        title: live.pageTitle ?? null, subtitle: live.url, icon: '', iconSVG: `${ICONS}action.svg`, timestamp,
      };
    case 'search': {
      const count = live.searchCount === undefined ? null : Number(live.searchCount);
      return {
        type: 'search', url: null, idpageview: d.pvId, serverTimePretty: pretty, siteSearchKeyword: live.keyword ?? '',
        siteSearchCategory: live.searchCategory ?? null, siteSearchCount: count, pageviewPosition, ...icons('search'),
        title: 'Site Search', subtitle: searchSubtitle(live.keyword ?? '', live.searchCategory, count), timestamp,
      };
    }
    case 'event':
      return {
        type: 'event', url: live.url, idpageview: d.pvId, serverTimePretty: pretty, eventCategory: live.eventCategory ?? '',
        eventAction: live.eventAction ?? '', pageviewPosition, timestamp, ...icons('event'), title: 'Event',
        subtitle: `Category: "${live.eventCategory ?? ''}', Action: "${live.eventAction ?? ''}"`,
        ...(live.eventName === undefined ? {} : { eventName: live.eventName }),
        ...(live.eventValue === undefined || !Number.isFinite(Number(live.eventValue)) ? {} : { eventValue: Math.round(Number(live.eventValue) * 1000) / 1000 }),
      };
    case 'outlink':
    case 'download':
      return {
        type: d.type, url: live.url, pageTitle: null, idpageview: d.pvId, serverTimePretty: pretty, pageviewPosition,
        ...icons(d.type === 'outlink' ? 'link' : 'download'), title: d.type === 'outlink' ? 'Outlink' : 'Download', subtitle: live.url, timestamp,
      };
    case 'goal':
      return {
        type: 'goal', goalName: `Goal ${live.goalId ?? ''}`, goalId: Number(live.goalId), idpageview: null, revenue: amount(d.revenue),
        goalPageId: null, serverTimePretty: pretty, url: live.url, referrerType: 'direct', referrerName: null, referrerKeyword: null,
        ...icons('goal'), title: 'Goal conversion', subtitle: `Goal ${live.goalId ?? ''}`, timestamp,
      };
    case 'ecommerce':
      return {
        type: 'ecommerceOrder', orderId: d.orderId, revenue: amount(d.revenue), revenueSubTotal: amount(live.subtotal),
        revenueTax: amount(live.tax), revenueShipping: amount(live.shipping), revenueDiscount: amount(live.discount),
        items: itemCount(live.items), serverTimePretty: pretty, idpageview: null, itemDetails: itemDetails(live.items),
        ...icons('ecommerceOrder'), title: `Ordered (${d.orderId})`, timestamp,
      };
    case 'cart':
      return {
        type: 'ecommerceAbandonedCart', revenue: amount(d.revenue), items: itemCount(live.items), serverTimePretty: pretty,
        idpageview: null, itemDetails: itemDetails(live.items), ...icons('ecommerceAbandonedCart'), title: 'Abandoned Cart', timestamp,
      };
    default:
      return { type: d.type, serverTimePretty: pretty, timestamp };
  }
}

function searchSubtitle(keyword: string, category: string | undefined, count: number | null): string {
  let text = keyword;
  if (category) text += ` - Search Category: ${category}`;
  if (count) text += ` - Search Results Count: ${count}`;
  return text;
}

/** Revenue columns, rounded to cents (Matomo's ROUND(revenue, 2)); a number in the JSON. */
function amount(value: number | string | undefined): number {
  const n = Number(value ?? 0);
  return Number.isFinite(n) ? Math.round(n * 100) / 100 : 0;
}

type Item = [unknown, unknown?, unknown?, unknown?, unknown?];

function items(text: string | undefined): Item[] {
  if (!text || checkItems(text) === undefined) return [];
  return JSON.parse(text) as Item[];
}

function itemCount(text: string | undefined): number {
  return items(text).reduce((sum, item) => sum + Number(item[4] ?? 1), 0);
}

function itemDetails(text: string | undefined): Array<Record<string, unknown>> {
  return items(text).map(([sku, name, category, price, quantity]) => {
    const categories = (Array.isArray(category) ? category : category === undefined || category === '' ? [] : [category]).map(String);
    return {
      itemSKU: String(sku),
      itemName: name === undefined ? null : String(name),
      itemCategory: categories[0] ?? null,
      price: amount(Number(price ?? 0)),
      quantity: Number(quantity ?? 1),
      categories,
    };
  });
}
