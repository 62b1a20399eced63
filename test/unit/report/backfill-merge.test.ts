import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { mergeBackfillSummaries } from '../../../src/report/backfill-merge.js';
import { dayStatus, totalsOf, type DayRow } from '../../../src/report/backfill-rows.js';
import { readBackfillSummary, type BackfillPlanRef, type BackfillSummary, type BackfillSummaryTarget } from '../../../src/report/backfill-summary.js';

const schema = JSON.parse(readFileSync(new URL('../../../docs/schema/backfill-summary.schema.json', import.meta.url), 'utf8'));
const validate = new Ajv({ strict: true, allErrors: true }).compile(schema);

const URL_A = 'http://127.0.0.1:1/matomo.php';

/** A day of `visits` planned visits, `acked` of them acknowledged, 2 hits each; `lost` hits failed. */
function day(date: string, visits: number, acked = visits, lost = 0): DayRow {
  const base: Omit<DayRow, 'status'> = {
    date,
    plannedVisits: visits,
    hits: acked * 2,
    priorVisits: 0,
    visitsAcked: acked - (lost > 0 ? 1 : 0),
    visitsFailed: lost > 0 ? 1 : 0,
    visitsUncertain: 0,
    sent: acked * 2,
    resent: 0,
    tracked: acked * 2 - lost,
    invalid: 0,
    invalidUnnamed: 0,
    failed: lost,
    uncertain: 0,
    unaccounted: 0,
    reconciled: 0,
    resentAfterReconcile: 0,
    possiblyDuplicated: 0,
  };
  return { ...base, status: dayStatus(base, { status: 'planned' }) };
}

const hours = (n: number) => ({ hits: Array.from({ length: 24 }, (_, h) => h * n), visits: Array.from({ length: 24 }, () => n) });

function plan(key: string, from: string, to: string, extra: Partial<BackfillPlanRef> = {}): BackfillPlanRef {
  return { planKey: key.repeat(64).slice(0, 64), window: { from, to }, cutoff: '2026-11-29T00:00:00.000Z', seed: '42', ...extra };
}

function target(p: BackfillPlanRef, days: DayRow[], extra: Partial<BackfillSummaryTarget> = {}): BackfillSummaryTarget {
  return { url: URL_A, siteId: '1', window: { ...p.window }, zone: 'Europe/Berlin', plans: [p], days, totals: totalsOf(days), plannedByHour: hours(1), ...extra };
}

function summary(startedAt: string, elapsedMs: number, targets: BackfillSummaryTarget[], extra: Partial<BackfillSummary> = {}): BackfillSummary {
  const sent = targets.reduce((n, t) => n + t.totals.sent, 0);
  return {
    version: 4,
    command: 'backfill',
    trafficinator: '0.1.0',
    startedAt,
    elapsedMs,
    hitsPerSecond: Math.round((sent / elapsedMs) * 1000),
    interrupted: false,
    exitCode: 0,
    settings: { bulkSize: 100, concurrency: 4, rateLimit: null, visitRateLimit: null, reconcile: true, resume: false },
    targets,
    ...extra,
  };
}

const shard = (index: number, count = 2) => ({ shard: { index, count } });

describe('merging backfill summaries', () => {
  it('adds up the 2 shards of one backfill: every count of a day, the hours, the totals; lists both plans; the rate over the union of the sending times', () => {
    const s0 = summary('2026-11-29T10:00:00.000Z', 10_000, [target(plan('a', '2026-01-05', '2026-01-06', shard(0)), [day('2026-01-05', 3), day('2026-01-06', 4)])]);
    const s1 = summary('2026-11-29T10:00:05.000Z', 10_000, [target(plan('b', '2026-01-05', '2026-01-06', shard(1)), [day('2026-01-05', 2), day('2026-01-06', 5)], { plannedByHour: hours(2) })], {
      settings: { bulkSize: 50, concurrency: 2, rateLimit: null, visitRateLimit: null, reconcile: true, resume: true },
    });
    const merged = mergeBackfillSummaries([
      { name: 's0.json', summary: s0 },
      { name: 's1.json', summary: s1 },
    ]);
    expect(validate(JSON.parse(JSON.stringify(merged))), JSON.stringify(validate.errors)).toBe(true);
    expect(merged.version).toBe(4);
    expect(merged.mergedFrom).toBe(2);
    expect(merged.targets).toHaveLength(1);
    const [t] = merged.targets;
    expect(t!.plans.map((p) => p.shard)).toEqual([{ index: 0, count: 2 }, { index: 1, count: 2 }]);
    expect(t!.days.map((d) => [d.date, d.plannedVisits, d.sent, d.tracked, d.status])).toEqual([
      ['2026-01-05', 5, 10, 10, 'complete'],
      ['2026-01-06', 9, 18, 18, 'complete'],
    ]);
    expect(t!.totals).toMatchObject({ days: 2, complete: 2, plannedVisits: 14, sent: 28, tracked: 28, failed: 0 });
    expect(t!.plannedByHour).toEqual(hours(3));
    // [10:00:00, 10:00:10] and [10:00:05, 10:00:15]: 15 s of sending, not 20.
    expect(merged.startedAt).toBe('2026-11-29T10:00:00.000Z');
    expect(merged.elapsedMs).toBe(15_000);
    expect(merged.hitsPerSecond).toBe(Math.round(28 / 15));
    expect(merged.settings).toEqual({ bulkSize: 100, concurrency: 6, rateLimit: null, visitRateLimit: null, reconcile: true, resume: true });
    expect(merged.exitCode).toBe(0);
  });

  it('takes the union of the days of backfills of other windows and keeps other targets apart; the gap between runs does not count', () => {
    const jan = summary('2026-11-29T10:00:00.000Z', 2_000, [target(plan('a', '2026-01-01', '2026-01-02'), [day('2026-01-01', 1), day('2026-01-02', 2)])]);
    const feb = summary('2026-11-29T12:00:00.000Z', 3_000, [
      target(plan('b', '2026-01-02', '2026-01-03', { seed: '7' }), [day('2026-01-02', 5), day('2026-01-03', 6)]),
      target(plan('c', '2026-01-01', '2026-01-01'), [day('2026-01-01', 9)], { siteId: '2' }),
    ]);
    const merged = mergeBackfillSummaries([
      { name: 'jan.json', summary: jan },
      { name: 'feb.json', summary: feb },
    ]);
    expect(validate(JSON.parse(JSON.stringify(merged))), JSON.stringify(validate.errors)).toBe(true);
    expect(merged.targets.map((t) => [t.siteId, t.window, t.plans.length])).toEqual([
      ['1', { from: '2026-01-01', to: '2026-01-03' }, 2],
      ['2', { from: '2026-01-01', to: '2026-01-01' }, 1],
    ]);
    expect(merged.targets[0]!.days.map((d) => [d.date, d.plannedVisits])).toEqual([
      ['2026-01-01', 1],
      ['2026-01-02', 7],
      ['2026-01-03', 6],
    ]);
    expect(merged.elapsedMs).toBe(5_000);
    expect(merged.hitsPerSecond).toBe(Math.round(((3 + 11 + 9) * 2 * 1000) / 5_000));
  });

  it('decides a day again from the sums: a shard that lost a hit makes the day lost and the exit 3; an interrupted run wins', () => {
    const s0 = summary('2026-11-29T10:00:00.000Z', 1_000, [target(plan('a', '2026-01-05', '2026-01-05', shard(0)), [day('2026-01-05', 3)])]);
    const s1 = summary('2026-11-29T10:00:00.000Z', 1_000, [target(plan('b', '2026-01-05', '2026-01-05', shard(1)), [day('2026-01-05', 3, 3, 1)])], { exitCode: 3 });
    const merged = mergeBackfillSummaries([
      { name: 's0.json', summary: s0 },
      { name: 's1.json', summary: s1 },
    ]);
    expect(merged.targets[0]!.days[0]).toMatchObject({ failed: 1, visitsFailed: 1, status: 'lost' });
    expect(merged.exitCode).toBe(3);
    const stopped = mergeBackfillSummaries([
      { name: 's0.json', summary: { ...s0, interrupted: true, exitCode: 143 } },
      { name: 's1.json', summary: s1 },
    ]);
    expect([stopped.interrupted, stopped.exitCode]).toEqual([true, 143]);
  });

  it('merges a merge again, and names the plan that would come twice', () => {
    const s = (i: number, n: number) => ({ name: `s${i}.json`, summary: summary('2026-11-29T10:00:00.000Z', 1_000, [target(plan(String(i), '2026-01-05', '2026-01-05', shard(i, n)), [day('2026-01-05', 2)])]) });
    const first = mergeBackfillSummaries([s(0, 3), s(1, 3)]);
    const all = mergeBackfillSummaries([{ name: 'first.json', summary: first }, s(2, 3)]);
    expect(all.mergedFrom).toBe(3);
    expect(all.targets[0]!.totals.plannedVisits).toBe(6);
    expect(() => mergeBackfillSummaries([{ name: 'first.json', summary: first }, s(1, 3)])).toThrow(
      /^s1\.json: shard 1\/3 of site 1 of http:\/\/127\.0\.0\.1:1\/matomo\.php \(plan 111111111111\) is in first\.json too: the same shard twice would count its hits twice/,
    );
  });

  it.each([
    {
      why: 'the same shard twice (the same plan key)',
      b: target(plan('a', '2026-01-05', '2026-01-06', shard(0)), [day('2026-01-05', 3)]),
      message: /^b\.json: shard 0\/2 of site 1 of .* \(plan aaaaaaaaaaaa\) is in a\.json too: the same shard twice would count its hits twice; give each plan's summary once$/,
    },
    {
      why: 'the same shard of another window overlapping',
      b: target(plan('c', '2026-01-06', '2026-01-09', shard(0)), [day('2026-01-06', 3)]),
      message: /^b\.json: shard 0\/2 of site 1 of .* and shard 0\/2 in a\.json plan the same visits from 2026-01-06 \(seed 42\): merging would count them twice/,
    },
    {
      why: 'shards of two different n',
      b: target(plan('c', '2026-01-05', '2026-01-06', shard(1, 3)), [day('2026-01-05', 3)]),
      message: /^b\.json: shard 1\/3 of .* and shard 0\/2 in a\.json plan the same visits from 2026-01-05 \(seed 42\)/,
    },
    {
      why: 'an unsharded backfill of the same seed over the same days (a backfill and its re-run under another window)',
      b: target(plan('c', '2026-01-04', '2026-01-05'), [day('2026-01-05', 3)]),
      message: /^b\.json: the unsharded plan cccccccccccc of .* and shard 0\/2 in a\.json plan the same visits from 2026-01-05/,
    },
    {
      why: 'one site in two zones',
      b: target(plan('c', '2026-02-05', '2026-02-06'), [day('2026-02-05', 3)], { zone: 'UTC' }),
      message: /^b\.json: site 1 of http:\/\/127\.0\.0\.1:1\/matomo\.php is planned in UTC, in a\.json in Europe\/Berlin: days of two zones do not add up/,
    },
  ])('refuses $why in one line', ({ b, message }) => {
    const a = summary('2026-11-29T10:00:00.000Z', 1_000, [target(plan('a', '2026-01-05', '2026-01-06', shard(0)), [day('2026-01-05', 3)])]);
    const error = (() => {
      try {
        mergeBackfillSummaries([
          { name: 'a.json', summary: a },
          { name: 'b.json', summary: summary('2026-11-29T10:00:00.000Z', 1_000, [b]) },
        ]);
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain('\n');
  });

  it('reads versions 1 to 3 and merges them: the hours only when every part has them; same-seed summaries without a shard are refused', () => {
    const v3target = (key: string, from: string, seed: string, days: DayRow[]) => {
      const { plans, ...rest } = target(plan(key, from, from, { seed }), days);
      return { ...rest, planKey: plans[0]!.planKey, cutoff: plans[0]!.cutoff, seed };
    };
    const v3 = { ...summary('2026-11-29T10:00:00.000Z', 1_000, []), version: 3, targets: [v3target('a', '2026-01-01', '1', [day('2026-01-01', 2)])] };
    const { plannedByHour: _none, ...v2target } = v3target('b', '2026-01-02', '2', [day('2026-01-02', 3)]);
    const v2 = { ...summary('2026-11-29T11:00:00.000Z', 1_000, []), version: 2, targets: [v2target] };
    const merged = mergeBackfillSummaries([
      { name: 'v3.json', summary: readBackfillSummary(v3) },
      { name: 'v2.json', summary: readBackfillSummary(v2) },
    ]);
    expect(validate(JSON.parse(JSON.stringify(merged))), JSON.stringify(validate.errors)).toBe(true);
    expect(merged.targets[0]!.plans.map((p) => [p.seed, p.shard])).toEqual([
      ['1', undefined],
      ['2', undefined],
    ]);
    expect(merged.targets[0]!.totals.plannedVisits).toBe(5);
    expect(merged.targets[0]!.plannedByHour).toBeUndefined();
    const sameSeed = { ...v3, targets: [v3target('c', '2026-01-01', '1', [day('2026-01-01', 2)])] };
    expect(() =>
      mergeBackfillSummaries([
        { name: 'v3.json', summary: readBackfillSummary(v3) },
        { name: 'other.json', summary: readBackfillSummary(sameSeed) },
      ]),
    ).toThrow(/plan the same visits from 2026-01-01 \(seed 1\).*summaries older than version 4 do not say their shard/);
  });
});
