import type { Visit } from './visit.js';

/**
 * What `trafficinator inspect` reports of a seeded sample of visits: the realism model's mixes as
 * shares, and the shape of visits (hits, pageviews, durations) as distributions. Pure: visits in,
 * numbers out; the command renders them.
 */
export interface Distribution {
  mean: number;
  p50: number;
  p90: number;
  max: number;
}

export interface InspectSummary {
  visits: number;
  hits: number;
  personas: Record<string, number>;
  bounceRate: number;
  returningShare: number;
  loggedInShare: number;
  devices: Record<string, number>;
  /** Matomo's referrer types (direct, search, social, website, campaign), shares of visits. */
  referrerTypes: Record<string, number>;
  countries: Record<string, number>;
  campaignShare: number;
  campaigns: Record<string, number>;
  /** Shares of all visits. */
  carts: { share: number; abandoned: number; ordered: number };
  goalConversions: number;
  hitTypes: Record<string, number>;
  hitsPerVisit: Distribution;
  /** Page loads (pageviews and site searches) of visits that did not bounce. */
  pageviewsNonBounce: Distribution;
  durationSeconds: Distribution;
}

function distribution(values: number[]): Distribution {
  if (values.length === 0) return { mean: 0, p50: 0, p90: 0, max: 0 };
  values.sort((a, b) => a - b);
  const at = (q: number): number => values[Math.min(values.length - 1, Math.floor(q * values.length))] as number;
  const sum = values.reduce((a, b) => a + b, 0);
  return { mean: round(sum / values.length), p50: at(0.5), p90: at(0.9), max: values[values.length - 1] as number };
}

const round = (x: number, digits = 4): number => Math.round(x * 10 ** digits) / 10 ** digits;

function shares(counts: Map<string, number>, total: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, n] of [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) out[key] = round(n / total);
  return out;
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

export function summarizeVisits(visits: Iterable<Visit>): InspectSummary {
  const personas = new Map<string, number>();
  const devices = new Map<string, number>();
  const referrerTypes = new Map<string, number>();
  const countries = new Map<string, number>();
  const campaigns = new Map<string, number>();
  const hitTypes = new Map<string, number>();
  const hitsPer: number[] = [];
  const pageviews: number[] = [];
  const durations: number[] = [];
  let n = 0;
  let hits = 0;
  let bounces = 0;
  let returning = 0;
  let loggedIn = 0;
  let campaigned = 0;
  let abandoned = 0;
  let ordered = 0;
  let goals = 0;
  for (const visit of visits) {
    n++;
    hits += visit.hits.length;
    hitsPer.push(visit.hits.length);
    durations.push(Math.round(visit.durationMs / 1000));
    let loads = 0;
    for (const hit of visit.hits) {
      bump(hitTypes, hit.type);
      if (hit.type === 'pageview' || hit.type === 'search') loads++;
    }
    const t = visit.traits;
    if (!t) continue;
    bump(personas, t.persona);
    bump(devices, t.device);
    bump(referrerTypes, t.referrerType);
    bump(countries, t.country ?? '(none)');
    if (t.bounce) bounces++;
    else pageviews.push(loads);
    if (t.returning) returning++;
    if (t.loggedIn) loggedIn++;
    if (t.campaign !== undefined) {
      campaigned++;
      bump(campaigns, t.campaign);
    }
    if (t.cart === 'abandoned') abandoned++;
    if (t.cart === 'ordered') ordered++;
    goals += t.goals;
  }
  const total = Math.max(1, n);
  const typeCounts: Record<string, number> = {};
  for (const [k, v] of [...hitTypes.entries()].sort((a, b) => b[1] - a[1])) typeCounts[k] = v;
  return {
    visits: n,
    hits,
    personas: shares(personas, total),
    bounceRate: round(bounces / total),
    returningShare: round(returning / total),
    loggedInShare: round(loggedIn / total),
    devices: shares(devices, total),
    referrerTypes: shares(referrerTypes, total),
    countries: shares(countries, total),
    campaignShare: round(campaigned / total),
    campaigns: campaigned > 0 ? shares(campaigns, campaigned) : {},
    carts: { share: round((abandoned + ordered) / total), abandoned: round(abandoned / total), ordered: round(ordered / total) },
    goalConversions: goals,
    hitTypes: typeCounts,
    hitsPerVisit: distribution(hitsPer),
    pageviewsNonBounce: distribution(pageviews),
    durationSeconds: distribution(durations),
  };
}

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;

function shareLine(record: Record<string, number>, limit = 12): string {
  const entries = Object.entries(record);
  const shown = entries.slice(0, limit).map(([k, v]) => `${k} ${pct(v)}`);
  if (entries.length > limit) shown.push(`+${entries.length - limit} more`);
  return shown.length > 0 ? shown.join(', ') : 'none';
}

const dist = (d: Distribution, unit = ''): string => `mean ${d.mean}${unit}, median ${d.p50}${unit}, p90 ${d.p90}${unit}, max ${d.max}${unit}`;

/** The summary as text for stdout. */
export function renderInspect(s: InspectSummary, seed: string | number): string {
  return [
    `trafficinator inspect: ${s.visits.toLocaleString('en-US')} visits, ${s.hits.toLocaleString('en-US')} hits (seed ${seed})`,
    '',
    `personas        ${shareLine(s.personas)}`,
    `bounces         ${pct(s.bounceRate)}`,
    `returning       ${pct(s.returningShare)} of visits (logged in ${pct(s.loggedInShare)})`,
    `devices         ${shareLine(s.devices)}`,
    `referrers       ${shareLine(s.referrerTypes)} (Matomo's referrer types)`,
    `countries       ${shareLine(s.countries)}`,
    `campaigns       ${pct(s.campaignShare)} of visits: ${shareLine(s.campaigns)}`,
    `carts           ${pct(s.carts.share)} of visits: ordered ${pct(s.carts.ordered)}, abandoned ${pct(s.carts.abandoned)}`,
    `goals           ${s.goalConversions.toLocaleString('en-US')} conversions`,
    `hit types       ${Object.entries(s.hitTypes).map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`).join(', ')}`,
    `hits/visit      ${dist(s.hitsPerVisit)}`,
    `page loads      ${dist(s.pageviewsNonBounce)} (visits that did not bounce)`,
    `duration        ${dist(s.durationSeconds, ' s')}`,
  ].join('\n') + '\n';
}
