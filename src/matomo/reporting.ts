import type { HttpRequest } from '../transport/transport.js';
import { apiRequest } from './api.js';

/**
 * Reporting API requests and their parsers, pure: the edge sends them through a Transport. This is
 * where reconciliation reads Matomo's raw log and where backfill reads a site's time zone.
 */

/** Visitor ids per Live request: a segment of 40 ids stays far below any URL or body limit. */
export const VISITORS_PER_QUERY = 40;

/**
 * Live.getLastVisitsDetails for some visitors on one site-local day, with their actions. Live
 * reads the raw log, so it answers before any archiving. The segment ORs `visitorId==` conditions;
 * a visitor id is 16 hex characters, which need no escaping inside a segment.
 */
export function visitorsOfDayRequest(
  apiUrl: string,
  siteId: number | string,
  date: string,
  visitorIds: readonly string[],
  tokenAuth?: string,
): HttpRequest {
  for (const id of visitorIds) if (!/^[0-9a-f]{16}$/.test(id)) throw new RangeError(`not a Matomo visitor id: ${id}`);
  return apiRequest(
    apiUrl,
    'Live.getLastVisitsDetails',
    [
      ['idSite', String(siteId)],
      ['period', 'day'],
      ['date', date],
      ['segment', visitorIds.map((id) => `visitorId==${id}`).join(',')],
      ['filter_limit', '-1'],
      ['filter_sort_order', 'asc'],
    ],
    tokenAuth,
  );
}

/** What Matomo calls the kinds of actionDetails entries that a tracking hit can leave. */
export type StoredActionType =
  | 'action'
  | 'search'
  | 'outlink'
  | 'download'
  | 'event'
  | 'goal'
  | 'ecommerceOrder'
  | 'ecommerceAbandonedCart'
  | 'other';

export interface StoredAction {
  type: StoredActionType;
  /** Unix seconds: the hit's cdt. */
  timestamp: number;
  orderId?: string;
}

export interface StoredVisit {
  idVisit: number;
  visitorId: string;
  firstActionTimestamp: number;
  lastActionTimestamp: number;
  /**
   * Seconds, Matomo's visit_total_time: last hit minus first, plus 1. A ping moves it (and
   * nothing else), so it is what proves a ping.
   */
  visitDuration: number;
  actions: StoredAction[];
}

const KNOWN_TYPES = new Set<string>(['action', 'search', 'outlink', 'download', 'event', 'goal', 'ecommerceOrder', 'ecommerceAbandonedCart']);

function num(value: unknown): number {
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : NaN;
}

/** Reads a Live.getLastVisitsDetails answer; undefined when it is not a list of visits with actions. */
export function readStoredVisits(value: unknown): StoredVisit[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const visits: StoredVisit[] = [];
  for (const raw of value) {
    if (typeof raw !== 'object' || raw === null) return undefined;
    const v = raw as Record<string, unknown>;
    const details = v.actionDetails;
    if (typeof v.visitorId !== 'string' || !Array.isArray(details)) return undefined;
    const actions: StoredAction[] = [];
    for (const d of details) {
      if (typeof d !== 'object' || d === null) continue;
      const a = d as Record<string, unknown>;
      const type = typeof a.type === 'string' && KNOWN_TYPES.has(a.type) ? (a.type as StoredActionType) : 'other';
      const action: StoredAction = { type, timestamp: num(a.timestamp) };
      if (a.orderId !== undefined && a.orderId !== null) action.orderId = String(a.orderId);
      actions.push(action);
    }
    visits.push({
      idVisit: num(v.idVisit),
      visitorId: v.visitorId,
      firstActionTimestamp: num(v.firstActionTimestamp),
      lastActionTimestamp: num(v.lastActionTimestamp),
      visitDuration: num(v.visitDuration),
      actions,
    });
  }
  return visits;
}

/** The Matomo version (validate's first question: is this Matomo's Reporting API, and does the token work?). */
export function matomoVersionRequest(apiUrl: string, tokenAuth?: string): HttpRequest {
  return apiRequest(apiUrl, 'API.getMatomoVersion', [], tokenAuth);
}

/** The URLs (main and aliases) of a site. */
export function siteUrlsRequest(apiUrl: string, siteId: number | string, tokenAuth?: string): HttpRequest {
  return apiRequest(apiUrl, 'SitesManager.getSiteUrlsFromId', [['idSite', String(siteId)]], tokenAuth);
}

/** Whether the token is a super user's. */
export function superUserRequest(apiUrl: string, tokenAuth?: string): HttpRequest {
  return apiRequest(apiUrl, 'UsersManager.hasSuperUserAccess', [], tokenAuth);
}

/** The users of a site with their roles (who the token's user is, and its access). */
export function usersWithRolesRequest(apiUrl: string, siteId: number | string, tokenAuth?: string): HttpRequest {
  return apiRequest(apiUrl, 'UsersManager.getUsersPlusRole', [['idSite', String(siteId)]], tokenAuth);
}

export function siteRequest(apiUrl: string, siteId: number | string, tokenAuth?: string): HttpRequest {
  return apiRequest(apiUrl, 'SitesManager.getSiteFromId', [['idSite', String(siteId)]], tokenAuth);
}

/** The site's IANA zone (or a UTC±h name) from SitesManager.getSiteFromId; undefined when absent. */
export function readSiteTimezone(value: unknown): string | undefined {
  const site = Array.isArray(value) ? value[0] : value;
  if (typeof site !== 'object' || site === null) return undefined;
  const zone = (site as Record<string, unknown>).timezone;
  return typeof zone === 'string' && zone.length > 0 ? zone : undefined;
}

/** One raw visit as verify lists it (Live.getLastVisitsDetails, with or without actions). */
export interface VisitRow {
  idVisit: number;
  visitorId: string;
  /** Unix seconds. */
  firstActionTimestamp: number;
  actions: number;
}

export function readVisitRows(value: unknown): VisitRow[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const rows: VisitRow[] = [];
  for (const raw of value) {
    if (typeof raw !== 'object' || raw === null) return undefined;
    const v = raw as Record<string, unknown>;
    if (typeof v.visitorId !== 'string') return undefined;
    rows.push({ idVisit: num(v.idVisit), visitorId: v.visitorId, firstActionTimestamp: num(v.firstActionTimestamp), actions: num(v.actions) });
  }
  return rows;
}

/**
 * PrivacyManager.deleteDataSubjects for some visits: deletes them from the raw log (needs a
 * super-user token). Reports already archived keep them until the days are invalidated.
 */
export function deleteVisitsRequest(apiUrl: string, visits: ReadonlyArray<{ siteId: number | string; idVisit: number }>, tokenAuth?: string): HttpRequest {
  const params: Array<[string, string]> = [];
  visits.forEach((v, i) => {
    params.push([`visits[${i}][idsite]`, String(v.siteId)], [`visits[${i}][idvisit]`, String(v.idVisit)]);
  });
  return apiRequest(apiUrl, 'PrivacyManager.deleteDataSubjects', params, tokenAuth);
}

/** CoreAdminHome.invalidateArchivedReports for some days of a site, every period that holds them. */
export function invalidateDaysRequest(apiUrl: string, siteId: number | string, dates: readonly string[], tokenAuth?: string): HttpRequest {
  return apiRequest(apiUrl, 'CoreAdminHome.invalidateArchivedReports', [['idSites', String(siteId)], ['dates', dates.join(',')]], tokenAuth);
}

// --- reports: verify --reports
/**
 * The Reporting API calls `verify --reports` makes for a backfill window, and their parsers. All
 * ask for the window as one range (`period=range`), which Matomo builds from archived days: run
 * core:archive first. Pure: requests out, answers in.
 */
export interface WindowReports {
  visits: number;
  actions: number;
  bounces: number;
  /** Seconds, summed over the visits (sum_visit_length). */
  sumVisitLength: number;
  returningVisits: number;
  orders: number;
  revenue: number;
  abandonedCarts: number;
  /** DevicesDetection.getType by Matomo's label (Desktop, Smartphone, Tablet...), visits > 0 only. */
  deviceTypes: Record<string, number>;
  /** Referrers.getReferrerType by Matomo's segment value (direct, search, website, social, campaign). */
  referrerTypes: Record<string, number>;
  /** UserCountry.getCountry by lower-case ISO code. */
  countries: Record<string, number>;
}

/** The calls, in the order readWindowReports expects their answers. */
export const WINDOW_REPORT_CALLS: ReadonlyArray<{ name: keyof typeof READERS; method: string; params: ReadonlyArray<readonly [string, string]> }> = [
  { name: 'summary', method: 'VisitsSummary.get', params: [] },
  { name: 'frequency', method: 'VisitFrequency.get', params: [] },
  { name: 'orders', method: 'Goals.get', params: [['idGoal', 'ecommerceOrder']] },
  { name: 'carts', method: 'Goals.get', params: [['idGoal', 'ecommerceAbandonedCart']] },
  { name: 'deviceTypes', method: 'DevicesDetection.getType', params: [['filter_limit', '-1']] },
  { name: 'referrerTypes', method: 'Referrers.getReferrerType', params: [['filter_limit', '-1']] },
  { name: 'countries', method: 'UserCountry.getCountry', params: [['filter_limit', '-1']] },
];

export function windowReportRequests(apiUrl: string, siteId: number, from: string, to: string, tokenAuth?: string): HttpRequest[] {
  const range: Array<[string, string]> = [
    ['idSite', String(siteId)],
    ['period', 'range'],
    ['date', `${from},${to}`],
  ];
  return WINDOW_REPORT_CALLS.map((call) => apiRequest(apiUrl, call.method, [...range, ...call.params], tokenAuth));
}

type Row = Record<string, unknown>;
/** A report figure; absent or unreadable counts as 0, as Matomo leaves out empty rows. */
const count = (value: unknown): number => (typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : 0) || 0;
const obj = (value: unknown): Row => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Row) : {});
const rows = (value: unknown): Row[] => (Array.isArray(value) ? value.map(obj) : []);

function table(value: unknown, keyOf: (row: Row) => string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const row of rows(value)) {
    const key = keyOf(row);
    const visits = count(row.nb_visits);
    if (key !== undefined && visits > 0) out[key] = (out[key] ?? 0) + visits;
  }
  return out;
}

const segmentValue = (row: Row, name: string): string | undefined => {
  const segment = typeof row.segment === 'string' ? row.segment : '';
  const m = new RegExp(`^${name}==(.+)$`).exec(segment);
  return m ? decodeURIComponent(m[1]!) : undefined;
};

const READERS = {
  summary: (v: unknown, r: Partial<WindowReports>) => {
    const o = obj(v);
    r.visits = count(o.nb_visits);
    r.actions = count(o.nb_actions);
    r.bounces = count(o.bounce_count);
    r.sumVisitLength = count(o.sum_visit_length);
  },
  frequency: (v: unknown, r: Partial<WindowReports>) => {
    r.returningVisits = count(obj(v).nb_visits_returning);
  },
  orders: (v: unknown, r: Partial<WindowReports>) => {
    r.orders = count(obj(v).nb_conversions);
    r.revenue = Math.round(count(obj(v).revenue) * 100) / 100;
  },
  carts: (v: unknown, r: Partial<WindowReports>) => {
    r.abandonedCarts = count(obj(v).nb_conversions);
  },
  deviceTypes: (v: unknown, r: Partial<WindowReports>) => {
    r.deviceTypes = table(v, (row) => (typeof row.label === 'string' ? row.label : undefined));
  },
  referrerTypes: (v: unknown, r: Partial<WindowReports>) => {
    r.referrerTypes = table(v, (row) => segmentValue(row, 'referrerType'));
  },
  countries: (v: unknown, r: Partial<WindowReports>) => {
    r.countries = table(v, (row) => (typeof row.code === 'string' ? row.code.toLowerCase() : undefined));
  },
};

/** The parsed answers (JSON values, in WINDOW_REPORT_CALLS order) as one record. */
export function readWindowReports(values: readonly unknown[]): WindowReports {
  const r: Partial<WindowReports> = {};
  WINDOW_REPORT_CALLS.forEach((call, i) => READERS[call.name](values[i], r));
  return {
    visits: r.visits ?? 0,
    actions: r.actions ?? 0,
    bounces: r.bounces ?? 0,
    sumVisitLength: r.sumVisitLength ?? 0,
    returningVisits: r.returningVisits ?? 0,
    orders: r.orders ?? 0,
    revenue: r.revenue ?? 0,
    abandonedCarts: r.abandonedCarts ?? 0,
    deviceTypes: r.deviceTypes ?? {},
    referrerTypes: r.referrerTypes ?? {},
    countries: r.countries ?? {},
  };
}

/** Whether a day's raw log holds any visit of the site (one row at most, no actions). */
export function dayHasVisitsRequest(apiUrl: string, siteId: number | string, date: string, tokenAuth?: string): HttpRequest {
  return apiRequest(
    apiUrl,
    'Live.getLastVisitsDetails',
    [['idSite', String(siteId)], ['period', 'day'], ['date', date], ['filter_limit', '1'], ['doNotFetchActions', '1']],
    tokenAuth,
  );
}

export const LIVE_PAGE_SIZE = 1000;

/** One page of a day's raw visits (site timezone days; only the counts are read). */
export function liveVisitsRequest(apiUrl: string, siteId: number | string, date: string, offset: number, tokenAuth?: string): HttpRequest {
  return apiRequest(
    apiUrl,
    'Live.getLastVisitsDetails',
    [
      ['idSite', String(siteId)],
      ['period', 'day'],
      ['date', date],
      ['filter_limit', String(LIVE_PAGE_SIZE)],
      ['filter_offset', String(offset)],
      ['doNotFetchActions', '1'],
      ['filter_sort_order', 'asc'],
    ],
    tokenAuth,
  );
}

export function visitsSummaryRequest(apiUrl: string, siteId: number | string, date: string, tokenAuth?: string): HttpRequest {
  return apiRequest(apiUrl, 'VisitsSummary.get', [['idSite', String(siteId)], ['period', 'day'], ['date', date]], tokenAuth);
}

export function trackingFailuresRequest(apiUrl: string, tokenAuth?: string): HttpRequest {
  return apiRequest(apiUrl, 'CoreAdminHome.getTrackingFailures', [], tokenAuth);
}

export interface Counts {
  visits: number;
  actions: number;
}

/** Counts one page of Live.getLastVisitsDetails; undefined when it is not a list of visits. */
export function readLivePage(value: unknown): (Counts & { rows: number }) | undefined {
  if (!Array.isArray(value)) return undefined;
  let actions = 0;
  for (const v of value) {
    const a = typeof v === 'object' && v !== null ? Number((v as { actions?: unknown }).actions) : NaN;
    if (Number.isFinite(a)) actions += a;
  }
  return { visits: value.length, actions, rows: value.length };
}

export type ArchiveState = { state: 'archived'; visits: number; actions: number } | { state: 'not-archived' } | { state: 'empty' };

/**
 * Reads VisitsSummary.get for a day. Matomo answers an unarchived day with zeros (or an empty
 * list), so zeros mean "not archived" when the raw logs hold visits, and "empty" when they hold
 * none (nothing to tell apart).
 */
export function readVisitsSummary(value: unknown, rawVisits: number | undefined): ArchiveState | undefined {
  if (Array.isArray(value) && value.length === 0) return rawVisits ? { state: 'not-archived' } : { state: 'empty' };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  const visits = Number(v.nb_visits ?? 0);
  const actions = Number(v.nb_actions ?? 0);
  if (!Number.isFinite(visits) || !Number.isFinite(actions)) return undefined;
  if (visits > 0) return { state: 'archived', visits, actions };
  return rawVisits ? { state: 'not-archived' } : { state: 'empty' };
}

export interface TrackingFailure {
  siteId: number;
  date: string;
  problem: string;
  url: string;
}

export function readTrackingFailures(value: unknown, siteId: number | string): TrackingFailure[] {
  if (!Array.isArray(value)) return [];
  const out: TrackingFailure[] = [];
  for (const f of value) {
    if (typeof f !== 'object' || f === null) continue;
    const r = f as Record<string, unknown>;
    if (String(r.idsite) !== String(siteId)) continue;
    out.push({
      siteId: Number(r.idsite),
      date: String(r.date_first_occurred ?? ''),
      problem: String(r.problem ?? ''),
      url: String(r.url ?? ''),
    });
  }
  return out;
}
