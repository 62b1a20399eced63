import type { Config, ConfigIssue } from '../config/schema.js';
import { checkedWorkload, type Workload, type WorkloadFiles } from '../workload/workload.js';
import { configError } from './config-options.js';
import type { Io } from '../io.js';

/**
 * Reads the workload's files (URL catalogue, funnels) and hands their texts to checkedWorkload
 * (workload/workload.ts). Returns the workload, or every problem as configuration issues.
 */
export async function tryLoadWorkload(
  io: Io,
  config: Config,
  seed: string | number,
): Promise<{ workload?: Workload; issues: ConfigIssue[] }> {
  const files: WorkloadFiles = {};
  const issues: ConfigIssue[] = [];
  for (const [key, slot] of [
    ['urlsFile', 'urlsText'],
    ['funnelsFile', 'funnelsText'],
  ] as const) {
    const file = config[key];
    if (file === undefined) continue;
    try {
      files[slot] = await io.readFile(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      issues.push({ path: key, message: `cannot read ${file} (${code})`, hint: 'check the path' });
    }
  }
  if (issues.length > 0) return { issues };
  return checkedWorkload(config, seed, files);
}

/** The workload of a command that sends (or dry-runs): any problem is a UsageError (exit 2). */
export async function loadWorkload(io: Io, config: Config, seed: string | number): Promise<Workload> {
  const { workload, issues } = await tryLoadWorkload(io, config, seed);
  if (!workload) throw configError(issues);
  return workload;
}

/**
 * The files' texts a loaded workload was made from, read again for worker threads (--workers):
 * each thread makes its own workload from them. Called after loadWorkload, so they are readable.
 */
export async function workloadFiles(io: Io, config: Config): Promise<WorkloadFiles> {
  const files: WorkloadFiles = {};
  if (config.urlsFile !== undefined) files.urlsText = await io.readFile(config.urlsFile);
  if (config.funnelsFile !== undefined) files.funnelsText = await io.readFile(config.funnelsFile);
  return files;
}
