import { between, type Rng } from '../random/rng.js';
import type { JourneySettings } from './settings.js';

/** Matomo starts a new visit after 30 idle minutes (and aborts a ping that arrives later). */
const MATOMO_VISIT_TIMEOUT_MS = 30 * 60_000;

/**
 * The longest gap the timeline ever leaves between two hits of a visit: a minute below Matomo's
 * limit, so truncating `cdt` to whole seconds (up to 1 s per hit) can never reach it.
 */
export const MAX_GAP_MS = MATOMO_VISIT_TIMEOUT_MS - 60_000;

type TimelineSettings = Pick<JourneySettings, 'pageviews' | 'visitDurationMinutes'>;

/**
 * The longest gap the configured durations could force: a visit of the longest duration with the
 * fewest pageviews, whose dwell segments (one per page load) are each at most MAX_GAP_MS.
 */
export function forcedGapMs(settings: TimelineSettings): number {
  return (settings.visitDurationMinutes.max * 60_000) / Math.max(1, settings.pageviews.min);
}

/** True when every visit can keep all its gaps below Matomo's 30-minute visit timeout. */
export function timelineFeasible(settings: TimelineSettings): boolean {
  return forcedGapMs(settings) <= MAX_GAP_MS;
}

/** A one-line message for the configuration rules, or undefined when the timeline is feasible. */
export function timelineProblem(settings: TimelineSettings): string | undefined {
  if (timelineFeasible(settings)) return undefined;
  const limit = (Math.max(1, settings.pageviews.min) * MAX_GAP_MS) / 60_000;
  return (
    `a visit of ${settings.visitDurationMinutes.max} minutes with ${settings.pageviews.min} pageview(s) would need a gap ` +
    `of 29 minutes or more (Matomo starts a new visit after 30 idle minutes): lower the visit duration max to ` +
    `${limit} or raise the pageviews min`
  );
}

/**
 * Splits `totalMs` into `count` dwell segments with random weights (1..3, so no page gets a
 * vanishing share), each capped at MAX_GAP_MS; the excess of capped segments flows to the others.
 * A total that cannot fit is shortened to count x MAX_GAP_MS (validation rejects such settings).
 */
export function splitDwell(rng: Rng, totalMs: number, count: number): number[] {
  const weights: number[] = [];
  for (let i = 0; i < count; i++) weights.push(between(rng, 1, 3));
  const segments = new Array<number>(count).fill(0);
  let remaining = Math.min(totalMs, count * MAX_GAP_MS);
  let open = weights.map((_, i) => i);
  for (;;) {
    let sum = 0;
    for (const i of open) sum += weights[i] as number;
    const capped = open.filter((i) => (remaining * (weights[i] as number)) / sum > MAX_GAP_MS);
    if (capped.length === 0) {
      for (const i of open) segments[i] = (remaining * (weights[i] as number)) / sum;
      return segments;
    }
    for (const i of capped) segments[i] = MAX_GAP_MS;
    remaining -= capped.length * MAX_GAP_MS;
    open = open.filter((i) => !capped.includes(i));
    if (open.length === 0) return segments;
  }
}

/** `count` sorted offsets inside a dwell segment, strictly after its start and before its end. */
export function offsetsWithin(rng: Rng, segmentMs: number, count: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(segmentMs * between(rng, 0.05, 0.9));
  return out.sort((a, b) => a - b);
}
