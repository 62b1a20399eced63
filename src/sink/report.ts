import { HIT_TYPES, sumDays, type Ledger, type TypeCounts } from './ledger.js';
import type { Traffic } from './server.js';
import type { FaultPlan } from './faults.js';

export interface DaySummary {
  visits: number;
  actions: number;
  hits: number;
  uniqueVisitors: number;
  revenue: number;
  duplicates: number;
  hitsByType: TypeCounts;
}

export interface SiteSummary extends Omit<DaySummary, 'uniqueVisitors'> {
  distinctVisitors: number;
  days: Record<string, DaySummary>;
}

/** Everything the sink counted; the final report and --summary-json show the same numbers. */
export interface SinkSummary {
  url: string;
  timezone: string;
  startedAt: string;
  stoppedAt: string;
  durationS: number;
  requests: { total: number; tracker: number; bulk: number; api: number; other: number; faulted: number };
  hits: { received: number; recorded: number; rejected: number; excluded: number; duplicates: number; flagged: number };
  visits: number;
  actions: number;
  revenue: number;
  distinctVisitors: number;
  /** Visits by a visitor seen before (same _id): Matomo's returning visits. */
  returningVisits: number;
  /** Visits with at least one cart update; orders are hitsByType.ecommerce. */
  visitsWithCart: number;
  hitsByType: TypeCounts;
  rejected: Record<string, number>;
  excluded: Record<string, number>;
  flagged: Record<string, number>;
  statusCodes: Record<string, number>;
  /** partialCommits: bulk requests answered 500 after storing part of their hits; lostHits: the hits they dropped. */
  faults: { delayed: number; failed: number; reset: number; partialCommits: number; lostHits: number };
  sites: Record<string, SiteSummary>;
}

export interface SummaryInput {
  url: string;
  timezone: string;
  startedAt: number;
  stoppedAt: number;
  ledger: Ledger;
  traffic: Traffic;
  faults: FaultPlan;
}

const cents = (n: number): number => Math.round(n * 100) / 100;
const total = (map: ReadonlyMap<unknown, number>): number => [...map.values()].reduce((a, b) => a + b, 0);
const sorted = (map: ReadonlyMap<string, number>): Record<string, number> =>
  Object.fromEntries([...map.entries()].sort(([a], [b]) => a.localeCompare(b)));

export function summarize(input: SummaryInput): SinkSummary {
  const { ledger, traffic, faults } = input;
  const sites: Record<string, SiteSummary> = {};
  for (const id of [...ledger.sites.keys()].sort((a, b) => a - b)) {
    const site = ledger.sites.get(id)!;
    const all = sumDays(site.days.values());
    const days: Record<string, DaySummary> = {};
    for (const key of [...site.days.keys()].sort()) {
      const day = site.days.get(key)!;
      days[key] = {
        visits: day.visits,
        actions: day.actions,
        hits: day.hits,
        uniqueVisitors: day.uniqueVisitors,
        revenue: cents(day.revenue),
        duplicates: day.duplicates,
        hitsByType: { ...day.byType },
      };
    }
    if (all.hits === 0) continue;
    sites[String(id)] = {
      visits: all.visits,
      actions: all.actions,
      hits: all.hits,
      revenue: cents(all.revenue),
      duplicates: all.duplicates,
      distinctVisitors: site.distinctVisitors,
      hitsByType: { ...all.byType },
      days,
    };
  }
  const everything = sumDays([...ledger.sites.values()].flatMap((site) => [...site.days.values()]));
  const faulted = faults.counts.failed + faults.counts.reset;
  return {
    url: input.url,
    timezone: input.timezone,
    startedAt: new Date(input.startedAt).toISOString(),
    stoppedAt: new Date(input.stoppedAt).toISOString(),
    durationS: Math.round((input.stoppedAt - input.startedAt) / 100) / 10,
    requests: {
      total: traffic.tracker + traffic.bulk + traffic.api + traffic.other + faulted,
      tracker: traffic.tracker,
      bulk: traffic.bulk,
      api: traffic.api,
      other: traffic.other,
      faulted,
    },
    hits: {
      received: traffic.hitsReceived,
      recorded: ledger.recorded,
      rejected: total(ledger.rejected),
      excluded: total(ledger.excluded),
      duplicates: ledger.duplicates,
      flagged: total(ledger.flagged),
    },
    visits: everything.visits,
    actions: everything.actions,
    revenue: cents(everything.revenue),
    distinctVisitors: ledger.distinctVisitors(),
    returningVisits: everything.returningVisits,
    visitsWithCart: everything.visitsWithCart,
    hitsByType: { ...everything.byType },
    rejected: sorted(ledger.rejected),
    excluded: sorted(ledger.excluded),
    flagged: sorted(ledger.flagged),
    statusCodes: Object.fromEntries([...traffic.statusCodes.entries()].sort(([a], [b]) => a - b).map(([k, v]) => [String(k), v])),
    faults: { ...faults.counts },
    sites,
  };
}

const num = (n: number): string => n.toLocaleString('en-US');
const money = (n: number): string => n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function counts(record: Record<string, number>): string {
  const parts = Object.entries(record).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${num(n)}`);
  return parts.length ? parts.join(', ') : 'none';
}

/** The final report, as text for stdout. */
export function renderReport(s: SinkSummary): string {
  const lines = [
    `trafficinator sink: ${s.durationS} s at ${s.url} (days in ${s.timezone})`,
    '',
    `requests      ${num(s.requests.total)} (tracker ${num(s.requests.tracker)}, bulk ${num(s.requests.bulk)}, api ${num(s.requests.api)}, other ${num(s.requests.other)}, faulted ${num(s.requests.faulted)})`,
    `hits          ${num(s.hits.received)} received: ${num(s.hits.recorded)} recorded, ${num(s.hits.rejected)} rejected, ${num(s.hits.excluded)} excluded`,
    `duplicates    ${num(s.hits.duplicates)}`,
    `visits        ${num(s.visits)}   actions ${num(s.actions)}   distinct visitors ${num(s.distinctVisitors)}   revenue ${money(s.revenue)}`,
    `returning     ${num(s.returningVisits)} visits   carts ${num(s.visitsWithCart)} visits (${num(s.hitsByType.cart)} updates)   orders ${num(s.hitsByType.ecommerce)}`,
    `hit types     ${counts(s.hitsByType)}`,
    `rejected      ${counts(s.rejected)}`,
    `excluded      ${counts(s.excluded)}`,
    `flagged       ${counts(s.flagged)}`,
    `status codes  ${counts(s.statusCodes)}`,
    `faults        ${counts(s.faults)}`,
  ];
  for (const [id, site] of Object.entries(s.sites)) {
    lines.push('', `site ${id}: ${num(site.visits)} visits, ${num(site.actions)} actions, ${num(site.hits)} hits, ${num(site.distinctVisitors)} distinct visitors, revenue ${money(site.revenue)}, duplicates ${num(site.duplicates)}`);
    const header = ['day', 'visits', 'actions', 'hits', 'visitors', 'revenue', 'dups'];
    const rows = Object.entries(site.days).map(([day, d]) => [
      day,
      num(d.visits),
      num(d.actions),
      num(d.hits),
      num(d.uniqueVisitors),
      money(d.revenue),
      num(d.duplicates),
    ]);
    lines.push(...table([header, ...rows]).map((line) => `  ${line}`));
  }
  return lines.join('\n') + '\n';
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  return rows.map((row) =>
    row.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join('  '),
  );
}

/** The live line on a TTY: totals and the hit rate since the previous line. */
export function renderLiveLine(s: SinkSummary, hitsPerSecond: number): string {
  return (
    `sink ${s.durationS}s  hits ${num(s.hits.received)} (${num(Math.round(hitsPerSecond))}/s)  ` +
    `recorded ${num(s.hits.recorded)}  visits ${num(s.visits)}  rejected ${num(s.hits.rejected)}  ` +
    `excluded ${num(s.hits.excluded)}  dups ${num(s.hits.duplicates)}`
  );
}

export { HIT_TYPES };
