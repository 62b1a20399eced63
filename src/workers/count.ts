import { availableParallelism } from 'node:os';
import { readFileSync } from 'node:fs';

/**
 * The default number of worker threads: the cores this process may use. os.availableParallelism()
 * counts the CPUs the process is allowed to run on (its affinity), not a container's CPU quota,
 * so a cgroup v2 limit (`cpu.max`: "200000 100000" is two CPUs) lowers it, rounded up. Capped:
 * past a few threads the main thread, which sends and journals, is the limit.
 */
export const MAX_DEFAULT_WORKERS = 8;

/** CPUs a cgroup v2 `cpu.max` text allows ("max 100000": no limit → undefined). */
export function cpuMaxLimit(text: string): number | undefined {
  const [quota, period] = text.trim().split(/\s+/);
  if (quota === undefined || quota === 'max') return undefined;
  const q = Number(quota);
  const p = Number(period ?? 100000);
  if (!(q > 0) || !(p > 0)) return undefined;
  return Math.max(1, Math.ceil(q / p));
}

export function defaultWorkers(cores: number, cgroupCpuMax: string | undefined): number {
  const limit = cgroupCpuMax === undefined ? undefined : cpuMaxLimit(cgroupCpuMax);
  return Math.max(1, Math.min(MAX_DEFAULT_WORKERS, cores, limit ?? cores));
}

/** This machine's default (reads /sys/fs/cgroup/cpu.max when there is one). */
export function machineDefaultWorkers(): number {
  let cpuMax: string | undefined;
  try {
    cpuMax = readFileSync('/sys/fs/cgroup/cpu.max', 'utf8');
  } catch {
    cpuMax = undefined;
  }
  return defaultWorkers(availableParallelism(), cpuMax);
}
