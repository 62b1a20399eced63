// `npm run bench:capacity` (also run by `npm run bench`): does `trafficinator capacity` find a
// known limit? Starts `sink --capacity 800` on 127.0.0.1 and runs `capacity` against it once per
// seed; each knee must lie within 10% of 800 hits/s. Writes the figures into docs/performance.md
// between the `bench:capacity` markers (unless --no-write); exits 1 when a knee misses.
//
//   npm run bench:capacity
//   npm run bench:capacity -- --seeds 1,2,3 --capacity 800 --step 5s --no-write
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from './lib/bundle.mjs';

const { values: flags } = parseArgs({
  options: {
    seeds: { type: 'string', default: '1,2,3' },
    capacity: { type: 'string', default: '800' },
    step: { type: 'string', default: '10s' },
    resolution: { type: 'string', default: '5%' },
    tolerance: { type: 'string', default: '0.1' },
    'no-write': { type: 'boolean', default: false },
    cli: { type: 'string', default: 'dist/cli.cjs' },
  },
});
const cli = join(projectRoot, flags.cli);
if (!existsSync(cli)) throw new Error(`${flags.cli} is missing: npm run build first`);
const limit = Number(flags.capacity);
const tolerance = Number(flags.tolerance);
const env = { ...process.env };
delete env.NODE_OPTIONS;
const work = mkdtempSync(join(tmpdir(), 'trafficinator-bench-capacity-'));

function start(args) {
  const child = spawn(process.execPath, [cli, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  child.stdin.end();
  const done = new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, done, stdout: () => stdout };
}

/** The sink's first stdout line is its URL: the readiness signal. */
function sinkUrl(sink) {
  return new Promise((resolve, reject) => {
    const check = () => {
      const line = sink.stdout().split('\n')[0];
      if (sink.stdout().includes('\n')) resolve(line);
    };
    sink.child.stdout.on('data', check);
    sink.child.once('close', () => reject(new Error('sink exited before printing its URL')));
  });
}

const rows = [];
try {
  for (const seed of flags.seeds.split(',')) {
    const sink = start(['sink', '--capacity', String(limit)]);
    const url = await sinkUrl(sink);
    const load = loadavg()[0];
    const file = join(work, `capacity-${seed}.json`);
    const t0 = performance.now();
    const run = await start([
      'capacity', '--url', `${url}/matomo.php`, '--yes', '--quiet', '--seed', seed,
      '--start', String(Math.round(limit / 8)), '--factor', '2', '--step', flags.step, '--resolution', flags.resolution,
      '--pause-min', '0', '--pause-max', '0', '--grace', '2s', '--no-randomize-countries', '--summary-json', file,
    ]).done;
    const wallS = (performance.now() - t0) / 1000;
    sink.child.kill('SIGINT');
    await sink.done;
    if (run.code !== 0) throw new Error(`capacity (seed ${seed}) exited ${run.code}: ${run.stderr}`);
    const summary = JSON.parse(readFileSync(file, 'utf8'));
    const knee = summary.knee?.hitsPerSecond ?? 0;
    const error = (knee - limit) / limit;
    rows.push({ seed, knee, firstBad: summary.firstBad?.hitsPerSecond ?? null, bound: summary.bound, steps: summary.steps.length, error, ok: Math.abs(error) <= tolerance, wallS, load });
    process.stderr.write(`bench:capacity seed ${seed}: knee ${knee} hits/s (${(error * 100).toFixed(1)}%), ${summary.steps.length} steps, ${wallS.toFixed(0)} s\n`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const section = [
  '<!-- bench:capacity:start (written by `npm run bench:capacity`; edits between these markers are overwritten) -->',
  '## Capacity: finding a known knee',
  '',
  `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC by \`npm run bench:capacity\`: \`sink --capacity ${limit}\` (one worker, ${limit} hits/s, queue of a quarter second), ` +
    `\`capacity --start ${Math.round(limit / 8)} --factor 2 --step ${flags.step} --resolution ${flags.resolution}\`, pauses 0, one run per seed; generator and sink share the machine. ` +
    `A knee passes within ${tolerance * 100}% of ${limit} hits/s.`,
  '',
  '| seed | knee hits/s | first bad hits/s | error | whose limit | steps | wall time | load avg |',
  '| ---- | ----------- | ---------------- | ----- | ----------- | ----- | --------- | -------- |',
  ...rows.map((r) => `| ${r.seed} | ${r.knee} | ${r.firstBad ?? '-'} | ${(r.error * 100).toFixed(1)}% ${r.ok ? '✓' : '✗'} | ${r.bound ?? '-'} | ${r.steps} | ${r.wallS.toFixed(0)} s | ${r.load.toFixed(1)} |`),
  '<!-- bench:capacity:end -->',
].join('\n');
process.stdout.write(section + '\n');
if (!flags['no-write']) {
  const doc = join(projectRoot, 'docs', 'performance.md');
  const text = readFileSync(doc, 'utf8');
  const a = text.indexOf('<!-- bench:capacity:start');
  const endMarker = '<!-- bench:capacity:end -->';
  const b = text.indexOf(endMarker);
  writeFileSync(doc, a >= 0 && b > a ? text.slice(0, a) + section + text.slice(b + endMarker.length) : text.trimEnd() + '\n\n' + section + '\n');
}
if (rows.some((r) => !r.ok)) {
  process.stderr.write(`bench:capacity: a knee missed ${limit} hits/s by more than ${tolerance * 100}%\n`);
  process.exitCode = 1;
}
