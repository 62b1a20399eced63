// Bundles the CLI into one CommonJS file (dist/cli.cjs): the JS entry that `bin` and the end-to-end
// tests run, and the script that the single executable embeds. Text assets are inlined.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

await build({
  entryPoints: ['src/cli/bin.ts'],
  outfile: 'dist/cli.cjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  loader: { '.yaml': 'text', '.txt': 'text' },
  define: { __TRAFFICINATOR_VERSION__: JSON.stringify(pkg.version) },
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
});
