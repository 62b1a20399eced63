// The one esbuild configuration of the CLI bundle, shared by `npm run build` (dist/cli.cjs),
// `npm run build:bin` (the script the single executable embeds) and the start-up test that reads
// the metafile. CommonJS, one file, text assets inlined: nothing is read from beside the program.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname } from 'node:path';
import { Script } from 'node:vm';
import { brotliCompressSync, constants as zlibConstants } from 'node:zlib';
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
 * Packages that no command needs before it starts, carried in the bundle as source text and
 * compiled on their first require. V8 pre-parses every function of a script it loads, so 7 MiB of
 * vendored code cost ~100 ms of every start (`--version` included, `node --cpu-prof`: wrapSafe)
 * even though esbuild already defers running them; a string literal is only scanned. Each entry
 * is bundled once, on its own (it has no dependency in common with another entry), and every
 * import of it in the CLI resolves to the one lazy module.
 */
export const DEFERRED_PACKAGES = ['node-device-detector', 'undici', 'zod', 'luxon', 'yaml', 'prom-client', 'hdr-histogram-js'];

const DEFERRED_PREFIX = '(function (exports, require, module, __filename, __dirname) {';
const DEFERRED_SUFFIX = '\n})';

/** The script a deferred package is compiled as (a CommonJS wrapper): also what its code cache is made of. */
export function wrapDeferred(source) {
  return DEFERRED_PREFIX + source + DEFERRED_SUFFIX;
}

/**
 * The members of zod's `z` that the program uses (test/unit/cli/main.startup.test.ts checks that
 * src/ uses no other). The deferred zod exports a `z` of these alone, so esbuild leaves out what no
 * program path reaches (the other locales, JSON Schema import, the ISO and coercing schemas…):
 * 0.6 MB → 0.15 MB of script, which the binary deserialises and evaluates in `validate`.
 */
export const ZOD_EXPORTS = [
  'array', 'boolean', 'enum', 'globalRegistry', 'literal', 'NEVER', 'number', 'object', 'preprocess', 'record',
  'strictObject', 'string', 'toJSONSchema', 'union',
];

/**
 * The deferred bundle's entry. zod is taken through its ES module build, as the CLI imported it
 * before: `require` would pick its CommonJS build, where every locale is a module evaluated on load
 * (~100 ms for `validate`); the others resolve to the same files either way.
 */
function entryOf(name) {
  if (name !== 'zod') return `module.exports = require(${JSON.stringify(name)});`;
  // jitless: a command parses its configuration once, and zod's JIT (generating and compiling a
  // parser per object schema with `new Function` on its first parse) cost more than it saved:
  // ~12 ms of `validate`. Parsing gives the same results either way.
  const imports = ZOD_EXPORTS.map((member) => `${member} as _${member}`).join(', ');
  const members = ZOD_EXPORTS.map((member) => `${member}: _${member}`).join(', ');
  return `import { config, ${imports} } from "zod"; config({ jitless: true }); export const z = { ${members} };`;
}

/**
 * `onDeferred(name, script)` is called with each deferred package's script (for its code cache).
 * `assets`: the script is not carried in the bundle at all but read from the single executable's
 * asset `<name>:script` (scripts/build-bin.mjs adds one per package): no brotli to decompress and
 * no megabyte of base64 for V8 to scan at every start.
 */
const deferPackages = (onDeferred, assets) => ({
  name: 'defer-packages',
  setup(b) {
    const filter = new RegExp(`^(${DEFERRED_PACKAGES.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$`);
    b.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'deferred' }));
    b.onLoad({ filter: /.*/, namespace: 'deferred' }, async (args) => {
      const result = await build({
        absWorkingDir: projectRoot,
        stdin: { contents: entryOf(args.path), resolveDir: projectRoot, loader: 'js' },
        bundle: true,
        write: false,
        platform: 'node',
        target: b.initialOptions.target,
        format: 'cjs',
        // Whitespace only: names stay (error messages and `constructor.name` read them).
        minifyWhitespace: true,
        logLevel: 'warning',
      });
      const code = result.outputFiles[0].text;
      const name = `deferred:${args.path}`;
      onDeferred?.(name, wrapDeferred(code));
      const load = assets ? fromAsset(name) : fromComment(name, code);
      return { contents: withExports(load, exportShape(name, code)), loader: 'js', resolveDir: projectRoot };
    });
  },
});

/**
 * The source rides in a comment of a function that is never called: V8 skips a comment without
 * building a string, and Function.prototype.toString gives the text back. It is brotli-compressed
 * and base64-encoded (a fifth of the bytes to read at every start, and no comment end or line break
 * to escape); the comment is a legal one (`/*!`), which esbuild keeps.
 */
function fromComment(name, code) {
  const packed = brotliCompressSync(Buffer.from(code, 'utf8'), {
    params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 9, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: code.length },
  }).toString('base64');
  return [
    `function text() {/*!${packed}*/}`,
    `const raw = text.toString();`,
    `const packed = raw.slice(raw.indexOf('/*!') + 3, raw.lastIndexOf('*/'));`,
    `const source = require('node:zlib').brotliDecompressSync(Buffer.from(packed, 'base64')).toString('utf8');`,
    // In the single executable, the V8 code cache that scripts/build-bin.mjs made of this
    // package with the same runtime: no parsing, and its load-time functions already compiled.
    `let cachedData;`,
    `try {`,
    `  const sea = require('node:sea');`,
    `  if (sea.isSea()) cachedData = new Uint8Array(sea.getRawAsset(${JSON.stringify(name)}));`,
    `} catch {}`,
    `const script = new (require('node:vm').Script)(${JSON.stringify(DEFERRED_PREFIX)} + source + ${JSON.stringify(DEFERRED_SUFFIX)}, { filename: ${JSON.stringify(name)}, cachedData });`,
    ...runScript,
  ];
}

/** The single executable's form: the wrapped script and its code cache (when built) are assets. */
function fromAsset(name) {
  return [
    `const sea = require('node:sea');`,
    `let cachedData;`,
    `try {`,
    `  cachedData = new Uint8Array(sea.getRawAsset(${JSON.stringify(name)}));`,
    `} catch {}`,
    `const script = new (require('node:vm').Script)(sea.getAsset(${JSON.stringify(`${name}:script`)}, 'utf8'), { filename: ${JSON.stringify(name)}, cachedData });`,
    ...runScript,
  ];
}

// The file name names the package in stack traces; `require` is the bundle's own (built-in
// modules only, as in the single executable).
const runScript = [
  `const wrapper = { exports: {} };`,
  `script.runInThisContext().call(wrapper.exports, wrapper.exports, require, wrapper, __filename, __dirname);`,
  `return wrapper.exports;`,
];

/**
 * What a deferred package exports, found by loading it once at build time: its export names
 * when `module.exports` is a plain object (a function or class is left eager), and whether it
 * is an ES module's (`__esModule`, which esbuild's import helper reads at once).
 */
function exportShape(name, code) {
  const wrapper = { exports: {} };
  const script = new Script(wrapDeferred(code), { filename: name });
  script.runInThisContext().call(wrapper.exports, wrapper.exports, createRequire(`${projectRoot}/`), wrapper, name, projectRoot);
  const { exports } = wrapper;
  if (exports === null || typeof exports !== 'object') return undefined;
  return { names: Object.getOwnPropertyNames(exports).filter((key) => key !== '__esModule'), esModule: exports.__esModule === true };
}

/**
 * The deferred module: `load` (the statements that compile and run the package, returning its
 * exports) becomes a function run on the first use of an export, not on the first require. An
 * import compiles to a require at the importing module's start, so a command that imports
 * yaml or luxon and never parses a YAML text or a time zone (validate with a built-in preset)
 * no longer pays for loading them (~10 ms of the binary's `validate`). The getters stand for the
 * exports (esbuild's import helper copies them as getters, read at each use); a package whose
 * exports are not a plain object is loaded on require, as before.
 */
function withExports(load, shape) {
  const body = [`let loaded;`, `function load() {`, ...load.map((line) => `  ${line}`), `}`];
  if (!shape) return [...body, `module.exports = load();`].join('\n');
  return [
    ...body,
    `const get = () => (loaded ??= load());`,
    ...(shape.esModule ? [`Object.defineProperty(module.exports, '__esModule', { value: true });`] : []),
    `for (const name of ${JSON.stringify(shape.names)}) {`,
    `  Object.defineProperty(module.exports, name, { enumerable: true, get: () => get()[name] });`,
    `}`,
  ].join('\n');
}

/**
 * seedrandom requires Node's crypto when it loads, for autoseeding, which trafficinator never
 * asks of it (every stream is seeded). Loading crypto costs every command a few milliseconds of
 * start-up: hand seedrandom a module that loads crypto on first use instead.
 */
const lazyCrypto = {
  name: 'lazy-crypto',
  setup(b) {
    b.onResolve({ filter: /^crypto$/ }, (args) =>
      /[/\\]node_modules[/\\]seedrandom[/\\]/.test(args.importer) ? { path: 'crypto', namespace: 'lazy-crypto' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-crypto' }, () => ({
      contents: `module.exports = { get randomBytes() { return require('node:crypto').randomBytes; } };`,
      loader: 'js',
    }));
  },
};

/**
 * commander requires child_process when it loads, for executable subcommands (`spawn`), which
 * trafficinator has none of; loading it (and net, dgram and the rest it pulls in) cost every
 * command ~2 ms of start-up. Hand commander a module that loads it on first use instead.
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[/\\]node_modules[/\\]commander[/\\]/.test(args.importer) ? { path: 'child_process', namespace: 'lazy-child-process' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-child-process' }, () => ({
      contents: `module.exports = { get spawn() { return require('node:child_process').spawn; } };`,
      loader: 'js',
    }));
  },
};

/**
 * Bundles the CLI. `sea: true` builds the script for the single executable: no shebang (the SEA
 * loader does not expect one), no inline source map (it would be parsed and embedded for nothing)
 * and a Node 24 target (the embedded runtime). Dynamic `import()` of bundled modules stays lazy:
 * without code splitting esbuild wraps their targets in init functions that run on first import.
 * `launcher: true` (dist/cli.cjs) writes the bundle behind a launcher (see `withLauncher`).
 */
export async function bundleCli({
  outfile,
  sea = false,
  write = true,
  metafile = false,
  entry = entryPoint,
  onDeferred,
  deferredAssets = false,
  launcher = false,
} = {}) {
  const options = {
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
    plugins: [inlineChartJs, lazyCrypto, lazyChildProcess, deferPackages(onDeferred, deferredAssets)],
    // Where they stand: a deferred package's source is a legal comment (`/*!`) of its module.
    legalComments: 'inline',
    define: {
      __TRAFFICINATOR_VERSION__: JSON.stringify(pkg.version),
      __TRAFFICINATOR_COMMIT__: JSON.stringify(commit()),
      __TRAFFICINATOR_BUILD_DATE__: JSON.stringify(buildDate()),
    },
    banner: sea || launcher ? {} : { js: '#!/usr/bin/env node' },
    logLevel: 'warning',
  };
  if (!launcher) return build(options);
  if (sea || !outfile) throw new Error('launcher: a Node build with an outfile');
  const result = await build({ ...options, write: false });
  const js = result.outputFiles.find((file) => file.path.endsWith('.cjs'));
  const map = result.outputFiles.find((file) => file.path.endsWith('.map'));
  const out = withLauncher(js.text, map.text, options.define, outfile);
  if (write) {
    // esbuild made the folder when it wrote; here nothing has yet (a clean clone has no dist/).
    mkdirSync(dirname(js.path), { recursive: true });
    writeFileSync(js.path, out.js);
    writeFileSync(map.path, out.map);
  }
  return result;
}

/** The escape of a comment end inside the carried bundle (checked absent from it before). */
const ESCAPED_COMMENT_END = '*\u0001/';
const BODY_PREFIX = '(function (exports, require, module, __filename, __dirname) {\n';
const BODY_SUFFIX = '\n})';

/**
 * dist/cli.cjs: a launcher of two lines, then the bundle as the text of a comment. Node compiles
 * a script it loads whole, and pre-parsing the bundle's ~1 MB of code was most of `--version`'s
 * start-up (`--cpu-prof`: wrapSafe), against `node -e 0` + 45 ms asked. The launcher answers
 * `--version` alone from the constants (the line commander prints; the e2e suite compares the
 * two), and otherwise compiles the bundle, given back by Function.prototype.toString, as Node's
 * CommonJS wrapper would, with this file's name and line numbers (the source map is shifted to
 * match). In the bundle every `*` + `/` is escaped (the deferred packages' comments hold some).
 */
function withLauncher(code, mapText, define, outfile) {
  if (code.includes(ESCAPED_COMMENT_END)) throw new Error('launcher: the bundle holds the escape sequence');
  const mapComment = code.lastIndexOf('\n//# sourceMappingURL=');
  const body = (mapComment < 0 ? code : code.slice(0, mapComment)).replaceAll('*/', ESCAPED_COMMENT_END);
  const version = `trafficinator ${JSON.parse(define.__TRAFFICINATOR_VERSION__)} (commit ${JSON.parse(define.__TRAFFICINATOR_COMMIT__)}, built ${JSON.parse(define.__TRAFFICINATOR_BUILD_DATE__)}, node `;
  const launch = [
    '"use strict";',
    'const args = process.argv.slice(2);',
    `if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) process.stdout.write(${JSON.stringify(version)} + process.versions.node + ")\\n");`,
    'else {',
    '  const raw = body.toString();',
    `  const source = raw.slice(raw.indexOf("/*\\n") + 3, raw.lastIndexOf("\\n*/")).replaceAll(${JSON.stringify(ESCAPED_COMMENT_END)}, "*/");`,
    // The bundle's first line is line 3 of this file: the wrapper's line, then an offset of 1.
    `  const script = new (require("node:vm").Script)(${JSON.stringify(BODY_PREFIX)} + source + ${JSON.stringify(BODY_SUFFIX)}, { filename: __filename, lineOffset: 1 });`,
    '  script.runInThisContext().call(exports, exports, require, module, __filename, __dirname);',
    '}',
    'function body() {/*',
  ].join(' ');
  const js = `#!/usr/bin/env node\n${launch}\n${body}\n*/}\n//# sourceMappingURL=${basename(outfile)}.map\n`;
  const sourceMap = JSON.parse(mapText);
  // Two lines (shebang, launcher) before the bundle's first: each `;` starts a generated line.
  sourceMap.mappings = `;;${sourceMap.mappings}`;
  return { js, map: JSON.stringify(sourceMap) };
}
