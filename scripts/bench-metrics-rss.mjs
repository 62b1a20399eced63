// `npm run bench:metrics-rss`: does the Prometheus endpoint keep memory bounded? Two runs side by side
// against one nginx on 127.0.0.1, the same flags and seed, one with `--metrics-listen` scraped once a
// second as Prometheus would, one without; each stops (SIGINT) once its --timeseries counts N hits.
// Running them at the same time puts both under the same machine load. VmRSS is sampled once a
// second from /proc; the peak is VmHWM. Prints a markdown table; nothing is written.
//
// The peak is also placed: the hits and seconds at which VmHWM last rose. With --rounds N the pair runs
// N times, the start order alternating (with first, then without first), and the medians are printed.
//
//   npm run bench:metrics-rss                                   10 million hits each
//   npm run bench:metrics-rss -- --hits 1000000 --rounds 5      quick passes, medians
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setInterval, clearInterval } from 'node:timers';
import { parseArgs } from 'node:util';
import { projectRoot } from './lib/bundle.mjs';
import { startNginx } from './lib/nginx.mjs';

const { values: flags } = parseArgs({
  options: {
    hits: { type: 'string', default: '10000000' },
    concurrency: { type: 'string', default: '100' },
    port: { type: 'string', default: '19464' },
    rounds: { type: 'string', default: '1' },
    cli: { type: 'string', default: 'dist/cli.cjs' },
  },
});
const rounds = Number(flags.rounds);
const target = Number(flags.hits);
const cli = resolve(projectRoot, flags.cli);
const work = mkdtempSync(join(tmpdir(), 'trafficinator-metrics-rss-'));

function procKb(pid, field) {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

function startRun(name, url, extra, round) {
  const series = join(work, `${name}-${round}.ndjson`);
  const summary = join(work, `${name}-${round}.json`);
  const args = [cli, 'run', '--url', `${url}matomo.php`, '--seed', 'bench', '--no-preflight', '--no-randomize-countries', '--rps', 'max',
    '--concurrency', flags.concurrency, '--pause-min', '0', '--pause-max', '0', '--duration', '24h', '--quiet',
    '--summary-json', summary, '--timeseries', series, ...extra];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const run = { name, child, series, summary, hits: 0, offset: 0, samples: [], peakKb: 0, peakAt: { hits: 0, s: 0 }, started: Date.now(), stopping: false };
  run.done = new Promise((resolve) => child.on('exit', resolve));
  return run;
}

function tick(run) {
  if (run.child.exitCode !== null) return;
  const rss = procKb(run.child.pid, 'VmRSS');
  const hwm = procKb(run.child.pid, 'VmHWM') ?? 0;
  if (existsSync(run.series)) {
    const text = readFileSync(run.series, 'utf8');
    const complete = text.lastIndexOf('\n') + 1;
    for (const line of text.slice(run.offset, complete).split('\n').filter(Boolean)) run.hits += JSON.parse(line).hitsSent;
    run.offset = complete;
  }
  if (hwm > run.peakKb) {
    run.peakKb = hwm;
    run.peakAt = { hits: run.hits, s: Math.round((Date.now() - run.started) / 1000) };
  }
  if (rss !== undefined) run.samples.push({ hits: run.hits, rssMb: rss / 1024 });
  if (!run.stopping && run.hits >= target) {
    run.stopping = true;
    run.child.kill('SIGINT');
  }
}

const nginx = await startNginx({ log: () => {} });
const load = loadavg()[0];
const results = [];
for (let round = 0; round < rounds; round++) {
  // Alternate which run starts first, so neither always gets the head start.
  const order = round % 2 === 0 ? ['with', 'without'] : ['without', 'with'];
  const runs = {};
  for (const name of order) runs[name] = name === 'with' ? startRun('with', nginx.url, ['--metrics-listen', `127.0.0.1:${flags.port}`], round) : startRun('without', nginx.url, [], round);
  let scrapes = 0;
  const timer = setInterval(async () => {
    tick(runs.without);
    tick(runs.with);
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
  await Promise.all([runs.without.done, runs.with.done]);
  clearInterval(timer);
  results.push({ order: order[0], scrapes, without: row(runs.without), with: row(runs.with) });
}
await nginx.stop();

function median(xs) {
  const s = [...xs].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function row(run) {
  const at = (fraction) => run.samples.find((s) => s.hits >= fraction * target) ?? run.samples.at(-1);
  const s = JSON.parse(readFileSync(run.summary, 'utf8'));
  const cells = [0.02, 0.5, 1].map((f) => at(f).rssMb);
  // One sample lands before or after a full GC by chance; the median of the samples past 2 % does not.
  const steady = median(run.samples.filter((x) => x.hits >= 0.02 * target).map((x) => x.rssMb));
  return { sent: s.hits.sent, rate: s.rate.achievedHitsPerSecond, cells, steady, peakMb: run.peakKb / 1024, peakAt: run.peakAt };
}
const fmt = (n) => Math.round(n).toLocaleString('en-US');
const mb = (n) => `${n.toFixed(1)} MB`;
const pct = (b, a) => `${b >= a ? '+' : ''}${((b / a) * 100 - 100).toFixed(1)} %`;
console.log(`Started at load average ${load.toFixed(2)}, ended at ${loadavg()[0].toFixed(2)}; ${fmt(target)} hits per run, ${rounds} round(s).`);
console.log('');
console.log('| round | run | hits sent | hits/s | VmRSS at 2 % | at 50 % | at the end | median past 2 % | peak (VmHWM) | peak reached at |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
results.forEach((r, i) => {
  for (const [label, x] of [['without the endpoint', r.without], [`with --metrics-listen, ${r.scrapes} scrapes`, r.with]]) {
    console.log(`| ${i + 1} (${r.order} first) | ${label} | ${fmt(x.sent)} | ${fmt(x.rate)} | ${x.cells.map(mb).join(' | ')} | ${mb(x.steady)} | ${mb(x.peakMb)} | ${fmt(x.peakAt.hits)} hits, ${x.peakAt.s} s |`);
  }
});
console.log('');
for (const r of results) {
  console.log(`round: with/without ${pct(r.with.cells[2], r.without.cells[2])} at the end, ${pct(r.with.steady, r.without.steady)} in the median, ${pct(r.with.peakMb, r.without.peakMb)} at the peak`);
}
const med = (pick) => ({ without: median(results.map((r) => pick(r.without))), with: median(results.map((r) => pick(r.with))) });
const end = med((x) => x.cells[2]);
const steady = med((x) => x.steady);
const peak = med((x) => x.peakMb);
console.log(
  `medians of the rounds: VmRSS at the end ${mb(end.without)} without, ${mb(end.with)} with (${pct(end.with, end.without)}); ` +
    `median VmRSS ${mb(steady.without)} without, ${mb(steady.with)} with (${pct(steady.with, steady.without)}); ` +
    `peak ${mb(peak.without)} without, ${mb(peak.with)} with (${pct(peak.with, peak.without)})`,
);
rmSync(work, { recursive: true, force: true });
