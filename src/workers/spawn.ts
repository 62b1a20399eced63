import { Worker } from 'node:worker_threads';
import * as sea from 'node:sea';
import type { WorkerData } from './protocol.js';

/**
 * Starts a worker thread running this very program: the bundle's entry (cli/bin.ts) sees the
 * worker data and serves (thread.ts) instead of running the CLI. `node dist/cli.cjs` starts the
 * file it runs from; the single executable has no such file: its program is the asset
 * `program:script` (scripts/build-bin.mjs), a CommonJS wrapper function, which the thread compiles
 * and calls as the binary's main script does. A pool library loading its own worker file from
 * node_modules could do neither.
 */
export const PROGRAM_ASSET = 'program:script';


/** The worker's main script inside the single executable: the program's wrapper, compiled and called. */
const SEA_THREAD = [
  "const { getAsset } = require('node:sea');",
  "const program = new (require('node:vm').Script)(getAsset(" + JSON.stringify(PROGRAM_ASSET) + ", 'utf8'), { filename: 'trafficinator' });",
  'program.runInThisContext().call(module.exports, module.exports, require, module, __filename, __dirname);',
].join('\n');

export function spawnWorker(role?: WorkerData['role']): Worker {
  const data: WorkerData = { trafficinatorWorker: 1, ...(role ? { role } : {}) };
  if (sea.isSea()) return new Worker(SEA_THREAD, { eval: true, workerData: data });
  // The bundle is CommonJS: __filename is dist/cli.cjs (or wherever the package was installed).
  return new Worker(__filename, { workerData: data });
}
