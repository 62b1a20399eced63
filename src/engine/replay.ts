import { jobsOfDay, type Batch, type Job } from '../backfill/batcher.js';
import type { VisitsOfDay } from '../backfill/plan.js';
import { bulkBody, parseBulkAnswer, singleHitBody } from '../matomo/bulk.js';
import type { TrackingRequest } from '../matomo/request.js';
import type { Rng } from '../random/rng.js';
import type { Clock } from '../time/clock.js';
import type { HttpRequest, Outcome, Transport } from '../transport/transport.js';

/**
 * Backfill replay: sends a plan's visits as fast as the concurrency (batches in flight) and the
 * optional rate limit allow, journals every visit before and after its batch, and accounts for
 * every hit. Nothing here is per hit but counting: one promise and two journal writes per batch.
 */

/** Terminal states of a visit in the journal. `released`: nothing of it was processed; send again. */
export type VisitState = 'acked' | 'failed' | 'uncertain' | 'released';

export interface ReplayJournal {
  /** Called (and flushed) before the batch that holds the visits' first hits is sent. */
  inFlight(date: string, visits: readonly number[]): void;
  /** Called after an answer for the visits whose fate is now known; empty lists may be omitted. */
  settle(date: string, states: Partial<Record<VisitState, readonly number[]>>): void;
}

/** A hit that was not recorded and is safe to send again (`--retry-failed`). */
export interface DeadHit {
  kind: 'hit';
  target?: string;
  day: string;
  visit: number;
  hit: number;
  type: string;
  /** ISO-8601 UTC instant of the hit (its cdt). */
  at: string;
  reason: string;
  userAgent: string;
  params: Array<[string, string]>;
}

/** Invalid hits that Matomo did not name (no super-user token): nothing can be resent. */
export interface DeadBatch {
  kind: 'batch';
  target?: string;
  day: string;
  visits: number[];
  hits: number;
  invalid: number;
  reason: string;
}

export type DeadLetter = DeadHit | DeadBatch;

export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  baseMs: number;
  maxMs: number;
  /** Longest Retry-After honoured; longer ones are clipped to it. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 5, baseMs: 500, maxMs: 30_000, maxRetryAfterMs: 300_000 };

export interface ReplayDay {
  date: string;
  /** Visit indices to send, ascending (all of the day, or what a resume still needs). */
  visits: Iterable<number>;
  /** Visits the plan gives the day (for the report). */
  plannedVisits: number;
}

export interface ReplayOptions {
  clock: Clock;
  transport: Transport;
  /** Backoff jitter. */
  rng: Rng;
  url: string;
  tokenAuth?: string;
  /** 1 sends single hits (POST form); more sends bulk JSON. */
  bulkSize: number;
  /** Batches in flight at most. */
  concurrency: number;
  /** Tracking requests per second (a batch counts as its hits); undefined: no limit. */
  rateLimit?: number;
  /** Visits started per second (the predecessor's BACKFILL_RPS_LIMIT unit); undefined: no limit. */
  visitRateLimit?: number;
  retry?: Partial<RetryPolicy>;
  /** Retry timeouts, resets and ambiguous 5xx too, at the risk of duplicates (counted). */
  retryAmbiguous?: boolean;
  days: ReplayDay[];
  visitsOfDay: VisitsOfDay;
  journal: ReplayJournal;
  deadLetter(record: DeadLetter): void;
  /** Names the target in dead-letter records. */
  target?: string;
  /** Stops taking new batches; batches in flight are answered and accounted. */
  signal?: AbortSignal;
  onDayDone?(day: DayOutcome): void;
}

export interface DayOutcome {
  date: string;
  plannedVisits: number;
  /** Visits this replay set out to send, and their fates. */
  visits: number;
  visitsAcked: number;
  visitsFailed: number;
  visitsUncertain: number;
  /** Visits given back (interrupted before anything of them was processed). */
  visitsReleased: number;
  /** Hits generated for the visits above. */
  hits: number;
  /** Hits sent at least once. */
  sent: number;
  /** Extra sends: resent batches (500 rollback, retries). */
  resent: number;
  tracked: number;
  invalid: number;
  /** Of `invalid`, hits Matomo did not name (dead-lettered as a batch and a count). */
  invalidUnnamed: number;
  /** Hits not recorded, dead-lettered for --retry-failed (invalid not included). */
  failed: number;
  /** Hits that may or may not be recorded (ambiguous errors not retried). */
  uncertain: number;
  /** Hits a bulk answer counted neither as tracked nor as invalid. */
  unaccounted: number;
  /** Hits resent after an ambiguous error (--retry-ambiguous): possibly recorded twice. */
  possiblyDuplicated: number;
  /** Every visit of the day reached a state (false when interrupted). */
  done: boolean;
}

export interface ReplayResult {
  days: DayOutcome[];
  interrupted: boolean;
  elapsedMs: number;
}

export interface ReplaySnapshot {
  elapsedMs: number;
  daysDone: number;
  days: readonly DayOutcome[];
  hitsSent: number;
  tracked: number;
  errors: number;
  inFlight: number;
}

/** How one answer to a batch is judged. */
export type Verdict =
  | { kind: 'ok' }
  | { kind: 'retry'; reason: string; retryAfterMs?: number }
  | { kind: 'ambiguous'; reason: string }
  | { kind: 'refused'; reason: string }
  | { kind: 'invalid'; reason: string };

/**
 * Refused connections, DNS failures, 429 and 503 prove nothing was processed: retry. A 500 to a
 * bulk request means Matomo rolled the batch's transaction back: resend it whole. Timeouts, resets
 * and other 5xx may have been processed: ambiguous. A 400 to a single hit is Matomo rejecting it;
 * other 4xx refuse the request (a bulk's transaction is rolled back).
 */
export function judge(outcome: Outcome, bulk: boolean, nowMs: number): Verdict {
  if (outcome.kind === 'error') {
    const reason = `${outcome.errorClass}: ${outcome.message}`;
    return outcome.mayHaveBeenProcessed ? { kind: 'ambiguous', reason } : { kind: 'retry', reason };
  }
  const s = outcome.status;
  if (s >= 200 && s < 300) return { kind: 'ok' };
  if (s === 429 || s === 503) {
    const retryAfterMs = parseRetryAfter(outcome.headers['retry-after'], nowMs);
    return retryAfterMs === undefined ? { kind: 'retry', reason: `HTTP ${s}` } : { kind: 'retry', reason: `HTTP ${s}`, retryAfterMs };
  }
  if (s === 500 && bulk) return { kind: 'retry', reason: 'HTTP 500 (bulk rolled back)' };
  if (s >= 500) return { kind: 'ambiguous', reason: `HTTP ${s}` };
  if (s === 400 && !bulk) return { kind: 'invalid', reason: 'HTTP 400 (Matomo rejected the hit)' };
  return { kind: 'refused', reason: `HTTP ${s}` };
}

/** Retry-After as delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** Exponential backoff with equal jitter: half fixed, half random. attempt counts from 1. */
export function backoffMs(policy: RetryPolicy, attempt: number, rng: Rng): number {
  const full = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
  return Math.round(full / 2 + rng.next() * (full / 2));
}

function emptyOutcome(day: ReplayDay): DayOutcome {
  return {
    date: day.date,
    plannedVisits: day.plannedVisits,
    visits: 0,
    visitsAcked: 0,
    visitsFailed: 0,
    visitsUncertain: 0,
    visitsReleased: 0,
    hits: 0,
    sent: 0,
    resent: 0,
    tracked: 0,
    invalid: 0,
    invalidUnnamed: 0,
    failed: 0,
    uncertain: 0,
    unaccounted: 0,
    possiblyDuplicated: 0,
    done: false,
  };
}

/** Per-hit fate inside one batch's answer. */
const TRACKED = 0;
const INVALID = 1;
const FAILED = 2;
const UNCERTAIN = 3;
const UNSENT = 4;
const UNACCOUNTED = 5;

interface BatchResult {
  /** One code per request, or one code for all. */
  fates: Uint8Array | number;
  reason: string;
  /** Invalid hits the answer did not name. */
  invalidUnnamed: number;
  /** Hits the answer accounts for neither as tracked nor as invalid (not placed on any hit). */
  unaccounted: number;
}

interface DayState {
  outcome: DayOutcome;
  pendingJobs: number;
  generated: boolean;
}

export class Replay {
  private readonly policy: RetryPolicy;
  private readonly states: DayState[];
  private readonly jobs: Iterator<{ state: DayState; job: Job }>;
  private readonly startedAt: number;
  private inFlight = 0;
  private scheduledHits = 0;
  private scheduledVisits = 0;
  private interrupted = false;
  private totals = { sent: 0, tracked: 0, errors: 0 };

  constructor(private readonly o: ReplayOptions) {
    if (!(o.concurrency >= 1)) throw new RangeError('concurrency must be >= 1');
    if (o.rateLimit !== undefined && !(o.rateLimit > 0)) throw new RangeError('rate limit must be > 0');
    if (o.visitRateLimit !== undefined && !(o.visitRateLimit > 0)) throw new RangeError('visit rate limit must be > 0');
    this.policy = { ...DEFAULT_RETRY, ...o.retry };
    this.states = o.days.map((d) => ({ outcome: emptyOutcome(d), pendingJobs: 0, generated: false }));
    this.jobs = this.generate();
    this.startedAt = o.clock.monotonic();
  }

  snapshot(): ReplaySnapshot {
    return {
      elapsedMs: this.o.clock.monotonic() - this.startedAt,
      daysDone: this.states.filter((s) => s.outcome.done).length,
      days: this.states.map((s) => s.outcome),
      hitsSent: this.totals.sent,
      tracked: this.totals.tracked,
      errors: this.totals.errors,
      inFlight: this.inFlight,
    };
  }

  async run(): Promise<ReplayResult> {
    const workers: Array<Promise<void>> = [];
    for (let i = 0; i < this.o.concurrency; i++) workers.push(this.worker());
    await Promise.all(workers);
    return {
      days: this.states.map((s) => s.outcome),
      interrupted: this.interrupted,
      elapsedMs: this.o.clock.monotonic() - this.startedAt,
    };
  }

  private *generate(): Generator<{ state: DayState; job: Job }> {
    for (const [i, day] of this.o.days.entries()) {
      const state = this.states[i] as DayState;
      const visits = this.o.visitsOfDay(day.date, day.visits);
      for (const job of jobsOfDay(day.date, visits, this.o.bulkSize)) {
        for (const b of job.batches) state.outcome.visits += b.starts.length;
        state.outcome.hits += job.hits;
        state.pendingJobs++;
        yield { state, job };
      }
      state.generated = true;
      this.finishIfDone(state);
    }
  }

  private stopped(): boolean {
    if (this.o.signal?.aborted) this.interrupted = true;
    return this.interrupted;
  }

  private async worker(): Promise<void> {
    for (;;) {
      if (this.stopped()) return;
      const next = this.jobs.next();
      if (next.done) return;
      const { state, job } = next.value;
      await this.runJob(state, job);
      state.pendingJobs--;
      this.finishIfDone(state);
    }
  }

  private finishIfDone(state: DayState): void {
    if (state.generated && state.pendingJobs === 0 && !state.outcome.done && !this.interrupted) {
      state.outcome.done = true;
      this.o.onDayDone?.(state.outcome);
    }
  }

  private async runJob(state: DayState, job: Job): Promise<void> {
    const out = state.outcome;
    // Visits of this job that already have a fate (failed, uncertain): their later hits stay unsent.
    let settled: Map<number, VisitState> | undefined;
    for (let b = 0; b < job.batches.length; b++) {
      let batch = job.batches[b] as Batch;
      if (settled) batch = this.without(batch, settled, out, job.date);
      const starts = batch.starts.filter((v) => !settled?.has(v));
      if (batch.requests.length === 0) {
        if (batch.ends.length) this.o.journal.settle(job.date, { acked: batch.ends.filter((v) => !settled?.has(v)) });
        out.visitsAcked += batch.ends.filter((v) => !settled?.has(v)).length;
        continue;
      }
      if (this.stopped() || !(await this.pace(batch.requests.length, starts.length))) {
        // Interrupted before this batch went out.
        this.giveBack(job, b, settled, out);
        return;
      }
      if (starts.length) this.o.journal.inFlight(job.date, starts);
      this.inFlight++;
      const result = await this.sendBatch(batch, out);
      this.inFlight--;
      settled = this.account(job, batch, result, settled, out);
    }
  }

  /** Interrupted before batch b: untouched visits are released, partly sent ones failed. */
  private giveBack(job: Job, b: number, settled: Map<number, VisitState> | undefined, out: DayOutcome): void {
    const released: number[] = [];
    const failed: number[] = [];
    const begun = new Set<number>();
    for (let k = 0; k < b; k++) for (const v of (job.batches[k] as Batch).starts) begun.add(v);
    for (let k = b; k < job.batches.length; k++) {
      const batch = job.batches[k] as Batch;
      for (let i = 0; i < batch.requests.length; i++) {
        const v = batch.owners[i] as number;
        const state = settled?.get(v);
        if (state === 'failed') {
          this.deadHit(job.date, v, batch.requests[i] as TrackingRequest, 'not sent: an earlier hit of the visit failed');
          out.failed++;
        } else if (state === undefined && begun.has(v)) {
          this.deadHit(job.date, v, batch.requests[i] as TrackingRequest, 'not sent: interrupted in the middle of the visit');
          out.failed++;
        }
      }
      for (const v of batch.starts) if (!settled?.has(v)) released.push(v);
      for (const v of batch.ends) if (begun.has(v) && !settled?.has(v)) failed.push(v);
    }
    this.o.journal.settle(job.date, { released, failed });
    out.visitsReleased += released.length;
    out.visitsFailed += failed.length;
  }

  /** The batch minus the hits of visits already settled (dead-lettered when they failed). */
  private without(batch: Batch, settled: Map<number, VisitState>, out: DayOutcome, date: string): Batch {
    const next: Batch = { requests: [], owners: [], starts: batch.starts, ends: batch.ends };
    for (let i = 0; i < batch.requests.length; i++) {
      const v = batch.owners[i] as number;
      const state = settled.get(v);
      if (state === undefined) {
        next.requests.push(batch.requests[i] as TrackingRequest);
        next.owners.push(v);
      } else if (state === 'failed') {
        this.deadHit(date, v, batch.requests[i] as TrackingRequest, 'not sent: an earlier hit of the visit failed');
        out.failed++;
      }
    }
    return next;
  }

  /**
   * Waits for the rate limits, scheduled from the start (no drift): the batch goes when the hits
   * and the visits sent before it are due under both limits. False when interrupted while waiting.
   */
  private async pace(hits: number, visits: number): Promise<boolean> {
    const rate = this.o.rateLimit;
    const visitRate = this.o.visitRateLimit;
    if (rate === undefined && visitRate === undefined) return true;
    let dueMs = this.startedAt;
    if (rate !== undefined) dueMs = Math.max(dueMs, this.startedAt + (this.scheduledHits / rate) * 1000);
    if (visitRate !== undefined) dueMs = Math.max(dueMs, this.startedAt + (this.scheduledVisits / visitRate) * 1000);
    this.scheduledHits += hits;
    this.scheduledVisits += visits;
    const waitMs = dueMs - this.o.clock.monotonic();
    if (waitMs <= 0) return true;
    try {
      await this.o.clock.sleep(waitMs, this.o.signal);
      return true;
    } catch {
      this.interrupted = true;
      return false;
    }
  }

  private request(batch: Batch): HttpRequest {
    if (this.o.bulkSize > 1) {
      return {
        method: 'POST',
        url: this.o.url,
        headers: { 'content-type': 'application/json' },
        body: bulkBody(batch.requests, this.o.tokenAuth),
      };
    }
    const hit = batch.requests[0] as TrackingRequest;
    return {
      method: 'POST',
      url: this.o.url,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': hit.userAgent },
      body: singleHitBody(hit, this.o.tokenAuth),
    };
  }

  private async sendBatch(batch: Batch, out: DayOutcome): Promise<BatchResult> {
    const bulk = this.o.bulkSize > 1;
    const n = batch.requests.length;
    const request = this.request(batch);
    let ambiguousSeen = false;
    let reason = '';
    for (let attempt = 0; ; attempt++) {
      if (attempt === 0) {
        out.sent += n;
        this.totals.sent += n;
      } else {
        out.resent += n;
        if (ambiguousSeen) out.possiblyDuplicated += n;
      }
      // Not aborted by the signal: a batch on the wire is answered and accounted.
      const outcome = await this.o.transport.send(request);
      const verdict = judge(outcome, bulk, this.o.clock.now());
      if (verdict.kind === 'ok') return this.readAnswer(outcome, batch);
      this.totals.errors++;
      reason = verdict.reason;
      if (verdict.kind === 'invalid') return { fates: INVALID, reason, invalidUnnamed: 0, unaccounted: 0 };
      if (verdict.kind === 'refused') return { fates: ambiguousSeen ? UNCERTAIN : FAILED, reason, invalidUnnamed: 0, unaccounted: 0 };
      if (verdict.kind === 'ambiguous') {
        ambiguousSeen = true;
        if (!this.o.retryAmbiguous) return { fates: UNCERTAIN, reason, invalidUnnamed: 0, unaccounted: 0 };
      }
      if (attempt >= this.policy.retries) {
        return { fates: ambiguousSeen ? UNCERTAIN : FAILED, reason: `${reason} (after ${attempt + 1} attempts)`, invalidUnnamed: 0, unaccounted: 0 };
      }
      const retryAfterMs = verdict.kind === 'retry' ? verdict.retryAfterMs : undefined;
      const waitMs =
        retryAfterMs !== undefined
          ? Math.min(retryAfterMs, this.policy.maxRetryAfterMs)
          : backoffMs(this.policy, attempt + 1, this.o.rng);
      try {
        await this.o.clock.sleep(waitMs, this.o.signal);
      } catch {
        this.interrupted = true;
        return { fates: ambiguousSeen ? UNCERTAIN : UNSENT, reason: `${reason}; interrupted while waiting to retry`, invalidUnnamed: 0, unaccounted: 0 };
      }
    }
  }

  private readAnswer(outcome: Outcome, batch: Batch): BatchResult {
    if (this.o.bulkSize === 1 || outcome.kind !== 'response') return { fates: TRACKED, reason: '', invalidUnnamed: 0, unaccounted: 0 };
    const n = batch.requests.length;
    const parsed = parseBulkAnswer(outcome.body, n);
    if (!parsed.ok) return { fates: UNACCOUNTED, reason: parsed.message, invalidUnnamed: 0, unaccounted: 0 };
    const a = parsed.answer;
    if (a.tracked >= n) return { fates: TRACKED, reason: '', invalidUnnamed: 0, unaccounted: 0 };
    if (a.invalidIndices && a.invalidIndices.length === a.invalid) {
      const fates = new Uint8Array(n);
      for (const i of a.invalidIndices) fates[i] = INVALID;
      return { fates, reason: 'invalid (named by Matomo)', invalidUnnamed: 0, unaccounted: a.unaccounted };
    }
    // Matomo did not say which hits were invalid: recorded as the batch and a count.
    return { fates: TRACKED, reason: 'invalid (not named: needs a super-user token)', invalidUnnamed: a.invalid, unaccounted: a.unaccounted };
  }

  /** Counts the batch's hits and settles the visits whose fate is now known. */
  private account(
    job: Job,
    batch: Batch,
    result: BatchResult,
    settled: Map<number, VisitState> | undefined,
    out: DayOutcome,
  ): Map<number, VisitState> | undefined {
    const n = batch.requests.length;
    const visitFate = new Map<number, VisitState>();
    const worse = (v: number, s: VisitState): void => {
      const cur = visitFate.get(v);
      if (cur === 'uncertain' || (cur === 'failed' && s !== 'uncertain')) return;
      visitFate.set(v, s);
    };
    const starts = new Set(batch.starts);
    for (let i = 0; i < n; i++) {
      const fate = typeof result.fates === 'number' ? result.fates : (result.fates[i] as number);
      const v = batch.owners[i] as number;
      const req = batch.requests[i] as TrackingRequest;
      switch (fate) {
        case TRACKED:
          out.tracked++;
          this.totals.tracked++;
          break;
        case UNACCOUNTED:
          out.unaccounted++;
          break;
        case INVALID:
          out.invalid++;
          this.deadHit(job.date, v, req, result.reason);
          worse(v, 'failed');
          break;
        case FAILED:
          out.failed++;
          this.deadHit(job.date, v, req, result.reason);
          worse(v, 'failed');
          break;
        case UNCERTAIN:
          out.uncertain++;
          worse(v, 'uncertain');
          break;
        case UNSENT:
          if (starts.has(v)) {
            worse(v, 'released');
          } else {
            // Its earlier hits were recorded: the rest goes to the dead letters to complete it.
            out.failed++;
            this.deadHit(job.date, v, req, `not sent: ${result.reason}`);
            worse(v, 'failed');
          }
          break;
      }
    }
    // Counts without names: placed on no hit in particular, taken off `tracked`.
    const unnamed = result.invalidUnnamed + result.unaccounted;
    if (unnamed > 0) {
      out.tracked -= unnamed;
      this.totals.tracked -= unnamed;
      out.invalid += result.invalidUnnamed;
      out.invalidUnnamed += result.invalidUnnamed;
      out.unaccounted += result.unaccounted;
    }
    if (result.invalidUnnamed > 0) {
      // Any visit of the batch may hold an invalid hit; none can be resent without risking duplicates.
      const visits = [...new Set(batch.owners)];
      for (const v of visits) worse(v, 'failed');
      this.o.deadLetter({
        kind: 'batch',
        ...(this.o.target ? { target: this.o.target } : {}),
        day: job.date,
        visits,
        hits: n,
        invalid: result.invalidUnnamed,
        reason: result.reason,
      });
    }
    const acked: number[] = [];
    const failed: number[] = [];
    const uncertain: number[] = [];
    const released: number[] = [];
    for (const [v, state] of visitFate) {
      (settled ??= new Map()).set(v, state);
      if (state === 'failed') failed.push(v);
      else if (state === 'uncertain') uncertain.push(v);
      else released.push(v);
    }
    for (const v of batch.ends) if (!settled?.has(v)) acked.push(v);
    this.o.journal.settle(job.date, { acked, failed, uncertain, released });
    out.visitsAcked += acked.length;
    out.visitsFailed += failed.length;
    out.visitsUncertain += uncertain.length;
    out.visitsReleased += released.length;
    return settled;
  }

  private deadHit(date: string, visit: number, req: TrackingRequest, reason: string): void {
    this.o.deadLetter({
      kind: 'hit',
      ...(this.o.target ? { target: this.o.target } : {}),
      day: date,
      visit,
      hit: req.hitIndex,
      type: req.type,
      at: new Date(req.at).toISOString(),
      reason,
      userAgent: req.userAgent,
      params: req.params,
    });
  }
}

/** Runs a replay to its end (or interruption). */
export function replay(options: ReplayOptions): Promise<ReplayResult> {
  return new Replay(options).run();
}
