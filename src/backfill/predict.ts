import type { Visit } from '../journey/visit.js';
import { countReturning, type TimedVisitor } from '../journey/returning.js';
import { drawStart, prepareDay, type DiurnalDay } from './diurnal.js';
import { startRng, timelineMs, type TargetPlan } from './plan.js';

/**
 * What Matomo will show of a backfill window, from its plan alone: every visit of every planned
 * day, placed where the backfill places it (the same start streams), then counted as Matomo counts
 * returning visits (returning.ts). Pure; `inspect --from/--to` prints it.
 */
export interface PlannedVisit {
  date: string;
  index: number;
  startMs: number;
  visit: Visit;
}

/** The plan's visits, day by day, each with the start instant the backfill gives it. */
export function* plannedVisits(
  plan: TargetPlan,
  build: (date: string, index: number) => Visit,
  /** Only these visits (a shard's own), skipped before they are built. */
  keep?: (date: string, index: number) => boolean,
): Generator<PlannedVisit> {
  for (const day of plan.days) {
    if (day.visits === 0) continue;
    const diurnal: DiurnalDay = prepareDay(day, plan.zone, plan.profile);
    for (let index = 0; index < day.visits; index++) {
      if (keep && !keep(day.date, index)) continue;
      const visit = build(day.date, index);
      const startMs = drawStart(diurnal, timelineMs(visit), startRng(plan.seed, day.date, index));
      yield { date: day.date, index, startMs, visit };
    }
  }
}

export interface ReturningForecast {
  visits: number;
  /** Visits Matomo will count returning when the window is sent in time order into a fresh site. */
  returning: number;
  share: number;
  /** The same per local day: the ramp-up of the first days. */
  days: Array<{ date: string; visits: number; returning: number; share: number }>;
}

const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;

/** Matomo's visitor key of a visit: the uid when one is sent (Matomo hashes it into the id), else `_id`. */
export function visitorKey(visit: Visit): string {
  return visit.visitor.uid !== undefined ? `uid:${visit.visitor.uid}` : visit.visitor.id;
}

export function forecastReturning(visits: Iterable<PlannedVisit>): ReturningForecast {
  const timed: Array<TimedVisitor & { date: string }> = [];
  for (const v of visits) timed.push({ key: visitorKey(v.visit), startMs: v.startMs, date: v.date });
  const total = countReturning(timed);
  // Per day: the same pass, attributing each returning visit to its day.
  const sorted = timed.slice().sort((a, b) => a.startMs - b.startMs);
  const seen = new Set<string>();
  const byDay = new Map<string, { visits: number; returning: number }>();
  for (const v of sorted) {
    let day = byDay.get(v.date);
    if (!day) byDay.set(v.date, (day = { visits: 0, returning: 0 }));
    day.visits++;
    if (seen.has(v.key)) day.returning++;
    else seen.add(v.key);
  }
  const days = [...byDay.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([date, d]) => ({ date, visits: d.visits, returning: d.returning, share: round4(d.returning / Math.max(1, d.visits)) }));
  return { visits: total.visits, returning: total.returning, share: round4(total.returning / Math.max(1, total.visits)), days };
}
