import type { Shard } from '../config/shard.js';
import type { OwnedDays } from './resume.js';
import type { TargetPlan } from './plan.js';

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
