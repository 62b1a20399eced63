/**
 * The run's rate unit: the predecessor's visits per day, or tracking requests (hits) per second.
 * Shapes and pacers work in units per second; these convert what the user wrote.
 */
export type RateUnit = 'visits-per-day' | 'hits-per-second';

const SECONDS_PER_DAY = 86_400;

/** A rate written in `unit` as units per second (visits/s or hits/s). */
export function perSecond(value: number, unit: RateUnit): number {
  return unit === 'visits-per-day' ? value / SECONDS_PER_DAY : value;
}

/** The inverse of perSecond: a per-second rate in the user's unit. */
export function inUnit(valuePerSecond: number, unit: RateUnit): number {
  return unit === 'visits-per-day' ? valuePerSecond * SECONDS_PER_DAY : valuePerSecond;
}

export function visitsPerDay(visitsPerSecond: number): number {
  return visitsPerSecond * SECONDS_PER_DAY;
}
