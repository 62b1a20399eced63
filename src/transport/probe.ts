import { Agent, request } from 'undici';
import { classifyNetworkError } from './network-error.js';
import type { Transport } from './transport.js';

/**
 * A small HTTP client for probing a target before anything is sent: one request at a time, a hard
 * timeout, and every failure named (DNS, refused, TLS, timeout, reset). TLS is always verified. A
 * Transport, so validate's Reporting API calls go through the same client as backfill's and verify's
 * (matomo/api.ts); failures are named by transport/network-error.ts, as the load's are.
 */
export type ProbeHttp = Transport;

export function probeHttp(options: { timeoutMs: number; signal?: AbortSignal }): ProbeHttp {
  const agent = new Agent({
    connect: { timeout: options.timeoutMs },
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
  });
  return {
    async send(req) {
      const started = performance.now();
      const signals = [AbortSignal.timeout(options.timeoutMs)];
      if (options.signal) signals.push(options.signal);
      try {
        const res = await request(req.url, {
          method: req.method,
          headers: req.headers,
          ...(req.body === undefined ? {} : { body: req.body }),
          dispatcher: agent,
          signal: AbortSignal.any(signals),
        });
        const body = await res.body.text();
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) {
          if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
        }
        return { kind: 'response', status: res.statusCode, headers, body, latencyMs: performance.now() - started };
      } catch (error) {
        return { kind: 'error', ...classifyNetworkError(error), message: messageOf(error), latencyMs: performance.now() - started };
      }
    },
    close: () => agent.close(),
  };
}

function messageOf(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 3 && current instanceof Error; depth++) {
    if (current.message && !parts.includes(current.message)) parts.push(current.message);
    current = current.cause;
  }
  return parts.join(': ') || String(error);
}
