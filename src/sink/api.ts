import { BAD_TOKEN_MESSAGE, MATOMO_VERSION, unknownSiteMessage } from './answers.js';
import { formatCdt } from './cdt.js';
import type { DayKeys } from './day-key.js';
import { sumDays, type DayStats, type Ledger } from './ledger.js';
import { dayBounds, parseVisitorSegment, SegmentError, selectVisits, visitJson } from './live.js';
import type { RejectReason } from './judge.js';

export interface ApiContext {
  ledger: Ledger;
  days: DayKeys;
  now: number;
  token?: string;
  sites?: readonly number[];
  timezone: string;
  currency: string;
}

export interface ApiAnswer {
  status: number;
  body: string;
}

/** The main_url and creation date every stand-in site reports. */
export const SITE_URL = 'http://example.test';
export const SITE_CREATED = '2020-01-01 00:00:00';

type Handler = (params: ReadonlyMap<string, string>, ctx: ApiContext) => unknown;

const methods: Record<string, Handler> = {
  'API.getMatomoVersion': () => ({ value: MATOMO_VERSION }),
  'SitesManager.getSiteFromId': (params, ctx) => withSite(params, ctx, (id) => siteInfo(id, ctx)),
  'UsersManager.getSitesAccessFromUser': (_params, ctx) =>
    knownSites(ctx).map((site) => ({ site, access: 'admin' })),
  'UsersManager.hasSuperUserAccess': () => ({ value: true }),
  'VisitsSummary.get': (params, ctx) => withSite(params, ctx, (id) => visitsSummary(id, params, ctx)),
  'Live.getLastVisitsDetails': (params, ctx) => withSite(params, ctx, (id) => lastVisits(id, params, ctx)),
  'CoreAdminHome.getTrackingFailures': (_params, ctx) => trackingFailures(ctx),
};

/**
 * The Reporting API calls trafficinator itself makes (validate, backfill's overlap check, verify),
 * answered from what the sink recorded, as JSON. Wrong tokens get Matomo's 401 error object;
 * other errors are error objects with 200, as Matomo sends them.
 */
export function answerApi(params: ReadonlyMap<string, string>, ctx: ApiContext): ApiAnswer {
  if (ctx.token !== undefined) {
    const given = params.get('token_auth');
    if (given !== ctx.token) {
      const message = given
        ? BAD_TOKEN_MESSAGE
        : "You can't access this resource as it requires 'view' access. Please log in or pass a token_auth.";
      return { status: 401, body: JSON.stringify({ result: 'error', message }) };
    }
  }
  const method = params.get('method') ?? '';
  const handler = Object.hasOwn(methods, method) ? methods[method] : undefined;
  if (!handler) {
    const [module = '', action = ''] = method.split('.');
    return error(`The method '${action}' does not exist or is not available in the module '\\Piwik\\Plugins\\${module}\\API'.`);
  }
  try {
    return { status: 200, body: matomoJson(handler(params, ctx)) };
  } catch (e) {
    if (e instanceof ApiError) return error(e.message);
    throw e;
  }
}

class ApiError extends Error {}

function error(message: string): ApiAnswer {
  return { status: 200, body: matomoJson({ result: 'error', message }) };
}

/** Matomo's JSON escapes slashes (`http:\/\/`); clients comparing bodies see the same bytes. */
function matomoJson(value: unknown): string {
  return JSON.stringify(value).replace(/\//g, '\\/');
}

function withSite(params: ReadonlyMap<string, string>, ctx: ApiContext, then: (id: number) => unknown): unknown {
  const text = params.get('idSite') ?? params.get('idsite') ?? '';
  const id = /^[1-9]\d{0,9}$/.test(text) ? Number(text) : 0;
  if (id === 0 || (ctx.sites !== undefined && !ctx.sites.includes(id))) {
    throw new ApiError(unknownSiteMessage(text));
  }
  return then(id);
}

function knownSites(ctx: ApiContext): number[] {
  if (ctx.sites !== undefined) return [...ctx.sites];
  const seen = new Set<number>([1, ...ctx.ledger.sites.keys()]);
  seen.delete(0);
  return [...seen].sort((a, b) => a - b);
}

function siteInfo(id: number, ctx: ApiContext): Record<string, unknown> {
  return {
    idsite: id,
    name: `Site ${id}`,
    main_url: SITE_URL,
    ts_created: SITE_CREATED,
    ecommerce: 1,
    sitesearch: 1,
    sitesearch_keyword_parameters: '',
    sitesearch_category_parameters: '',
    timezone: ctx.timezone,
    currency: ctx.currency,
    exclude_unknown_urls: 0,
    excluded_ips: '',
    excluded_parameters: '',
    excluded_user_agents: '',
    excluded_referrers: '',
    group: '',
    type: 'website',
    keep_url_fragment: 0,
    creator_login: 'anonymous',
    timezone_name: ctx.timezone,
    currency_name: ctx.currency === 'EUR' ? 'Euro' : ctx.currency,
  };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** `date` as Matomo reads it for day and range periods: a day, `today`, `yesterday` or `A,B`. */
function dateRange(params: ReadonlyMap<string, string>, ctx: ApiContext): { from: string; to: string; list: boolean } {
  const text = params.get('date') ?? '';
  const period = params.get('period') ?? 'day';
  if (period !== 'day' && period !== 'range') {
    throw new ApiError(`The sink answers period=day and period=range only, not '${period}'.`);
  }
  const resolve = (part: string): string => {
    if (part === 'today') return ctx.days.today(ctx.now);
    if (part === 'yesterday') return ctx.days.today(ctx.now - 86_400_000);
    if (DATE.test(part)) return part;
    throw new ApiError(`Date format must be: YYYY-MM-DD, or 'today' or 'yesterday'; got '${text}'.`);
  };
  const parts = text.split(',');
  if (parts.length === 1) {
    if (period === 'range') throw new ApiError(`The date '${text}' is not a correct date range.`);
    const day = resolve(parts[0]!);
    return { from: day, to: day, list: false };
  }
  if (parts.length !== 2) throw new ApiError(`The date '${text}' is not a correct date range.`);
  return { from: resolve(parts[0]!), to: resolve(parts[1]!), list: period === 'day' };
}

function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let ms = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  while (ms <= end && out.length < 3660) {
    out.push(new Date(ms).toISOString().slice(0, 10));
    ms += 86_400_000;
  }
  return out;
}

function visitsSummary(id: number, params: ReadonlyMap<string, string>, ctx: ApiContext): unknown {
  const { from, to, list } = dateRange(params, ctx);
  const site = ctx.ledger.sites.get(id);
  const dayStats = (day: string): DayStats | undefined => site?.days.get(day);
  if (list) {
    const out: Record<string, unknown> = {};
    for (const day of daysBetween(from, to)) out[day] = summaryOf(sumDays(optional(dayStats(day))), true);
    return out;
  }
  if (from === to && (params.get('period') ?? 'day') === 'day') {
    return summaryOf(sumDays(optional(dayStats(from))), true);
  }
  return summaryOf(sumDays(daysBetween(from, to).flatMap((day) => optional(dayStats(day)))), false);
}

function optional<T>(value: T | undefined): T[] {
  return value === undefined ? [] : [value];
}

function summaryOf(day: DayStats, withUniques: boolean): Record<string, unknown> {
  const visits = day.visits;
  const ratio = (n: number): number => (visits === 0 ? 0 : n / visits);
  return {
    ...(withUniques ? { nb_uniq_visitors: day.uniqueVisitors, nb_users: 0 } : {}),
    nb_visits: visits,
    nb_actions: day.actions,
    nb_visits_converted: day.visitsConverted,
    bounce_count: day.bounces,
    sum_visit_length: day.sumVisitLengthS,
    max_actions: day.maxActions,
    bounce_rate: `${Math.round(ratio(day.bounces) * 100)}%`,
    nb_actions_per_visit: Math.round(ratio(day.actions) * 10) / 10,
    avg_time_on_site: Math.round(ratio(day.sumVisitLengthS)),
  };
}

function lastVisits(id: number, params: ReadonlyMap<string, string>, ctx: ApiContext): unknown[] {
  let bounds: { fromMs?: number; toMs?: number } = {};
  if (params.has('date') && params.has('period')) {
    const { from, to } = dateRange(params, ctx);
    bounds = dayBounds(from, to, ctx.timezone);
    // Live's quirks for today (plugins/Live/Model::getStartAndEndDate): no upper bound, and a day
    // period of today starts at yesterday's midnight.
    const today = ctx.days.today(ctx.now);
    if (to === today) {
      const start = from === today && (params.get('period') ?? 'day') === 'day' ? ctx.days.today(ctx.now - 86_400_000) : from;
      bounds = { fromMs: dayBounds(start, start, ctx.timezone).fromMs };
    }
  }
  let visitorIds: Set<string> | undefined;
  try {
    visitorIds = parseVisitorSegment(params.get('segment'));
  } catch (e) {
    if (e instanceof SegmentError) throw new ApiError(e.message);
    throw e;
  }
  const limit = Number(params.get('filter_limit') ?? '100');
  const offset = Number(params.get('filter_offset') ?? '0');
  const withActions = !truthy(params.get('doNotFetchActions'));
  const visits = selectVisits(ctx.ledger.sites.get(id), {
    ...bounds,
    visitorIds,
    ascending: (params.get('filter_sort_order') ?? '').toLowerCase() === 'asc',
    offset: Number.isInteger(offset) && offset > 0 ? offset : 0,
    limit: Number.isInteger(limit) && limit > 0 ? limit : params.has('filter_limit') ? Infinity : 100,
    withActions,
  });
  const site = { idSite: id, timezone: ctx.timezone, currency: ctx.currency, name: `Site ${id}` };
  return visits.map((visit) => pickColumns(visitJson(visit, site, withActions), params));
}

function truthy(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}

/** Matomo's generic showColumns / hideColumns filters (comma-separated column names). */
function pickColumns(row: Record<string, unknown>, params: ReadonlyMap<string, string>): Record<string, unknown> {
  const show = params.get('showColumns');
  const hide = params.get('hideColumns');
  if (!show && !hide) return row;
  const shown = show ? new Set(show.split(',')) : undefined;
  const hidden = new Set(hide ? hide.split(',') : []);
  return Object.fromEntries(Object.entries(row).filter(([key]) => (!shown || shown.has(key)) && !hidden.has(key)));
}

const FAILURE_TEXT: Record<RejectReason, { problem: string; solution: string; id: number }> = {
  'unknown-site': { id: 1, problem: 'The site does not exist.', solution: 'Update the configured idSite in the tracker.' },
  'old-cdt-needs-token': {
    id: 2,
    problem: 'Request was not authenticated but authentication was required.',
    solution: 'Set or correct a "token_auth" in your tracking request.',
  },
  'cip-needs-token': {
    id: 2,
    problem: 'Request was not authenticated but authentication was required.',
    solution: 'Set or correct a "token_auth" in your tracking request.',
  },
  'cdt-malformed': { id: 101, problem: 'cdt is not YYYY-MM-DD HH:MM:SS (UTC) or a Unix timestamp.', solution: 'Send cdt in UTC as YYYY-MM-DD HH:MM:SS.' },
  'cdt-future': { id: 102, problem: 'cdt is in the future; Matomo would record the hit at its current time.', solution: 'Never send a cdt later than now.' },
  'url-invalid': { id: 103, problem: 'url is missing or not a valid http(s) URL.', solution: 'Send the page URL as url.' },
  'visitor-id-invalid': { id: 104, problem: '_id is not 16 hexadecimal characters.', solution: 'Send a 16-hex-digit visitor id as _id.' },
  'ec-items-invalid': { id: 105, problem: 'ec_items is not a JSON list of [sku, name, category, price, quantity].', solution: 'Send ec_items as JSON.' },
  'event-incomplete': { id: 106, problem: 'An event needs e_c and e_a.', solution: 'Send both the event category and action.' },
  'goal-invalid': { id: 108, problem: 'idgoal is not a goal id (a whole number).', solution: 'Send idgoal=0 for ecommerce, or the id of a manual goal.' },
  'performance-invalid': { id: 109, problem: 'A page timing (pf_*) is not a whole number of milliseconds.', solution: 'Send pf_net ... pf_onl as integers >= 0.' },
  'ping-without-pageview': { id: 107, problem: 'A ping came before any page view of its visit.', solution: 'Send pings only after a page view, within 30 minutes.' },
  'order-repeated': {
    id: 110,
    problem: 'Invalid non-unique idsite/idorder combination: the site already has an order with this ec_id.',
    solution: 'Send each order id (ec_id) once per site.',
  },
};

function trackingFailures(ctx: ApiContext): unknown[] {
  const out = [...ctx.ledger.failures.values()].map((failure) => {
    const text = FAILURE_TEXT[failure.reason];
    const date = formatCdt(failure.firstAt);
    return {
      idsite: failure.idsite,
      idfailure: text.id,
      date_first_occurred: date,
      request_url: failure.requestUrl,
      site_name: failure.reason === 'unknown-site' ? 'Unknown' : `Site ${failure.idsite}`,
      pretty_date_first_occurred: date,
      url: failure.url,
      problem: text.problem,
      solution: text.solution,
      solution_url: 'https://matomo.org/faq/how-to/',
    };
  });
  return out.sort((a, b) => a.idsite - b.idsite || a.idfailure - b.idfailure);
}
