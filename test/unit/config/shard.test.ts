import { describe, expect, it } from 'vitest';
import { checkShardSeed, resolveShard } from '../../../src/config/shard.js';
import { UsageError } from '../../../src/errors.js';

describe('resolveShard', () => {
  it('reads i/n, and auto/n from JOB_COMPLETION_INDEX only when asked', () => {
    const asked: string[] = [];
    const env = (name: string): string | undefined => (asked.push(name), { JOB_COMPLETION_INDEX: '2' } as Record<string, string>)[name];
    expect(resolveShard(undefined, env)).toBeUndefined();
    expect(resolveShard('1/4', env)).toEqual({ index: 1, count: 4 });
    expect(asked).toEqual([]);
    expect(resolveShard('auto/3', env)).toEqual({ index: 2, count: 3 });
    expect(asked).toEqual(['JOB_COMPLETION_INDEX']);
  });

  it('refuses a bad shard with a UsageError naming the fix', () => {
    const none = (): undefined => undefined;
    expect(() => resolveShard('auto/3', none)).toThrow(/JOB_COMPLETION_INDEX, which is not set/);
    expect(() => resolveShard('auto/3', () => '3')).toThrow(/"3", not a whole number from 0 to 2/);
    expect(() => resolveShard('auto/3', () => '-1')).toThrow(UsageError);
    expect(() => resolveShard('4/4', none)).toThrow(/below n/);
    expect(() => resolveShard('0/0', none)).toThrow(/at least 1/);
    expect(() => resolveShard('a/b', none)).toThrow(/not i\/n or auto\/n/);
  });

  it('asks shards for a fixed seed (a drawn one differs in every process)', () => {
    expect(() => checkShardSeed({ index: 0, count: 2 }, undefined)).toThrow(/give every shard the same --seed/);
    expect(() => checkShardSeed({ index: 0, count: 2 }, 7)).not.toThrow();
    expect(() => checkShardSeed({ index: 0, count: 1 }, undefined)).not.toThrow();
    expect(() => checkShardSeed(undefined, undefined)).not.toThrow();
  });
});
