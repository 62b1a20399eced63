#!/usr/bin/env node
// npm run test:matomo: the integration suite against a real Matomo (opt-in, never in CI). It needs
// MATOMO_HARNESS_DIR (../shared/matomo-harness's instance directory), or MATOMO_TEST_URL and
// MATOMO_TEST_TOKEN; without them it says so in one line and runs nothing.
import { spawnSync } from 'node:child_process';

const env = process.env;
if (!env.MATOMO_HARNESS_DIR && !(env.MATOMO_TEST_URL && env.MATOMO_TEST_TOKEN)) {
  console.log('test:matomo: no real Matomo given (set MATOMO_HARNESS_DIR, or MATOMO_TEST_URL and MATOMO_TEST_TOKEN): nothing run');
  process.exit(0);
}
const run = spawnSync('npx', ['vitest', 'run', '--project', 'matomo', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
