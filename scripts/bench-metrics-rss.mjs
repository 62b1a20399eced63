// `npm run bench:metrics-rss`: does the Prometheus endpoint keep memory bounded? Two runs side by side
// against one nginx on 127.0.0.1, the same flags and seed, one with `--metrics-listen` scraped once a
// second as Prometheus would, one without; each stops (SIGINT) once its --timeseries counts N hits.
// Running them at the same time puts both under the same machine load. VmRSS is sampled once a
// second from /proc; the peak is VmHWM. Prints a markdown table; nothing is written.
//
//   npm run bench:metrics-rss                     10 million hits each
//   npm run bench:metrics-rss -- --hits 1000000   a quick pass
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setInterval, clearInterval } from 'node:timers';
import { parseArgs } from 'node:util';
import { projectRoot } from './lib/bundle.mjs';
import { startNginx } from './lib/nginx.mjs';

const { values: flags } = parseArgs({
  options: {
    hits: { type: 'string', default: '10000000' },
    concurrency: { type: 'string', default: '100' },
    port: { type: 'string', default: '19464' },
  },
});
const target = Number(flags.hits);
const cli = join(projectRoot, 'dist/cli.cjs');
const work = mkdtempSync(join(tmpdir(), 'trafficinator-metrics-rss-'));

function procKb(pid, field) {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

function startRun(name, url, extra) {
  const series = join(work, `${name}.ndjson`);
  const summary = join(work, `${name}.json`);
  const args = [cli, 'run', '--url', `${url}matomo.php`, '--seed', 'bench', '--no-preflight', '--no-randomize-countries', '--rps', 'max',
    '--concurrency', flags.concurrency, '--pause-min', '0', '--pause-max', '0', '--duration', '24h', '--quiet',
    '--summary-json', summary, '--timeseries', series, ...extra];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const run = { name, child, series, summary, hits: 0, offset: 0, samples: [], peakKb: 0, stopping: false };
  run.done = new Promise((resolve) => child.on('exit', resolve));
  return run;
}

function tick(run) {
  if (run.child.exitCode !== null) return;
  const rss = procKb(run.child.pid, 'VmRSS');
  run.peakKb = Math.max(run.peakKb, procKb(run.child.pid, 'VmHWM') ?? 0);
  if (existsSync(run.series)) {
    const text = readFileSync(run.series, 'utf8');
    const complete = text.lastIndexOf('\n') + 1;
    for (const line of text.slice(run.offset, complete).split('\n').filter(Boolean)) run.hits += JSON.parse(line).hitsSent;
    run.offset = complete;
  }
  if (rss !== undefined) run.samples.push({ hits: run.hits, rssMb: rss / 1024 });
  if (!run.stopping && run.hits >= target) {
    run.stopping = true;
    run.child.kill('SIGINT');
  }
}

const nginx = await startNginx({ log: () => {} });
const load = loadavg()[0];
const plain = startRun('without', nginx.url, []);
const scraped = startRun('with', nginx.url, ['--metrics-listen', `127.0.0.1:${flags.port}`]);
let scrapes = 0;
const timer = setInterval(async () => {
  tick(plain);
  tick(scraped);
  try {
    const res = await globalThis.fetch(`http://127.0.0.1:${flags.port}/metrics`);
    if (res.ok) {
      await res.text();
      scrapes++;
    }
  } catch {
    // not listening yet, or already gone
  }
}, 1000);
await Promise.all([plain.done, scraped.done]);
clearInterval(timer);
await nginx.stop();

const at = (run, fraction) => run.samples.find((s) => s.hits >= fraction * target) ?? run.samples.at(-1);
const row = (run) => {
  const s = JSON.parse(readFileSync(run.summary, 'utf8'));
  const cells = [0.02, 0.5, 1].map((f) => at(run, f).rssMb.toFixed(1));
  return { sent: s.hits.sent, rate: s.rate.achievedHitsPerSecond, cells, peakMb: run.peakKb / 1024 };
};
const a = row(plain);
const b = row(scraped);
const fmt = (n) => Math.round(n).toLocaleString('en-US');
console.log(`Started at load average ${load.toFixed(2)}; ${scrapes} scrapes of /metrics.`);
console.log('');
console.log('| run | hits sent | hits/s | VmRSS at 2 % | at 50 % | at the end | peak (VmHWM) |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
console.log(`| without the endpoint | ${fmt(a.sent)} | ${fmt(a.rate)} | ${a.cells.join(' MB | ')} MB | ${a.peakMb.toFixed(1)} MB |`);
console.log(`| with --metrics-listen, scraped every second | ${fmt(b.sent)} | ${fmt(b.rate)} | ${b.cells.join(' MB | ')} MB | ${b.peakMb.toFixed(1)} MB |`);
console.log('');
const endRatio = Number(b.cells[2]) / Number(a.cells[2]);
console.log(`with/without: ${(endRatio * 100 - 100).toFixed(1)} % at the end, ${((b.peakMb / a.peakMb) * 100 - 100).toFixed(1)} % at the peak`);
rmSync(work, { recursive: true, force: true });
