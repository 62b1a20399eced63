import { DateTime } from 'luxon';
import type { Rng } from '../random/rng.js';
import type { LocalDay } from './calendar.js';

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
