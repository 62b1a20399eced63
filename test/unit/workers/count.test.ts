import { describe, expect, it } from 'vitest';
import { cpuMaxLimit, defaultWorkers, MAX_DEFAULT_WORKERS } from '../../../src/workers/count.js';

describe('the default number of worker threads', () => {
  it.each([
    { why: 'no cgroup file: the cores', cores: 4, cpuMax: undefined, want: 4 },
    { why: 'no CPU limit in the cgroup', cores: 4, cpuMax: 'max 100000\n', want: 4 },
    { why: 'a 2-CPU container limit on a 16-core host', cores: 16, cpuMax: '200000 100000\n', want: 2 },
    { why: 'half a CPU still gets one thread', cores: 8, cpuMax: '50000 100000', want: 1 },
    { why: '1.5 CPUs round up', cores: 8, cpuMax: '150000 100000', want: 2 },
    { why: 'a limit above the cores does not add threads', cores: 2, cpuMax: '800000 100000', want: 2 },
    { why: 'capped on a large machine', cores: 64, cpuMax: undefined, want: MAX_DEFAULT_WORKERS },
    { why: 'an unreadable file is no limit', cores: 3, cpuMax: 'garbage', want: 3 },
  ])('$why', ({ cores, cpuMax, want }) => {
    expect(defaultWorkers(cores, cpuMax)).toBe(want);
  });

  it('reads cpu.max as quota and period', () => {
    expect(cpuMaxLimit('300000 100000')).toBe(3);
    expect(cpuMaxLimit('max 100000')).toBeUndefined();
    expect(cpuMaxLimit('')).toBeUndefined();
  });
});
