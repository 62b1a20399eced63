// The reference load clients of `npm run bench`, each run in its own process so the benchmark can
// read its CPU time from /proc like the generator's:
//
//   node scripts/lib/load-client.mjs autocannon URL CONNECTIONS SECONDS PATHS_FILE
//   node scripts/lib/load-client.mjs undici     URL CONNECTIONS SECONDS PATHS_FILE
//
// PATHS_FILE holds Matomo-shaped request paths (`/matomo.php?idsite=1&rec=1&...`), one a line,
// taken from a dry run of the generator: both clients cycle through them, so they send the same
// bytes the generator would. Prints one JSON line: requests, failed, seconds, requestsPerSecond.
//
// `undici` is the floor the generator can hope for in Node: CONNECTIONS loops, each awaiting one
// GET at a time on a shared keep-alive Pool, no model, no bookkeeping.
import { readFileSync } from 'node:fs';
import { Pool } from 'undici';

const [kind, url, connectionsText = '100', secondsText = '10', pathsFile] = process.argv.slice(2);
const { hostname, origin } = new URL(url ?? '');
if (hostname !== '127.0.0.1' && hostname !== 'localhost') throw new Error(`refusing to load ${hostname}: 127.0.0.1 only`);
const connections = Number(connectionsText);
const seconds = Number(secondsText);
const paths = pathsFile ? readFileSync(pathsFile, 'utf8').split('\n').filter(Boolean) : [new URL(url).pathname];
const userAgent = 'Mozilla/5.0 (X11; Linux x86_64; rv:139.0) Gecko/20100101 Firefox/139.0';

const result = kind === 'autocannon' ? await viaAutocannon() : await viaUndici();
process.stdout.write(JSON.stringify({ kind, connections, ...result }) + '\n');

async function viaAutocannon() {
  const { default: autocannon } = await import('autocannon');
  let n = 0;
  const done = await autocannon({
    url: origin,
    connections,
    duration: seconds,
    pipelining: 1,
    headers: { 'user-agent': userAgent },
    requests: [
      {
        method: 'GET',
        setupRequest(request) {
          request.path = paths[n++ % paths.length];
          return request;
        },
      },
    ],
  });
  // The sum of 2xx answers over the measured time, the same count the generator reports as ok.
  const ok = done['2xx'];
  return {
    requests: done.requests.total,
    ok,
    failed: done.errors + done.timeouts + done.non2xx,
    seconds: done.duration,
    requestsPerSecond: ok / done.duration,
    latencyMs: { p50: done.latency.p50, p99: done.latency.p99 },
  };
}

async function viaUndici() {
  const pool = new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 30_000 });
  let n = 0;
  let ok = 0;
  let failed = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const loop = async () => {
    while (performance.now() < deadline) {
      try {
        const response = await pool.request({ method: 'GET', path: paths[n++ % paths.length], headers: { 'user-agent': userAgent } });
        await response.body.dump();
        if (response.statusCode >= 200 && response.statusCode < 300) ok += 1;
        else failed += 1;
      } catch {
        failed += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  return { requests: ok + failed, ok, failed, seconds: elapsed, requestsPerSecond: ok / elapsed };
}
