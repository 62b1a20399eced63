import { visitChainEnd } from './journey.js';
import type { Shard } from '../config/shard.js';
import type { JourneySettings } from './settings.js';

/**
 * Deterministic shards (k6's execution segments, by visitor): shard `index` of `count` (0-based,
 * like a Kubernetes Job's completion index) sends exactly the visits it owns, and the n shards
 * together send every visit once. A visit belongs to its visitor: a visit whose chain of returns
 * ends at pool identity p goes to shard p mod n; any other goes by its index, index mod n (in a
 * backfill a return follows the same index back, so a visitor's visits stay in one shard and in
 * time order). Decided from the persona and returning draws only, never by building the visit.
 */
export type { Shard };

/** The shard that sends visit (scope, index): 'run' or a backfill day `YYYY-MM-DD`. */
export function shardOfVisit(seed: string | number, settings: JourneySettings, scope: string, index: number, count: number): number {
  if (count <= 1) return 0;
  const end = visitChainEnd(seed, settings, scope, index);
  return ('pool' in end ? end.pool : end.index) % count;
}

/** Whether `shard` sends visit (scope, index); every visit when there is no shard. */
export function ownsVisit(shard: Shard | undefined, seed: string | number, settings: JourneySettings, scope: string, index: number): boolean {
  return shard === undefined || shard.count <= 1 || shardOfVisit(seed, settings, scope, index, shard.count) === shard.index;
}

/** `i/n` as the report and messages write it. */
export function shardLabel(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}
