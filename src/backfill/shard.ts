import type { Shard } from '../config/shard.js';
import type { OwnedDays } from './resume.js';
import type { TargetPlan } from './plan.js';
import type { Config } from '../config/schema.js';
import type { DiurnalProfile } from '../schedule/time-shape.js';
import { findStoredPlan, type BackfillTarget, type KeptPlan } from './setup.js';

/**
 * A backfill shard (--shard i/n): the per-day plan stays the unsharded one (every shard plans the
 * same visits of every day), and each shard sends the indices it owns (journey/shard.ts). Pure.
 */

/** The visits of each planned day that `shard` owns; `shardOf(date, index, n)` is the owner. */
export function ownedDays(plan: TargetPlan, shard: Shard, shardOf: (date: string, index: number, count: number) => number): Map<string, number[]> {
  const owned = new Map<string, number[]>();
  for (const day of plan.days) {
    const mine: number[] = [];
    for (let i = 0; i < day.visits; i++) if (shardOf(day.date, i, shard.count) === shard.index) mine.push(i);
    owned.set(day.date, mine);
  }
  return owned;
}

/** The plan as one shard sends it: each day counts the visits the shard owns (the report's "planned"). */
export function shardView(plan: TargetPlan, owned: OwnedDays): TargetPlan {
  let visits = 0;
  const days = plan.days.map((d) => {
    const mine = owned.get(d.date)?.length ?? 0;
    visits += mine;
    return { ...d, visits: mine };
  });
  return { ...plan, days, visits };
}

export type ShardLookup<S extends KeptPlan> =
  | { kind: 'found'; count: number; plans: S[] }
  | { kind: 'incomplete'; count: number; missing: number[] }
  | { kind: 'none' };

/**
 * verify over sharded state: the plans of one backfill's n shards, each kept in its own state
 * directory (`stored`: the plans of every directory looked at). Each shard's plan holds the whole
 * unsharded per-day plan, so any one of them gives what Matomo must hold for the union; all n are
 * asked for so a shard that never started is named. The newest complete set of one n wins.
 */
export function findShardPlans<S extends KeptPlan>(
  stored: readonly S[],
  config: Config,
  target: BackfillTarget,
  window: { from: string; to: string; absolute: boolean } | undefined,
  profile: DiurnalProfile,
  shape: unknown,
): ShardLookup<S> {
  const byCount = new Map<number, Map<number, S>>();
  for (const s of stored) {
    const shard = s.plan.shard;
    if (!shard || shard.count <= 1) continue;
    const lookup = findStoredPlan([s], config, target, window, profile, shape, shard);
    if (lookup.kind !== 'found') continue;
    const of = byCount.get(shard.count) ?? new Map<number, S>();
    const have = of.get(shard.index);
    if (!have || have.createdAt < s.createdAt) of.set(shard.index, s);
    byCount.set(shard.count, of);
  }
  let incomplete: { count: number; missing: number[] } | undefined;
  for (const [count, of] of [...byCount].sort((a, b) => b[0] - a[0])) {
    const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !of.has(i));
    if (missing.length === 0) return { kind: 'found', count, plans: [...of.values()] };
    incomplete ??= { count, missing };
  }
  return incomplete ? { kind: 'incomplete', ...incomplete } : { kind: 'none' };
}
