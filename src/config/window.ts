import { DateTime } from 'luxon';
import type { Config } from './schema.js';

/**
 * The backfill window as inclusive local dates. Relative windows count from today in the
 * configured zone: start = today - daysBack, end = start + durationDays - 1.
 */
export interface BackfillWindow {
  from: string;
  to: string;
  /** Days in the window, both ends included. */
  days: number;
}

export type WindowResult =
  | { kind: 'none' }
  | { kind: 'window'; window: BackfillWindow }
  | { kind: 'invalid'; problems: Array<{ path: string; message: string; hint?: string }> };

export function todayIn(timezone: string, now: number): string {
  return DateTime.fromMillis(now, { zone: timezone }).toISODate() ?? '';
}

export function backfillWindow(
  config: Pick<Config, 'backfill' | 'timezone'>,
  now: number,
): WindowResult {
  const { from, to, daysBack, durationDays } = config.backfill;
  const absolute = from !== undefined || to !== undefined;
  const relative = daysBack !== undefined || durationDays !== undefined;
  const problems: Array<{ path: string; message: string; hint?: string }> = [];
  if (!absolute && !relative) return { kind: 'none' };
  if (absolute && relative) {
    problems.push({
      path: 'backfill',
      message: 'give either from/to or daysBack/durationDays, not both',
      hint: 'absolute dates and a relative window disagree about which days to fill',
    });
    return { kind: 'invalid', problems };
  }
  let start: string;
  let end: string;
  if (absolute) {
    if (from === undefined || to === undefined) {
      problems.push({
        path: from === undefined ? 'backfill.from' : 'backfill.to',
        message: 'missing: the window needs both from and to',
        hint: 'e.g. --from 2026-01-01 --to 2026-01-31',
      });
      return { kind: 'invalid', problems };
    }
    start = from;
    end = to;
  } else {
    if (daysBack === undefined || durationDays === undefined) {
      problems.push({
        path: daysBack === undefined ? 'backfill.daysBack' : 'backfill.durationDays',
        message: 'missing: a relative window needs both daysBack and durationDays',
        hint: 'e.g. --days-back 30 --duration-days 30',
      });
      return { kind: 'invalid', problems };
    }
    const today = DateTime.fromISO(todayIn(config.timezone, now), { zone: 'UTC' });
    const s = today.minus({ days: daysBack });
    start = s.toISODate() ?? '';
    end = s.plus({ days: durationDays - 1 }).toISODate() ?? '';
  }
  const days = Math.round(
    DateTime.fromISO(end, { zone: 'UTC' }).diff(DateTime.fromISO(start, { zone: 'UTC' }), 'days').days + 1,
  );
  return { kind: 'window', window: { from: start, to: end, days } };
}
