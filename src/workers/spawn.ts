import { Worker } from 'node:worker_threads';
import * as sea from 'node:sea';
import type { WorkerData } from './protocol.js';

/**
 * Starts a worker thread running this very program: the bundle's entry (cli/bin.ts) sees the
 * worker data and serves (thread.ts) instead of running the CLI. `node dist/cli.cjs` starts the
 * file it runs from; the single executable has no such file (its script is inside the binary), so
 * it carries the bundle's text as a SEA asset too (scripts/build-bin.mjs) and evaluates that. A
 * pool library loading its own worker file from node_modules could do neither.
 */
export const BUNDLE_ASSET = 'trafficinator.cjs';

const data: WorkerData = { trafficinatorWorker: 1 };

export function spawnWorker(): Worker {
  if (sea.isSea()) return new Worker(sea.getAsset(BUNDLE_ASSET, 'utf8'), { eval: true, workerData: data });
  // The bundle is CommonJS: __filename is dist/cli.cjs (or wherever the package was installed).
  return new Worker(__filename, { workerData: data });
}
