import type { ErrorKey, LatencySummary, RunSummary, TargetSummary } from './summary.js';
import { ERROR_KEYS } from './summary.js';
import { stopLine, thresholdLabel } from './thresholds.js';

/** The final report as text (autocannon's printResult: returns a string; the CLI prints it). */
export function renderSummaryText(s: RunSummary): string {
  const lines: string[] = [];
  lines.push(
    s.mergedFrom === undefined
      ? `run finished: ${stopLine(s)} after ${formatDuration(s.durationMs)} (seed ${s.seed ?? 'none'}, concurrency ${s.concurrency})`
      : `${s.mergedFrom} runs merged: ${stopLine(s)} over ${formatDuration(s.durationMs)} (seed ${s.seed ?? 'mixed'}, concurrency ${s.concurrency} in all)`,
  );
  lines.push('', 'rate');
  lines.push(`  ${rateLine(s)}`);
  lines.push(
    `  achieved ${fmt(s.rate.achievedVisitsPerDay)} visits/day, ${fmt(s.rate.achievedHitsPerSecond)} hits/s over ${formatDuration(s.rate.windowMs)}` +
      (s.rate.pausedMs > 0 ? ` (paused ${formatDuration(s.rate.pausedMs)} by the daily cap)` : ''),
  );
  const v = s.visits;
  lines.push('', 'visits');
  lines.push(
    `  planned ${v.planned}  started ${v.started}  completed ${v.completed}  aborted ${v.aborted}  dropped ${v.dropped}`,
  );
  lines.push('', 'hits');
  lines.push(`  ${pad('type', 10)} ${cols(['sent', 'ok', 'failed', 'aborted'])}`);
  for (const [type, c] of Object.entries(s.hits.byType)) {
    if (c) lines.push(`  ${pad(type, 10)} ${cols([c.sent, c.ok, c.failed, c.aborted])}`);
  }
  lines.push(`  ${pad('total', 10)} ${cols([s.hits.sent, s.hits.ok, s.hits.failed, s.hits.aborted])}`);
  lines.push(`  error rate ${(s.errorRate * 100).toFixed(2)}% (failed / sent; ok means a 2xx answer)`);
  lines.push(`  status codes: ${statusLine(s.statusCodes)}`);
  lines.push(`  errors: ${errorLine(s.errors)}`);
  lines.push('', 'latency (ms, send to full answer, HDR histogram)');
  lines.push(`  ${latencyLine(s.latencyMs)}`);
  if (s.scheduleLagMs) {
    const lag = s.scheduleLagMs;
    lines.push(`schedule lag (ms, actual - intended visit start): p50 ${lag.p50}  p99 ${lag.p99}  max ${lag.max}`);
  }
  if (s.targets.length > 1) {
    lines.push('', 'targets');
    for (const t of s.targets) lines.push(...targetLines(t));
  }
  if (s.thresholds.length > 0) {
    const failed = s.thresholds.filter((t) => !t.ok).length;
    lines.push('', failed > 0 ? `thresholds: ${failed} of ${s.thresholds.length} BREACHED (exit 3)` : 'thresholds');
    for (const t of s.thresholds) lines.push(`  ${t.ok ? '✓' : '✗'} ${thresholdLabel(t)}: ${t.message}`);
  }
  return lines.join('\n') + '\n';
}

function rateLine(s: RunSummary): string {
  const r = s.rate;
  if (r.unit === 'max') return 'target: as fast as the concurrency allows (--rps max)';
  const unit = r.unit === 'visits-per-day' ? 'visits/day' : 'hits/s';
  const ratio = r.ratio === null ? 'n/a' : `${(r.ratio * 100).toFixed(1)}%`;
  return `target ${fmt(r.target ?? 0)} ${unit}, achieved ${fmt(r.achieved)} ${unit} (${ratio} of target)`;
}

function targetLines(t: TargetSummary): string[] {
  return [
    `  ${t.name}`,
    `    visits started ${t.visits.started}  completed ${t.visits.completed}  dropped ${t.visits.dropped}`,
    `    hits sent ${t.hits.sent}  ok ${t.hits.ok}  failed ${t.hits.failed}  aborted ${t.hits.aborted}`,
    `    status codes: ${statusLine(t.statusCodes)}; errors: ${errorLine(t.errors)}`,
    `    latency ${latencyLine(t.latencyMs)}`,
  ];
}

function latencyLine(l: LatencySummary): string {
  if (l.count === 0) return 'no answers';
  return `p50 ${l.p50}  p90 ${l.p90}  p95 ${l.p95}  p99 ${l.p99}  max ${l.max}  (n=${l.count})`;
}

function statusLine(codes: Record<string, number>): string {
  const entries = Object.entries(codes);
  return entries.length === 0 ? 'none' : entries.map(([code, n]) => `${code}=${n}`).join(' ');
}

function errorLine(errors: Record<ErrorKey, number>): string {
  const parts = ERROR_KEYS.filter((k) => errors[k] > 0).map((k) => `${k}=${errors[k]}`);
  return parts.length === 0 ? 'none' : parts.join(' ');
}

function cols(values: Array<string | number>): string {
  return values.map((v) => String(v).padStart(9)).join(' ');
}

function pad(text: string, width: number): string {
  return text.padEnd(width);
}

function fmt(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : String(Math.round(value * 100) / 100);
}

/** 90s -> 1m30s; 2h -> 2h0m0s; under a minute with one decimal. */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  return h > 0 ? `${h}h${m}m${sec}s` : `${m}m${sec}s`;
}
