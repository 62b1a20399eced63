import { DateTime } from 'luxon';
import { DEFAULT_PROFILE, FLAT_PROFILE, type DiurnalProfile } from '../backfill/diurnal.js';
import type { TimeShapeSettings } from './settings.js';

/**
 * The time shape of traffic: an hour-of-day profile (the backfill's diurnal profile, reused, not
 * copied) and a day-of-week profile. Pure functions for the two places that schedule visits:
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
