import { jobsOfDay, jobsOfDayAsync, type Batch, type Job } from './batcher.js';
import type { AsyncVisitsOfDay, DayVisit, VisitsOfDay } from './plan.js';
import type { HitFate } from './reconcile.js';
import { bulkBody, parseBulkAnswer, singleHitBody } from '../matomo/bulk.js';
import type { TrackingRequest } from '../matomo/request.js';
import type { Rng } from '../random/rng.js';
import { pace } from '../schedule/pacer.js';
import { constantShape, type RateShape } from '../schedule/rate-shape.js';
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
  /**
   * Visits whose fate an earlier run left unknown (in flight when it stopped): reconciled with
   * Matomo's raw log first, then only their missing hits are sent. Needs `reconcile`.
   */
  reconcileFirst?: Iterable<number>;
  /** Of `visits`, those sent again without proof they are missing (--resend-uncertain): counted. */
  blindResend?: ReadonlySet<number>;
  /** Visits the plan gives the day (for the report). */
  plannedVisits: number;
}

/**
 * Asks Matomo's raw log which of some hits of one day it holds (reconcile.ts decides from the Live
 * API's answer): one fate per request, in order, or why it cannot tell.
 */
export type Reconciler = (date: string, requests: readonly TrackingRequest[]) => Promise<HitFate[] | { unavailable: string }>;

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
  /**
   * Reconciles batches whose answer proved nothing. Without it (no Reporting API) such batches
   * stay uncertain: nothing is ever resent blind.
   */
  reconcile?: Reconciler;
  /** Rounds of reconcile-then-resend for one batch before its hits stay uncertain. Default 3. */
  reconcileRounds?: number;
  /**
   * Wait before reconciling after a timeout or reset: the server may still be writing the batch.
   * Default 10 s. (A 5xx or a 200 is a finished request: reconciled at once.)
   */
  settleMs?: number;
  /**
   * Open each date with one batch, and only one date at a time: a date's other batches wait for its
   * first batch's answer, and no two dates' first batches are in flight together. Matomo 5.0.2
   * creates a date's fingerprint-salt row on the date's first hit, and two batches creating salt
   * rows at once (of the same or of other new dates) deadlock, after which Matomo commits part of a
   * batch and answers 500. Default true.
   */
  openDaysAlone?: boolean;
  /** The visitor id Matomo stores for a request (orders a visitor's visits); default `_id`. */
  visitorIdOf?: (req: TrackingRequest) => string;
  days: ReplayDay[];
  /** Where the visits come from: generated here, or awaited from worker threads (AsyncVisitsOfDay). */
  visitsOfDay: VisitsOfDay | AsyncVisitsOfDay;
  journal: ReplayJournal;
  deadLetter(record: DeadLetter): void;
  /** visitsOfDay is an AsyncVisitsOfDay (worker threads): jobs are awaited as the visits come in. */
  asyncSource?: boolean;
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
  /** Extra sends: retries of batches nothing of which was processed, and resends after reconciling. */
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
  /** Hits checked against Matomo's raw log after an answer that proved nothing. */
  reconciled: number;
  /** Of those, hits the raw log lacked and that were sent again. */
  resentAfterReconcile: number;
  /** Hits sent again without proof that they were missing (--resend-uncertain): possibly twice. */
  possiblyDuplicated: number;
  /** Why the day's uncertain visits are uncertain, and which they are (when there are any). */
  uncertainVisits?: { reason: string; visits: number[] };
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
 * Refused connections, DNS failures, 429 and 503 prove nothing was processed: retry. Timeouts,
 * resets and every other 5xx may have been processed, in part: ambiguous. That includes a 500 to a
 * bulk request: Matomo 5.0.2 answers 500 after a deadlock although it stored part of the batch.
 * A 400 to a single hit is Matomo rejecting it; other 4xx refuse the request.
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
    reconciled: 0,
    resentAfterReconcile: 0,
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
  /** The request may still be running on the server (timeout, reset): wait before reconciling. */
  settle: boolean;
}

function hasUncertain(result: BatchResult): boolean {
  if (typeof result.fates === 'number') return result.fates === UNCERTAIN || result.fates === UNACCOUNTED;
  for (const f of result.fates) if (f === UNCERTAIN || f === UNACCOUNTED) return true;
  return false;
}

interface DayState {
  outcome: DayOutcome;
  pendingJobs: number;
  generated: boolean;
  blindResend?: ReadonlySet<number>;
}

/** A job as the workers take it: what it waits for, and what waits for it. */
interface Work {
  state: DayState;
  job: Job;
  /** Go straight to reconciling: an earlier run sent these visits and never learnt their fate. */
  suspect: boolean;
  /** Jobs holding the earlier visits of this job's visitors, and the day's opening batch. */
  after: Array<Promise<void>>;
  /** The date's first job: its first batch goes out while no other date's first batch is out. */
  opener: boolean;
  done: Deferred;
}

/**
 * One date-opening batch in flight at a time. A date's first batch makes Matomo write the date's
 * fingerprint-salt row; the row's gap lock is shared with every other new date of the site, so two
 * such writes at once deadlock, and Matomo then commits half a batch and answers 500. Batches of
 * dates whose row exists only read it, so they go on beside an opener (measured on Matomo 5.0.2:
 * no 500 in 12 tries of a day's batches beside the next day's opener, 15 of 15 tries with 500s
 * when openers overlap).
 */
class OpenerLock {
  private held: Deferred | undefined;

  async acquire(): Promise<void> {
    while (this.held) await this.held.promise;
    this.held = deferred();
  }

  release(): void {
    const held = this.held;
    this.held = undefined;
    held?.resolve();
  }
}

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function withoutNewVisit(req: TrackingRequest): TrackingRequest {
  if (!req.params.some(([k]) => k === 'new_visit')) return req;
  // Field by field: a pre-encoded request's bulk query (and its getters) must not come along.
  const { type, visitIndex, hitIndex, at, userAgent } = req;
  return { type, visitIndex, hitIndex, at, userAgent, params: req.params.filter(([k]) => k !== 'new_visit') };
}

function paramOf(req: TrackingRequest, name: string): string {
  for (const [k, v] of req.params) if (k === name) return v;
  return '';
}

export class Replay {
  private readonly policy: RetryPolicy;
  private readonly states: DayState[];
  private readonly jobs: Iterator<Work> | AsyncIterator<Work>;
  private readonly startedAt: number;
  private readonly visitorIdOf: (req: TrackingRequest) => string;
  /** Per visitor, the job holding its latest visit while that job is unanswered. */
  private readonly latestJobOf = new Map<string, Deferred>();
  private readonly openers = new OpenerLock();
  private inFlight = 0;
  private scheduledHits = 0;
  private scheduledVisits = 0;
  /** The rate limits as the schedule's shapes (hits/s, visits/s): run and backfill pace alike. */
  private readonly hitShape: RateShape | undefined;
  private readonly visitShape: RateShape | undefined;
  private interrupted = false;
  private totals = { sent: 0, tracked: 0, errors: 0 };

  constructor(private readonly o: ReplayOptions) {
    if (!(o.concurrency >= 1)) throw new RangeError('concurrency must be >= 1');
    if (o.rateLimit !== undefined && !(o.rateLimit > 0)) throw new RangeError('rate limit must be > 0');
    if (o.visitRateLimit !== undefined && !(o.visitRateLimit > 0)) throw new RangeError('visit rate limit must be > 0');
    this.hitShape = o.rateLimit === undefined ? undefined : constantShape(o.rateLimit);
    this.visitShape = o.visitRateLimit === undefined ? undefined : constantShape(o.visitRateLimit);
    this.policy = { ...DEFAULT_RETRY, ...o.retry };
    this.visitorIdOf = o.visitorIdOf ?? ((req) => paramOf(req, '_id'));
    this.states = o.days.map((d) => ({
      outcome: emptyOutcome(d),
      pendingJobs: 0,
      generated: false,
      ...(d.blindResend ? { blindResend: d.blindResend } : {}),
    }));
    this.jobs = o.asyncSource ? this.generateAsync() : this.generate();
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

  /**
   * Jobs in date order and, within a day, in the order the source yields (time order). A job waits
   * for the jobs holding its visitors' earlier visits, so Matomo sees a visitor's visits in time
   * order (it marks a visit "returning" only when it already holds an earlier one); the jobs of a
   * date wait for its first job when `openDaysAlone`.
   */
  private *generate(): Generator<Work> {
    for (const [i, day] of this.o.days.entries()) {
      const state = this.states[i] as DayState;
      const opener: { done?: Deferred } = {};
      for (const [indices, suspect] of this.sourcesOf(day)) {
        const visits = this.o.visitsOfDay(day.date, indices);
        if (Symbol.asyncIterator in visits) throw new TypeError('an asynchronous visit source needs the asynchronous replay');
        for (const job of jobsOfDay(day.date, visits, this.o.bulkSize)) yield this.workOf(state, job, suspect, opener);
      }
      state.generated = true;
      this.finishIfDone(state);
    }
  }

  /** generate(), awaiting each visit from a source that takes time (worker threads). */
  private async *generateAsync(): AsyncGenerator<Work> {
    for (const [i, day] of this.o.days.entries()) {
      const state = this.states[i] as DayState;
      const opener: { done?: Deferred } = {};
      for (const [indices, suspect] of this.sourcesOf(day)) {
        const visits = this.o.visitsOfDay(day.date, indices);
        const source: AsyncIterable<DayVisit> = Symbol.asyncIterator in visits ? visits : toAsync(visits);
        for await (const job of jobsOfDayAsync(day.date, source, this.o.bulkSize)) yield this.workOf(state, job, suspect, opener);
      }
      state.generated = true;
      this.finishIfDone(state);
    }
  }

  /** The visits to reconcile first (suspect), then the visits to send. */
  private sourcesOf(day: ReplayDay): Array<[Iterable<number>, boolean]> {
    const sources: Array<[Iterable<number>, boolean]> = [];
    if (day.reconcileFirst) sources.push([day.reconcileFirst, true]);
    sources.push([day.visits, false]);
    return sources;
  }

  /** A job with what it waits for: its visitors' earlier jobs, and the date's opening job. */
  private workOf(state: DayState, job: Job, suspect: boolean, opener: { done?: Deferred }): Work {
    const openAlone = this.o.openDaysAlone ?? true;
    for (const b of job.batches) state.outcome.visits += b.starts.length;
    state.outcome.hits += job.hits;
    state.pendingJobs++;
    const done = deferred();
    const after = new Set<Promise<void>>();
    if (opener.done) after.add(opener.done.promise);
    else if (openAlone && !suspect) opener.done = done;
    for (const batch of job.batches) {
      for (const req of batch.requests) {
        const visitor = this.visitorIdOf(req);
        const earlier = this.latestJobOf.get(visitor);
        if (earlier && earlier !== done) after.add(earlier.promise);
        this.latestJobOf.set(visitor, done);
      }
    }
    return { state, job, suspect, after: [...after], opener: opener.done === done, done };
  }

  private stopped(): boolean {
    if (this.o.signal?.aborted) this.interrupted = true;
    return this.interrupted;
  }

  private async worker(): Promise<void> {
    for (;;) {
      if (this.stopped()) return;
      const pending = this.jobs.next();
      // Awaited only from an asynchronous source: a generated job starts in the same tick as before.
      const next = pending instanceof Promise ? await pending : pending;
      if (next.done) return;
      const work = next.value;
      try {
        if (work.after.length) await Promise.all(work.after);
        await this.runJob(work);
      } finally {
        this.release(work);
      }
      work.state.pendingJobs--;
      this.finishIfDone(work.state);
    }
  }

  /** Answers the job's waiters, and forgets visitors whose latest visit it held. */
  private release(work: Work): void {
    for (const batch of work.job.batches) {
      for (const req of batch.requests) {
        const visitor = this.visitorIdOf(req);
        if (this.latestJobOf.get(visitor) === work.done) this.latestJobOf.delete(visitor);
      }
    }
    work.done.resolve();
  }

  private finishIfDone(state: DayState): void {
    if (state.generated && state.pendingJobs === 0 && !state.outcome.done && !this.interrupted) {
      state.outcome.done = true;
      this.o.onDayDone?.(state.outcome);
    }
  }

  private async runJob(work: Work): Promise<void> {
    const { state, job } = work;
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
      let result: BatchResult;
      if (work.suspect) {
        result = { fates: UNCERTAIN, reason: 'in flight when an earlier run stopped', invalidUnnamed: 0, unaccounted: 0, settle: false };
      } else {
        this.countBlind(state, batch, out);
        const opening = work.opener && b === 0;
        if (opening) await this.openers.acquire();
        try {
          result = await this.sendBatch(batch, out, false);
        } finally {
          if (opening) this.openers.release();
        }
      }
      if (this.o.reconcile && hasUncertain(result)) result = await this.reconcile(job.date, batch, result, out);
      this.inFlight--;
      settled = this.account(job, batch, result, settled, out);
    }
  }

  private countBlind(state: DayState, batch: Batch, out: DayOutcome): void {
    if (!state.blindResend) return;
    for (const v of batch.owners) if (state.blindResend.has(v)) out.possiblyDuplicated++;
  }

  /**
   * Settles a batch's uncertain hits from Matomo's raw log: recorded ones count as tracked, missing
   * ones are sent again (in their order, which is time order per visit), and an answer to that
   * resend that proves nothing is reconciled in turn, for a few rounds. What the raw log cannot
   * settle stays uncertain, with the reason.
   */
  private async reconcile(date: string, batch: Batch, first: BatchResult, out: DayOutcome): Promise<BatchResult> {
    const reconcile = this.o.reconcile as Reconciler;
    const n = batch.requests.length;
    const fates = new Uint8Array(n);
    if (typeof first.fates === 'number') fates.fill(first.fates);
    else fates.set(first.fates);
    let pending: number[] = [];
    for (let i = 0; i < n; i++) if (fates[i] === UNCERTAIN || fates[i] === UNACCOUNTED) pending.push(i);
    let reason = first.reason;
    let settle = first.settle;
    const rounds = this.o.reconcileRounds ?? 3;
    for (let round = 0; round < rounds && pending.length; round++) {
      if (settle) {
        try {
          await this.o.clock.sleep(this.o.settleMs ?? 10_000, this.o.signal);
        } catch {
          // Interrupted while waiting: the hits stay uncertain; a resume reconciles them.
          this.interrupted = true;
          reason = `${reason}; interrupted before reconciling`;
          break;
        }
      }
      const answer = await reconcile(date, pending.map((i) => batch.requests[i] as TrackingRequest));
      if (!Array.isArray(answer)) {
        reason = `${reason}; not reconciled: ${answer.unavailable}`;
        break;
      }
      out.reconciled += pending.length;
      const missing: number[] = [];
      pending.forEach((i, k) => {
        if (answer[k] === 'recorded') fates[i] = TRACKED;
        else missing.push(i);
      });
      if (missing.length === 0 || this.stopped()) {
        if (missing.length) reason = `${reason}; interrupted before resending ${missing.length} missing hit(s)`;
        pending = missing;
        break;
      }
      out.resentAfterReconcile += missing.length;
      // A visit whose later hits Matomo holds must not be started again: its resent first hit
      // loses new_visit=1, so Matomo joins it to the stored visit (within its 30 minutes).
      const started = new Set<number>();
      for (let i = 0; i < n; i++) if (fates[i] === TRACKED) started.add(batch.owners[i] as number);
      const resend: Batch = {
        requests: missing.map((i) => {
          const req = batch.requests[i] as TrackingRequest;
          return started.has(batch.owners[i] as number) ? withoutNewVisit(req) : req;
        }),
        owners: missing.map((i) => batch.owners[i] as number),
        starts: [],
        ends: [],
      };
      const r = await this.sendBatch(resend, out, true);
      pending = [];
      missing.forEach((i, k) => {
        const fate = typeof r.fates === 'number' ? r.fates : (r.fates[k] as number);
        fates[i] = fate;
        if (fate === UNCERTAIN || fate === UNACCOUNTED) pending.push(i);
      });
      if (r.reason) reason = r.reason;
      settle = r.settle;
      if (r.invalidUnnamed || r.unaccounted) {
        // Counts without names after a resend: leave them to account() as the batch's.
        return { fates, reason, invalidUnnamed: r.invalidUnnamed, unaccounted: r.unaccounted, settle: false };
      }
    }
    for (const i of pending) fates[i] = UNCERTAIN;
    return { fates, reason: pending.length ? `${reason} (not reconciled)` : reason, invalidUnnamed: 0, unaccounted: 0, settle: false };
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
    if (this.hitShape === undefined && this.visitShape === undefined) return true;
    const elapsedMs = this.o.clock.monotonic() - this.startedAt;
    let waitMs = 0;
    for (const [shape, sent] of [[this.hitShape, this.scheduledHits], [this.visitShape, this.scheduledVisits]] as const) {
      const next = shape === undefined ? undefined : pace(shape, elapsedMs, sent);
      if (next && 'waitMs' in next) waitMs = Math.max(waitMs, next.waitMs);
    }
    this.scheduledHits += hits;
    this.scheduledVisits += visits;
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

  /**
   * Sends a batch until an answer settles it. Retries only what proves nothing was processed
   * (refused connections, 429, 503); an answer that may hide a partial write ends as uncertain,
   * for reconciliation, never as a blind resend.
   */
  private async sendBatch(batch: Batch, out: DayOutcome, resend: boolean): Promise<BatchResult> {
    const bulk = this.o.bulkSize > 1;
    const n = batch.requests.length;
    const request = this.request(batch);
    let reason = '';
    for (let attempt = 0; ; attempt++) {
      if (attempt === 0 && !resend) {
        out.sent += n;
        this.totals.sent += n;
      } else {
        out.resent += n;
      }
      // Not aborted by the signal: a batch on the wire is answered and accounted.
      const outcome = await this.o.transport.send(request);
      const verdict = judge(outcome, bulk, this.o.clock.now());
      if (verdict.kind === 'ok') return this.readAnswer(outcome, batch);
      this.totals.errors++;
      reason = verdict.reason;
      if (verdict.kind === 'invalid') return { fates: INVALID, reason, invalidUnnamed: 0, unaccounted: 0, settle: false };
      if (verdict.kind === 'refused') return { fates: FAILED, reason, invalidUnnamed: 0, unaccounted: 0, settle: false };
      if (verdict.kind === 'ambiguous') {
        return { fates: UNCERTAIN, reason, invalidUnnamed: 0, unaccounted: 0, settle: outcome.kind === 'error' };
      }
      if (attempt >= this.policy.retries) {
        return { fates: FAILED, reason: `${reason} (after ${attempt + 1} attempts)`, invalidUnnamed: 0, unaccounted: 0, settle: false };
      }
      const waitMs =
        verdict.retryAfterMs !== undefined
          ? Math.min(verdict.retryAfterMs, this.policy.maxRetryAfterMs)
          : backoffMs(this.policy, attempt + 1, this.o.rng);
      try {
        await this.o.clock.sleep(waitMs, this.o.signal);
      } catch {
        this.interrupted = true;
        return { fates: UNSENT, reason: `${reason}; interrupted while waiting to retry`, invalidUnnamed: 0, unaccounted: 0, settle: false };
      }
    }
  }

  private readAnswer(outcome: Outcome, batch: Batch): BatchResult {
    const ok: BatchResult = { fates: TRACKED, reason: '', invalidUnnamed: 0, unaccounted: 0, settle: false };
    if (this.o.bulkSize === 1 || outcome.kind !== 'response') return ok;
    const n = batch.requests.length;
    const parsed = parseBulkAnswer(outcome.body, n);
    if (!parsed.ok) return { ...ok, fates: UNACCOUNTED, reason: parsed.message };
    const a = parsed.answer;
    if (a.tracked >= n) return ok;
    if (a.invalidIndices && a.invalidIndices.length === a.invalid) {
      const fates = new Uint8Array(n);
      for (const i of a.invalidIndices) fates[i] = INVALID;
      if (a.unaccounted > 0 && this.o.reconcile) {
        // Counts that don't add up: which hits are stored is for the raw log to say.
        for (let i = 0; i < n; i++) if (fates[i] !== INVALID) fates[i] = UNACCOUNTED;
        return { ...ok, fates, reason: `the answer accounts for ${n - a.unaccounted} of ${n} hits` };
      }
      return { ...ok, fates, reason: 'invalid (named by Matomo)', unaccounted: a.unaccounted };
    }
    // Matomo did not say which hits were invalid: recorded as the batch and a count.
    return { ...ok, reason: 'invalid (not named: needs a super-user token)', invalidUnnamed: a.invalid, unaccounted: a.unaccounted };
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
          out.uncertainVisits ??= { reason: result.reason, visits: [] };
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
    if (uncertain.length && out.uncertainVisits) out.uncertainVisits.visits.push(...uncertain);
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

async function* toAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}

/** Runs a replay to its end (or interruption). */
export function replay(options: ReplayOptions): Promise<ReplayResult> {
  return new Replay(options).run();
}
