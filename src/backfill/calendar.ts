import { DateTime, IANAZone } from 'luxon';

/**
 * Local calendar days of a backfill window in an IANA zone. A day is used whole, from its first
 * local second to its last, so a spring-forward day lasts 23 hours and a fall-back day 25 (its
 * repeated hour included). Only today is shorter: it ends at the plan's cut-off instant.
 */
export interface LocalDay {
  /** Local date, YYYY-MM-DD. */
  date: string;
  /** First instant of the local day, epoch ms. */
  startMs: number;
  /** End of the usable part of the day (exclusive): the next local midnight, or the cut-off. */
  endMs: number;
  /** Length of the whole local day in hours (23, 24 or 25 around DST changes). */
  hours: number;
  /** True when the cut-off falls inside this day (today at planning time). */
  cut: boolean;
}

/** What the user wrote: absolute dates or relative days, never both. */
export interface WindowSpec {
  from?: string;
  to?: string;
  daysBack?: number;
  durationDays?: number;
}

/** An inclusive range of local dates. */
export interface Window {
  from: string;
  to: string;
}

export interface WindowIssue {
  /** Configuration field the problem belongs to. */
  field: string;
  message: string;
}

export type WindowResult = { ok: true; window: Window; days: number } | { ok: false; issues: WindowIssue[] };

export const MAX_WINDOW_DAYS = 180;

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export function isValidZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/** The local date (YYYY-MM-DD) of an instant in a zone. */
export function localDate(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toISODate() as string;
}

function parseDate(text: string, zone: string): DateTime | undefined {
  if (!DATE_RE.test(text)) return undefined;
  const dt = DateTime.fromISO(text, { zone });
  return dt.isValid ? dt.startOf('day') : undefined;
}

/**
 * Checks the window rules and resolves a relative window against `nowMs`: start = today minus
 * daysBack, end = start + durationDays - 1, both inclusive. Every problem is reported at once.
 */
export function resolveWindow(spec: WindowSpec, zone: string, nowMs: number): WindowResult {
  const issues: WindowIssue[] = [];
  if (!isValidZone(zone)) {
    return { ok: false, issues: [{ field: 'timezone', message: `"${zone}" is not an IANA time zone (e.g. CET, Europe/Stockholm)` }] };
  }
  const absolute = spec.from !== undefined || spec.to !== undefined;
  const relative = spec.daysBack !== undefined || spec.durationDays !== undefined;
  const today = DateTime.fromMillis(nowMs, { zone }).startOf('day');
  let from: DateTime | undefined;
  let to: DateTime | undefined;
  if (absolute && relative) {
    issues.push({ field: 'backfill', message: 'give either --from/--to or --days-back/--duration-days, not both' });
  } else if (!absolute && !relative) {
    issues.push({ field: 'backfill', message: 'no window: give --from and --to, or --days-back and --duration-days' });
  } else if (absolute) {
    if (spec.from === undefined) issues.push({ field: 'backfill.from', message: 'missing (--to needs --from)' });
    if (spec.to === undefined) issues.push({ field: 'backfill.to', message: 'missing (--from needs --to)' });
    if (spec.from !== undefined) {
      from = parseDate(spec.from, zone);
      if (!from) issues.push({ field: 'backfill.from', message: `"${spec.from}" is not a date (YYYY-MM-DD)` });
    }
    if (spec.to !== undefined) {
      to = parseDate(spec.to, zone);
      if (!to) issues.push({ field: 'backfill.to', message: `"${spec.to}" is not a date (YYYY-MM-DD)` });
    }
  } else {
    const { daysBack, durationDays } = spec;
    if (daysBack === undefined) issues.push({ field: 'backfill.daysBack', message: 'missing (--duration-days needs --days-back)' });
    else if (!Number.isInteger(daysBack) || daysBack < 0) {
      issues.push({ field: 'backfill.daysBack', message: `must be a whole number >= 0, got ${daysBack}` });
    }
    if (durationDays === undefined) issues.push({ field: 'backfill.durationDays', message: 'missing (--days-back needs --duration-days)' });
    else if (!Number.isInteger(durationDays) || durationDays < 1) {
      issues.push({ field: 'backfill.durationDays', message: `must be a whole number >= 1, got ${durationDays}` });
    }
    if (issues.length === 0 && daysBack !== undefined && durationDays !== undefined) {
      from = today.minus({ days: daysBack });
      to = from.plus({ days: durationDays - 1 });
    }
  }
  if (from && to) {
    const toField = absolute ? 'backfill.to' : 'backfill.durationDays';
    if (from > to) issues.push({ field: 'backfill', message: `start ${from.toISODate()} is after end ${to.toISODate()}` });
    if (to > today) {
      issues.push({
        field: toField,
        message: `end ${to.toISODate()} is in the future (today is ${today.toISODate()} in ${zone})`,
      });
    }
    const days = Math.round(to.diff(from, 'days').days) + 1;
    if (days > MAX_WINDOW_DAYS) {
      issues.push({ field: 'backfill', message: `window of ${days} days exceeds the maximum of ${MAX_WINDOW_DAYS}` });
    }
    if (issues.length === 0) {
      return { ok: true, window: { from: from.toISODate() as string, to: to.toISODate() as string }, days };
    }
  }
  return { ok: false, issues };
}

/**
 * The local days of a window, each with its [start, end) instants. The day holding `cutoffMs` ends
 * there; days entirely after the cut-off are an error of the caller (resolveWindow refuses them).
 */
export function daysOfWindow(window: Window, zone: string, cutoffMs: number): LocalDay[] {
  const first = parseDate(window.from, zone);
  const last = parseDate(window.to, zone);
  if (!first || !last) throw new RangeError(`invalid window ${window.from}..${window.to}`);
  const out: LocalDay[] = [];
  for (let day = first; day <= last; day = day.plus({ days: 1 })) {
    const startMs = day.toMillis();
    const nextMs = day.plus({ days: 1 }).toMillis();
    if (startMs >= cutoffMs) throw new RangeError(`day ${day.toISODate()} starts after the cut-off`);
    const cut = cutoffMs < nextMs;
    out.push({
      date: day.toISODate() as string,
      startMs,
      endMs: cut ? cutoffMs : nextMs,
      hours: Math.round((nextMs - startMs) / 3_600_000),
      cut,
    });
  }
  return out;
}

/** UTC `YYYY-MM-DD HH:MM:SS`, Matomo's `cdt` format (seconds floored). */
export function formatCdt(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19).replace('T', ' ');
}
