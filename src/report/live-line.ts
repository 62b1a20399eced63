import type { LiveSnapshot } from '../engine/observer.js';
import { formatDuration } from './text.js';

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

/**
 * The same figures in about 75 characters, for an 80-column terminal: in flight, dropped, p95 and
 * errors are what a narrow screen must not lose.
 */
export function renderCompactLine(s: LiveSnapshot): string {
  const head = [clock(s.elapsedMs)];
  head.push(s.maxVisits !== undefined ? `v${short(s.visitsStarted)}/${short(s.maxVisits)}` : `v${short(s.visitsStarted)}`);
  if (s.limitMs !== undefined) head.push(`left ${clock(Math.max(0, s.limitMs - s.elapsedMs))}`);
  const parts = [head.join(' '), compactRate(s)];
  parts.push(`flight ${short(s.visitsInFlight)}`, `drop ${short(s.dropped)}`, `p95 ${s.p95Ms.toFixed(1)}ms`);
  parts.push(`err ${(s.errorRate * 100).toFixed(1)}%`);
  let line = parts.join('  ');
  if (s.phase === 'paused' && s.pausedUntilMs !== undefined) line += '  paused (daily cap)';
  else if (s.phase === 'draining') line += '  stopping';
  return line;
}

/** Whole seconds: 57s, 1m30s, 2h5m. */
function clock(ms: number): string {
  const total = Math.floor(ms / 1000);
  if (total < 60) return `${total}s`;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  return h > 0 ? `${h}h${m}m` : `${m}m${total % 60}s`;
}

function compactRate(s: LiveSnapshot): string {
  const hits = s.achievedHitsPerSecond.toFixed(1);
  if (s.unit === 'max' || s.targetRate === null) return `${hits} hit/s (max)`;
  if (s.unit === 'hits-per-second') return `${hits}/${s.targetRate.toFixed(1)} hit/s`;
  return `${short(Math.round(s.achievedVisitsPerDay))}/${short(Math.round(s.targetRate))} v/day`;
}

/** 1234 -> 1234, 86400 -> 86.4k, 1500000 -> 1.5M. */
function short(n: number): string {
  if (n < 10_000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 100_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
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
