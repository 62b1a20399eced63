import type { RunMetrics } from '../report/metrics.js';
import type { StopReason } from '../report/summary.js';
import { DailyCap } from '../schedule/daily-cap.js';
import type { Pacer } from '../schedule/arrivals.js';
import type { Clock } from '../time/clock.js';
import type { Transport } from '../transport/transport.js';
import { Slots } from './slots.js';
import type { StopConditions } from './stop.js';
import type { VisitSource } from './visit-source.js';

export type LivePhase = 'running' | 'paused' | 'draining' | 'done';

/** What the dispatcher, the visit runner and the drain share during one run. */
export class RunState {
  readonly slots: Slots;
  readonly dailyCap: DailyCap | undefined;
  /** Aborted when visits stop starting: wakes the arrival loop's sleeps. */
  readonly stopStarting = new AbortController();
  /** Aborted to stop at once: in-flight requests and pauses end now. */
  readonly hard = new AbortController();
  readonly t0: number;
  readonly startedAtWall: number;
  phase: LivePhase = 'running';
  stopReason: StopReason | undefined;
  /** Visits started so far = the index of the next visit. */
  nextIndex = 0;
  /** Total time paused by the daily cap, ms; the schedule is shifted by it. */
  pausedMs = 0;
  pausedUntilWall: number | undefined;
  /** Run time (ms) at which visits stopped starting. */
  windowEndMs: number | undefined;

  constructor(
    readonly clock: Clock,
    readonly transport: Transport,
    readonly source: VisitSource,
    readonly pacer: Pacer,
    readonly metrics: RunMetrics,
    readonly stop: StopConditions,
    concurrency: number,
  ) {
    this.slots = new Slots(concurrency);
    this.dailyCap = stop.dailyCap ? new DailyCap(stop.dailyCap.cap, stop.dailyCap.timezone) : undefined;
    this.t0 = clock.monotonic();
    this.startedAtWall = clock.now();
  }

  /** Ms since the run started (monotonic). */
  elapsed(): number {
    return this.clock.monotonic() - this.t0;
  }

  get stopping(): boolean {
    return this.stopReason !== undefined;
  }

  /** Stops starting visits (the first reason wins). `windowEndMs` defaults to now. */
  requestStop(reason: StopReason, windowEndMs?: number): void {
    if (this.stopReason !== undefined) return;
    this.stopReason = reason;
    this.windowEndMs = windowEndMs ?? this.elapsed();
    this.metrics.markWindowEnd();
    this.stopStarting.abort(new Error(`stop: ${reason}`));
  }

  /** Stops at once: aborts in-flight requests and pauses. */
  abortAll(reason: StopReason): void {
    this.requestStop(reason);
    if (this.stopReason === 'interrupted' && reason === 'interrupted-twice') this.stopReason = reason;
    if (!this.hard.signal.aborted) this.hard.abort(new Error(`stop at once: ${reason}`));
  }
}
