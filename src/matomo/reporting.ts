import type { HttpRequest } from '../transport/transport.js';
import { apiRequest } from './api.js';

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
const num = (value: unknown): number => (typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : 0) || 0;
const obj = (value: unknown): Row => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Row) : {});
const rows = (value: unknown): Row[] => (Array.isArray(value) ? value.map(obj) : []);

function table(value: unknown, keyOf: (row: Row) => string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const row of rows(value)) {
    const key = keyOf(row);
    const visits = num(row.nb_visits);
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
    r.visits = num(o.nb_visits);
    r.actions = num(o.nb_actions);
    r.bounces = num(o.bounce_count);
    r.sumVisitLength = num(o.sum_visit_length);
  },
  frequency: (v: unknown, r: Partial<WindowReports>) => {
    r.returningVisits = num(obj(v).nb_visits_returning);
  },
  orders: (v: unknown, r: Partial<WindowReports>) => {
    r.orders = num(obj(v).nb_conversions);
    r.revenue = Math.round(num(obj(v).revenue) * 100) / 100;
  },
  carts: (v: unknown, r: Partial<WindowReports>) => {
    r.abandonedCarts = num(obj(v).nb_conversions);
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
