import { DailyCap } from '../schedule/daily-cap.js';
import type { Pacer } from '../schedule/pacer.js';
import type { Clock } from '../time/clock.js';
import type { Transport } from '../transport/transport.js';
import type { RunObserver, StopReason } from './observer.js';
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
  /** The pauses under way; the one listener on `hard` ends them all. */
  private readonly pauses = new Set<AbortController>();

  constructor(
    readonly clock: Clock,
    readonly transport: Transport,
    readonly source: VisitSource,
    readonly pacer: Pacer,
    readonly metrics: RunObserver,
    readonly stop: StopConditions,
    concurrency: number,
  ) {
    this.slots = new Slots(concurrency);
    this.dailyCap = stop.dailyCap ? new DailyCap(stop.dailyCap.cap, stop.dailyCap.timezone) : undefined;
    this.t0 = clock.monotonic();
    this.startedAtWall = clock.now();
    const hard = this.hard.signal;
    hard.addEventListener(
      'abort',
      () => {
        for (const pause of this.pauses) pause.abort(hard.reason);
        this.pauses.clear();
      },
      { once: true },
    );
  }

  /**
   * A visit's pause: sleeps `ms`, or rejects with the reason when the run stops at once. Each pause
   * gets its own signal instead of listening on `hard`: Node's EventTarget adds and removes a
   * listener in time linear in the listeners it holds, so thousands of visits pausing on the run's
   * signal made every pause cost O(visits in flight).
   */
  async pause(ms: number): Promise<void> {
    const hard = this.hard.signal;
    if (hard.aborted) throw hard.reason;
    const controller = new AbortController();
    this.pauses.add(controller);
    try {
      await this.clock.sleep(ms, controller.signal);
    } finally {
      this.pauses.delete(controller);
    }
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
