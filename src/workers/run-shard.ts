import type { Shard } from '../config/shard.js';

/**
 * run --workers: the shard worker thread `thread` of `threads` runs, composed with the process's
 * own --shard i/n (none: 0/1). A visit's owner among c shards is x mod c for its key x (its pool
 * identity, or its index: journey/shard.ts), and x mod n = (x mod nW) mod n, so the process owns
 * x exactly when x mod nW is one of i, i + n, …, i + (W − 1)n: thread k takes shard i + n·k of
 * n·W. The W threads' shards are disjoint and their union is the process's shard, visit for visit.
 */
export function threadShard(process: Shard | undefined, thread: number, threads: number): Shard {
  const n = process?.count ?? 1;
  const i = process?.index ?? 0;
  return { index: i + n * thread, count: n * threads };
}

/** The visit slots of thread `thread`: the run's concurrency split so the threads' sum is exactly it. */
export function threadSlots(concurrency: number, thread: number, threads: number): number {
  return Math.floor(concurrency / threads) + (thread < concurrency % threads ? 1 : 0);
}

/**
 * The configuration thread `thread` runs. A paced thread counts every arrival of the schedule
 * against the daily cap, its shards' and the others' (engine/dispatcher.ts), so all pause
 * together as one thread would; at --rps max a thread counts only the visits it starts, so the
 * cap is split like the slots, and the threads together start at most the cap each day.
 */
export function threadConfig<C extends { dailyCap: number; run: { rps?: number | 'max' | undefined } }>(config: C, thread: number, threads: number): C {
  if (config.run.rps !== 'max' || config.dailyCap <= 0) return config;
  return { ...config, dailyCap: threadSlots(config.dailyCap, thread, threads) };
}
