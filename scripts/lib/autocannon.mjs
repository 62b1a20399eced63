// autocannon run programmatically: the reference figure a benchmark compares trafficinator with
// ("how many requests per second can this machine push at this target at all?").
//
//   import { loadTest } from './lib/autocannon.mjs';
//   const { requestsPerSecond } = await loadTest({ url, connections: 100, durationSeconds: 10 });
//
// Run alone against a throw-away nginx: `node scripts/lib/autocannon.mjs [connections] [seconds]`.
import autocannon from 'autocannon';
import { fileURLToPath } from 'node:url';

/**
 * Loads `url` (127.0.0.1 only: benchmarks never leave the machine) with `connections` keep-alive
 * connections for `durationSeconds` and returns the mean of the per-second request counts, with
 * the rest of autocannon's figures for the record.
 */
export async function loadTest({ url, connections = 100, durationSeconds = 10, pipelining = 1, method = 'GET' }) {
  const { hostname } = new URL(url);
  if (hostname !== '127.0.0.1' && hostname !== 'localhost') throw new Error(`refusing to load ${hostname}: 127.0.0.1 only`);
  const result = await autocannon({ url, connections, duration: durationSeconds, pipelining, method });
  const failed = result.errors + result.timeouts + result.non2xx;
  return {
    requestsPerSecond: result.requests.average,
    requestsPerSecondStddev: result.requests.stddev,
    total: result.requests.total,
    failed,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    connections,
    durationSeconds,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { startNginx } = await import('./nginx.mjs');
  const connections = Number(process.argv[2] ?? 100);
  const durationSeconds = Number(process.argv[3] ?? 10);
  const nginx = await startNginx();
  try {
    const r = await loadTest({ url: nginx.url, connections, durationSeconds });
    console.log(JSON.stringify({ target: `nginx 204 at ${nginx.url}`, ...r }, null, 2));
  } finally {
    await nginx.stop();
  }
}
