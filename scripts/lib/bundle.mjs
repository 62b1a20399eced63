// The one esbuild configuration of the CLI bundle, shared by `npm run build` (dist/cli.cjs),
// `npm run build:bin` (the script the single executable embeds) and the start-up test that reads
// the metafile. CommonJS, one file, text assets inlined: nothing is read from beside the program.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
export const entryPoint = 'src/cli/bin.ts';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));

/** The commit built (with `-dirty` for uncommitted changes), or `unknown` outside a git checkout. */
function commit() {
  try {
    const run = (args) => execFileSync('git', args, { cwd: projectRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const id = run(['rev-parse', '--short=12', 'HEAD']);
    return run(['status', '--porcelain', '--untracked-files=no']) === '' ? id : `${id}-dirty`;
  } catch {
    return 'unknown';
  }
}

/** The build date (UTC day); SOURCE_DATE_EPOCH makes it reproducible. */
function buildDate() {
  const epoch = Number(process.env.SOURCE_DATE_EPOCH);
  return new Date(Number.isFinite(epoch) && epoch > 0 ? epoch * 1000 : Date.now()).toISOString().slice(0, 10);
}

/** Chart.js's browser build, as a string the HTML report inlines (the package exports no such path). */
export const CHART_JS_FILE = fileURLToPath(new URL('../../node_modules/chart.js/dist/chart.umd.min.js', import.meta.url));
const inlineChartJs = {
  name: 'inline-chart-js',
  setup(b) {
    b.onResolve({ filter: /^inline:chart\.js$/ }, () => ({ path: CHART_JS_FILE }));
    b.onLoad({ filter: /chart\.umd\.min\.js$/ }, () => ({ contents: readFileSync(CHART_JS_FILE, 'utf8'), loader: 'text' }));
  },
};

/**
 * Bundles the CLI. `sea: true` builds the script for the single executable: no shebang (the SEA
 * loader does not expect one), no inline source map (it would be parsed and embedded for nothing)
 * and a Node 24 target (the embedded runtime). Dynamic `import()` of bundled modules stays lazy:
 * without code splitting esbuild wraps their targets in init functions that run on first import.
 */
export async function bundleCli({ outfile, sea = false, write = true, metafile = false, entry = entryPoint } = {}) {
  return build({
    absWorkingDir: projectRoot,
    entryPoints: [entry],
    outfile,
    write,
    metafile,
    bundle: true,
    platform: 'node',
    target: sea ? 'node24' : 'node20',
    format: 'cjs',
    // A linked map beside dist/cli.cjs: an inline one tripled the file that every start parses.
    sourcemap: sea ? false : 'linked',
    loader: { '.yaml': 'text', '.txt': 'text' },
    plugins: [inlineChartJs],
    define: {
      __TRAFFICINATOR_VERSION__: JSON.stringify(pkg.version),
      __TRAFFICINATOR_COMMIT__: JSON.stringify(commit()),
      __TRAFFICINATOR_BUILD_DATE__: JSON.stringify(buildDate()),
    },
    banner: sea ? {} : { js: '#!/usr/bin/env node' },
    logLevel: 'warning',
  });
}
