import { DateTime } from 'luxon';
import type { TimeShapeSettings } from '../journey/settings.js';

/**
 * Hour-of-day profile of visit starts: 24 relative weights, one per local hour (index 0 is
 * 00:00-01:00). A weight is a density: an hour with weight 4 draws four times as many starts as an
 * hour with weight 1. The repeated hour of a fall-back day gets its weight twice (it happens twice);
 * the skipped hour of a spring-forward day gets nothing.
 */
export type DiurnalProfile = readonly number[];

/**
 * The default: quiet nights (lowest 03:00-05:00, about 6 % of the peak), a morning climb, a broad
 * daytime plateau peaking late morning and mid-afternoon, a smaller evening bump, then a decline.
 * Roughly the shape of a European business/consumer site in its own time zone.
 */
export const DEFAULT_PROFILE: DiurnalProfile = [
  1.0, 0.6, 0.4, 0.3, 0.3, 0.4, 0.9, 2.0, 3.4, 4.4, 4.9, 5.0, 4.6, 4.7, 4.9, 4.8, 4.5, 4.1, 3.8,
  4.0, 4.2, 3.6, 2.5, 1.6,
];

export const FLAT_PROFILE: DiurnalProfile = new Array<number>(24).fill(1);

/** `default`, `flat`, or 24 non-negative weights with a positive sum. */
export type DiurnalSpec = 'default' | 'flat' | readonly number[];

export function resolveProfile(spec: DiurnalSpec | undefined): { ok: true; profile: DiurnalProfile } | { ok: false; message: string } {
  if (spec === undefined || spec === 'default') return { ok: true, profile: DEFAULT_PROFILE };
  if (spec === 'flat') return { ok: true, profile: FLAT_PROFILE };
  if (!Array.isArray(spec)) return { ok: false, message: 'must be "default", "flat" or a list of 24 weights' };
  if (spec.length !== 24) return { ok: false, message: `needs 24 weights (one per hour), got ${spec.length}` };
  let sum = 0;
  for (const [hour, w] of spec.entries()) {
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      return { ok: false, message: `weight of hour ${hour} must be a number >= 0, got ${String(w)}` };
    }
    sum += w;
  }
  if (!(sum > 0)) return { ok: false, message: 'weights must not all be 0' };
  return { ok: true, profile: [...spec] };
}

/**
 * The time shape of traffic: an hour-of-day profile (the daily profile above, which backfill draws
 * visit starts from) and a day-of-week profile. Pure functions for the two places that schedule visits:
 * backfill (start times within a day, and each day's target within the per-day cap) and a live
 * run with followProfile (a rate multiplier over the local day and week).
 */
export interface TimeShape {
  /** 24 relative weights, local hours 0..23. */
  hours: DiurnalProfile;
  /** 7 relative weights, Monday..Sunday (ISO order). */
  weekdays: readonly number[];
}

/**
 * Default week: business days full, Friday a little lower, the weekend at about 60 %: the shape
 * of a B2B/content site's traffic (consumer shops are flatter: set weekdays to 1,1,1,1,1,0.9,0.9).
 */
export const DEFAULT_WEEKDAYS: readonly number[] = [1, 1, 0.97, 0.95, 0.85, 0.58, 0.62];

export function resolveTimeShape(settings: Partial<TimeShapeSettings> | undefined): TimeShape {
  return {
    hours: hoursOf(settings?.hours),
    weekdays: settings?.weekdays && settings.weekdays.length === 7 ? settings.weekdays : DEFAULT_WEEKDAYS,
  };
}

function hoursOf(hours: TimeShapeSettings['hours']): DiurnalProfile {
  if (hours === 'flat') return FLAT_PROFILE;
  return Array.isArray(hours) && hours.length === 24 ? hours : DEFAULT_PROFILE;
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** ISO weekday (1 = Monday .. 7 = Sunday) of a calendar date `YYYY-MM-DD`. */
function isoWeekday(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const dow = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return dow === 0 ? 7 : dow;
}

/**
 * Relative weight of a local day, the busiest weekday being 1. Backfill: a day's target is
 * round(perDayCap x dayWeight(date)), so the cap stays the maximum and the weekend is lighter.
 */
export function dayWeight(date: string, shape: TimeShape = resolveTimeShape(undefined)): number {
  const max = Math.max(...shape.weekdays);
  if (!(max > 0)) return 1;
  return (shape.weekdays[isoWeekday(date) - 1] ?? 0) / max;
}

/** A day's visit target within the per-day cap (see dayWeight). */
export function dayTarget(date: string, perDayCap: number, shape: TimeShape = resolveTimeShape(undefined)): number {
  return Math.round(perDayCap * dayWeight(date, shape));
}

/**
 * Live run with followProfile: the factor by which to multiply the configured rate at the instant
 * `epochMs`, from the local hour and weekday in `zone`. Its mean over a whole week is 1, so the
 * configured visits per day remain the daily average; the peak hour of the busiest day is above 1,
 * night hours far below. Hours are steps (the rate changes on the hour).
 */
export function rateMultiplier(epochMs: number, zone: string, shape: TimeShape = resolveTimeShape(undefined)): number {
  const local = DateTime.fromMillis(epochMs, { zone });
  const hourMean = mean(shape.hours);
  const dayMean = mean(shape.weekdays);
  if (!(hourMean > 0) || !(dayMean > 0)) return 1;
  return ((shape.hours[local.hour] ?? 0) / hourMean) * ((shape.weekdays[local.weekday - 1] ?? 0) / dayMean);
}

/** The start of the next local hour in `zone` after `epochMs` (the steps of rateMultiplier). */
export function nextLocalHour(epochMs: number, zone: string): number {
  return DateTime.fromMillis(epochMs, { zone }).startOf('hour').plus({ hours: 1 }).toMillis();
}

/** The highest multiplier of the shape (peak hour of the busiest weekday), for Little's law. */
export function peakMultiplier(shape: TimeShape): number {
  const hourMean = mean(shape.hours);
  const dayMean = mean(shape.weekdays);
  if (!(hourMean > 0) || !(dayMean > 0)) return 1;
  return (Math.max(...shape.hours) / hourMean) * (Math.max(...shape.weekdays) / dayMean);
}
