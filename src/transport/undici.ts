import { Agent, Pool, ProxyAgent, type Dispatcher } from 'undici';
import type { Clock } from '../time/clock.js';
import { classifyNetworkError } from './network-error.js';
import type { HttpRequest, Outcome, Transport } from './transport.js';

export interface UndiciTransportOptions {
  clock: Clock;
  /** Connections per origin: size it to the run's concurrency (visits in flight). */
  connections: number;
  /** TCP (and TLS) connect timeout, ms (default 10 s). */
  connectTimeoutMs?: number;
  /** Time to the response headers, ms (default 30 s). */
  headersTimeoutMs?: number;
  /** Time between body chunks, ms (default 30 s). */
  bodyTimeoutMs?: number;
  /** Idle keep-alive sockets live this long, ms (default 30 s). */
  keepAliveMs?: number;
  /** --insecure: skip TLS certificate verification (the CLI warns). */
  insecure?: boolean;
  /** --proxy URL: every request tunnels through it (HTTP CONNECT). */
  proxy?: string;
  /** --header values added to every request (the request's own headers win). */
  headers?: Record<string, string>;
  /**
   * Keep response headers and body in the Outcome (validate, preflight). The run leaves it off:
   * it reads the status only and discards the body, which keeps the per-hit path cheap.
   */
  captureResponse?: boolean;
}

/**
 * The real network: one keep-alive Pool per origin (a ProxyAgent with --proxy), latency from
 * the Clock's monotonic time, every failure classified instead of thrown.
 */
export class UndiciTransport implements Transport {
  private readonly pools = new Map<string, Dispatcher>();
  private readonly proxy: ProxyAgent | undefined;
  private readonly extraHeaders: Record<string, string> | undefined;
  private watched: AbortSignal | undefined;

  constructor(private readonly options: UndiciTransportOptions) {
    this.extraHeaders = options.headers && Object.keys(options.headers).length > 0 ? lowerKeys(options.headers) : undefined;
    if (options.proxy) {
      this.proxy = new ProxyAgent({
        uri: options.proxy,
        ...this.dispatcherOptions(),
        requestTls: { rejectUnauthorized: !options.insecure },
      });
    }
  }

  send(request: HttpRequest, signal?: AbortSignal): Promise<Outcome> {
    try {
      return this.dispatch(request, signal);
    } catch (error) {
      // As from an async function: a bad URL or option rejects, it does not throw at the caller.
      return Promise.reject(error as Error);
    }
  }

  private dispatch(request: HttpRequest, signal: AbortSignal | undefined): Promise<Outcome> {
    const split = request.origin !== undefined && request.path !== undefined ? (request as Split) : splitUrl(request.url);
    const dispatcher = this.proxy ?? this.pool(split.origin);
    const headers = this.extraHeaders ? { ...this.extraHeaders, ...request.headers } : request.headers;
    // The engine passes one run-wide signal: watch it once instead of adding a listener per
    // request (that costs on every hit and trips Node's listener-leak warning at 100 in flight).
    if (signal !== undefined && signal !== this.watched) this.watch(signal);
    if (signal?.aborted) return Promise.resolve(aborted(signal, 0));
    const options = { origin: split.origin, path: split.path, method: request.method, headers, body: request.body };
    if (!this.options.captureResponse) {
      // One promise and one handler per hit, settled by the handler itself with the outcome.
      const clock = this.options.clock;
      return new Promise<Outcome>((resolve) => {
        const handler = new StatusOnly(resolve, clock, signal);
        try {
          dispatcher.dispatch(options, handler);
        } catch (error) {
          handler.onError(error as Error);
        }
      });
    }
    return this.captured(dispatcher, options, signal);
  }

  private async captured(dispatcher: Dispatcher, options: Dispatcher.RequestOptions, signal: AbortSignal | undefined): Promise<Outcome> {
    const clock = this.options.clock;
    const started = clock.monotonic();
    try {
      const response = await dispatcher.request(options);
      const body = await response.body.text();
      return {
        kind: 'response',
        status: response.statusCode,
        headers: flatHeaders(response.headers),
        body,
        latencyMs: clock.monotonic() - started,
      };
    } catch (error) {
      return failed(error, signal, clock.monotonic() - started);
    }
  }

  async close(): Promise<void> {
    const closing = [...this.pools.values()].map((pool) => pool.close());
    if (this.proxy) closing.push(this.proxy.close());
    await Promise.allSettled(closing);
  }

  /** Ends every connection now (a stop at once); requests in flight fail. */
  async destroy(): Promise<void> {
    const destroying = [...this.pools.values()].map((pool) => pool.destroy());
    this.pools.clear();
    if (this.proxy) destroying.push(this.proxy.destroy());
    await Promise.allSettled(destroying);
  }

  private watch(signal: AbortSignal): void {
    this.watched = signal;
    signal.addEventListener('abort', () => void this.destroy(), { once: true });
  }

  private pool(origin: string): Dispatcher {
    let pool = this.pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, this.dispatcherOptions());
      this.pools.set(origin, pool);
    }
    return pool;
  }

  private dispatcherOptions(): Pool.Options & Agent.Options {
    const o = this.options;
    return {
      connections: o.connections,
      pipelining: 1,
      keepAliveTimeout: o.keepAliveMs ?? 30_000,
      headersTimeout: o.headersTimeoutMs ?? 30_000,
      bodyTimeout: o.bodyTimeoutMs ?? 30_000,
      connect: { timeout: o.connectTimeoutMs ?? 10_000, rejectUnauthorized: !o.insecure },
    };
  }
}

type Split = { origin: string; path: string };

/** The headers of a status-only outcome: one shared empty object, not a new one per hit. */
const NO_HEADERS: Record<string, string> = Object.freeze({});

/**
 * A run's hit needs the status only. undici's request() wraps every response in a Readable stream
 * (and parses its headers) that the caller then dumps; a dispatch handler that keeps the status
 * and drops the body chunks as they arrive costs one small object per hit instead, and settles the
 * hit's promise with its outcome (no async function around it). It uses undici's handler callbacks
 * that Client calls directly (onHeaders/onData/onComplete; the newer onResponse* names go through
 * a wrapper that parses the headers again).
 */
class StatusOnly implements Dispatcher.DispatchHandler {
  private status = 0;
  private readonly started: number;

  constructor(
    private readonly resolve: (outcome: Outcome) => void,
    private readonly clock: Clock,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.started = clock.monotonic();
  }

  onConnect(): void {}

  /** Called again after 1xx informational answers: the last status is the final one. */
  onHeaders(statusCode: number): boolean {
    this.status = statusCode;
    return true;
  }

  onData(): boolean {
    return true;
  }

  onComplete(): void {
    this.resolve({ kind: 'response', status: this.status, headers: NO_HEADERS, body: '', latencyMs: this.clock.monotonic() - this.started });
  }

  onError(error: Error): void {
    this.resolve(failed(error, this.signal, this.clock.monotonic() - this.started));
  }
}

/** The outcome of a request that got no answer: aborted by the run, or a classified network error. */
function failed(error: unknown, signal: AbortSignal | undefined, latencyMs: number): Outcome {
  if (signal?.aborted) return aborted(signal, latencyMs);
  const { errorClass, mayHaveBeenProcessed } = classifyNetworkError(error);
  return { kind: 'error', errorClass, message: describeError(error), latencyMs, mayHaveBeenProcessed };
}

function aborted(signal: AbortSignal, latencyMs: number): Outcome {
  const reason: unknown = signal.reason;
  return {
    kind: 'error',
    errorClass: 'other',
    message: `aborted: ${reason instanceof Error ? reason.message : String(reason)}`,
    latencyMs,
    mayHaveBeenProcessed: true,
  };
}

/** `http://host:port/path?q` -> origin and path, without building a URL object per hit. */
export function splitUrl(url: string): { origin: string; path: string } {
  const scheme = url.indexOf('://');
  const slash = scheme < 0 ? -1 : url.indexOf('/', scheme + 3);
  if (slash < 0) {
    const query = url.indexOf('?', scheme + 3);
    if (query < 0) return { origin: url, path: '/' };
    return { origin: url.slice(0, query), path: '/' + url.slice(query) };
  }
  return { origin: url.slice(0, slash), path: url.slice(slash) };
}

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = codeOf(error) ?? codeOf((error as { cause?: unknown }).cause);
  return code ? `${code}: ${error.message}` : error.message;
}

function flatHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = value;
  return out;
}
