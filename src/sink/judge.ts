import type { HitType } from '../journey/visit.js';
import { storedVisitorId } from '../matomo/visitor-id.js';
import { isBotIp, isBotUserAgent } from './bots.js';
import { parseCdt } from './cdt.js';

/** Why a hit was refused (400 alone, `invalid` in a bulk). */
export type RejectReason =
  | 'unknown-site'
  | 'cdt-malformed'
  | 'cdt-future'
  | 'old-cdt-needs-token'
  | 'cip-needs-token'
  | 'url-invalid'
  | 'visitor-id-invalid'
  | 'ec-items-invalid'
  | 'event-incomplete'
  | 'goal-invalid'
  | 'performance-invalid'
  | 'ping-without-pageview'
  | 'order-repeated';

/** Why Matomo would drop a hit silently (answered like a recorded hit). */
export type ExcludeReason = 'bot-ip' | 'bot-user-agent' | 'rec-missing';

/** Recorded, but Matomo would store something else than what was sent. */
export type FlagReason = 'amount-precision';

/** What the sink knows about a request besides its parameters. */
export interface HitContext {
  /** The request carries a token the sink accepts (the exact --token, or any without one). */
  authenticated: boolean;
  remoteAddress: string;
  /** The User-Agent header; the `ua` parameter wins over it. */
  headerUserAgent: string;
  now: number;
  /** Allowed site ids; undefined allows every positive id. */
  sites: ReadonlySet<number> | undefined;
}

export interface AcceptedHit {
  kind: 'accepted';
  type: HitType;
  site: number;
  /** The id Matomo stores: the first 16 hex of sha1(`uid`) when a uid is set, else `_id`, lowercased. */
  visitorId: string;
  /** Epoch ms the hit happened: its cdt, or the arrival time. */
  at: number;
  newVisit: boolean;
  pvId: string;
  /** What tells two hits of one page view and type apart (event names, link, keyword...). */
  detail: string;
  /** Order, goal or cart revenue after Matomo's precision rule (a flagged amount counts 0). */
  revenue: number;
  orderId: string;
  flags: FlagReason[];
  /** What the Live API shows of the hit (url, event names, keyword...). */
  live: LiveFields;
}

/** The parameters of a hit that Live.getLastVisitsDetails reports back. */
export interface LiveFields {
  url: string;
  userId?: string;
  pageTitle?: string;
  eventCategory?: string;
  eventAction?: string;
  eventName?: string;
  eventValue?: string;
  keyword?: string;
  searchCategory?: string;
  searchCount?: string;
  goalId?: string;
  items?: string;
  subtotal?: string;
  tax?: string;
  shipping?: string;
  discount?: string;
}

export type Verdict =
  | AcceptedHit
  | { kind: 'rejected'; reason: RejectReason; site: number }
  | { kind: 'excluded'; reason: ExcludeReason; site: number };

const DAY_MS = 86_400_000;
/** cdt has whole seconds and other clocks drift a little: a cdt this far ahead is still "now". */
const FUTURE_TOLERANCE_MS = 1_000;
const VISITOR_ID = /^[0-9a-fA-F]{16}$/;
const GEO_PARAMS = ['cip', 'country', 'region', 'city', 'lat', 'long'] as const;
const AMOUNT_PARAMS = ['revenue', 'ec_st', 'ec_tx', 'ec_sh', 'ec_dt'] as const;
/** Page performance timings: whole milliseconds, as Matomo's JavaScript tracker sends them. */
const TIMING_PARAMS = ['pf_net', 'pf_srv', 'pf_tfr', 'pf_dm1', 'pf_dm2', 'pf_onl'] as const;
const TIMING = /^\d{1,7}$/;
const GOAL_ID = /^\d{1,9}$/;

/**
 * Judges one tracking hit in Matomo's order: site, authentication, timestamp, exclusions, then the
 * sink's own checks of what trafficinator must send. Stateless; the ledger adds the checks that
 * need history (a ping's page view).
 */
export function judgeHit(params: ReadonlyMap<string, string>, ctx: HitContext): Verdict {
  const siteText = params.get('idsite') ?? '';
  const site = /^[1-9]\d{0,9}$/.test(siteText) ? Number(siteText) : 0;
  if (site === 0 || (ctx.sites !== undefined && !ctx.sites.has(site))) {
    return { kind: 'rejected', reason: 'unknown-site', site };
  }
  const cdtText = params.get('cdt');
  let at = ctx.now;
  if (cdtText !== undefined && cdtText !== '') {
    at = parseCdt(cdtText);
    if (Number.isNaN(at)) return { kind: 'rejected', reason: 'cdt-malformed', site };
    if (!ctx.authenticated && ctx.now - at > DAY_MS) {
      return { kind: 'rejected', reason: 'old-cdt-needs-token', site };
    }
  }
  if (!ctx.authenticated) {
    for (const name of GEO_PARAMS) {
      if (params.has(name)) return { kind: 'rejected', reason: 'cip-needs-token', site };
    }
  }
  if (at > ctx.now + FUTURE_TOLERANCE_MS) return { kind: 'rejected', reason: 'cdt-future', site };

  const excluded = exclusion(params, ctx);
  if (excluded) return { kind: 'excluded', reason: excluded, site };

  const url = params.get('url') ?? '';
  if (!isHttpUrl(url)) return { kind: 'rejected', reason: 'url-invalid', site };
  const visitorId = params.get('_id') ?? '';
  if (!VISITOR_ID.test(visitorId)) return { kind: 'rejected', reason: 'visitor-id-invalid', site };

  const type = classify(params);
  const flags: FlagReason[] = [];
  let itemsTotal = 0;
  const items = params.get('ec_items');
  if (items !== undefined && items !== '') {
    const checked = checkItems(items);
    if (checked === undefined) return { kind: 'rejected', reason: 'ec-items-invalid', site };
    if (checked.imprecise) flags.push('amount-precision');
    itemsTotal = checked.total;
  }
  if (type === 'event' && !(params.get('e_c') && params.get('e_a'))) {
    return { kind: 'rejected', reason: 'event-incomplete', site };
  }
  const goal = params.get('idgoal');
  if (goal !== undefined && goal !== '' && !GOAL_ID.test(goal)) return { kind: 'rejected', reason: 'goal-invalid', site };
  for (const name of TIMING_PARAMS) {
    const value = params.get(name);
    if (value !== undefined && !TIMING.test(value)) return { kind: 'rejected', reason: 'performance-invalid', site };
  }
  let revenue = 0;
  for (const name of AMOUNT_PARAMS) {
    const value = params.get(name);
    if (value === undefined || value === '') continue;
    const precise = significantDigits(value) <= 14;
    if (!precise && !flags.includes('amount-precision')) flags.push('amount-precision');
    if (name === 'revenue' && precise) revenue = Number(value) || 0;
  }
  if (type === 'cart' && revenue === 0) revenue = itemsTotal;
  return {
    kind: 'accepted',
    type,
    site,
    visitorId: storedVisitorId(params.get('uid'), visitorId),
    at,
    newVisit: params.get('new_visit') === '1',
    pvId: params.get('pv_id') ?? '',
    detail: detailOf(type, params),
    revenue,
    orderId: type === 'ecommerce' ? (params.get('ec_id') ?? '') : '',
    flags,
    live: liveFields(type, params, url),
  };
}


function liveFields(type: HitType, params: ReadonlyMap<string, string>, url: string): LiveFields {
  const fields: LiveFields = { url };
  const set = (key: keyof LiveFields, name: string): void => {
    const value = params.get(name);
    if (value !== undefined && value !== '') fields[key] = value;
  };
  set('userId', 'uid');
  switch (type) {
    case 'pageview':
      set('pageTitle', 'action_name');
      break;
    case 'event':
      set('eventCategory', 'e_c');
      set('eventAction', 'e_a');
      set('eventName', 'e_n');
      set('eventValue', 'e_v');
      break;
    case 'search':
      fields.keyword = params.get('search') ?? '';
      set('searchCategory', 'search_cat');
      set('searchCount', 'search_count');
      break;
    case 'outlink':
      fields.url = params.get('link') ?? url;
      break;
    case 'download':
      fields.url = params.get('download') ?? url;
      break;
    case 'goal':
      set('goalId', 'idgoal');
      break;
    case 'ecommerce':
      set('subtotal', 'ec_st');
      set('tax', 'ec_tx');
      set('shipping', 'ec_sh');
      set('discount', 'ec_dt');
      set('items', 'ec_items');
      break;
    case 'cart':
      set('items', 'ec_items');
      break;
    default:
      break;
  }
  return fields;
}

function exclusion(params: ReadonlyMap<string, string>, ctx: HitContext): ExcludeReason | undefined {
  const allowBots = Boolean(params.get('bots') && params.get('bots') !== '0');
  if (!allowBots) {
    const ua = params.get('ua') ?? ctx.headerUserAgent;
    if (isBotUserAgent(ua)) return 'bot-user-agent';
    const ip = (ctx.authenticated ? params.get('cip') : undefined) ?? ctx.remoteAddress;
    if (isBotIp(ip)) return 'bot-ip';
  }
  const rec = params.get('rec');
  if (!rec || rec === '0') return 'rec-missing';
  return undefined;
}

/** Matomo's classification: a ping, then goal-like hits (no page view), events, links, searches. */
export function classify(params: ReadonlyMap<string, string>): HitType {
  if (params.get('ping') === '1') return 'ping';
  const goal = params.get('idgoal');
  if (goal !== undefined && goal !== '') {
    if (goal !== '0') return 'goal';
    return params.get('ec_id') ? 'ecommerce' : 'cart';
  }
  if (params.has('e_c') || params.has('e_a')) return 'event';
  if (params.get('link')) return 'outlink';
  if (params.get('download')) return 'download';
  if (params.has('search')) return 'search';
  return 'pageview';
}

function detailOf(type: HitType, params: ReadonlyMap<string, string>): string {
  switch (type) {
    case 'event':
      return `${params.get('e_c')}\u0001${params.get('e_a')}\u0001${params.get('e_n') ?? ''}`;
    case 'outlink':
      return params.get('link') ?? '';
    case 'download':
      return params.get('download') ?? '';
    case 'search':
      return params.get('search') ?? '';
    case 'ecommerce':
      return params.get('ec_id') ?? '';
    case 'goal':
      return params.get('idgoal') ?? '';
    case 'cart':
      // A cart grows item by item: two updates of one page in the same second differ by their items.
      return params.get('ec_items') ?? '';
    case 'pageview':
      return params.get('url') ?? '';
    default:
      return '';
  }
}

function isHttpUrl(url: string): boolean {
  if (!(url.startsWith('http://') || url.startsWith('https://'))) return false;
  return URL.canParse(url);
}

/**
 * Significant digits of a decimal amount: Matomo stores a float with more than 14 of them as 0.
 * Leading zeros never count; trailing zeros do not either (1000 and 10.50 are short).
 */
export function significantDigits(amount: string): number {
  let text = amount.trim();
  if (text.startsWith('-') || text.startsWith('+')) text = text.slice(1);
  const exp = text.search(/[eE]/);
  if (exp >= 0) text = text.slice(0, exp);
  const digitsOnly = text.replace('.', '');
  if (!/^\d+$/.test(digitsOnly)) return 0;
  return digitsOnly.replace(/^0+/, '').replace(/0+$/, '').length;
}

/** ec_items: a JSON list of `[sku, name, category, price, quantity]`; undefined when malformed. */
export function checkItems(text: string): { total: number; imprecise: boolean } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value)) return undefined;
  let total = 0;
  let imprecise = false;
  for (const item of value) {
    if (!Array.isArray(item) || item.length < 1 || item.length > 5) return undefined;
    const [sku, name, category, price, quantity] = item as unknown[];
    if (!isText(sku) || String(sku) === '') return undefined;
    if (name !== undefined && !isText(name)) return undefined;
    if (category !== undefined && !isText(category) && !isTextList(category)) return undefined;
    if (price !== undefined && !isNumeric(price)) return undefined;
    if (quantity !== undefined && !isNumeric(quantity)) return undefined;
    if (price !== undefined && significantDigits(String(price)) > 14) imprecise = true;
    total += Number(price ?? 0) * Number(quantity ?? 1);
  }
  return { total, imprecise };
}

function isText(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number';
}

function isTextList(value: unknown): boolean {
  return Array.isArray(value) && value.length <= 5 && value.every((v) => typeof v === 'string');
}

function isNumeric(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  return typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value));
}
