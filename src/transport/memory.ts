import type { Clock } from '../time/clock.js';
import type { HttpRequest, NetworkErrorClass, Outcome, Transport } from './transport.js';

/** What a scripted request answers; `delayMs` is slept on the given Clock (ManualClock in tests). */
export type ScriptedOutcome =
  | { status: number; body?: string; headers?: Record<string, string>; delayMs?: number }
  | { error: NetworkErrorClass; message?: string; mayHaveBeenProcessed?: boolean; delayMs?: number };

export interface MemoryTransportOptions {
  /** Needed for delays; without one every answer is immediate. */
  clock?: Clock;
  /** The answer to request number `index` (0-based, in send order); default 204. */
  respond?: (request: HttpRequest, index: number) => ScriptedOutcome;
}

/** A transport for tests: records every request, answers from a script, counts what is in flight. */
export class MemoryTransport implements Transport {
  readonly requests: HttpRequest[] = [];
  inFlight = 0;
  maxInFlight = 0;
  closed = false;

  constructor(private readonly options: MemoryTransportOptions = {}) {}

  async send(request: HttpRequest, signal?: AbortSignal): Promise<Outcome> {
    const index = this.requests.length;
    this.requests.push(request);
    const script = this.options.respond?.(request, index) ?? { status: 204 };
    const delay = script.delayMs ?? 0;
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (delay > 0) {
        if (!this.options.clock) throw new Error('MemoryTransport needs a clock for delays');
        await this.options.clock.sleep(delay, signal);
      } else if (signal?.aborted) {
        throw signal.reason;
      }
    } catch (error) {
      return {
        kind: 'error',
        errorClass: 'other',
        message: `aborted: ${error instanceof Error ? error.message : String(error)}`,
        latencyMs: 0,
        mayHaveBeenProcessed: true,
      };
    } finally {
      this.inFlight -= 1;
    }
    if ('error' in script) {
      return {
        kind: 'error',
        errorClass: script.error,
        message: script.message ?? script.error,
        latencyMs: delay,
        mayHaveBeenProcessed: script.mayHaveBeenProcessed ?? !['refused', 'dns'].includes(script.error),
      };
    }
    return {
      kind: 'response',
      status: script.status,
      headers: script.headers ?? {},
      body: script.body ?? '',
      latencyMs: delay,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
