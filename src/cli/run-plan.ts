import type { Config } from '../config/schema.js';
import type { StopConditions } from '../engine/stop.js';
import { derive } from '../random/rng.js';
import { hitPacer, maxPacer, visitPacer, type Pacer, type Spacing } from '../schedule/pacer.js';
import { expectedVisitMs, littlesLaw, meanHits, type LittlesLaw, type VisitLength } from '../config/littles-law.js';
import { nextLocalHour, peakMultiplier, rateMultiplier, resolveTimeShape } from '../schedule/time-shape.js';
import { profiledShape } from '../schedule/profiled-shape.js';
import { constantShape, stagesShape, type RateShape } from '../schedule/rate-shape.js';
import type { Workload } from '../workload/workload.js';

/**
 * The run's schedule from the configuration: which pacer (visits/day, --rps N, --rps max, stages
 * in either unit), its spacing (Poisson seeded from the run's seed) and the stop conditions. Pure;
 * the dry run and the live run build it the same way, so a dry run bounded by --duration prints
 * the visits the live run would start.
 */
export interface RunPlan {
  pacer: Pacer;
  /** What the schedule counts; 'max' has none. */
  unit: 'visits' | 'hits' | 'max';
  /** Highest target rate in units per second (visits/s or hits/s); undefined for max. */
  peakPerSecond: number | undefined;
  stop: StopConditions;
  /** Human description of the target, e.g. "86,400 visits/day" or "ramp to 50 hits/s". */
  describe: string;
}

/**
 * `startEpochMs` anchors --follow-profile: the rate follows the local hour and weekday from that
 * instant on (a dry run passes --now, so it prints what a run started then would send).
 */
export function runPlan(config: Config, seed: string | number, startEpochMs = 0): RunPlan {
  const run = config.run;
  const spacing: Spacing = run.arrivals === 'poisson' ? { kind: 'poisson', rng: derive(seed, 'arrivals') } : { kind: 'constant' };
  const stop = stopConditions(config);
  if (run.rps === 'max') return { pacer: maxPacer, unit: 'max', peakPerSecond: undefined, stop, describe: 'as fast as the concurrency allows (--rps max)' };
  let shape: RateShape;
  let unit: 'visits' | 'hits';
  let peak: number;
  let describe: string;
  if (run.stages) {
    unit = run.stagesUnit === 'visits-per-day' ? 'visits' : 'hits';
    const scale = unit === 'visits' ? 1 / 86_400 : 1;
    shape = stagesShape(run.stages.map((s) => ({ durationMs: s.durationMs, target: s.target * scale })));
    peak = Math.max(...run.stages.map((s) => s.target)) * scale;
    describe = `stages ${run.stages.map((s) => `${s.target}`).join(' → ')} ${unit === 'visits' ? 'visits/day' : 'hits/s'}`;
  } else if (run.rps !== undefined) {
    unit = 'hits';
    peak = run.rps;
    shape = constantShape(peak);
    describe = `${run.rps} hits/s`;
  } else {
    unit = 'visits';
    peak = config.visitsPerDay / 86_400;
    shape = constantShape(peak);
    describe = `${config.visitsPerDay.toLocaleString('en-US')} visits/day`;
  }
  if (config.timeShape.followProfile && !run.stages) {
    // The configured rate stays the weekly average; the hour and weekday move it up and down.
    const timeShape = resolveTimeShape(config.timeShape);
    const zone = config.timezone;
    shape = profiledShape(peak, startEpochMs, (t) => rateMultiplier(t, zone, timeShape), (t) => nextLocalHour(t, zone));
    peak *= peakMultiplier(timeShape);
    describe += ` on average, following the ${zone} hour-of-day and weekday profile`;
  }
  const pacer = unit === 'hits' ? hitPacer(shape, spacing) : visitPacer(shape, spacing);
  return { pacer, unit, peakPerSecond: peak, stop, describe };
}

export function stopConditions(config: Config): StopConditions {
  const stop: StopConditions = {};
  if (config.run.durationMs !== undefined) stop.durationMs = config.run.durationMs;
  if (config.autoStopAfterHours > 0) stop.autoStopMs = Math.round(config.autoStopAfterHours * 3_600_000);
  if (config.maxTotalVisits > 0) stop.maxVisits = config.maxTotalVisits;
  if (config.dailyCap > 0) stop.dailyCap = { cap: config.dailyCap, timezone: config.timezone };
  return stop;
}

/** Shape of the model's first visits (hits and real pauses), for Little's law. */
export function sampleVisits(workload: Workload, count = 200): VisitLength[] {
  const sample: VisitLength[] = [];
  for (let i = 0; i < count; i++) {
    const visit = workload.visit('run', i);
    let pausesMs = 0;
    for (let j = 1; j < visit.hits.length; j++) pausesMs += visit.hits[j]!.pauseMs;
    sample.push({ hits: visit.hits.length, pausesMs });
  }
  return sample;
}

/**
 * Visits in flight the peak target needs (Little's law), for every paced plan: visits/day, --rps N
 * (hits/s turned into visits/s by the model's mean hits per visit) and stages in either unit.
 * Undefined for --rps max, which has no rate.
 */
export function concurrencyNeeded(plan: RunPlan, sample: readonly VisitLength[], latencyMs: number): LittlesLaw | undefined {
  if (plan.peakPerSecond === undefined) return undefined;
  const visitsPerSecond = plan.unit === 'hits' ? plan.peakPerSecond / Math.max(1, meanHits(sample)) : plan.peakPerSecond;
  return littlesLaw(visitsPerSecond, expectedVisitMs(sample, latencyMs));
}

/** Connections per target at most for a paced run (see poolConnections). */
export const PACED_MAX_CONNECTIONS = 256;

/**
 * Keep-alive connections per target. With --rps max every visit slot has one request in flight,
 * so the pool matches the concurrency. A paced run's slots mostly sit in pauses: its requests in
 * flight are rate x latency, far fewer than the visits in flight, and a pool sized to thousands of
 * slots opens a connection for every request of a start-up burst (thousands at once, past what
 * nginx or the sink accept: resets, then a storm of reconnects). Beyond the cap requests wait in
 * the pool for a free connection.
 */
export function poolConnections(plan: RunPlan, concurrency: number): number {
  return plan.unit === 'max' ? concurrency : Math.min(concurrency, PACED_MAX_CONNECTIONS);
}
