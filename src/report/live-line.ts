import type { MetricsSnapshot } from './metrics.js';
import { formatDuration } from './text.js';

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

/**
 * One status line: elapsed, visits started/target or time left, achieved vs target rate, in
 * flight, dropped, p95, error %. The same text serves the TTY bar and the plain 10 s lines.
 */
export function renderLiveLine(s: LiveSnapshot, timezone = 'UTC'): string {
  const parts = [formatDuration(s.elapsedMs)];
  if (s.maxVisits !== undefined) parts.push(`visits ${s.visitsStarted}/${s.maxVisits}`);
  else parts.push(`visits ${s.visitsStarted}`);
  if (s.limitMs !== undefined) parts.push(`left ${formatDuration(Math.max(0, s.limitMs - s.elapsedMs))}`);
  parts.push(rate(s));
  parts.push(`in flight ${s.visitsInFlight}`, `dropped ${s.dropped}`, `p95 ${s.p95Ms.toFixed(1)} ms`);
  parts.push(`errors ${(s.errorRate * 100).toFixed(2)}%`);
  let line = parts.join(' | ');
  if (s.phase === 'paused' && s.pausedUntilMs !== undefined) {
    line += ` | daily cap reached: paused until ${localTime(s.pausedUntilMs, timezone)}`;
  } else if (s.phase === 'draining') {
    line += ' | stopping: waiting for visits in flight';
  }
  return line;
}

function rate(s: LiveSnapshot): string {
  const hits = `${s.achievedHitsPerSecond.toFixed(1)} hits/s`;
  const visits = `${Math.round(s.achievedVisitsPerDay).toLocaleString('en-US')} visits/day`;
  if (s.unit === 'max' || s.targetRate === null) return `${hits} (max) ${visits}`;
  if (s.unit === 'hits-per-second') return `${hits} of ${s.targetRate.toFixed(1)} | ${visits}`;
  return `${visits} of ${Math.round(s.targetRate).toLocaleString('en-US')} | ${hits}`;
}

function localTime(epochMs: number, timezone: string): string {
  const text = new Intl.DateTimeFormat('sv-SE', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(epochMs));
  return `${text} ${timezone}`;
}
