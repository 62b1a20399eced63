import { UsageError } from '../errors.js';

/** Shard `index` of `count`, 0-based like a Kubernetes Job's completion index (journey/shard.ts). */
export interface Shard {
  index: number;
  count: number;
}

/**
 * The `shard` setting (`--shard i/n` or `auto/n`, TRAFFICINATOR_SHARD) as a Shard. `auto/n` takes
 * the index from JOB_COMPLETION_INDEX, which Kubernetes sets in every pod of an Indexed Job: the
 * environment is read only then (`env` is asked for that one name), never unasked.
 */
export function resolveShard(text: string | undefined, env: (name: string) => string | undefined): Shard | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+|auto)\/(\d+)$/.exec(text);
  if (!m) throw new UsageError(`shard: "${text}" is not i/n or auto/n (e.g. --shard 0/4, or --shard auto/4 in an Indexed Job)`);
  const count = Number(m[2]);
  if (!(count >= 1)) throw new UsageError(`shard: "${text}": n must be at least 1`);
  let index: number;
  if (m[1] === 'auto') {
    const raw = env('JOB_COMPLETION_INDEX');
    if (raw === undefined || raw === '') {
      throw new UsageError(`shard: ${text} reads the index from JOB_COMPLETION_INDEX, which is not set (give --shard i/${count} outside an Indexed Job)`);
    }
    if (!/^\d+$/.test(raw) || Number(raw) >= count) {
      throw new UsageError(`shard: JOB_COMPLETION_INDEX is "${raw}", not a whole number from 0 to ${count - 1} (for ${text})`);
    }
    index = Number(raw);
  } else {
    index = Number(m[1]);
    if (index >= count) throw new UsageError(`shard: "${text}": the index must be below n (0-based: 0/${count} to ${count - 1}/${count})`);
  }
  return { index, count };
}

/** Shards fit together only on one seed: a drawn one would differ in every process. */
export function checkShardSeed(shard: Shard | undefined, seed: string | number | undefined): void {
  if (shard && shard.count > 1 && seed === undefined) {
    throw new UsageError(`shard: the ${shard.count} shards must plan the same visits: give every shard the same --seed (or seed: in the configuration)`);
  }
}
