import type { HitType } from '../journey/visit.js';
import { apiRequest } from '../matomo/api.js';
import type { HttpRequest } from '../transport/transport.js';

/**
 * `verify`: what the plan says against what Matomo recorded, per local day (pure). Raw logs
 * (Live.getLastVisitsDetails: no archiving needed) are the authority; VisitsSummary.get is shown
 * and compared when the day is archived. A 200 from the tracker proves nothing (excluded bots get
 * one too): this comparison is how a user finds out.
 */

/** Hit types Matomo counts as actions of a visit (a ping extends time; orders, carts and goals do not). */
export function countsAsAction(type: HitType): boolean {
  return type === 'pageview' || type === 'search' || type === 'outlink' || type === 'download' || type === 'event';
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

export interface VerifyDayInput {
  date: string;
  planned: { visits: number; actions?: number };
  /** Raw-log counts, or undefined when the Live API did not answer. */
  raw?: Counts;
  archive?: ArchiveState;
}

export type VerifyStatus = 'match' | 'missing' | 'extra' | 'stale-archive' | 'unknown';

export interface VerifyDay extends VerifyDayInput {
  status: VerifyStatus;
  notes: string[];
}

export interface VerifyResult {
  days: VerifyDay[];
  failures: TrackingFailure[];
  notArchived: string[];
  /** 0 when every day matches, 3 otherwise. */
  exitCode: 0 | 3;
}

export function verifyDay(input: VerifyDayInput): VerifyDay {
  const notes: string[] = [];
  const { planned, raw, archive } = input;
  let status: VerifyStatus;
  if (!raw) {
    status = 'unknown';
    notes.push('raw visits unknown (Live API unavailable)');
  } else if (raw.visits < planned.visits) {
    status = 'missing';
    notes.push(`${planned.visits - raw.visits} visits missing`);
  } else if (raw.visits > planned.visits) {
    status = 'extra';
    notes.push(`${raw.visits - planned.visits} visits more than planned (duplicates or other traffic)`);
  } else if (planned.actions !== undefined && raw.actions !== planned.actions) {
    status = raw.actions < planned.actions ? 'missing' : 'extra';
    notes.push(`actions ${raw.actions} recorded, ${planned.actions} planned`);
  } else {
    status = 'match';
  }
  if (archive?.state === 'not-archived') notes.push('not archived yet (run core:archive)');
  if (archive?.state === 'archived' && raw && (archive.visits !== raw.visits || archive.actions !== raw.actions)) {
    notes.push('archive disagrees with the raw logs (run core:invalidate-report-data, then core:archive)');
    if (status === 'match') status = 'stale-archive';
  }
  return { ...input, status, notes };
}

export function verify(days: readonly VerifyDayInput[], failures: readonly TrackingFailure[] = []): VerifyResult {
  const checked = days.map(verifyDay);
  return {
    days: checked,
    failures: [...failures],
    notArchived: checked.filter((d) => d.archive?.state === 'not-archived').map((d) => d.date),
    exitCode: checked.every((d) => d.status === 'match') ? 0 : 3,
  };
}

export function renderVerify(result: VerifyResult): string {
  const rows: string[][] = [['date', 'planned visits', 'raw visits', 'planned actions', 'raw actions', 'archived visits', 'status']];
  for (const d of result.days) {
    const archived = d.archive?.state === 'archived' ? String(d.archive.visits) : d.archive?.state === 'not-archived' ? 'not archived' : d.archive?.state === 'empty' ? '0' : '-';
    rows.push([
      d.date,
      String(d.planned.visits),
      d.raw ? String(d.raw.visits) : '?',
      d.planned.actions === undefined ? '-' : String(d.planned.actions),
      d.raw ? String(d.raw.actions) : '?',
      archived,
      d.status + (d.notes.length ? ` (${d.notes.join('; ')})` : ''),
    ]);
  }
  let out = table(rows);
  if (result.notArchived.length) {
    out += `\n${result.notArchived.length} day(s) not archived yet: run Matomo's core:archive (./console core:archive) to see them in reports.\n`;
  }
  if (result.failures.length) {
    out += `\nTracking failures Matomo logged for the site:\n`;
    for (const f of result.failures) out += `  ${f.date}  ${f.problem}  ${f.url}\n`;
  }
  const bad = result.days.filter((d) => d.status !== 'match').length;
  out += bad ? `\n${bad} of ${result.days.length} day(s) do not match the plan.\n` : `\nAll ${result.days.length} day(s) match the plan.\n`;
  return out;
}

export function table(rows: readonly string[][]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd()).join('\n') + '\n';
}
