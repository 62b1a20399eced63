import type { StopReason } from './observer.js';

/** When a run stops starting visits. Every field is optional; several may be set. */
export interface StopConditions {
  /** --duration: stop starting visits after this many ms of run time. */
  durationMs?: number;
  /** Auto-stop after hours, in ms; like durationMs, reported as 'auto-stop'. */
  autoStopMs?: number;
  /** --max-visits: stop after this many visits started. */
  maxVisits?: number;
  /** Visits per local calendar day; at the cap, pause until the next local midnight. */
  dailyCap?: { cap: number; timezone: string };
}

/** The earlier of duration and auto-stop, with the reason to report when it is reached. */
export function timeLimit(stop: StopConditions): { limitMs: number; reason: StopReason } | undefined {
  const { durationMs, autoStopMs } = stop;
  if (durationMs === undefined && autoStopMs === undefined) return undefined;
  if (autoStopMs === undefined || (durationMs !== undefined && durationMs <= autoStopMs)) {
    return { limitMs: durationMs as number, reason: 'duration' };
  }
  return { limitMs: autoStopMs, reason: 'auto-stop' };
}
