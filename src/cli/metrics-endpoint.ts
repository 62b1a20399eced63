import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import type { PromMetrics } from '../metrics/prometheus.js';
import { isLoopback, parseDuration } from '../sink/options.js';
import type { Io } from '../io.js';

/** --metrics-listen, --metrics-public, --metrics-linger, checked. */
export interface MetricsFlags {
  host: string;
  port: number;
  lingerMs: number;
}

/** undefined without --metrics-listen; a UsageError naming the flag when one is wrong. */
export function metricsFlags(cmd: Command): MetricsFlags | undefined {
  const raw = cmd.opts<{ metricsListen?: string; metricsPublic?: boolean; metricsLinger?: string }>();
  if (raw.metricsListen === undefined) {
    if (raw.metricsLinger !== undefined) throw new UsageError('--metrics-linger goes with --metrics-listen HOST:PORT');
    if (raw.metricsPublic) throw new UsageError('--metrics-public goes with --metrics-listen HOST:PORT');
    return undefined;
  }
  const match = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(raw.metricsListen.trim());
  const port = Number(match?.[2]);
  if (!match || port > 65535) throw new UsageError(`--metrics-listen ${raw.metricsListen} is not HOST:PORT (e.g. 127.0.0.1:9464)`);
  const host = match[1]!;
  if (!raw.metricsPublic && !isLoopback(host)) {
    throw new UsageError(`--metrics-listen ${raw.metricsListen}: not a loopback address; metrics are served on 127.0.0.1, ::1 or localhost unless --metrics-public is given`);
  }
  return { host, port, lingerMs: raw.metricsLinger === undefined ? 0 : parseDuration('--metrics-linger', raw.metricsLinger) };
}

export interface MetricsEndpoint {
  url: string;
  /** Waits --metrics-linger (or until Ctrl-C), then stops serving. */
  close(io: Io): Promise<void>;
}

/** Serves GET /metrics; a busy port is a UsageError before anything is sent. */
export async function startMetricsEndpoint(flags: MetricsFlags, prom: PromMetrics): Promise<MetricsEndpoint> {
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: metrics are at /metrics\n');
      return;
    }
    prom.render().then(
      (text) => res.writeHead(200, { 'content-type': prom.contentType }).end(text),
      (error: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${String(error)}\n`),
    );
  });
  const host = flags.host.replace(/^\[|\]$/g, '');
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new UsageError(`--metrics-listen ${flags.host}:${flags.port}: cannot listen (${error.code ?? error.message}); choose another port, or 0 for a free one`)),
    );
    server.listen(flags.port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${shown}:${address.port}/metrics`;
  return {
    url,
    async close(io) {
      if (flags.lingerMs > 0 && !io.signal.aborted) {
        io.stderr.write(`metrics: still serving ${url} for ${flags.lingerMs / 1000} s for a last scrape (Ctrl-C ends it)\n`);
        await new Promise<void>((done) => {
          const timer = setTimeout(done, flags.lingerMs);
          io.signal.addEventListener('abort', () => (clearTimeout(timer), done()), { once: true });
        });
      }
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
    },
  };
}
