import type { Pacer } from '../schedule/pacer.js';
import type { LiveSnapshot, MetricsSnapshot } from './observer.js';
import { timeLimit, type StopConditions } from './stop.js';

/**
 * A live run's figures as progress, metrics and the abort checks see them: the counters with the
 * rates over the active window and the schedule's current target. One place for the run on the
 * main thread (live.ts) and for the threads of `run --workers` merged (workers/run-pool.ts).
 */
export interface SnapshotInput {
  counters: MetricsSnapshot;
  pacer: Pacer;
  stop: StopConditions;
  elapsedMs: number;
  /** Schedule time now (elapsed less any daily-cap pause), for the target rate. */
  scheduleMs: number;
  /** Schedule time the rates are averaged over (at least 1 ms). */
  activeMs: number;
  phase: LiveSnapshot['phase'];
  pausedUntilMs: number | undefined;
}

export function rateUnit(pacer: Pacer): LiveSnapshot['unit'] {
  if (pacer.kind === 'max') return 'max';
  return pacer.unit === 'visits' ? 'visits-per-day' : 'hits-per-second';
}

export function liveSnapshot(input: SnapshotInput): LiveSnapshot {
  const { counters, pacer } = input;
  const active = Math.max(1, input.activeMs) / 1000;
  const unit = rateUnit(pacer);
  let targetRate: number | null = null;
  if (pacer.kind === 'paced') {
    const perSecond = pacer.shape.rateAt(input.scheduleMs);
    targetRate = unit === 'visits-per-day' ? perSecond * 86_400 : perSecond;
  }
  return {
    ...counters,
    elapsedMs: input.elapsedMs,
    phase: input.phase,
    pausedUntilMs: input.pausedUntilMs,
    unit,
    targetRate,
    achievedHitsPerSecond: counters.hitsSent / active,
    achievedVisitsPerDay: (counters.visitsStarted / active) * 86_400,
    maxVisits: input.stop.maxVisits,
    limitMs: timeLimit(input.stop)?.limitMs,
  };
}
