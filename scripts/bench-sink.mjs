// npm run bench:sink: single-hit throughput of `trafficinator sink` on one core, with validation
// and counting on. The sink is pinned to core 0 and autocannon to core 1 (taskset), on loopback.
// A bare node:http server answering 204 on the same core is measured too: the gap between the two
// is what the sink's own work (parsing, judging, counting) costs; the bare figure is node:http's
// ceiling on that core.
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const seconds = process.env.BENCH_SECONDS ?? '10';
const connections = process.env.BENCH_CONNECTIONS ?? '64';
const pipelining = process.env.BENCH_PIPELINING ?? '1';
const hasTaskset = (() => {
  try {
    execFileSync('taskset', ['-c', '0', 'true']);
    return true;
  } catch {
    return false;
  }
})();
const pin = (core, argv) => (hasTaskset ? ['taskset', ['-c', String(core), ...argv]] : [argv[0], argv.slice(1)]);

function cpuTicks(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime, in clock ticks
}

function startServer(argv) {
  const [file, args] = pin(0, argv);
  const child = spawn(file, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      const line = out.split('\n')[0];
      if (out.includes('\n') && !child.url) {
        child.url = line.trim();
        resolve(child);
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited early (${code})`)));
  });
}

function runClient(url) {
  const [file, args] = pin(1, [process.execPath, 'scripts/bench-sink-client.mjs', url, seconds, connections, pipelining]);
  return JSON.parse(execFileSync(file, args, { cwd: root, encoding: 'utf8' }));
}

async function measure(name, argv) {
  const server = await startServer(argv);
  const ticks0 = cpuTicks(server.pid);
  const result = runClient(server.url);
  const cpuSeconds = (cpuTicks(server.pid) - ticks0) / 100; // USER_HZ is 100 on Linux
  const cpu = cpuSeconds / result.seconds;
  const closed = new Promise((resolve) => server.on('close', resolve));
  let report = '';
  server.stdout.on('data', (d) => (report += d));
  server.kill('SIGINT');
  await closed;
  return { name, ...result, serverCpu: cpu, perCpuSecond: result.requests / cpuSeconds, report };
}

const bare = `require('node:http').createServer((q, s) => { s.writeHead(204); s.end(); }).listen(0, '127.0.0.1', function () { console.log('http://127.0.0.1:' + this.address().port); }); process.on('SIGINT', () => process.exit(0));`;

const sink = await measure('sink (validation + counting)', [process.execPath, 'dist/cli.cjs', 'sink']);
const base = await measure('bare node:http 204', [process.execPath, '-e', bare]);
const fmt = (n) => Math.round(n).toLocaleString('en-US');
console.log(`node ${process.versions.node}, ${connections} connections, pipelining ${pipelining}, ${seconds} s each, ${hasTaskset ? 'server on core 0, autocannon on core 1' : 'no taskset: unpinned'}`);
for (const r of [sink, base]) {
  console.log(
    `${r.name.padEnd(30)} ${fmt(r.rps).padStart(8)} hits/s  p50 ${r.latencyP50} ms  p99 ${r.latencyP99} ms  ` +
      `non-2xx ${r.non2xx}  errors ${r.errors}  server CPU ${Math.round(r.serverCpu * 100)}% of a core  ` +
      `=> ${fmt(r.perCpuSecond)} hits per CPU-second`,
  );
}
console.log(`sink / bare node:http: ${Math.round((sink.rps / base.rps) * 100)}% of the rate, ${Math.round((sink.perCpuSecond / base.perCpuSecond) * 100)}% of the hits per CPU-second`);
console.log(
  sink.serverCpu > 0.9
    ? 'limit: the sink saturates its core (server CPU near 100%)'
    : 'limit: the load side (autocannon on one core) or the shared machine, not the sink: its core is not saturated',
);
const recorded = /hits\s+([\d,]+) received: ([\d,]+) recorded, ([\d,]+) rejected/.exec(sink.report);
if (recorded) console.log(`sink report: ${recorded[1]} received, ${recorded[2]} recorded, ${recorded[3]} rejected`);
