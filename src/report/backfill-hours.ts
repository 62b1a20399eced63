import { DateTime } from 'luxon';
import type { TargetPlan } from '../backfill/plan.js';
import { plannedVisits } from '../backfill/predict.js';
import type { Visit } from '../journey/visit.js';

/**
 * The plan's hits and visits per hour of the local day (0 to 23, in the plan's zone), summed over
 * the window: what the daily profile made of the days. A hit counts in the hour of its `cdt`, a
 * visit in the hour it starts. Every planned visit counts, sent in this run or before.
 */
export interface HourCounts {
  hits: number[];
  visits: number[];
}

/** Zone offsets are whole quarter hours: one look-up per quarter hour, not per hit. */
const QUARTER_MS = 15 * 60_000;

export function plannedByHour(
  plan: TargetPlan,
  build: (date: string, index: number) => Visit,
  /** A shard's own visits only (--shard): the others are sent, and counted, by the other shards. */
  owned?: (date: string, index: number) => boolean,
): HourCounts {
  const hits = new Array<number>(24).fill(0);
  const visits = new Array<number>(24).fill(0);
  const hours = new Map<number, number>();
  const hourOf = (ms: number): number => {
    const quarter = Math.floor(ms / QUARTER_MS);
    let hour = hours.get(quarter);
    if (hour === undefined) hours.set(quarter, (hour = DateTime.fromMillis(quarter * QUARTER_MS, { zone: plan.zone }).hour));
    return hour;
  };
  for (const p of plannedVisits(plan, build, owned)) {
    visits[hourOf(p.startMs)]! += 1;
    for (const hit of p.visit.hits) hits[hourOf(p.startMs + hit.atMs)]! += 1;
  }
  return { hits, visits };
}
