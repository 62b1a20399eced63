import { DateTime } from 'luxon';
import type { Rng } from '../random/rng.js';
import type { DiurnalProfile } from '../schedule/time-shape.js';
import type { LocalDay } from './calendar.js';

/**
 * A day prepared for drawing visit starts: real-time segments (one per elapsed hour from local
 * midnight, the last one clipped at the day's end) with the weight of their local hour.
 */
export interface DiurnalDay {
  readonly startMs: number;
  readonly endMs: number;
  /** Segment starts, epoch ms, ascending; segment i ends at starts[i + 1] or endMs. */
  readonly starts: readonly number[];
  readonly weights: readonly number[];
  /** cumulative[i] = mass of segments 0..i-1 (weight x length), cumulative[n] = total. */
  readonly cumulative: readonly number[];
}

const HOUR_MS = 3_600_000;

export function prepareDay(day: Pick<LocalDay, 'startMs' | 'endMs'>, zone: string, profile: DiurnalProfile): DiurnalDay {
  const starts: number[] = [];
  const weights: number[] = [];
  const cumulative: number[] = [0];
  let mass = 0;
  for (let s = day.startMs; s < day.endMs; s += HOUR_MS) {
    const hour = DateTime.fromMillis(s, { zone }).hour;
    const w = profile[hour] ?? 0;
    starts.push(s);
    weights.push(w);
    mass += w * (Math.min(s + HOUR_MS, day.endMs) - s);
    cumulative.push(mass);
  }
  return { startMs: day.startMs, endMs: day.endMs, starts, weights, cumulative };
}

/**
 * Draws a visit start so that the whole timeline [start, start + durationMs] lies inside the day
 * (before its end or cut-off). Two draws from `rng`. Throws when the visit cannot fit; the plan
 * gives such days no visits (see plan.ts). If every hour where the visit can start has weight 0,
 * the start is uniform over the possible range instead.
 */
export function drawStart(day: DiurnalDay, durationMs: number, rng: Rng): number {
  // Latest start L (exclusive): start + durationMs < endMs, so start < endMs - durationMs.
  const limit = day.endMs - Math.max(0, durationMs);
  if (limit <= day.startMs) {
    throw new RangeError(`a visit of ${durationMs} ms does not fit in the day`);
  }
  const n = day.starts.length;
  // Mass available before `limit`: whole segments, then the part of the one containing it.
  let k = n - 1;
  while (k > 0 && (day.starts[k] as number) >= limit) k--;
  const segStart = day.starts[k] as number;
  const massBefore = (day.cumulative[k] as number) + (day.weights[k] as number) * (limit - segStart);
  const u = rng.next();
  const v = rng.next();
  if (!(massBefore > 0)) return Math.min(limit - 1, day.startMs + Math.floor(u * (limit - day.startMs)));
  const target = u * massBefore;
  // Binary search the segment whose cumulative range holds target, among 0..k.
  let lo = 0;
  let hi = k;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((day.cumulative[mid] as number) <= target) lo = mid;
    else hi = mid - 1;
  }
  // Skip zero-weight segments the search may land on at a boundary.
  while (lo < k && (day.weights[lo] as number) === 0) lo++;
  const s = day.starts[lo] as number;
  const end = Math.min(lo + 1 < n ? (day.starts[lo + 1] as number) : day.endMs, limit);
  const start = s + Math.floor(v * (end - s));
  return Math.min(start, limit - 1);
}
