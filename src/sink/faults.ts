import { fnv1a, hash53, unitFromHash } from './hash.js';

export interface FaultOptions {
  latencyMs?: { min: number; max: number };
  failRate: number;
  failStatus: 500 | 503 | 429;
  resetRate: number;
  seed: number;
  /** Fraction of bulk requests that store only part of their hits and answer 500 (Matomo's deadlock). */
  partialCommitRate?: number;
  /** Hits lost at the head of such a batch; undefined: drawn per batch from 1 to n-1. */
  partialCommitLost?: number;
  /** Only batches whose hits were each received fewer than this many times before; undefined: any. */
  partialCommitAttempts?: number;
}

/** A bulk request that stores only its hits from index `lost` on, then answers 500. */
export type PartialCommit = { lost: number };

export type FaultDecision = { delayMs: number; action: 'none' | 'fail' | 'reset' };

/**
 * Decides each request's fault from its content, how many times that content was seen before
 * (the attempt number) and the seed: never from arrival order or a shared random stream, so the
 * number of faults for a given set of requests is exact whatever the concurrency. A retried
 * request is a new attempt and gets a fresh, equally deterministic, decision.
 */
export class FaultPlan {
  private readonly attempts = new Map<number, number>();
  /** How many times each hit (its query text) came in a bulk request: only with partial commits on. */
  private readonly hitAttempts = new Map<number, number>();
  readonly counts = { delayed: 0, failed: 0, reset: 0, partialCommits: 0, lostHits: 0 };

  constructor(readonly options: FaultOptions) {}

  get active(): boolean {
    const o = this.options;
    return o.failRate > 0 || o.resetRate > 0 || (o.latencyMs !== undefined && o.latencyMs.max > 0);
  }

  /**
   * Whether a bulk request commits only part of its hits (Matomo 5.0.2's deadlock on a new option
   * row: the hits before it are rolled back, the rest stored, and the answer is 500 anyway). The
   * attempt is the most times any of its hits was received before, so a resend of the whole batch
   * or of only its missing hits is a later attempt, which `partialCommitAttempts: 1` lets through.
   */
  partialCommit(body: string, hits: readonly string[]): PartialCommit | undefined {
    if (!this.options.partialCommitRate || hits.length === 0) return undefined;
    let attempt = 0;
    for (const hit of hits) {
      const key = hash53(hit);
      const before = this.hitAttempts.get(key) ?? 0;
      if (before > attempt) attempt = before;
      this.hitAttempts.set(key, before + 1);
    }
    const decision = decidePartialCommit(this.options, hash53('bulk', body), attempt, hits.length);
    if (decision) {
      this.counts.partialCommits += 1;
      this.counts.lostHits += decision.lost;
    }
    return decision;
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

/** The pure partial-commit decision for one batch content, attempt and size. */
export function decidePartialCommit(options: FaultOptions, content: number, attempt: number, size: number): PartialCommit | undefined {
  const rate = options.partialCommitRate ?? 0;
  if (rate <= 0 || size === 0) return undefined;
  if (options.partialCommitAttempts !== undefined && attempt >= options.partialCommitAttempts) return undefined;
  const base = `${content}:${attempt}:${options.seed}`;
  if (unitFromHash(fnv1a(base, 'partial')) >= rate) return undefined;
  const most = size - 1;
  const lost = options.partialCommitLost ?? (most <= 1 ? most : 1 + Math.floor(unitFromHash(fnv1a(base, 'lost')) * most));
  return { lost: Math.min(lost, most) };
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
