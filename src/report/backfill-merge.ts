import { backfillExitCode, dayStatus, totalsOf, type DayRow } from './backfill-rows.js';
import type { HourCounts } from './backfill-hours.js';
import { unionLength } from './merge.js';
import { BACKFILL_SUMMARY_VERSION, type BackfillPlanRef, type BackfillSummary, type BackfillSummaryTarget } from './backfill-summary.js';

/** A backfill summary and the file it came from (named in refusals). */
export interface NamedBackfillSummary {
  name: string;
  summary: BackfillSummary;
}

/** The per-day counts a merge sums (everything of a DayRow but its date, status and uncertain visits). */
type DayCount = Exclude<keyof DayRow, 'date' | 'status' | 'uncertainVisits'>;
const DAY_COUNTS: readonly DayCount[] = [
  'plannedVisits',
  'hits',
  'priorVisits',
  'visitsAcked',
  'visitsFailed',
  'visitsUncertain',
  'sent',
  'resent',
  'tracked',
  'invalid',
  'invalidUnnamed',
  'failed',
  'uncertain',
  'unaccounted',
  'reconciled',
  'resentAfterReconcile',
  'possiblyDuplicated',
];

/**
 * Several backfill summaries as one (version 4): the n shards of one backfill, or backfills of
 * other windows or targets. Per target (tracker URL and site): the union of the days, every count
 * of a day summed and its status decided again from the sums; `plannedByHour` summed; the totals
 * counted again from the days; `plans` lists the plan of every input. The sending time is the
 * union of the inputs' intervals [startedAt, startedAt + elapsedMs] (shards run at once: their
 * overlap counts once; backfills run one after the other: the gap between them does not count),
 * and hitsPerSecond is the hits sent over it.
 *
 * Throws an Error with a one-line message when the summaries cannot be added up: one plan given
 * twice (the same shard twice, or a backfill and its resume), two plans of one seed whose windows
 * overlap on a target without being different shards of one n (the same visits counted twice),
 * or one target planned in two zones (its days do not line up).
 */
export function mergeBackfillSummaries(inputs: readonly NamedBackfillSummary[]): BackfillSummary {
  const first = inputs[0];
  if (!first) throw new Error('nothing to merge');
  checkPlans(inputs);

  const groups = new Map<string, Array<{ name: string; target: BackfillSummaryTarget }>>();
  for (const { name, summary } of inputs) {
    for (const target of summary.targets) {
      const key = `${target.url}\u0000${target.siteId}`;
      const group = groups.get(key) ?? [];
      const other = group.find((g) => g.target.zone !== target.zone);
      if (other) {
        throw new Error(
          `${name}: site ${target.siteId} of ${target.url} is planned in ${target.zone}, in ${other.name} in ${other.target.zone}: days of two zones do not add up; merge backfills of one zone`,
        );
      }
      groups.set(key, [...group, { name, target }]);
    }
  }
  const targets = [...groups.values()].map((group) => mergeTargets(group.map((g) => g.target)));

  const summaries = inputs.map((i) => i.summary);
  const starts = summaries.map((s) => Date.parse(s.startedAt));
  const elapsedMs = unionLength(summaries.map((s, i) => ({ start: starts[i] as number, end: (starts[i] as number) + s.elapsedMs })));
  const sent = targets.reduce((n, t) => n + t.totals.sent, 0);
  const interrupted = summaries.some((s) => s.interrupted);
  const rows = targets.flatMap((t) => t.days);
  const versions = [...new Set(summaries.map((s) => s.trafficinator))];
  const limits = (pick: (s: BackfillSummary) => number | null | undefined): number | null =>
    summaries.every((s) => typeof pick(s) === 'number') ? summaries.reduce((n, s) => n + (pick(s) as number), 0) : null;
  return {
    version: BACKFILL_SUMMARY_VERSION,
    command: 'backfill',
    trafficinator: versions.join(', '),
    startedAt: new Date(Math.min(...starts)).toISOString(),
    elapsedMs,
    hitsPerSecond: elapsedMs > 0 ? Math.round((sent / elapsedMs) * 1000) : 0,
    interrupted,
    // Interrupted (130, or 143 for SIGTERM) wins, as for one backfill; else 3 when a merged day is not complete.
    exitCode: interrupted ? Math.max(...summaries.filter((s) => s.interrupted).map((s) => s.exitCode)) : backfillExitCode(rows, false),
    settings: {
      bulkSize: Math.max(...summaries.map((s) => s.settings.bulkSize)),
      // The processes may send at once: their batches in flight and their rate limits add up.
      concurrency: summaries.reduce((n, s) => n + s.settings.concurrency, 0),
      rateLimit: limits((s) => s.settings.rateLimit),
      ...(summaries.some((s) => s.settings.visitRateLimit !== undefined) ? { visitRateLimit: limits((s) => s.settings.visitRateLimit) } : {}),
      reconcile: summaries.every((s) => s.settings.reconcile),
      resume: summaries.some((s) => s.settings.resume),
    },
    targets,
    mergedFrom: summaries.reduce((n, s) => n + (s.mergedFrom ?? 1), 0),
  };
}

/** One target's parts (same URL, site and zone) as one. */
function mergeTargets(parts: readonly BackfillSummaryTarget[]): BackfillSummaryTarget {
  const first = parts[0] as BackfillSummaryTarget;
  const byDate = new Map<string, DayRow[]>();
  for (const part of parts) for (const day of part.days) byDate.set(day.date, [...(byDate.get(day.date) ?? []), day]);
  const days = [...byDate.keys()].sort().map((date) => mergeDay(date, byDate.get(date) as DayRow[]));
  const hours = parts.map((p) => p.plannedByHour);
  // A part without hours (a summary older than version 3) would make a sum that looks whole and is not.
  const plannedByHour = hours.every((h): h is HourCounts => h !== undefined) ? sumHours(hours) : undefined;
  return {
    url: first.url,
    siteId: first.siteId,
    window: { from: parts.map((p) => p.window.from).sort()[0] as string, to: parts.map((p) => p.window.to).sort().at(-1) as string },
    zone: first.zone,
    plans: parts.flatMap((p) => p.plans),
    days,
    totals: totalsOf(days),
    ...(plannedByHour ? { plannedByHour } : {}),
  };
}

function mergeDay(date: string, parts: readonly DayRow[]): DayRow {
  const sums = Object.fromEntries(DAY_COUNTS.map((k) => [k, parts.reduce((n, p) => n + p[k], 0)])) as Record<DayCount, number>;
  const uncertain = parts.filter((p) => p.uncertainVisits);
  const base: Omit<DayRow, 'status'> = {
    date,
    ...sums,
    ...(uncertain.length
      ? {
          uncertainVisits: {
            reason: [...new Set(uncertain.map((p) => p.uncertainVisits!.reason))].join('; '),
            visits: [...new Set(uncertain.flatMap((p) => p.uncertainVisits!.visits))].sort((a, b) => a - b),
          },
        }
      : {}),
  };
  // A day no plan sends (skipped by the total cap, or too short) keeps that status; any other is decided from the sums.
  const planned = parts.some((p) => p.status !== 'skipped' && p.status !== 'too-short');
  return { ...base, status: planned ? dayStatus(base, { status: 'planned' }) : (parts[0] as DayRow).status };
}

function sumHours(parts: readonly HourCounts[]): HourCounts {
  const add = (pick: (h: HourCounts) => number[]): number[] => Array.from({ length: 24 }, (_, hour) => parts.reduce((n, h) => n + (pick(h)[hour] ?? 0), 0));
  return { hits: add((h) => h.hits), visits: add((h) => h.visits) };
}

/**
 * Refuses inputs whose counts would be counted twice: a plan key seen twice, and two plans of one
 * target and one seed whose windows overlap, unless they are different shards of the same n
 * (each shard sends its own visits of every day; anything else sends the same visits again).
 */
function checkPlans(inputs: readonly NamedBackfillSummary[]): void {
  const seen: Array<{ name: string; target: BackfillSummaryTarget; plan: BackfillPlanRef }> = [];
  for (const { name, summary } of inputs) {
    for (const target of summary.targets) {
      for (const plan of target.plans) {
        const same = seen.find((s) => s.plan.planKey === plan.planKey);
        if (same) {
          const what = plan.shard ? `shard ${plan.shard.index}/${plan.shard.count} of ${siteOf(target)} (plan ${plan.planKey.slice(0, 12)})` : `plan ${plan.planKey.slice(0, 12)} of ${siteOf(target)} (${plan.window.from}..${plan.window.to})`;
          throw new Error(`${name}: ${what} is in ${same.name} too: the same ${plan.shard ? 'shard' : 'backfill'} twice would count its hits twice; give each plan's summary once`);
        }
        const overlap = seen.find(
          (s) =>
            s.target.url === target.url &&
            s.target.siteId === target.siteId &&
            s.plan.seed === plan.seed &&
            s.plan.window.from <= plan.window.to &&
            plan.window.from <= s.plan.window.to &&
            !differentShards(s.plan, plan),
        );
        if (overlap) {
          const from = plan.window.from > overlap.plan.window.from ? plan.window.from : overlap.plan.window.from;
          throw new Error(
            `${name}: ${shardName(plan)} of ${siteOf(target)} and ${shardName(overlap.plan)} in ${overlap.name} plan the same visits from ${from} (seed ${plan.seed}): ` +
              'merging would count them twice; shards of one backfill merge when each is given once with the same n (summaries older than version 4 do not say their shard)',
          );
        }
        seen.push({ name, target, plan });
      }
    }
  }
}

const differentShards = (a: BackfillPlanRef, b: BackfillPlanRef): boolean =>
  a.shard !== undefined && b.shard !== undefined && a.shard.count === b.shard.count && a.shard.index !== b.shard.index;

const shardName = (plan: BackfillPlanRef): string => (plan.shard ? `shard ${plan.shard.index}/${plan.shard.count}` : `the unsharded plan ${plan.planKey.slice(0, 12)}`);

const siteOf = (target: BackfillSummaryTarget): string => `site ${target.siteId} of ${target.url}`;
