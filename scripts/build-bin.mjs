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
import { bundleCli, projectRoot } from './lib/bundle.mjs';

/** The embedded runtime: Node 24 LTS, pinned. Bump deliberately (the blob's code cache is tied to it). */
export const NODE_VERSION = '24.21.0';
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

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

// 2. Bundle, then let the pinned runtime turn the bundle into a SEA blob.
const deferred = new Map();
await bundleCli({
  outfile: join(work, 'main.cjs'),
  sea: true,
  deferredAssets: true,
  onDeferred: (name, script) => deferred.set(name, script),
});
const config = JSON.parse(readFileSync(join(projectRoot, 'sea-config.json'), 'utf8'));
// A V8 code cache only loads on the same platform as the runtime that made it.
if (cross) config.useCodeCache = false;
// The packages deferred until first required (scripts/lib/bundle.mjs) are assets of the binary:
// each one's script, and a code cache of it made by the same runtime after loading the package,
// so their load-time functions are in it.
config.assets = { ...config.assets, ...deferredAssets(deferred, config.useCodeCache) };
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
 * pinned runtime compile it, run it (its load, then the calls of scripts/lib/warm-up.mjs: the
 * packages start nothing) and save the V8 code cache (asset `<name>`). Returns the SEA assets.
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
    // An ES module, loaded with require() (Node 24).
    `  require(${JSON.stringify(join(projectRoot, 'scripts/lib/warm-up.mjs'))}).warmUp(name, wrapper.exports);`,
    '  writeFileSync(cache, script.createCachedData());',
    '}',
  ].join('\n');
  execFileSync(generator, ['-e', maker, JSON.stringify(caches)], { cwd: projectRoot, stdio: ['ignore', 'ignore', 'inherit'] });
  return { ...assets, ...caches };
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
