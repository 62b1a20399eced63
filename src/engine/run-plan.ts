import type { Config } from '../config/schema.js';
import { UsageError } from '../errors.js';
import { timeLimit, type StopConditions } from './stop.js';
import { hitOffsets } from './visit-source.js';
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

/**
 * A dry run's bound and schedule: --max-visits, or for a paced plan the time limit (--duration,
 * auto-stop, the end of the stages), within which `starts` admits the visits the live dispatcher
 * would start when none is dropped (it commits each on the pacer). Without a bound: a UsageError.
 */
export function dryRunSchedule(plan: RunPlan): { maxVisits: number | undefined; starts(pausesMs: readonly number[]): boolean } {
  const maxVisits = plan.stop.maxVisits;
  const limitMs = timeLimit(plan.stop)?.limitMs ?? (plan.pacer.kind === 'paced' ? plan.pacer.shape.endMs : undefined);
  if (maxVisits === undefined && (limitMs === undefined || plan.pacer.kind === 'max')) {
    throw new UsageError('run --dry-run needs a bound: give --max-visits N (or --duration with a paced rate)');
  }
  const pacer = plan.pacer.kind === 'paced' ? plan.pacer : undefined;
  return {
    maxVisits,
    starts(pausesMs) {
      if (!pacer || limitMs === undefined) return true;
      const due = pacer.next();
      if (due === undefined || due >= limitMs) return false;
      pacer.commit(hitOffsets(pausesMs));
      return true;
    },
  };
}

/** Round trip assumed for Little's law when --no-preflight leaves nothing measured. */
export const ASSUMED_LATENCY_MS = 5;

/** The start-time warning when the concurrency cannot carry the plan's peak (every paced plan), or undefined. */
export function concurrencyWarning(config: Config, plan: RunPlan, sample: readonly VisitLength[], latencyMs: number): string | undefined {
  const check = concurrencyNeeded(plan, sample, latencyMs);
  if (!check || check.needed <= config.concurrency) return undefined;
  return (
    `--concurrency ${config.concurrency} is too low for ${plan.describe}: ${round(check.visitsPerSecond)} visits/s x ` +
    `${round(check.meanVisitMs / 1000)} s per visit (pauses + ${round(latencyMs)} ms per hit) needs ${check.needed} visits in flight ` +
    `(Little's law); arrivals that find every slot busy are dropped and counted. Use --concurrency ${check.needed} or more.`
  );
}

/** The run's first line: seed, rate, targets, concurrency and when it stops. */
export function startLine(config: Config, plan: RunPlan, seed: string | number): string {
  return `run: seed ${seed}; sending ${plan.describe} to ${describeTargets(config)}; concurrency ${config.concurrency}${stopText(config, plan)}`;
}

/** Each target's name in the report: its URL, with the sites when two targets share a URL. */
export function targetNames(config: Config): string[] {
  const urls = config.targets.map((t) => t.url);
  return config.targets.map((t, i) => {
    if (urls.indexOf(t.url) === urls.lastIndexOf(t.url)) return t.url;
    const sites = t.siteIds.from === t.siteIds.to ? `site ${t.siteIds.from}` : `sites ${t.siteIds.from}-${t.siteIds.to}`;
    return `${t.url} (${sites}, #${i + 1})`;
  });
}

function describeTargets(config: Config): string {
  return config.targets
    .map((t) => {
      const sites = t.siteIds.from === t.siteIds.to ? `site ${t.siteIds.from}` : `sites ${t.siteIds.from}-${t.siteIds.to}`;
      const weight = config.targets.length > 1 ? `, weight ${t.weight}` : '';
      return `${t.url} (${sites}${weight})`;
    })
    .join(', ');
}

function stopText(config: Config, plan: RunPlan): string {
  const parts: string[] = [];
  if (plan.stop.durationMs !== undefined) parts.push(`after ${plan.stop.durationMs / 1000} s`);
  if (plan.stop.maxVisits !== undefined) parts.push(`after ${plan.stop.maxVisits} visits`);
  if (plan.stop.autoStopMs !== undefined) parts.push(`after ${config.autoStopAfterHours} h`);
  if (plan.pacer.kind === 'paced' && plan.pacer.shape.endMs !== undefined) parts.push('at the end of the stages');
  const cap = plan.stop.dailyCap ? `; at most ${plan.stop.dailyCap.cap} visits per day (${config.timezone})` : '';
  return (parts.length > 0 ? `; stops ${parts.join(' or ')}` : '; runs until interrupted') + cap;
}

/** What the log records at the start: never the token. */
export function describeRun(config: Config, plan: RunPlan, seed: string | number): Record<string, unknown> {
  return {
    seed,
    rate: plan.describe,
    concurrency: config.concurrency,
    targets: config.targets.map((t) => ({ url: t.url, siteIds: t.siteIds, weight: t.weight, token: Boolean(t.tokenAuth) })),
    stop: plan.stop,
    graceMs: config.run.graceMs,
  };
}

function round(value: number): string {
  return value >= 10 ? value.toFixed(0) : value >= 1 ? value.toFixed(1) : value.toPrecision(2);
}
