import { devices, matomoDeviceType, type DeviceClass } from './data/devices.js';
import type { HitType, Visit } from './visit.js';

/**
 * What Matomo's reports will show of a set of planned visits, in Matomo's own terms and names:
 * VisitsSummary (visits, actions, bounces, average visit length), VisitFrequency (returning),
 * DevicesDetection (device types, browsers), Referrers (types), UserCountry, Goals/Ecommerce
 * (orders, revenue, abandoned carts). Pure; `inspect` prints it and `verify --reports` compares
 * Matomo's answers with it.
 */
export interface MatomoView {
  visits: number;
  actions: number;
  bounces: number;
  bounceRate: number;
  /** Matomo's count: the forecast for a window, else the plan's returning visits (see returning.ts). */
  returningVisits: number;
  returningShare: number;
  /** Mean of (last action - first action) in seconds, plus Matomo's 1 s per visit. */
  avgVisitLengthSeconds: number;
  /** The same summed over the visits (VisitsSummary sum_visit_length). */
  sumVisitLengthSeconds: number;
  deviceTypes: Record<string, number>;
  browsers: Record<string, number>;
  referrerTypes: Record<string, number>;
  countries: Record<string, number>;
  orders: number;
  revenue: number;
  abandonedCarts: number;
}

/** Hits Matomo counts as actions (nb_actions); orders, carts, goals and pings are not. */
const ACTIONS: ReadonlySet<HitType> = new Set(['pageview', 'search', 'outlink', 'download', 'event']);

/** The classic model's four user agents, as Matomo 5.0.2 names their browsers (live-devices.json). */
const CLASSIC_BROWSERS: Readonly<Record<string, string>> = {
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0 Safari/537.36': 'Chrome',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:117.0) Gecko/20100101 Firefox/117.0': 'Firefox',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36': 'Chrome',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 14_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/14.0 Mobile/15E148 Safari/604.1': 'Mobile Safari',
};
const BROWSERS = new Map<string, string>([...devices.map((d) => [d.ua, d.browser] as const), ...Object.entries(CLASSIC_BROWSERS)]);

function bump(record: Record<string, number>, key: string, by = 1): void {
  record[key] = (record[key] ?? 0) + by;
}

function sorted(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

function lengthSeconds(visit: Visit, startMs: number | undefined): number {
  if (startMs === undefined) return Math.round(visit.durationMs / 1000);
  let first = Infinity;
  let last = -Infinity;
  for (const hit of visit.hits) {
    first = Math.min(first, hit.atMs);
    last = Math.max(last, hit.atMs);
  }
  if (!Number.isFinite(first)) return 0;
  return Math.floor((startMs + last) / 1000) - Math.floor((startMs + first) / 1000);
}

/**
 * `startsMs` (aligned with `visits`), when known, gives each visit's first hit its instant: Matomo
 * measures a visit's length between whole-second `cdt`s, so the start decides the rounding.
 */
export function matomoView(visits: Iterable<Visit>, returning?: { visits: number; returning: number }, startsMs?: readonly number[]): MatomoView {
  let n = 0;
  let actions = 0;
  let bounces = 0;
  let lengthS = 0;
  let planReturning = 0;
  let orders = 0;
  let revenueCents = 0;
  let abandoned = 0;
  const deviceTypes: Record<string, number> = {};
  const browsers: Record<string, number> = {};
  const referrerTypes: Record<string, number> = {};
  const countries: Record<string, number> = {};
  for (const visit of visits) {
    n++;
    let visitActions = 0;
    for (const hit of visit.hits) {
      if (ACTIONS.has(hit.type)) visitActions++;
      if (hit.type === 'ecommerce') {
        orders++;
        revenueCents += Math.round(Number(hit.params.find(([k]) => k === 'revenue')?.[1] ?? 0) * 100);
      }
    }
    actions += visitActions;
    if (visitActions === 1) bounces++;
    lengthS += lengthSeconds(visit, startsMs?.[n - 1]);
    bump(browsers, BROWSERS.get(visit.visitor.userAgent) ?? 'Unknown');
    const t = visit.traits;
    if (!t) {
      bump(countries, visit.visitor.country ?? 'xx');
      continue;
    }
    if (t.returning) planReturning++;
    if (t.cart === 'abandoned') abandoned++;
    bump(deviceTypes, matomoDeviceType[t.device as DeviceClass]);
    bump(referrerTypes, t.referrerType);
    // Matomo knows the country it is told (`country`); from `cip` alone only with a GeoIP database,
    // which a fresh Matomo lacks: 'xx' is its code for unknown.
    bump(countries, visit.visitor.country ?? 'xx');
  }
  const total = Math.max(1, n);
  const returningVisits = returning ? returning.returning : planReturning;
  return {
    visits: n,
    actions,
    bounces,
    bounceRate: round2((100 * bounces) / total) / 100,
    returningVisits,
    returningShare: Math.round((returningVisits / total) * 10_000) / 10_000,
    avgVisitLengthSeconds: n === 0 ? 0 : round2(lengthS / n + 1),
    sumVisitLengthSeconds: lengthS + n,
    deviceTypes: sorted(deviceTypes),
    browsers: sorted(browsers),
    referrerTypes: sorted(referrerTypes),
    countries: sorted(countries),
    orders,
    revenue: revenueCents / 100,
    abandonedCarts: abandoned,
  };
}

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
const counts = (record: Record<string, number>, limit = 8): string =>
  Object.entries(record)
    .slice(0, limit)
    .map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`)
    .join(', ') || 'none';

/**
 * The Matomo block of `inspect`: what the reports will show (docs/journeys.md); with a
 * backfill window's returning forecast (backfill/predict.ts), its share per day.
 */
export function renderMatomoView(m: MatomoView, forecast: { days: ReadonlyArray<{ date: string; share: number }> } | undefined): string {
  const lines = [
    '',
    'Matomo will show' + (forecast ? ' (this window, sent in time order into a site without these visitors)' : ' (a run of these visits)'),
    `  visits          ${m.visits.toLocaleString('en-US')}, actions ${m.actions.toLocaleString('en-US')}, bounce rate ${pct(m.bounceRate)}`,
    `  returning       ${m.returningVisits.toLocaleString('en-US')} visits, ${pct(m.returningShare)}` +
      (forecast ? '' : " (the plan's returning visitors; give --from/--to for Matomo's count of a backfill window)"),
    `  visit length    ${m.avgVisitLengthSeconds} s on average (Matomo adds 1 s per visit)`,
    `  device types    ${counts(m.deviceTypes)}`,
    `  browsers        ${counts(m.browsers)}`,
    `  referrer types  ${counts(m.referrerTypes)}`,
    `  countries       ${counts(m.countries)}`,
    `  ecommerce       ${m.orders.toLocaleString('en-US')} orders, revenue ${m.revenue.toFixed(2)}, ${m.abandonedCarts.toLocaleString('en-US')} abandoned carts`,
  ];
  if (forecast) {
    lines.push('  returning/day   ' + forecast.days.map((d) => `${d.date} ${pct(d.share)}`).join(', '));
  }
  return lines.join('\n') + '\n';
}
