import type { Config, ConfigIssue } from '../config/schema.js';
import { TrafficError } from '../errors.js';
import { FunnelFileError } from '../journey/funnel.js';
import { createWorkload, workloadProblems, type Workload, type WorkloadFiles } from '../workload/workload.js';
import { configError } from './config-options.js';
import type { Io } from '../io.js';

/**
 * Reads the workload's files (URL catalogue, funnels), parses them and checks the journey rules.
 * Returns the workload, or every problem as configuration issues (validate lists them all).
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
  let workload: Workload;
  try {
    workload = createWorkload(config, seed, files);
  } catch (error) {
    if (error instanceof FunnelFileError) {
      return { issues: error.problems.map((message) => ({ path: 'funnelsFile', message })) };
    }
    if (error instanceof TrafficError) return { issues: [{ path: 'urlsFile', message: error.message }] };
    throw error;
  }
  issues.push(...workloadProblems(config, workload.catalogues));
  return issues.length > 0 ? { issues } : { workload, issues };
}

/** The workload of a command that sends (or dry-runs): any problem is a UsageError (exit 2). */
export async function loadWorkload(io: Io, config: Config, seed: string | number): Promise<Workload> {
  const { workload, issues } = await tryLoadWorkload(io, config, seed);
  if (!workload) throw configError(issues);
  return workload;
}
