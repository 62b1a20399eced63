import { DateTime } from 'luxon';

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

/** An inclusive range of local dates. */
export interface Window {
  from: string;
  to: string;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

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
 * The local days of a window, each with its [start, end) instants. The day holding `cutoffMs` ends
 * there; days entirely after the cut-off are an error of the caller (the configuration rules refuse them).
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
