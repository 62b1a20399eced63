// Backfill benchmark: the real command (dist/cli.cjs) fills DAYS days x VISITS visits into nginx
// answering 204 (started here) and into the built-in sink, with bulk batches of 100 and with single
// hits (--bulk-size 1). Reports hits/s (from the summary JSON: the replay's own time), wall time of
// the whole command, and the CPU both sides used, to tell which one is the bottleneck.
//
//   npm run bench:backfill                  # 30 days x 10,000 visits, every case
//   npm run bench:backfill -- 30 10000 16   # days, visits per day, concurrency (batches in flight)
//   BENCH_CASES=nginx-bulk,sink-bulk npm run bench:backfill
//
// nginx answers a bulk POST with 204 and no body: the backfill counts those hits as "unaccounted"
// (no counts, so no proof), reports the days as uncertain and warns. That is the honest reading of
// such an answer, and it costs the client the same as parsing Matomo's counts, so the benchmark
// uses the command unchanged. Traffic goes to 127.0.0.1 only.
import { spawn } from 'node:child_process';
import { setInterval, clearInterval } from 'node:timers';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startNginx } from './lib/nginx.mjs';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const cli = join(root, 'dist/cli.cjs');
const [days = 30, perDay = 10_000, concurrency = 16] = process.argv.slice(2).map(Number);
const cases = (process.env.BENCH_CASES ?? 'nginx-bulk,nginx-single,sink-bulk,sink-single').split(',');
const TOKEN = 'bench-token';
const TICK = 100; // clock ticks per second on Linux

/** utime+stime of a process and its live children, in seconds (Linux /proc). */
function cpuSeconds(pid) {
  let total = 0;
  const read = (p) => {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(fields[11]) + Number(fields[12])) / TICK;
      const kids = readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim();
      for (const k of kids ? kids.split(' ') : []) read(Number(k));
    } catch {
      // gone
    }
  };
  read(pid);
  return total;
}

function isoDay(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}

async function startSink() {
  const child = spawn(process.execPath, [cli, 'sink', '--token', TOKEN, '--timezone', 'CET'], { stdio: ['ignore', 'pipe', 'ignore'] });
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

async function runBackfill(tracker, bulk, serverPid, nginx) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-backfill-'));
  writeFileSync(join(dir, 'token.txt'), TOKEN);
  const now = Date.now();
  const from = isoDay(now - days * 86_400_000);
  const to = isoDay(now - 86_400_000);
  const args = [cli, 'backfill', '--url', tracker, '--site-id', '1', '--token-auth-file', 'token.txt', '--from', from, '--to', to,
    '--seed', '1', '--max-visits-per-day', String(perDay), '--max-visits-total', String(perDay * days),
    '--bulk-size', String(bulk), '--concurrency', String(concurrency), '--summary-json', 'summary.json', '--quiet',
    // nginx has no Reporting API: no checks, no reconciliation (its 204s leave the hits unproven).
    ...(nginx ? ['--no-reporting-api'] : [])];
  const server0 = cpuSeconds(serverPid);
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH, HOME: process.env.HOME } });
  let stderr = '';
  child.stdout.resume();
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  let clientCpu = 0;
  const sampler = setInterval(() => (clientCpu = Math.max(clientCpu, cpuSeconds(child.pid))), 100);
  const code = await new Promise((r) => child.once('exit', r));
  clearInterval(sampler);
  const wallS = (performance.now() - t0) / 1000;
  const serverCpu = cpuSeconds(serverPid) - server0;
  if (!existsSync(join(dir, 'summary.json'))) throw new Error(`backfill exited ${code} without a summary: ${stderr}`);
  const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
  rmSync(dir, { recursive: true, force: true });
  const t = summary.targets[0].totals;
  const replayS = summary.elapsedMs / 1000;
  return {
    exitCode: code, hits: t.sent, tracked: t.tracked, unaccounted: t.unaccounted, replaySeconds: +replayS.toFixed(1),
    hitsPerSecond: summary.hitsPerSecond, wallSeconds: +wallS.toFixed(1),
    clientCpuPct: Math.round((clientCpu / wallS) * 100), serverCpuPct: Math.round((serverCpu / replayS) * 100),
  };
}

const results = [];
for (const name of cases) {
  const [server, mode] = name.split('-');
  const bulk = mode === 'bulk' ? 100 : 1;
  const target = server === 'nginx' ? await startNginx() : await startSink();
  const tracker = server === 'nginx' ? `${target.url}matomo.php` : `${target.url}/matomo.php`;
  try {
    const load = loadavg()[0].toFixed(1);
    const r = await runBackfill(tracker, bulk, target.pid, server === 'nginx');
    results.push({ case: name, days, perDay, bulk, concurrency, load, ...r });
    console.log(JSON.stringify(results.at(-1)));
  } finally {
    await target.stop();
  }
}
console.log('\n| case | bulk | hits | hits/s (replay) | replay s | wall s | client CPU | server CPU | load |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of results) {
  console.log(`| ${r.case} | ${r.bulk} | ${r.hits.toLocaleString('en')} | ${r.hitsPerSecond.toLocaleString('en')} | ${r.replaySeconds} | ${r.wallSeconds} | ${r.clientCpuPct} % | ${r.serverCpuPct} % | ${r.load} |`);
}
