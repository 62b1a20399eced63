import { Agent, request } from 'undici';
import type { NetworkErrorClass, Transport } from '../transport/transport.js';

/**
 * A small HTTP client for probing a target before anything is sent: one request at a time, a hard
 * timeout, and every failure named (DNS, refused, TLS, timeout, reset). TLS is always verified. A
 * Transport, so validate's Reporting API calls go through the same client as backfill's and verify's
 * (matomo/api.ts).
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
        const errorClass = classify(error);
        return {
          kind: 'error',
          errorClass,
          message: messageOf(error),
          latencyMs: performance.now() - started,
          mayHaveBeenProcessed: errorClass !== 'refused' && errorClass !== 'dns',
        };
      }
    },
    close: () => agent.close(),
  };
}

function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const { code, name } = current as { code?: unknown; name?: unknown };
    if (typeof code === 'string') codes.push(code);
    if (typeof name === 'string') codes.push(name);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

/** Names the reason a request got no HTTP answer. */
export function classify(error: unknown): NetworkErrorClass {
  const codes = codesOf(error);
  const has = (test: (code: string) => boolean): boolean => codes.some(test);
  if (has((c) => c === 'ENOTFOUND' || c === 'EAI_AGAIN' || c === 'EAI_NONAME')) return 'dns';
  if (has((c) => c === 'ECONNREFUSED')) return 'refused';
  if (has((c) => /^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_OSSL)/.test(c))) return 'tls';
  if (has((c) => /TIMEOUT|TimeoutError|AbortError|ETIMEDOUT/i.test(c))) return 'timeout';
  if (has((c) => c === 'ECONNRESET' || c === 'UND_ERR_SOCKET' || c === 'EPIPE')) return 'reset';
  return 'other';
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
