import { describe, expect, it } from 'vitest';
import { ownsVisit } from '../../../src/journey/shard.js';
import { threadConfig, threadShard, threadSlots } from '../../../src/workers/run-shard.js';
import { realSettings } from '../../helpers/realism-helpers.js';

/**
 * run --workers: thread k of W runs shard threadShard(process, k, W). For every process shard i/n
 * (and none), the W threads' shards are disjoint and together own exactly the process's visits,
 * checked on real visit ownership (pool identities and one-off visitors, journey/shard.ts).
 */
const settings = realSettings({ returningShare: 0.5, visitorPool: 9 });
const VISITS = 600;

describe('threadShard', () => {
  it.each([
    { process: undefined, threads: 2, why: 'no --shard: two threads split the whole run' },
    { process: undefined, threads: 3, why: 'no --shard, three threads' },
    { process: { index: 0, count: 2 }, threads: 2, why: 'shard 0/2 split in two' },
    { process: { index: 1, count: 2 }, threads: 3, why: 'shard 1/2 split in three' },
    { process: { index: 2, count: 3 }, threads: 4, why: 'shard 2/3 split in four' },
    { process: { index: 0, count: 1 }, threads: 1, why: 'one thread of 0/1 is the whole run' },
  ])('$why: the threads own each of the process shard visits exactly once', ({ process, threads }) => {
    let owned = 0;
    for (let index = 0; index < VISITS; index++) {
      const owners = Array.from({ length: threads }, (_, k) => k).filter((k) => ownsVisit(threadShard(process, k, threads), 5, settings, 'run', index));
      const processOwns = ownsVisit(process, 5, settings, 'run', index);
      expect(owners.length, `visit ${index}`).toBe(processOwns ? 1 : 0);
      if (processOwns) owned += 1;
    }
    // Each thread gets a real share.
    for (let k = 0; k < threads; k++) {
      const mine = Array.from({ length: VISITS }, (_, i) => i).filter((i) => ownsVisit(threadShard(process, k, threads), 5, settings, 'run', i)).length;
      expect(mine).toBeGreaterThan(owned / threads / 3);
    }
  });

  it('composes as i + n·k of n·W', () => {
    expect(threadShard({ index: 1, count: 3 }, 2, 4)).toEqual({ index: 7, count: 12 });
    expect(threadShard(undefined, 1, 2)).toEqual({ index: 1, count: 2 });
  });
});

describe('threadSlots', () => {
  it.each([
    { concurrency: 10, threads: 3, want: [4, 3, 3], why: 'the remainder goes to the first threads' },
    { concurrency: 6, threads: 2, want: [3, 3], why: 'an even split' },
    { concurrency: 2, threads: 2, want: [1, 1], why: 'one slot each' },
  ])('$why', ({ concurrency, threads, want }) => {
    const slots = Array.from({ length: threads }, (_, k) => threadSlots(concurrency, k, threads));
    expect(slots).toEqual(want);
    expect(slots.reduce((a, b) => a + b, 0)).toBe(concurrency);
  });
});

describe('threadConfig', () => {
  it.each([
    { config: { dailyCap: 10, run: { rps: 'max' as const } }, want: [4, 3, 3], why: '--rps max: each thread counts only its visits, so the cap is split' },
    { config: { dailyCap: 10, run: { rps: 50 } }, want: [10, 10, 10], why: 'paced: every thread counts every arrival, so each keeps the whole cap' },
    { config: { dailyCap: 0, run: { rps: 'max' as const } }, want: [0, 0, 0], why: 'no cap stays no cap' },
  ])('$why', ({ config, want }) => {
    expect([0, 1, 2].map((k) => threadConfig(config, k, 3).dailyCap)).toEqual(want);
  });
});
