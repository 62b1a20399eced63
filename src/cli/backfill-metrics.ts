import type { Command } from 'commander';
import { PromMetrics, targetLabel } from '../metrics/prometheus.js';
import type { Transport } from '../transport/transport.js';
import type { Io } from '../io.js';
import { metricsFlags, startMetricsEndpoint } from './metrics-endpoint.js';

export interface BackfillMetrics {
  close(io: Io): Promise<void>;
}

/**
 * --metrics-listen for backfill, kept outside the backfill's own code: it wraps the transport's
 * send (every batch and single hit goes through it) and counts hits, batches tracked and invalid,
 * latency and requests in flight. Undefined without the flag. Throws a UsageError for a bad flag
 * before anything is sent.
 */
export async function backfillMetrics(io: Io, cmd: Command, transport: Transport): Promise<BackfillMetrics | undefined> {
  const flags = metricsFlags(cmd);
  if (!flags) return undefined;
  const prom = new PromMetrics([]);
  const started = performance.now();
  let hits = 0;
  let inFlight = 0;
  prom.watch({
    snapshot: () => {
      const elapsedMs = performance.now() - started;
      return { visitsInFlight: inFlight, targetRate: null, unit: 'hits-per-second', achievedHitsPerSecond: hits / Math.max(1, elapsedMs / 1000), elapsedMs };
    },
  });
  const send = transport.send.bind(transport);
  transport.send = async (request, signal) => {
    const bulk = request.method === 'POST' && bulkSize(request.body);
    const count = bulk === false ? 1 : bulk;
    inFlight += 1;
    try {
      const outcome = await send(request, signal);
      // The Reporting API calls of the precheck and verify are not tracking hits.
      if (!/\/(matomo|piwik)\.php$/.test(targetLabel(request.url))) return outcome;
      const label = targetLabel(request.url);
      hits += count;
      prom.request(label, bulk === false ? 'single' : 'bulk', signal?.aborted ? undefined : outcome, count);
      if (bulk !== false && outcome.kind === 'response' && outcome.status === 200) {
        const answer = bulkAnswer(outcome.body);
        if (answer) prom.batch(label, answer.tracked, answer.invalid);
      }
      return outcome;
    } finally {
      inFlight -= 1;
    }
  };
  const endpoint = await startMetricsEndpoint(flags, prom);
  io.stderr.write(`backfill: Prometheus metrics at ${endpoint.url}\n`);
  return { close: (io2) => endpoint.close(io2) };
}

/** Hits in a bulk body, or false when the body is not a bulk request. */
function bulkSize(body: string | undefined): number | false {
  if (!body || !body.trimStart().startsWith('{')) return false;
  try {
    const parsed = JSON.parse(body) as { requests?: unknown };
    return Array.isArray(parsed.requests) ? parsed.requests.length : false;
  } catch {
    return false;
  }
}

function bulkAnswer(body: string): { tracked: number; invalid: number } | undefined {
  try {
    const parsed = JSON.parse(body) as { tracked?: unknown; invalid?: unknown };
    if (typeof parsed.tracked !== 'number') return undefined;
    return { tracked: parsed.tracked, invalid: typeof parsed.invalid === 'number' ? parsed.invalid : 0 };
  } catch {
    return undefined;
  }
}
