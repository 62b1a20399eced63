// Builds the single executable (Node SEA): the CLI bundle, turned into a SEA blob by the pinned
// Node 24 runtime, injected with postject into a copy of that runtime.
//
//   node scripts/build-bin.mjs                        dist/trafficinator for this machine
//   node scripts/build-bin.mjs --platform linux-arm64 dist/trafficinator-linux-arm64
//   node scripts/build-bin.mjs --platform darwin-arm64 --runtime ~/node-v24.21.0-darwin-arm64/bin/node
//   node scripts/build-bin.mjs --runtime path/to/node   this machine, a Node 24.21.0 binary given
//
// The runtimes come from the npm registry (node-<os>-<arch> at an exact version), installed under
// build/ rather than as devDependencies: those packages declare a `node` bin that would shadow the
// machine's Node in every npm script. npm's cache makes later builds work offline.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';
import { bundleCli, projectRoot, wrapDeferred } from './lib/bundle.mjs';

/** The embedded runtime: Node 24 LTS, pinned. Bump deliberately (the blob's code cache is tied to it). */
export const NODE_VERSION = '24.21.0';
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/** Commands run (output discarded) before the program's code cache is saved: what users start most. */
const WARM_RUNS = [
  ['--version'],
  ['--help'],
  ['validate', '--skip-connection', '--preset', 'smoke', '--url', 'http://127.0.0.1:9/matomo.php'],
  ['validate', '--skip-connection', '--url', 'http://127.0.0.1:9/matomo.php', '--no-randomize-countries'],
  ['run', '--dry-run', '--max-visits', '30', '--seed', '1', '--url', 'http://127.0.0.1:9/matomo.php', '--no-randomize-countries'],
];

const { values } = parseArgs({
  options: {
    platform: { type: 'string' },
    runtime: { type: 'string' },
    output: { type: 'string' },
  },
});

const host = `${npmOs(process.platform)}-${process.arch}`;
const target = values.platform ?? host;
const cross = target !== host;
const exe = target.startsWith('win-') ? '.exe' : '';
const output = resolve(projectRoot, values.output ?? `dist/trafficinator${cross ? `-${target}` : ''}${exe}`);
const work = join(projectRoot, 'build/sea');
mkdirSync(work, { recursive: true });
mkdirSync(resolve(output, '..'), { recursive: true });

// 1. The blob is made by a copy of the pinned runtime that runs here: the same V8 as the target's.
// --runtime gives the target's binary when npm has none (macOS: the official tarball).
const runtime = values.runtime ? resolve(values.runtime) : installRuntime(target);
const generator = cross ? installRuntime(host) : runtime;
checkVersion(generator);

// 2. Bundle, then let the pinned runtime turn the bundle into a SEA blob. The program itself is an
// asset like the deferred packages (its script and a code cache made after running commands, see
// warmProgramCaches); the SEA's main script only compiles it with that cache.
const deferred = new Map();
const { outputFiles } = await bundleCli({
  outfile: join(work, 'program.cjs'),
  write: false,
  sea: true,
  deferredAssets: true,
  onDeferred: (name, script) => deferred.set(name, script),
});
writeFileSync(join(work, 'main.cjs'), seaMain());
const config = JSON.parse(readFileSync(join(projectRoot, 'sea-config.json'), 'utf8'));
// A V8 code cache only loads on the same platform as the runtime that made it.
if (cross) config.useCodeCache = false;
// The packages deferred until first required (scripts/lib/bundle.mjs) are assets of the binary:
// each one's script, and a code cache of it made by the same runtime after loading the package,
// so their load-time functions are in it.
config.assets = { ...config.assets, ...deferredAssets(deferred, config.useCodeCache) };
config.assets = { ...config.assets, ...programAssets(wrapDeferred(outputFiles[0].text), config.assets, config.useCodeCache) };
const configFile = join(work, `sea-config-${target}.json`);
writeFileSync(configFile, JSON.stringify(config, null, 2));
execFileSync(generator, ['--experimental-sea-config', configFile], { cwd: projectRoot, stdio: ['ignore', 'ignore', 'inherit'] });

// 3. Copy the runtime and inject the blob. Never strip the result: stripping breaks the SEA.
rmSync(output, { force: true });
copyFileSync(runtime, output);
chmodSync(output, 0o755);
const isMac = target.startsWith('darwin-');
if (isMac && process.platform === 'darwin') execFileSync('codesign', ['--remove-signature', output]);
postject([
  output, 'NODE_SEA_BLOB', resolve(projectRoot, config.output), '--sentinel-fuse', SEA_FUSE,
  ...(isMac ? ['--macho-segment-name', 'NODE_SEA'] : []),
]);
if (isMac && process.platform === 'darwin') execFileSync('codesign', ['--sign', '-', output]);

const mb = (statSync(output).size / 1024 / 1024).toFixed(1);
let line = `built ${relative(output)} (${target}, node ${NODE_VERSION}, ${mb} MiB)`;
if (!cross) line += `: ${execFileSync(output, ['--version'], { encoding: 'utf8' }).trim()}`;
else if (isMac && process.platform !== 'darwin') line += '; sign it on macOS: codesign --sign - <file>';
console.log(line);

/**
 * Writes each deferred package's script (asset `<name>:script`) and, with `codeCache`, has the
 * pinned runtime compile it, run it (its load only: the packages start nothing) and save the V8
 * code cache (asset `<name>`); programAssets replaces those of the packages its runs load.
 * Returns the SEA assets.
 */
function deferredAssets(scripts, codeCache) {
  const dir = join(work, 'deferred');
  mkdirSync(dir, { recursive: true });
  const assets = {};
  const caches = {};
  for (const [name, script] of scripts) {
    const file = join(dir, name.replace(/[^a-z0-9-]/gi, '_'));
    writeFileSync(`${file}.js`, script);
    assets[`${name}:script`] = `${file}.js`;
    caches[name] = `${file}.cache`;
  }
  if (!codeCache) return assets;
  const maker = [
    "const { readFileSync, writeFileSync } = require('node:fs');",
    "const vm = require('node:vm');",
    'for (const [name, cache] of Object.entries(JSON.parse(process.argv[1]))) {',
    "  const script = new vm.Script(readFileSync(cache.replace(/\\.cache$/, '.js'), 'utf8'), { filename: name });",
    '  const wrapper = { exports: {} };',
    '  script.runInThisContext().call(wrapper.exports, wrapper.exports, require, wrapper, __filename, __dirname);',
    '  writeFileSync(cache, script.createCachedData());',
    '}',
  ].join('\n');
  execFileSync(generator, ['-e', maker, JSON.stringify(caches)], { cwd: projectRoot, stdio: ['ignore', 'ignore', 'inherit'] });
  return { ...assets, ...caches };
}


/**
 * The single executable's main script: compiles the program (asset `program:script`) with its
 * code cache (asset `program`) and runs it as Node's CommonJS wrapper would. Node's own SEA code
 * cache is made without running anything, so it holds only the functions V8 compiles eagerly;
 * every command compiled the rest (the configuration schema, the rules, commander's parser) at
 * every start.
 */
function seaMain() {
  return [
    "const sea = require('node:sea');",
    'let cachedData;',
    'try {',
    "  cachedData = new Uint8Array(sea.getRawAsset('program'));",
    '} catch {}',
    "const script = new (require('node:vm').Script)(sea.getAsset('program:script', 'utf8'), { filename: 'trafficinator', cachedData });",
    'script.runInThisContext().call(module.exports, module.exports, require, module, __filename, __dirname);',
    '',
  ].join('\n');
}

/**
 * The program's assets: its script and, with `codeCache`, a V8 code cache made by the pinned
 * runtime after running WARM_RUNS with the binary's assets (`node:sea` and `node:vm` are stood in
 * for, so the program and each deferred package it loads compile from the same text as in the
 * binary, and their Script objects are kept). The caches of the deferred packages those runs
 * loaded replace their load-only ones.
 */
function programAssets(script, assets, codeCache) {
  const file = join(work, 'program.js');
  writeFileSync(file, script);
  const own = { 'program:script': file };
  if (!codeCache) return own;
  const all = { ...assets, ...own, program: join(work, 'program.cache') };
  const maker = [
    "const { readFileSync, writeFileSync } = require('node:fs');",
    "const vm = require('node:vm');",
    'const [assets, runs] = JSON.parse(process.argv[1]);',
    'const scripts = new Map();',
    'class Kept extends vm.Script {',
    '  constructor(source, options) {',
    '    super(source, { ...options, cachedData: undefined });',
    '    scripts.set(options.filename, this);',
    '  }',
    '}',
    'const sea = {',
    '  isSea: () => true,',
    "  getAsset: (name, encoding) => readFileSync(assets[name]).toString(encoding ?? 'latin1'),",
    "  getRawAsset: (name) => { throw new Error(`no code cache yet: ${name}`); },",
    '};',
    "const stand = (id) => (id === 'node:sea' ? sea : id === 'node:vm' ? { ...vm, Script: Kept } : require(id));",
    "const program = new Kept(readFileSync(assets['program:script'], 'utf8'), { filename: 'trafficinator' });",
    'const exit = process.exit;',
    'const writes = [process.stdout.write, process.stderr.write];',
    'const quiet = (chunk, encoding, done) => { const cb = typeof encoding === "function" ? encoding : done; if (cb) queueMicrotask(cb); return true; };',
    '(async () => {',
    '  for (const args of runs) {',
    '    const code = await new Promise((resolve) => {',
    "      process.argv = [process.execPath, 'trafficinator', ...args];",
    '      process.exit = resolve;',
    '      process.stdout.write = process.stderr.write = quiet;',
    '      const m = { exports: {} };',
    '      program.runInThisContext().call(m.exports, m.exports, stand, m, __filename, __dirname);',
    '    });',
    '    [process.stdout.write, process.stderr.write] = writes;',
    '    process.exit = exit;',
    "    if (code !== 0) throw new Error(`warm run ${args.join(' ')} exited ${code}`);",
    '  }',
    '  for (const [name, script] of scripts) {',
    "    const asset = name === 'trafficinator' ? 'program' : name;",
    '    if (assets[asset]) writeFileSync(assets[asset], script.createCachedData());',
    '  }',
    '  process.exit(0);',
    '})();',
  ].join('\n');
  execFileSync(generator, ['-e', maker, JSON.stringify([all, WARM_RUNS])], {
    cwd: projectRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return { ...own, program: all.program };
}

/**
 * Runs postject's CLI in a child so that its ELF library's harmless "Can't find string offset for
 * section name '.note'" warnings (written natively on stderr) can be filtered out.
 */
function postject(argv) {
  const cli = createRequire(import.meta.url).resolve('postject/dist/cli.js');
  const r = spawnSync(process.execPath, [cli, ...argv], { encoding: 'utf8' });
  const noise = /^warning: Can't find string offset for section name/;
  const stderr = r.stderr.split('\n').filter((l) => l && !noise.test(l));
  if (stderr.length > 0) process.stderr.write(`${stderr.join('\n')}\n`);
  if (r.status !== 0) throw new Error(`postject failed (exit ${r.status}): ${r.stdout}`);
}

/** npm's node-<os>-<arch> packages say "win" where Node says "win32". */
function npmOs(platform) {
  return platform === 'win32' ? 'win' : platform;
}

/** Installs node-<platform>@NODE_VERSION under build/ once and returns the path of its binary. */
function installRuntime(platform) {
  const name = `node-${platform}`;
  const prefix = join(projectRoot, 'build/runtime', `${name}@${NODE_VERSION}`);
  const bin = join(prefix, 'node_modules', name, 'bin', platform.startsWith('win-') ? 'node.exe' : 'node');
  if (existsSync(bin)) return bin;
  console.log(`installing ${name}@${NODE_VERSION} from the npm registry into ${relative(prefix)}`);
  execFileSync(
    'npm',
    [
      'install', `${name}@${NODE_VERSION}`, '--prefix', prefix, '--no-save', '--no-package-lock',
      '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts',
      // npm refuses a package whose os/cpu differ from this machine's unless forced.
      ...(platform === host ? [] : ['--force']),
    ],
    { cwd: projectRoot, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  if (!existsSync(bin)) throw new Error(`${name}@${NODE_VERSION} installed no ${bin}`);
  return bin;
}

function checkVersion(node) {
  const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  if (version !== `v${NODE_VERSION}`) throw new Error(`${node} is ${version}, expected v${NODE_VERSION}`);
}

function relative(path) {
  return path.startsWith(projectRoot) ? path.slice(projectRoot.length) : path;
}
