import type { TargetPlan } from '../backfill/plan.js';
import type { BackfillTarget } from '../backfill/setup.js';
import type { Config } from '../config/schema.js';
import type { Io } from '../io.js';
import type { Output } from '../workers/protocol.js';
import type { VisitPool } from '../workers/pool.js';
import { workloadFiles } from './workload.js';

/**
 * backfill --workers: how many threads, and the pool a command uses (workers/). One thread
 * (--workers 1, or a small plan with the default) makes no pool: the visits are made on the main
 * thread as they always were.
 */

/** With the default, a plan this small is made on the main thread: starting threads costs more. */
export const POOL_MIN_VISITS = 2000;

export async function workerCount(config: Config, visits: number): Promise<number> {
  if (config.workers !== undefined) return config.workers;
  if (visits < POOL_MIN_VISITS) return 1;
  const { machineDefaultWorkers } = await import('../workers/count.js');
  return machineDefaultWorkers();
}

export interface BackfillPool {
  readonly size: number;
  /** Loads the workers with a target's plan; the pool then makes that target's visits. */
  use(plan: TargetPlan, target: BackfillTarget, output: Output): VisitPool;
  close(): Promise<void>;
}

export async function startPool(io: Io, config: Config, count: number): Promise<BackfillPool> {
  const [{ VisitPool }, { spawnWorker }] = await Promise.all([import('../workers/pool.js'), import('../workers/spawn.js')]);
  const files = await workloadFiles(io, config);
  const pool = new VisitPool(count, spawnWorker);
  return {
    size: count,
    use(plan, target, output) {
      pool.init({ config, seed: plan.seed, files, plan, siteId: target.siteId, output });
      return pool;
    },
    close: () => pool.close(),
  };
}
