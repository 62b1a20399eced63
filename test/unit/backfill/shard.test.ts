import { describe, expect, it } from 'vitest';
import { planTarget, type VisitsOfDay } from '../../../src/backfill/plan.js';
import { freshRun, resumeRun } from '../../../src/backfill/resume.js';
import { findShardPlans, ownedDays, shardView } from '../../../src/backfill/shard.js';
import { backfillTargets, findStoredPlan, noStoredPlanMessage, planInputOf, profileOf, shapeOf } from '../../../src/backfill/setup.js';
import { loadConfig } from '../../../src/config/load.js';
import type { Shard } from '../../../src/config/shard.js';
import { memoryIo } from '../../../src/io.js';

/**
 * A backfill shard keeps the unsharded per-day plan and sends the visits it owns; its shard is part
 * of the plan's identity (own plan, own journal, a resume finds only the same shard), and verify
 * finds the plans of all n shards.
 */
const NOW = Date.UTC(2026, 10, 26, 12);
const jan = { from: '2026-01-05', to: '2026-01-07' };

async function setup() {
  const io = memoryIo({ argv: [] });
  const config = (await loadConfig(io, { values: { url: 'http://127.0.0.1:8080/matomo.php', siteId: 1, backfill: { maxVisitsPerDay: 20 } } }, { now: NOW })).config!;
  const target = backfillTargets(config)[0]!;
  const shape = await shapeOf(config, 'v', (path) => io.readFile(path));
  const planOf = (shard?: Shard) => planTarget(planInputOf(config, target, jan, NOW, 7, profileOf(config), shape, shard));
  return { config, target, shape, planOf };
}

const byIndex = (_date: string, index: number, count: number): number => index % count;
const noVisits: VisitsOfDay = function* () {};

describe('a sharded plan', () => {
  it('has the per-day plan of the unsharded one, and a key of its own per shard; 1/1 is the unsharded plan', async () => {
    const { planOf } = await setup();
    const whole = planOf();
    const s0 = planOf({ index: 0, count: 3 });
    const s1 = planOf({ index: 1, count: 3 });
    expect(s0.days).toEqual(whole.days);
    expect(new Set([whole.key, s0.key, s1.key, planOf({ index: 0, count: 2 }).key]).size).toBe(4);
    expect(new Set([whole.settingsKey, s0.settingsKey, s1.settingsKey]).size).toBe(3);
    expect(planOf({ index: 0, count: 1 })).toEqual(whole);
    expect(s1.shard).toEqual({ index: 1, count: 3 });
  });

  it("the shards' owned visits partition every day; the view counts them; fresh and resumed runs send only them", async () => {
    const { planOf } = await setup();
    const plan = planOf({ index: 1, count: 3 });
    const owned = [0, 1, 2].map((index) => ownedDays(plan, { index, count: 3 }, byIndex));
    for (const day of plan.days) {
      const union = owned.flatMap((o) => o.get(day.date) ?? []).sort((a, b) => a - b);
      expect(union).toEqual(Array.from({ length: day.visits }, (_, i) => i));
    }
    const mine = owned[1]!;
    const view = shardView(plan, mine);
    expect(view.visits).toBe([...mine.values()].reduce((a, v) => a + v.length, 0));
    expect(view.visits).toBeLessThan(plan.visits);
    const fresh = freshRun(view, noVisits, mine);
    expect(fresh.days.map((d) => [d.date, d.visits, d.plannedVisits])).toEqual(view.days.map((d) => [d.date, mine.get(d.date), d.visits]));
    // A resume: the first owned visit of the first day acknowledged, the second uncertain.
    const first = plan.days[0]!.date;
    const [a, b, ...rest] = mine.get(first)!;
    const journal = new Map([[first, { acked: new Set([a!]), failed: new Set<number>(), uncertain: new Set([b!]) }]]);
    const resumed = resumeRun(view, journal, 'reconcile', noVisits, mine);
    expect(resumed.days[0]).toMatchObject({ date: first, visits: rest, reconcileFirst: [b], plannedVisits: mine.get(first)!.length });
    expect(resumed.prior.get(first)).toEqual({ acked: 1, failed: 0, uncertain: 0 });
    // Every owned visit acknowledged: the shard's days are complete (the others' visits are not its).
    const done = new Map(view.days.map((d) => [d.date, { acked: new Set(mine.get(d.date)), failed: new Set<number>(), uncertain: new Set<number>() }]));
    expect(resumeRun(view, done, 'reconcile', noVisits, mine).idle).toMatch(/nothing left to resume .*: \d+ of \d+ visits acknowledged/);
  });

  it('a resume finds only the plan of the same shard, and says so in one line when n differs', async () => {
    const { config, target, shape, planOf } = await setup();
    const stored = [{ createdAt: '2026-11-01T00:00:00Z', plan: planOf({ index: 1, count: 3 }) }];
    const window = { ...jan, absolute: true };
    expect(findStoredPlan(stored, config, target, window, profileOf(config), shape, { index: 1, count: 3 }).kind).toBe('found');
    const other = findStoredPlan(stored, config, target, window, profileOf(config), shape, { index: 1, count: 2 });
    expect(other.kind).toBe('none');
    if (other.kind !== 'none') return;
    const message = noStoredPlanMessage('--resume', '/state', target, other, { index: 1, count: 2 });
    expect(message).toMatch(/^--resume: the stored plan \w{12} in \/state is shard 1\/3, this run is shard 1\/2: resume with the same --shard/);
    expect(message).not.toContain('\n');
    expect(noStoredPlanMessage('--resume', '/state', target, other, undefined)).toContain('is shard 1/3, this run is unsharded');
  });

  it('verify finds all n shard plans of one backfill, or names the missing shards', async () => {
    const { config, target, shape, planOf } = await setup();
    const kept = (index: number, count: number) => ({ createdAt: `2026-11-0${index + 1}T00:00:00Z`, plan: planOf({ index, count }) });
    const window = { ...jan, absolute: true };
    const all = [kept(0, 3), kept(1, 3), kept(2, 3)];
    const found = findShardPlans(all, config, target, window, profileOf(config), shape);
    expect(found).toMatchObject({ kind: 'found', count: 3 });
    expect(found.kind === 'found' && found.plans.map((p) => p.plan.shard!.index).sort()).toEqual([0, 1, 2]);
    expect(findShardPlans([all[0]!, all[2]!], config, target, window, profileOf(config), shape)).toEqual({ kind: 'incomplete', count: 3, missing: [1] });
    expect(findShardPlans([{ createdAt: 'x', plan: planOf() }], config, target, window, profileOf(config), shape)).toEqual({ kind: 'none' });
  });
});
