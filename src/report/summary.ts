import type { ThresholdEntry } from '../config/threshold-syntax.js';
import type { StopReason } from '../engine/observer.js';
import type { HitType } from '../journey/visit.js';
import type { EncodedHistogram } from './histogram.js';

/** The built-in CI limits (run.thresholds); each one unset is not checked. */
export interface Thresholds {
  /** --max-error-rate: failed / sent must not exceed this (0..1; default 0.05). */
  maxErrorRate?: number;
  /** --max-p99-ms: p99 latency of answered hits must not exceed this. */
  maxP99Ms?: number;
  /** --min-rate-ratio: achieved / target must reach this (default 0.95; not checked with --rps max). */
  minRateRatio?: number;
  /** --max-dropped: dropped arrivals must not exceed this. */
  maxDropped?: number;
}

/** run.thresholds as configured: the built-in limits and the user's own k6-style thresholds. */
export interface ThresholdSettings extends Thresholds {
  /** Metric → expressions (config/threshold-syntax.ts ThresholdEntry). */
  checks?: Readonly<Record<string, readonly ThresholdEntry[]>> | undefined;
}

/**
 * What `run` reports at the end, as text and as `--summary-json`. The JSON carries `version`; the
 * schema is docs/schema/run-summary.schema.json. Everything is aggregated by hit type and target,
 * never per URL.
 */
export const RUN_SUMMARY_VERSION = 4;
// Version 2: `thresholds` lists every threshold checked with `ok` (version 1 listed only the breached
// ones, without `ok`), and `command`, `limits` and `config` are new; docs/schema/run-summary.v1.schema.json
// still describes version 1 files.
// Version 3: what an exact merge of shards' summaries needs (`trafficinator report a.json b.json`):
// `window` (the sending window's instants and counts), `histograms` (HDR, encoded), each threshold's
// `metric` and `expression`, and `mergedFrom`; docs/schema/run-summary.v2.schema.json describes version 2.
// Version 4: the user's own thresholds (run.thresholds.checks, --threshold): `thresholds[].name`
// `threshold` and `abortOnFail`; stopReason `threshold` with `stopThreshold` (the abortOnFail threshold
// that stopped the run); docs/schema/run-summary.v3.schema.json describes version 3.

/** Why a request failed: network classes from the transport, or the HTTP status family. */
export type ErrorKey = 'timeout' | 'refused' | 'reset' | 'dns' | 'tls' | 'other' | '3xx' | '4xx' | '5xx';
export const ERROR_KEYS: readonly ErrorKey[] = [
  'timeout',
  'refused',
  'reset',
  'dns',
  'tls',
  'other',
  '3xx',
  '4xx',
  '5xx',
];

export interface HitCounts {
  /** Requests that went out (an answer, an error or an abort). */
  sent: number;
  /** Answered 2xx. */
  ok: number;
  /** Answered non-2xx, or a network error. */
  failed: number;
  /** In flight when the run stopped at once: may or may not have reached the server. */
  aborted: number;
}

export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
}

export interface LagSummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export interface VisitCounts {
  /** Arrivals that fell due: started + dropped. */
  planned: number;
  started: number;
  /** Every hit went out (whatever the answers). */
  completed: number;
  /** Cut short by a stop at once or the end of the grace period. */
  aborted: number;
  /** Arrivals that found every visit slot busy. */
  dropped: number;
}

export interface TargetSummary {
  name: string;
  visits: VisitCounts;
  hits: HitCounts;
  statusCodes: Record<string, number>;
  errors: Record<ErrorKey, number>;
  latencyMs: LatencySummary;
}

export interface RateSummary {
  unit: 'visits-per-day' | 'hits-per-second' | 'max';
  /** Mean target over the sending window in `unit`; null for max. */
  target: number | null;
  /** Achieved in `unit` over the sending window. */
  achieved: number;
  /** achieved / target; null for max. */
  ratio: number | null;
  achievedVisitsPerDay: number;
  achievedHitsPerSecond: number;
  /** From the start until visits stopped starting, minus daily-cap pauses. */
  windowMs: number;
  /** Time spent waiting for the next local midnight (daily cap). */
  pausedMs: number;
}

export interface ThresholdResult {
  /** A built-in limit's flag name, or `threshold` for one the user set (since version 4). */
  name: 'max-error-rate' | 'max-p99-ms' | 'min-rate-ratio' | 'max-dropped' | 'threshold';
  /** The metric it checks, k6-style (`latency`, `error_rate`, …); since version 3. */
  metric?: string;
  /** The condition that must hold, k6-style (`p(99)<=500`); since version 3. */
  expression?: string;
  limit: number;
  actual: number;
  /** False: breached (exit 3). */
  ok: boolean;
  message: string;
  /** Set to stop the run when crossed (since version 4; user thresholds only). */
  abortOnFail?: boolean;
}

/** The abortOnFail threshold that stopped the run (since version 4; with stopReason `threshold`). */
export interface StopThreshold {
  metric: string;
  expression: string;
  /** The figure that crossed it. */
  actual: number;
  /** Run time when it was seen crossed, ms. */
  atMs: number;
}

/** A threshold the run did not hold (`ok` false). */
export type ThresholdBreach = ThresholdResult;

/** The sending window (since version 3): enough to combine the rates of several runs. */
export interface RunWindow {
  /** When the run started, ISO 8601 UTC (= startedAt). */
  start: string;
  /** When visits stopped starting: start + rate.windowMs + rate.pausedMs. */
  end: string;
  /** Hits sent inside the window. */
  hits: number;
  /** Visits started inside the window. */
  visits: number;
  /** What the schedule planned for the window (visits for visits-per-day, else hits); null for max. */
  expected: number | null;
}

/** The run's HDR histograms, encoded (since version 3): merged, they give exact percentiles. */
export interface RunHistograms {
  latency: EncodedHistogram;
  byType: Partial<Record<HitType, EncodedHistogram>>;
  /** In the order of `targets`. */
  targets: EncodedHistogram[];
  /** null without a schedule (--rps max). */
  scheduleLag: EncodedHistogram | null;
}

export interface RunSummary {
  /** Written as RUN_SUMMARY_VERSION; `report` reads older ones as they are (version 1 as 2). */
  version: typeof RUN_SUMMARY_VERSION | 3 | 2;
  /** The command that wrote it (since version 2). */
  command: 'run';
  seed: string | number | null;
  /** Wall-clock start, ISO 8601 UTC. */
  startedAt: string;
  /** Whole run including the drain, ms. */
  durationMs: number;
  /** `mixed` when merged summaries stopped for different reasons. */
  stopReason: StopReason | 'mixed';
  /** With stopReason `threshold`: which one (since version 4). */
  stopThreshold?: StopThreshold;
  /** Concurrency (visit slots) the run used (summed when merged). */
  concurrency: number;
  rate: RateSummary;
  visits: VisitCounts;
  hits: HitCounts & { byType: Partial<Record<HitType, HitCounts>> };
  /** failed / sent (0 when nothing was sent). */
  errorRate: number;
  statusCodes: Record<string, number>;
  errors: Record<ErrorKey, number>;
  /** Request latency of answered hits, send to full response, monotonic clock. */
  latencyMs: LatencySummary;
  /** Actual minus intended visit start; null without a schedule (--rps max). */
  scheduleLagMs: LagSummary | null;
  targets: TargetSummary[];
  /** Every threshold checked, held (ok) or breached. */
  thresholds: ThresholdResult[];
  /** The thresholds that were set (since version 2; empty when none). */
  limits: Thresholds;
  /** The resolved configuration, every token redacted (since version 2; written by the CLI). */
  config?: unknown;
  /** Since version 3 (absent when read from an older file). */
  window?: RunWindow;
  /** Since version 3 (absent when read from an older file). */
  histograms?: RunHistograms;
  /** How many run summaries `report` merged into this one (absent: one run). */
  mergedFrom?: number;
}

/** One line of `--timeseries` (NDJSON): what happened in one second of the run. */
export interface TimeseriesRow {
  /** Seconds since the start: this row covers [second, second + 1). */
  second: number;
  hitsSent: number;
  ok: number;
  failed: number;
  p50Ms: number;
  /** Since run summary version 2. */
  p95Ms?: number;
  p99Ms: number;
  /** Failed hits of the second by class (only classes that occurred; since version 2). */
  errors?: Partial<Record<ErrorKey, number>>;
  /** Visits in flight at the end of the second. */
  inFlight: number;
  dropped: number;
}
