import { MinHeap } from '../schedule/min-heap.js';
import { dayTarget, type DiurnalProfile } from '../schedule/time-shape.js';
import type { Visit } from '../journey/visit.js';
import type { TrackingRequest } from '../matomo/request.js';
import { derive, type Rng } from '../random/rng.js';
import { daysOfWindow, type LocalDay, type Window } from './calendar.js';
import { drawStart, prepareDay, type DiurnalDay } from './diurnal.js';
import { canonicalJson, sha256Hex } from '../random/hash.js';
import type { Shard } from '../config/shard.js';

/**
 * Per-day targets of a backfill, and the identity of the plan. Pure: the same input gives the same
 * plan. A day's visits depend on (seed, date, index) only, never on the window, rate, concurrency
 * or bulk size; the window changes at most how many of them a day gets (through the total cap).
 */
export const PLAN_FORMAT = 2;

export interface PlanTarget {
  /** Tracker URL (…/matomo.php). */
  url: string;
  siteId: number | string;
}

export interface PlanInput {
  window: Window;
  zone: string;
  /** The plan's "now": today ends here. Stored with the plan so a resume replans nothing. */
  cutoffMs: number;
  seed: string | number;
  /** Visits per local day (the per-day target before the total cap). */
  perDayCap: number;
  /** Visits over the whole window, per target. */
  totalCap: number;
  profile: DiurnalProfile;
  /**
   * Day-of-week weights Monday..Sunday: a day's target is the per-day cap x its weight / the
   * largest weight, so the cap stays the maximum and weekends are lighter. Absent: every day the cap.
   */
  weekdays?: readonly number[];
  /** The longest visit the journey settings allow; a day (or cut today) shorter than it gets none. */
  maxVisitDurationMs: number;
  /** Every other setting that shapes the hits (journey settings, catalogues, funnels): hashed. */
  shape: unknown;
  target: PlanTarget;
  /**
   * The shard this plan's process sends (--shard i/n): part of the identity, so each shard has its
   * own plan and journal, and a resume finds only a plan of the same shard. Absent: unsharded (and
   * the key is the one an unsharded plan always had).
   */
  shard?: Shard;
}

export type DayStatus = 'planned' | 'skipped' | 'too-short';

export interface DayPlan extends LocalDay {
  visits: number;
  /** skipped: the total cap was reached before this day; too-short: today's cut part is too short. */
  status: DayStatus;
}

export interface TargetPlan {
  format: number;
  /** Hash of everything that shapes the hits, the window and (when today is cut) the cut-off. */
  key: string;
  /** The same hash without the window and cut-off: finds the plan to resume. */
  settingsKey: string;
  target: PlanTarget;
  window: Window;
  zone: string;
  cutoffMs: number;
  seed: string | number;
  perDayCap: number;
  totalCap: number;
  profile: DiurnalProfile;
  days: DayPlan[];
  /** Sum of the days' visits. */
  visits: number;
  /** The shard whose share of the visits this plan's process sends (see PlanInput.shard). */
  shard?: Shard;
}

export function settingsKeyOf(input: Omit<PlanInput, 'window' | 'cutoffMs'>): string {
  return sha256Hex(
    canonicalJson({
      format: PLAN_FORMAT,
      zone: input.zone,
      seed: String(input.seed),
      perDayCap: input.perDayCap,
      totalCap: input.totalCap,
      profile: input.profile,
      weekdays: input.weekdays ?? null,
      maxVisitDurationMs: input.maxVisitDurationMs,
      shape: input.shape,
      target: { url: input.target.url, siteId: String(input.target.siteId) },
      ...(input.shard ? { shard: { index: input.shard.index, count: input.shard.count } } : {}),
    }),
  );
}

/** The plan key. The cut-off counts only when it shortens the window's last day. */
export function planKeyOf(settingsKey: string, window: Window, cutoffMs: number | undefined): string {
  return sha256Hex(canonicalJson({ format: PLAN_FORMAT, settingsKey, window, cutoffMs: cutoffMs ?? null }));
}

export function planTarget(input: PlanInput): TargetPlan {
  if (!(input.perDayCap >= 0) || !(input.totalCap >= 0)) throw new RangeError('caps must be >= 0');
  const local = daysOfWindow(input.window, input.zone, input.cutoffMs);
  let left = Math.floor(input.totalCap);
  let visits = 0;
  const days: DayPlan[] = local.map((day) => {
    if (day.endMs - day.startMs <= input.maxVisitDurationMs) return { ...day, visits: 0, status: 'too-short' };
    if (left <= 0) return { ...day, visits: 0, status: 'skipped' };
    const target = input.weekdays
      ? dayTarget(day.date, Math.floor(input.perDayCap), { hours: input.profile, weekdays: input.weekdays })
      : Math.floor(input.perDayCap);
    const n = Math.min(target, left);
    left -= n;
    visits += n;
    return { ...day, visits: n, status: 'planned' };
  });
  const settingsKey = settingsKeyOf(input);
  const last = local[local.length - 1];
  const key = planKeyOf(settingsKey, input.window, last?.cut ? input.cutoffMs : undefined);
  return {
    format: PLAN_FORMAT,
    key,
    settingsKey,
    target: input.target,
    window: input.window,
    zone: input.zone,
    cutoffMs: input.cutoffMs,
    seed: input.seed,
    perDayCap: input.perDayCap,
    totalCap: input.totalCap,
    profile: input.profile,
    days,
    visits,
    ...(input.shard ? { shard: input.shard } : {}),
  };
}

/** The generator of visit `index` of local day `date`: the journey model draws from it. */
export function visitRng(seed: string | number, date: string, index: number): Rng {
  return derive(seed, 'day', date, index);
}

/** A separate stream for the visit's start instant, so placement never shifts the visit's content. */
export function startRng(seed: string | number, date: string, index: number): Rng {
  return derive(seed, 'day-start', date, index);
}

/** One visit of a day, encoded: what the replay sends. */
export interface DayVisit {
  index: number;
  requests: TrackingRequest[];
}

/** The replay's source of visits: regenerates exactly the asked indices of a day from the seed. */
export type VisitsOfDay = (date: string, indices: Iterable<number>) => Iterable<DayVisit>;

/** The same, from a source that takes time (worker threads): the replay awaits each visit. */
export type AsyncVisitsOfDay = (date: string, indices: Iterable<number>) => AsyncIterable<DayVisit>;

export interface VisitFactory {
  /** Builds visit `index` of `day` from its generator (the journey model). */
  build(rng: Rng, index: number, day: DayPlan): Visit;
  /** Encodes the visit with its timeline starting at `startMs` (the encoder, with cdt). */
  encode(visit: Visit, startMs: number, day: DayPlan): TrackingRequest[];
  /**
   * No visit's timeline (timelineMs) is longer: lets the placer build a day's visits a few at a
   * time, in start order (placeDay). Absent: every asked visit of a day is built, then sorted.
   */
  maxTimelineMs?: number;
}

/** The timeline length of a visit: its duration, or its last hit if that is later. */
export function timelineMs(visit: Visit): number {
  let end = visit.durationMs;
  for (const hit of visit.hits) if (hit.atMs > end) end = hit.atMs;
  return end;
}

/** A visit of a day, built and placed at its start instant, not yet encoded. */
export interface PlacedVisit {
  index: number;
  visit: Visit;
  startMs: number;
}

/** The order a day's visits are sent in: by start instant, ties by index. */
export function byStart(a: { startMs: number; index: number }, b: { startMs: number; index: number }): number {
  return a.startMs - b.startMs || a.index - b.index;
}

export interface DayPlacer {
  /** The asked visits of a day, built and placed, in send order (byStart), each built as it is read. */
  place(date: string, indices: Iterable<number>): Iterable<PlacedVisit>;
  /** Encodes a placed visit of `date` (the encoder, with cdt). */
  encode(date: string, placed: PlacedVisit): TrackingRequest[];
}

/**
 * Each visit is built from visitRng(seed, date, index) and started at a diurnal instant drawn from
 * startRng(...), so its whole timeline lies inside its day and before the cut-off. Any subset of a
 * day's indices is placed the same way, so subsets placed apart (worker threads) and merged by
 * start give the order of the whole.
 */
export function placerOfPlan(plan: TargetPlan, factory: VisitFactory): DayPlacer {
  const byDate = new Map(plan.days.map((d) => [d.date, d]));
  const prepared = new Map<string, DiurnalDay>();
  const dayOf = (date: string): DayPlan => {
    const day = byDate.get(date);
    if (!day) throw new RangeError(`day ${date} is not in the plan`);
    return day;
  };
  return {
    place(date, indices) {
      const day = dayOf(date);
      let diurnal = prepared.get(date);
      if (!diurnal) {
        diurnal = prepareDay(day, plan.zone, plan.profile);
        prepared.set(date, diurnal);
      }
      return placeDay(plan.seed, day, diurnal, factory, [...indices]);
    },
    encode: (date, p) => factory.encode(p.visit, p.startMs, dayOf(date)),
  };
}

/**
 * A generator made on its first draw: the workload's factory builds a visit from its own streams
 * and never draws from the one it is handed, whose making (seeding) cost about 5 us a visit.
 */
function lazily(make: () => Rng): Rng {
  let rng: Rng | undefined;
  return { next: () => (rng ??= make()).next() };
}

/** The start draws of one visit replayed: drawStart takes exactly two. */
function replayed(u: number, v: number): Rng {
  let drawn = 0;
  return {
    next() {
      drawn++;
      if (drawn > 2) throw new Error('drawStart took more than two draws: placeDay must replay them all');
      return drawn === 1 ? u : v;
    },
  };
}

/**
 * A day's visits in send order, without holding the day. A visit's start depends on its timeline
 * (drawStart keeps the whole of it inside the day), known only once the visit is built; but for
 * the same two draws a longer timeline never starts later (drawStart is monotone in it), so the
 * start with the longest possible timeline (factory.maxTimelineMs) is a lower bound known from the
 * draws alone. Visits are built in the order of their bounds, and the earliest built one is handed
 * out as soon as it starts before the bound of every visit not built yet: a window of visits
 * (those starting within about one visit length of each other) is held, not the day. Without a
 * bound every visit is built first (the same order). Output: exactly the byStart order of all.
 */
function* placeDay(seed: string | number, day: DayPlan, diurnal: DiurnalDay, factory: VisitFactory, indices: number[]): Generator<PlacedVisit> {
  const n = indices.length;
  const bound = factory.maxTimelineMs;
  const place = (index: number, start: Rng): PlacedVisit => {
    const visit = factory.build(lazily(() => visitRng(seed, day.date, index)), index, day);
    return { index, visit, startMs: drawStart(diurnal, timelineMs(visit), start) };
  };
  if (bound === undefined) {
    const placed = indices.map((index) => place(index, startRng(seed, day.date, index)));
    placed.sort(byStart);
    for (let i = 0; i < placed.length; i++) {
      const p = placed[i] as PlacedVisit;
      placed[i] = undefined as never;
      yield p;
    }
    return;
  }
  const u = new Float64Array(n);
  const v = new Float64Array(n);
  const lower = new Float64Array(n);
  // A timeline as long as the day (or longer) fits nowhere: its visits' bound is the day's start.
  const fits = diurnal.endMs - Math.max(0, bound) > diurnal.startMs;
  for (let k = 0; k < n; k++) {
    const rng = startRng(seed, day.date, indices[k] as number);
    u[k] = rng.next();
    v[k] = rng.next();
    lower[k] = fits ? drawStart(diurnal, bound, replayed(u[k] as number, v[k] as number)) : diurnal.startMs;
  }
  const order = new Uint32Array(n);
  for (let k = 0; k < n; k++) order[k] = k;
  order.sort((a, b) => (lower[a] as number) - (lower[b] as number) || (indices[a] as number) - (indices[b] as number));
  const held = new MinHeap<PlacedVisit>(byStart);
  let next = 0;
  let last: PlacedVisit | undefined;
  while (next < n || held.size > 0) {
    // Build until the earliest held visit starts before every visit not built yet.
    while (next < n && (held.size === 0 || (held.peek() as PlacedVisit).startMs >= (lower[order[next] as number] as number))) {
      const k = order[next++] as number;
      const p = place(indices[k] as number, replayed(u[k] as number, v[k] as number));
      if (last && byStart(p, last) < 0) {
        throw new Error(`visit ${p.index} of ${day.date} has a timeline of ${timelineMs(p.visit)} ms, past the placement bound of ${bound} ms: it starts before a visit already handed out`);
      }
      held.push(p);
    }
    last = held.pop() as PlacedVisit;
    yield last;
  }
}

/**
 * Wires the journey model and the encoder into the replay's source (placerOfPlan). The asked
 * visits come out in the order of their start (ties by index), as Matomo would have seen them: it
 * decides whether a visitor is returning from what it already holds.
 */
export function visitsOfPlan(plan: TargetPlan, factory: VisitFactory): VisitsOfDay {
  const placer = placerOfPlan(plan, factory);
  return function* (date, indices) {
    // Built, placed and encoded one at a time: a day's visits and requests are never all held.
    for (const p of placer.place(date, indices)) yield { index: p.index, requests: placer.encode(date, p) };
  };
}

/** Totals of a plan for the dry-run's stderr and the report. */
export function describePlan(plan: TargetPlan): string {
  const lines = [`plan ${plan.key.slice(0, 12)} for ${plan.target.url} site ${plan.target.siteId}: ${plan.window.from}..${plan.window.to} (${plan.zone})`];
  for (const d of plan.days) {
    const note = d.status === 'planned' ? (d.cut ? ' (today, until the cut-off)' : '') : ` (${d.status})`;
    lines.push(`  ${d.date}  ${String(d.visits).padStart(8)} visits  ${d.hours} h${note}`);
  }
  lines.push(`  total   ${String(plan.visits).padStart(8)} visits`);
  return lines.join('\n') + '\n';
}
