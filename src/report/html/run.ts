import { ERROR_KEYS, type RunSummary, type TimeseriesRow } from '../summary.js';
import type { Thresholds } from '../summary.js';
import { stopLine, thresholdLabel } from '../thresholds.js';
import type { Block, ChartSpec, Section } from './spec.js';

const LIMIT_NAMES: Record<keyof Thresholds, string> = {
  maxErrorRate: 'max-error-rate',
  maxP99Ms: 'max-p99-ms',
  minRateRatio: 'min-rate-ratio',
  maxDropped: 'max-dropped',
};

/** The sections of a run's report: figures, the charts over time (with --timeseries), hits by type, thresholds, configuration. */
export function runSections(s: RunSummary, rows: readonly TimeseriesRow[] | undefined, name: string): Section[] {
  const sections: Section[] = [{ heading: name ? `Run · ${name}` : 'Run', blocks: [figures(s)] }];
  const overTime: Block[] = rows && rows.length > 0 ? timeCharts(s, rows) : [{ kind: 'text', text: 'No per-second data: give run --timeseries FILE and pass it to report --timeseries to see the rate, latency, errors and visits over time.' }];
  sections.push({ heading: 'Over time', blocks: overTime });
  sections.push({ heading: 'Hits by type', blocks: [{ kind: 'chart', chart: byType(s) }] });
  sections.push({ heading: 'Thresholds', blocks: [thresholds(s)] });
  if (s.config !== undefined) {
    sections.push({ heading: 'Configuration', blocks: [{ kind: 'code', caption: 'The resolved configuration (tokens redacted)', text: JSON.stringify(s.config, null, 2) }] });
  }
  return sections;
}

function figures(s: RunSummary): Block {
  const unit = s.rate.unit === 'visits-per-day' ? 'visits/day' : s.rate.unit === 'hits-per-second' ? 'hits/s' : '';
  return {
    kind: 'figures',
    figures: [
      { label: 'hits sent', value: int(s.hits.sent) },
      { label: 'answered 2xx', value: int(s.hits.ok) },
      { label: 'error rate', value: pct(s.errorRate), tone: s.errorRate > 0 ? 'bad' : 'ok' },
      { label: 'achieved hits/s', value: num(s.rate.achievedHitsPerSecond) },
      { label: s.rate.target === null ? 'target' : `target ${unit}`, value: s.rate.target === null ? 'max' : num(s.rate.target) },
      { label: 'achieved / target', value: s.rate.ratio === null ? '–' : pct(s.rate.ratio) },
      { label: 'latency p50 / p99 ms', value: `${num(s.latencyMs.p50)} / ${num(s.latencyMs.p99)}` },
      { label: 'visits started / dropped', value: `${int(s.visits.started)} / ${int(s.visits.dropped)}`, tone: s.visits.dropped > 0 ? 'bad' : 'ok' },
      { label: 'duration', value: `${num(s.durationMs / 1000)} s` },
      { label: 'stop reason', value: stopLine(s) },
    ],
  };
}

function timeCharts(s: RunSummary, rows: readonly TimeseriesRow[]): Block[] {
  const seconds = rows.map((r) => r.second);
  const rate: ChartSpec = {
    id: 'run-rate',
    title: 'Target against achieved rate',
    note:
      (s.rate.unit === 'hits-per-second' ? 'Hits sent each second against the target (dashed: the mean target over the run).' : 'Hits sent each second; the target was set in visits/day, shown in the figures above.') +
      ' After the last visit starts, visits in flight drain: the tail falls off.',
    labels: seconds,
    xTitle: 'second',
    yTitle: 'hits/s',
    datasets: [{ label: 'achieved hits/s', data: rows.map((r) => r.hitsSent) }],
  };
  if (s.rate.unit === 'hits-per-second' && s.rate.target !== null) {
    rate.datasets.push({ label: 'target hits/s', data: rows.map(() => s.rate.target), dashed: true, color: '#D55E00' });
  }
  const latency: ChartSpec = {
    id: 'run-latency',
    title: 'Latency over time',
    note: 'Percentiles of the hits answered in each second (ms).',
    labels: seconds,
    xTitle: 'second',
    yTitle: 'ms',
    datasets: [
      { label: 'p50', data: rows.map((r) => r.p50Ms) },
      ...(rows.some((r) => r.p95Ms !== undefined) ? [{ label: 'p95', data: rows.map((r) => r.p95Ms ?? null) }] : []),
      { label: 'p99', data: rows.map((r) => r.p99Ms) },
    ],
  };
  const classes = ERROR_KEYS.filter((k) => rows.some((r) => (r.errors?.[k] ?? 0) > 0));
  const errors: ChartSpec = {
    id: 'run-errors',
    title: 'Errors by class over time',
    note: classes.length === 0 ? (rows.some((r) => r.failed > 0) ? 'Failed hits per second (this timeseries predates the classes).' : 'No hit failed.') : 'Failed hits per second, by class.',
    labels: seconds,
    xTitle: 'second',
    yTitle: 'failed hits',
    datasets:
      classes.length > 0
        ? classes.map((k) => ({ label: k, data: rows.map((r) => r.errors?.[k] ?? 0), kind: 'bar' as const, stack: 'errors' }))
        : [{ label: 'failed', data: rows.map((r) => r.failed), kind: 'bar' as const, color: '#D55E00' }],
  };
  const visits: ChartSpec = {
    id: 'run-visits',
    title: 'Visits in flight and dropped',
    note: 'Visits in flight at the end of each second, and arrivals dropped because every visit slot was busy.',
    labels: seconds,
    xTitle: 'second',
    yTitle: 'visits in flight',
    y2Title: 'dropped per second',
    datasets: [
      { label: 'in flight', data: rows.map((r) => r.inFlight) },
      { label: 'dropped', data: rows.map((r) => r.dropped), kind: 'bar', right: true, color: '#D55E00' },
    ],
  };
  return [rate, latency, errors, visits].map((chart) => ({ kind: 'chart', chart }));
}

function byType(s: RunSummary): ChartSpec {
  const types = Object.entries(s.hits.byType).sort((a, b) => (b[1]?.sent ?? 0) - (a[1]?.sent ?? 0));
  return {
    id: 'run-types',
    title: 'Hits by type',
    note: 'Answered 2xx and failed, per hit type.',
    labels: types.map(([t]) => t),
    xTitle: 'hit type',
    yTitle: 'hits',
    datasets: [
      { label: 'ok', data: types.map(([, c]) => c?.ok ?? 0), kind: 'bar', stack: 'hits', color: '#009E73' },
      { label: 'failed', data: types.map(([, c]) => c?.failed ?? 0), kind: 'bar', stack: 'hits', color: '#D55E00' },
    ],
  };
}

function thresholds(s: RunSummary): Block {
  const limits = s.limits ?? {};
  const keys = Object.keys(limits) as Array<keyof Thresholds>;
  // The user's own thresholds (version 4): one row each, named by metric and expression.
  const own = s.thresholds.filter((t) => t.name === 'threshold');
  if (keys.length === 0 && own.length === 0) {
    return { kind: 'text', text: 'No thresholds were set (--max-error-rate, --max-p99-ms, --min-rate-ratio, --max-dropped, --threshold).' };
  }
  const actual: Record<keyof Thresholds, number | null> = {
    maxErrorRate: s.errorRate,
    maxP99Ms: s.latencyMs.p99,
    minRateRatio: s.rate.ratio,
    maxDropped: s.visits.dropped,
  };
  return {
    kind: 'table',
    table: {
      caption: 'Threshold verdicts',
      head: ['threshold', 'limit', 'actual', 'verdict'],
      rows: keys.map((k) => {
        // Version 1 listed only breaches (no `ok`); version 2 lists every threshold checked.
        const breached = s.thresholds.some((b) => b.name === LIMIT_NAMES[k] && (b as { ok?: boolean }).ok !== true);
        return [`--${LIMIT_NAMES[k]}`, limits[k] ?? '', actual[k] ?? '–', breached ? '✗ breached' : '✓ held'];
      }).concat(
        own.map((t) => [
          `${thresholdLabel(t)}${t.abortOnFail ? ' (abortOnFail)' : ''}`,
          t.limit,
          t.actual,
          t.ok ? '✓ held' : '✗ breached',
        ]),
      ),
      numeric: [1, 2],
    },
  };
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const num = (n: number): string => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n >= 10 ? n.toFixed(1) : n.toFixed(2));
const pct = (n: number): string => `${(n * 100).toFixed(2)}%`;
