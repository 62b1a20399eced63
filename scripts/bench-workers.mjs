// backfill --workers: generation rate (`backfill --dry-run > /dev/null`) and the rate into the
// built-in sink, one thread against N, in alternating runs on the same machine (the cores are
// shared: medians, with the load average before and after). Also each run's CPU seconds and peak
// RSS (the whole process: main thread and workers); each run's line also splits its CPU seconds into
// the main thread, the worker threads and V8's helper threads (/proc/PID/task). Traffic goes to
// 127.0.0.1 only.
//
//   npm run bench:workers                     # 4 days x 8,000 visits, workers 1 and 2, 3 rounds
//   npm run bench:workers -- 4 8000 3 1,2,4   # days, visits per day, rounds, worker counts
//   BENCH_BIN=dist/trafficinator npm run bench:workers   # the single executable instead of node dist/cli.cjs
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setInterval, clearInterval } from 'node:timers';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const bin = process.env.BENCH_BIN ? [resolve(process.env.BENCH_BIN)] : [process.execPath, join(root, 'dist/cli.cjs')];
const [daysArg = '4', perDayArg = '8000', roundsArg = '3', workersArg = '1,2'] = process.argv.slice(2);
const days = Number(daysArg);
const perDay = Number(perDayArg);
const rounds = Number(roundsArg);
const counts = workersArg.split(',').map(Number);
const cases = (process.env.BENCH_CASES ?? 'generate,sink').split(',');
const TOKEN = 'bench-token';
const TICK = 100;

/** utime+stime of a process (every thread), in seconds. */
function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / TICK;
  } catch {
    return undefined;
  }
}

/** CPU seconds of each thread of a process (Linux /proc/<pid>/task), by thread id; its kind in `kinds`. */
function threadSeconds(pid, into, kinds) {
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const s = cpuSeconds(`${pid}/task/${tid}`);
      if (s !== undefined) into.set(tid, Math.max(into.get(tid) ?? 0, s));
      if (!kinds.has(tid)) kinds.set(tid, threadKind(pid, tid));
    }
  } catch {
    // gone
  }
}

/** main (the process's own thread), worker (a worker_threads thread) or helper (V8's GC and compiler threads, libuv's pool). */
function threadKind(pid, tid) {
  if (String(tid) === String(pid)) return 'main';
  try {
    return readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').startsWith('WorkerThread') ? 'worker' : 'helper';
  } catch {
    return 'helper';
  }
}

/** Peak resident set (VmHWM) in MB, or undefined when the process is gone. */
function peakRssMb(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);
const now = Date.now();
// A fixed, fully past window: the same plan in every run.
const from = isoDay(now - (days + 2) * 86_400_000);
const to = isoDay(now - 3 * 86_400_000);

function command(args, cwd, stdout, workers) {
  const child = spawn(bin[0], [...bin.slice(1), ...args], { cwd, stdio: ['ignore', stdout, 'pipe'], env: { PATH: process.env.PATH, HOME: process.env.HOME } });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  let cpu = 0;
  let rss = 0;
  const threads = new Map();
  const kinds = new Map();
  const sample = () => {
    cpu = Math.max(cpu, cpuSeconds(child.pid) ?? 0);
    rss = Math.max(rss, peakRssMb(child.pid) ?? 0);
    threadSeconds(child.pid, threads, kinds);
  };
  const sampler = setInterval(sample, 50);
  const t0 = performance.now();
  return new Promise((done) =>
    child.once('exit', (code) => {
      clearInterval(sampler);
      // The busiest thread's CPU seconds: what bounds the rate when every thread has a core of its own
      // (the main thread for one thread; the main thread or a worker with workers).
      const busiestS = Math.max(0, ...threads.values());
      // Where the CPU went: the main thread, the worker threads (summed), V8's and libuv's helpers.
      const byKind = { mainS: 0, workersS: 0, helpersS: 0 };
      // Node 24 names worker threads (WorkerThread); Node 20 names every thread "node": there the
      // workers are taken to be the busiest threads but the main one (a worker does seconds, a
      // helper tenths).
      if (workers > 1 && ![...kinds.values()].includes('worker')) {
        const others = [...threads].filter(([tid]) => kinds.get(tid) !== 'main').sort((a, b) => b[1] - a[1]);
        for (const [tid] of others.slice(0, workers)) kinds.set(tid, 'worker');
      }
      const keyOf = { main: 'mainS', worker: 'workersS', helper: 'helpersS' };
      for (const [tid, s] of threads) byKind[keyOf[kinds.get(tid) ?? 'helper']] += s;
      for (const k of Object.keys(byKind)) byKind[k] = +byKind[k].toFixed(2);
      done({ code, stderr, wallS: (performance.now() - t0) / 1000, cpuS: cpu, busiestS, ...byKind, peakRssMb: Math.round(rss) });
    }),
  );
}

function backfillArgs(tracker, workers) {
  return ['backfill', '--url', tracker, '--site-id', '1', '--token-auth-file', 'token.txt', '--from', from, '--to', to, '--seed', '1',
    '--max-visits-per-day', String(perDay), '--max-visits-total', String(perDay * days), '--weekday-profile', '1,1,1,1,1,1,1',
    '--bulk-size', '100', '--concurrency', '8', '--workers', String(workers), '--quiet'];
}

async function startSink(cwd) {
  const child = spawn(bin[0], [...bin.slice(1), 'sink', '--token', TOKEN, '--timezone', 'CET'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] });
  const url = await new Promise((res, rej) => {
    let buf = '';
    child.stdout.setEncoding('utf8').on('data', (d) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl >= 0) res(buf.slice(0, nl));
    });
    child.once('exit', () => rej(new Error('sink exited')));
  });
  const exited = new Promise((r) => child.once('exit', r));
  return { url, pid: child.pid, stop: async () => { child.kill('SIGTERM'); await exited; } };
}

async function generate(workers) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-workers-'));
  writeFileSync(join(dir, 'token.txt'), TOKEN);
  try {
    const r = await command([...backfillArgs('http://127.0.0.1:9/matomo.php', workers), '--dry-run'], dir, 'ignore', workers);
    const hits = Number(/dry run: (\d+) hits/.exec(r.stderr)?.[1]);
    if (r.code !== 0 || !hits) throw new Error(`dry run failed (${r.code}): ${r.stderr}`);
    return { hits, hitsPerSecond: Math.round(hits / r.wallS), wallS: +r.wallS.toFixed(2), cpuS: r.cpuS, busiestS: r.busiestS, mainS: r.mainS, workersS: r.workersS, helpersS: r.helpersS, peakRssMb: r.peakRssMb };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function intoSink(workers) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-workers-'));
  writeFileSync(join(dir, 'token.txt'), TOKEN);
  const sink = await startSink(dir);
  try {
    const sinkCpu0 = cpuSeconds(sink.pid) ?? 0;
    const r = await command([...backfillArgs(`${sink.url}/matomo.php`, workers), '--summary-json', 'summary.json'], dir, 'ignore', workers);
    if (!existsSync(join(dir, 'summary.json'))) throw new Error(`backfill exited ${r.code} without a summary: ${r.stderr}`);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    const t = summary.targets[0].totals;
    if (r.code !== 0 || t.tracked !== t.hits) throw new Error(`backfill exited ${r.code}, ${t.tracked} of ${t.hits} tracked: ${r.stderr}`);
    return {
      hits: t.sent, hitsPerSecond: summary.hitsPerSecond, replayS: +(summary.elapsedMs / 1000).toFixed(2), wallS: +r.wallS.toFixed(2),
      cpuS: r.cpuS, busiestS: r.busiestS, mainS: r.mainS, workersS: r.workersS, helpersS: r.helpersS, sinkCpuS: +((cpuSeconds(sink.pid) ?? 0) - sinkCpu0).toFixed(2), peakRssMb: r.peakRssMb,
    };
  } finally {
    await sink.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const runs = [];
const load0 = loadavg().map((x) => x.toFixed(2)).join(' ');
for (let round = 0; round < rounds; round++) {
  for (const kind of cases) {
    for (const workers of counts) {
      const load = loadavg()[0].toFixed(2);
      const r = kind === 'generate' ? await generate(workers) : await intoSink(workers);
      runs.push({ kind, workers, round, load, ...r });
      console.log(JSON.stringify(runs.at(-1)));
    }
  }
}
const load1 = loadavg().map((x) => x.toFixed(2)).join(' ');

console.log(`\n${bin.join(' ')}: ${days} days x ${perDay} visits, ${rounds} alternating rounds; load average (1, 5, 15 min) ${load0} before, ${load1} after\n`);
console.log('| case | workers | hits | median hits/s | ratio to 1 | runs (hits/s) | median CPU s | busiest thread CPU s | ratio to 1 (busiest thread) | median peak RSS MB |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const kind of cases) {
  const first = runs.filter((r) => r.kind === kind && r.workers === counts[0]);
  const base = median(first.map((r) => r.hitsPerSecond));
  const baseBusiest = median(first.map((r) => r.busiestS));
  for (const workers of counts) {
    const mine = runs.filter((r) => r.kind === kind && r.workers === workers);
    const rate = median(mine.map((r) => r.hitsPerSecond));
    console.log(
      `| ${kind === 'generate' ? 'dry run > /dev/null' : 'into the sink'} | ${workers} | ${mine[0].hits.toLocaleString('en')} | ${Math.round(rate).toLocaleString('en')} | ${(rate / base).toFixed(2)}× | ${mine.map((r) => r.hitsPerSecond.toLocaleString('en')).join(', ')} | ${median(mine.map((r) => r.cpuS)).toFixed(1)} | ${median(mine.map((r) => r.busiestS)).toFixed(1)} | ${(baseBusiest / median(mine.map((r) => r.busiestS))).toFixed(2)}× | ${Math.round(median(mine.map((r) => r.peakRssMb)))} |`,
    );
  }
}
