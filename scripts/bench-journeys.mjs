// `npm run bench:journeys [-- N]`: bundles the benchmark entry with esbuild (as the CLI is bundled)
// and runs it in a fresh Node process, so the figures include no test-runner overhead.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const outfile = fileURLToPath(new URL('../build/bench-journeys.cjs', import.meta.url));
await build({
  entryPoints: [fileURLToPath(new URL('./bench-journeys-entry.ts', import.meta.url))],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  loader: { '.yaml': 'text', '.txt': 'text' },
  logLevel: 'warning',
});
const result = spawnSync(process.execPath, [outfile, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
