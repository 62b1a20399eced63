import type { TrackingRequest } from '../matomo/request.js';
import type { AsyncVisitsOfDay, TargetPlan, VisitsOfDay } from './plan.js';
import type { ReplayDay } from './replay.js';

/**
 * What a resume still has to send on a day, from the journal's sets (pure). Acknowledged visits
 * are done; failed ones belong to --retry-failed (their hits are in the dead-letter file);
 * uncertain ones (in flight when the process died, or an answer that proved nothing) are
 * reconciled with Matomo's raw log, or resent only when asked, since Matomo may hold them already.
 */
export interface DayProgress {
  acked: ReadonlySet<number>;
  failed: ReadonlySet<number>;
  uncertain: ReadonlySet<number>;
}

export interface DayRemainder {
  /** Visit indices to send, ascending. */
  visits: number[];
  acked: number;
  failed: number;
  /** Uncertain visits of the day (resent or not). */
  uncertain: number;
  /** Their indices, ascending. */
  uncertainVisits: number[];
  complete: boolean;
}

/** `owned`: the day's visits this process sends (a shard's share, ascending); absent: 0..planned-1. */
export function remainingVisits(planned: number, progress: DayProgress | undefined, resendUncertain: boolean, owned?: readonly number[]): DayRemainder {
  const visits: number[] = [];
  let acked = 0;
  let failed = 0;
  let uncertain = 0;
  const uncertainVisits: number[] = [];
  const indices = owned ?? Array.from({ length: planned }, (_, i) => i);
  for (const i of indices) {
    if (progress?.acked.has(i)) acked++;
    else if (progress?.failed.has(i)) failed++;
    else if (progress?.uncertain.has(i)) {
      uncertain++;
      uncertainVisits.push(i);
      if (resendUncertain) visits.push(i);
    } else visits.push(i);
  }
  return { visits, acked, failed, uncertain, uncertainVisits, complete: acked === indices.length };
}

/** What earlier runs settled on a day, for the report (report/backfill-rows.ts Prior). */
export interface DayPrior {
  acked: number;
  failed: number;
  /** Uncertain visits from earlier runs that this run does not resend. */
  uncertain: number;
}

/** The days one run of a target sends, where their visits come from, and what earlier runs settled. */
export interface TargetRun {
  days: ReplayDay[];
  visitsOfDay: VisitsOfDay | AsyncVisitsOfDay;
  prior: Map<string, DayPrior>;
  /** What to say when there is nothing to send. */
  idle?: string;
}

/**
 * The visits of each day a shard sends (backfill/shard.ts ownedDays), ascending; absent: every
 * visit of the plan. `plan` is then the shard's view (shardView): its days count the owned visits.
 */
export type OwnedDays = ReadonlyMap<string, readonly number[]>;

/** A fresh plan: every visit (or every owned visit) of every day that has some. */
export function freshRun(plan: TargetPlan, visitsOfDay: VisitsOfDay | AsyncVisitsOfDay, owned?: OwnedDays): TargetRun {
  return {
    days: plan.days
      .filter((d) => d.visits > 0)
      .map((d) => ({ date: d.date, visits: owned?.get(d.date)?.slice() ?? Array.from({ length: d.visits }, (_, i) => i), plannedVisits: d.visits })),
    visitsOfDay,
    prior: new Map<string, DayPrior>(),
  };
}

/**
 * What a resume sends: per day the visits not acknowledged. Uncertain ones (in flight when the
 * last run stopped) are reconciled with Matomo's raw log first; without a Reporting API they are
 * resent only when asked (--resend-uncertain, counted as possibly duplicated), else left uncertain.
 */
export function resumeRun(
  plan: TargetPlan,
  journal: ReadonlyMap<string, DayProgress>,
  uncertain: 'reconcile' | 'resend' | 'keep',
  visitsOfDay: VisitsOfDay | AsyncVisitsOfDay,
  owned?: OwnedDays,
): TargetRun {
  const days: ReplayDay[] = [];
  const prior = new Map<string, DayPrior>();
  let acked = 0;
  let left = 0;
  let failed = 0;
  for (const d of plan.days) {
    if (d.visits === 0) continue;
    const r = remainingVisits(d.visits, journal.get(d.date), uncertain === 'resend', owned?.get(d.date));
    prior.set(d.date, { acked: r.acked, failed: r.failed, uncertain: uncertain === 'keep' ? r.uncertain : 0 });
    acked += r.acked;
    failed += r.failed;
    if (uncertain === 'keep') left += r.uncertain;
    const day: ReplayDay = { date: d.date, visits: r.visits, plannedVisits: d.visits };
    if (uncertain === 'reconcile' && r.uncertainVisits.length) day.reconcileFirst = r.uncertainVisits;
    if (uncertain === 'resend' && r.uncertainVisits.length) day.blindResend = new Set(r.uncertainVisits);
    if (r.visits.length || day.reconcileFirst) days.push(day);
  }
  const run: TargetRun = { days, visitsOfDay, prior };
  if (days.length === 0) {
    run.idle =
      `backfill: nothing left to resume for ${plan.window.from}..${plan.window.to}: ${acked} of ${plan.visits} visits acknowledged` +
      (left ? `, ${left} uncertain (no Reporting API to reconcile them: check with verify, then --resume --resend-uncertain --no-reporting-api)` : '') +
      (failed ? `, ${failed} failed (resend with --retry-failed)` : '');
  }
  return run;
}

/**
 * What --retry-failed sends: the dead-letter hits (`retried`: per day, per visit, in hit order),
 * each once; the journal's failed visits not among them stay failed.
 */
export function retryRun(
  plan: TargetPlan,
  journal: ReadonlyMap<string, DayProgress>,
  retried: ReadonlyMap<string, ReadonlyMap<number, TrackingRequest[]>>,
  deadLetterPath: string,
): TargetRun {
  const days: ReplayDay[] = [];
  const prior = new Map<string, DayPrior>();
  for (const d of plan.days) {
    const j = journal.get(d.date);
    const ofDay = retried.get(d.date);
    let failed = 0;
    for (const v of j?.failed ?? []) if (!ofDay?.has(v)) failed++;
    prior.set(d.date, { acked: j?.acked.size ?? 0, failed, uncertain: j?.uncertain.size ?? 0 });
    if (ofDay?.size) days.push({ date: d.date, visits: [...ofDay.keys()].sort((a, b) => a - b), plannedVisits: d.visits });
  }
  const visitsOfDay: VisitsOfDay = function* (date, indices) {
    const day = retried.get(date);
    for (const index of indices) {
      const requests = day?.get(index);
      if (requests) yield { index, requests };
    }
  };
  const run: TargetRun = { days, visitsOfDay, prior };
  if (days.length === 0) run.idle = `backfill: no hit to resend in ${deadLetterPath}`;
  return run;
}

/** Visits a run sends or reconciles, per day (the progress bars' totals and the announcement). */
export function visitsToSend(day: ReplayDay): number {
  return (day.visits as number[]).length + ((day.reconcileFirst as number[] | undefined)?.length ?? 0);
}
