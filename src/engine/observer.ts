import type { HitType } from '../journey/visit.js';
import type { Outcome } from '../transport/transport.js';

/**
 * What the live engine tells whoever watches a run, and the data it hands over. Results flow as
 * data, as in vegeta (Attack returns results, the reporter aggregates them) and autocannon (run.js
 * emits events that progressTracker.js listens to): the engine calls a RunObserver and never
 * imports a concrete report; report/metrics.ts implements it.
 */

/** Why visits stopped starting. */
export type StopReason =
  | 'duration'
  | 'auto-stop'
  | 'max-visits'
  | 'schedule-end'
  | 'source-end'
  | 'interrupted'
  | 'interrupted-twice'
  /** An abortOnFail threshold was crossed (the CLI asks the run to stop; docs/thresholds.md). */
  | 'threshold';

/** Live counters for the progress line; cheap to build every 250 ms. */
export interface MetricsSnapshot {
  visitsStarted: number;
  visitsCompleted: number;
  visitsInFlight: number;
  dropped: number;
  hitsSent: number;
  ok: number;
  failed: number;
  errorRate: number;
  p95Ms: number;
}

/** What the live line shows; the engine's snapshot() returns it, cli/progress.ts polls it. */
export interface LiveSnapshot extends MetricsSnapshot {
  elapsedMs: number;
  phase: 'running' | 'paused' | 'draining' | 'done';
  /** Wall-clock ms of the next local midnight while paused by the daily cap. */
  pausedUntilMs: number | undefined;
  unit: 'visits-per-day' | 'hits-per-second' | 'max';
  /** Current target in `unit` (null for max). */
  targetRate: number | null;
  achievedHitsPerSecond: number;
  achievedVisitsPerDay: number;
  maxVisits: number | undefined;
  /** Run-time limit (duration or auto-stop), ms. */
  limitMs: number | undefined;
}

/** What only the engine knows at the end, to turn counters into a summary. */
export interface CloseInfo {
  seed: string | number | null;
  startedAtMs: number;
  durationMs: number;
  stopReason: StopReason;
  concurrency: number;
  rate: {
    unit: 'visits-per-day' | 'hits-per-second' | 'max';
    /** Units the schedule asked for over the window (its integral); null for max. */
    expected: number | null;
    windowMs: number;
    pausedMs: number;
  };
}

/**
 * The events of a run, in the order they happen to a visit: started (or dropped), one `hit` per
 * answered request (or `hitAborted`), ended. `close` turns what was observed into the run's result
 * `S`, which the engine's `done` promise returns.
 */
export interface RunObserver<S = unknown> {
  /** A visit took a slot; `lagMs` is how late it started after its due time (undefined for --rps max). */
  visitStarted(target: number, lagMs: number | undefined): void;
  /** A visit's slot is free again; `completed` is false when a stop at once cut it short. */
  visitEnded(target: number, completed: boolean): void;
  /** An arrival found every slot busy: counted, never queued. */
  dropped(target: number, elapsedMs: number): void;
  hit(target: number, type: HitType, outcome: Outcome, elapsedMs: number): void;
  /** A request in flight when the run stopped at once. */
  hitAborted(target: number, type: HitType): void;
  /** Visits stopped starting (the rate window ends here). */
  markWindowEnd(): void;
  /** Time passes (the progress poll): lets per-second rows close. */
  tick(elapsedMs: number): void;
  snapshot(): MetricsSnapshot;
  close(info: CloseInfo): S;
}
