import { fnv1a, hash53, unitFromHash } from './hash.js';

export interface FaultOptions {
  latencyMs?: { min: number; max: number };
  failRate: number;
  failStatus: 500 | 503 | 429;
  resetRate: number;
  seed: number;
}

export type FaultDecision = { delayMs: number; action: 'none' | 'fail' | 'reset' };

/**
 * Decides each request's fault from its content, how many times that content was seen before
 * (the attempt number) and the seed: never from arrival order or a shared random stream, so the
 * number of faults for a given set of requests is exact whatever the concurrency. A retried
 * request is a new attempt and gets a fresh, equally deterministic, decision.
 */
export class FaultPlan {
  private readonly attempts = new Map<number, number>();
  readonly counts = { delayed: 0, failed: 0, reset: 0 };

  constructor(readonly options: FaultOptions) {}

  get active(): boolean {
    const o = this.options;
    return o.failRate > 0 || o.resetRate > 0 || (o.latencyMs !== undefined && o.latencyMs.max > 0);
  }

  decide(method: string, url: string, body: string): FaultDecision {
    const content = hash53(method, url, body);
    const attempt = this.attempts.get(content) ?? 0;
    this.attempts.set(content, attempt + 1);
    const decision = decideFault(this.options, content, attempt);
    if (decision.delayMs > 0) this.counts.delayed += 1;
    if (decision.action === 'fail') this.counts.failed += 1;
    if (decision.action === 'reset') this.counts.reset += 1;
    return decision;
  }
}

/** The pure decision for one content hash and attempt. */
export function decideFault(options: FaultOptions, content: number, attempt: number): FaultDecision {
  const base = `${content}:${attempt}:${options.seed}`;
  const draw = (salt: string): number => unitFromHash(fnv1a(base, salt));
  let action: FaultDecision['action'] = 'none';
  if (options.resetRate > 0 && draw('reset') < options.resetRate) action = 'reset';
  else if (options.failRate > 0 && draw('fail') < options.failRate) action = 'fail';
  let delayMs = 0;
  const latency = options.latencyMs;
  if (latency && latency.max > 0) {
    delayMs = Math.round(latency.min + draw('latency') * (latency.max - latency.min));
  }
  return { delayMs, action };
}
