import type { HitType } from '../journey/visit.js';
import type { CloseInfo, MetricsSnapshot, RunObserver } from '../engine/observer.js';
import type { Outcome } from '../transport/transport.js';
import { MsHistogram, round3 } from './histogram.js';
import {
  ERROR_KEYS,
  RUN_SUMMARY_VERSION,
  type ErrorKey,
  type HitCounts,
  type LatencySummary,
  type RateSummary,
  type RunHistograms,
  type RunSummary,
  type TargetSummary,
  type TimeseriesRow,
  type VisitCounts,
} from './summary.js';

const emptyHits = (): HitCounts => ({ sent: 0, ok: 0, failed: 0, aborted: 0 });
const emptyErrors = (): Record<ErrorKey, number> =>
  Object.fromEntries(ERROR_KEYS.map((k) => [k, 0])) as Record<ErrorKey, number>;

class TargetStats {
  readonly visits: VisitCounts = { planned: 0, started: 0, completed: 0, aborted: 0, dropped: 0 };
  readonly hits = emptyHits();
  readonly byType = new Map<HitType, HitCounts>();
  readonly status = new Map<number, number>();
  readonly errors = emptyErrors();
  readonly latency = new MsHistogram();
  /** Latency by hit type: merged over targets, it is the summary's histogram of that type. */
  readonly typeLatency = new Map<HitType, MsHistogram>();

  constructor(readonly name: string) {}

  typeHistogram(type: HitType): MsHistogram {
    let h = this.typeLatency.get(type);
    if (!h) {
      h = new MsHistogram();
      this.typeLatency.set(type, h);
    }
    return h;
  }

  typeCounts(type: HitType): HitCounts {
    let counts = this.byType.get(type);
    if (!counts) {
      counts = emptyHits();
      this.byType.set(type, counts);
    }
    return counts;
  }
}

/**
 * vegeta's Add/Close for a run: the engine reports visits and hits as they happen; close() turns
 * the counters and HDR histograms into the summary. Per hit it does a few counter bumps and two
 * O(1) histogram records; nothing grows with the number of hits or URLs.
 */
export class RunMetrics implements RunObserver<RunSummary> {
  private readonly targets: TargetStats[];
  private readonly lag = new MsHistogram();
  private readonly second = new MsHistogram();
  private row = { sent: 0, ok: 0, failed: 0, dropped: 0 };
  private rowErrors: Partial<Record<ErrorKey, number>> = {};
  private currentSecond = 0;
  private inFlight = 0;
  private started = 0;
  private completed = 0;
  private droppedTotal = 0;
  private sent = 0;
  private ok = 0;
  private failed = 0;
  private hitsAtWindowEnd: number | undefined;
  private visitsAtWindowEnd: number | undefined;

  constructor(
    targetNames: readonly string[],
    private readonly onSecond?: (row: TimeseriesRow) => void,
  ) {
    if (targetNames.length === 0) throw new Error('metrics need at least one target');
    this.targets = targetNames.map((name) => new TargetStats(name));
  }

  visitStarted(target: number, lagMs: number | undefined): void {
    const t = this.target(target);
    t.visits.planned += 1;
    t.visits.started += 1;
    this.started += 1;
    this.inFlight += 1;
    if (lagMs !== undefined) this.lag.record(lagMs);
  }

  visitEnded(target: number, completed: boolean): void {
    const t = this.target(target);
    if (completed) {
      t.visits.completed += 1;
      this.completed += 1;
    } else {
      t.visits.aborted += 1;
    }
    this.inFlight -= 1;
  }

  dropped(target: number, elapsedMs: number): void {
    this.tick(elapsedMs);
    const t = this.target(target);
    t.visits.planned += 1;
    t.visits.dropped += 1;
    this.droppedTotal += 1;
    this.row.dropped += 1;
  }

  hit(target: number, type: HitType, outcome: Outcome, elapsedMs: number): void {
    this.tick(elapsedMs);
    const t = this.target(target);
    const byType = t.typeCounts(type);
    t.hits.sent += 1;
    byType.sent += 1;
    this.sent += 1;
    this.row.sent += 1;
    if (outcome.kind === 'response') {
      const status = outcome.status;
      t.status.set(status, (t.status.get(status) ?? 0) + 1);
      t.latency.record(outcome.latencyMs);
      t.typeHistogram(type).record(outcome.latencyMs);
      this.second.record(outcome.latencyMs);
      if (status >= 200 && status < 300) {
        t.hits.ok += 1;
        byType.ok += 1;
        this.ok += 1;
        this.row.ok += 1;
        return;
      }
      const key = status >= 500 ? '5xx' : status >= 400 ? '4xx' : '3xx';
      t.errors[key] += 1;
      this.rowErrors[key] = (this.rowErrors[key] ?? 0) + 1;
    } else {
      t.errors[outcome.errorClass] += 1;
      this.rowErrors[outcome.errorClass] = (this.rowErrors[outcome.errorClass] ?? 0) + 1;
    }
    t.hits.failed += 1;
    byType.failed += 1;
    this.failed += 1;
    this.row.failed += 1;
  }

  /** A hit that was in flight when the run stopped at once (neither ok nor failed). */
  hitAborted(target: number, type: HitType): void {
    const t = this.target(target);
    t.hits.sent += 1;
    t.hits.aborted += 1;
    t.typeCounts(type).sent += 1;
    t.typeCounts(type).aborted += 1;
    this.sent += 1;
  }

  /** Visits stopped starting: the achieved rate is measured up to here. */
  markWindowEnd(): void {
    if (this.hitsAtWindowEnd !== undefined) return;
    this.hitsAtWindowEnd = this.sent;
    this.visitsAtWindowEnd = this.started;
  }

  /** Closes the seconds that ended before `elapsedMs` (timeseries rows). */
  tick(elapsedMs: number): void {
    const second = Math.floor(elapsedMs / 1000);
    while (second > this.currentSecond) this.flushSecond();
  }

  snapshot(): MetricsSnapshot {
    const merged = this.mergedLatency();
    return {
      visitsStarted: this.started,
      visitsCompleted: this.completed,
      visitsInFlight: this.inFlight,
      dropped: this.droppedTotal,
      hitsSent: this.sent,
      ok: this.ok,
      failed: this.failed,
      errorRate: this.sent === 0 ? 0 : this.failed / this.sent,
      p95Ms: merged.at(95),
    };
  }

  /** The targets' names, in the order of their indexes. */
  get targetNames(): string[] {
    return this.targets.map((t) => t.name);
  }

  /**
   * The figures so far of one hit type, one target, or the whole run (both undefined): what an
   * abortOnFail threshold reads during the run (report/threshold-expr.ts measureLive). Called about
   * once a second, off the hot path: a type's latency is merged over the targets on each call.
   */
  figures(type: HitType | undefined, target: number | undefined): { hits: HitCounts; latency: MsHistogram; dropped: number } {
    if (target !== undefined) {
      const t = this.target(target);
      return { hits: { ...t.hits }, latency: t.latency, dropped: t.visits.dropped };
    }
    if (type !== undefined) {
      const hits = emptyHits();
      const latency = new MsHistogram();
      for (const t of this.targets) {
        const counts = t.byType.get(type);
        if (counts) addHits(hits, counts);
        const h = t.typeLatency.get(type);
        if (h) latency.add(h);
      }
      return { hits, latency, dropped: this.droppedTotal };
    }
    const aborted = this.targets.reduce((n, t) => n + t.hits.aborted, 0);
    return { hits: { sent: this.sent, ok: this.ok, failed: this.failed, aborted }, latency: this.mergedLatency(), dropped: this.droppedTotal };
  }

  close(info: CloseInfo): RunSummary {
    this.tick(info.durationMs);
    if (this.row.sent + this.row.dropped > 0) this.flushSecond();
    this.markWindowEnd();
    const targets = this.targets.map(targetSummary);
    const byType: RunSummary['hits']['byType'] = {};
    for (const t of this.targets) {
      for (const [type, counts] of t.byType) {
        const into = (byType[type] ??= emptyHits());
        addHits(into, counts);
      }
    }
    const hits = emptyHits();
    const visits: VisitCounts = { planned: 0, started: 0, completed: 0, aborted: 0, dropped: 0 };
    const statusCodes: Record<string, number> = {};
    const errors = emptyErrors();
    for (const t of targets) {
      addHits(hits, t.hits);
      for (const key of Object.keys(visits) as Array<keyof VisitCounts>) visits[key] += t.visits[key];
      for (const [code, n] of Object.entries(t.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + n;
      for (const key of ERROR_KEYS) errors[key] += t.errors[key];
    }
    const latency = this.mergedLatency();
    const windowMs = Math.round(info.rate.windowMs);
    const pausedMs = Math.round(info.rate.pausedMs);
    const startedAtMs = Math.floor(info.startedAtMs);
    const hitsInWindow = this.hitsAtWindowEnd ?? this.sent;
    const visitsInWindow = this.visitsAtWindowEnd ?? this.started;
    return {
      version: RUN_SUMMARY_VERSION,
      command: 'run',
      seed: info.seed,
      startedAt: new Date(startedAtMs).toISOString(),
      durationMs: Math.round(info.durationMs),
      stopReason: info.stopReason,
      concurrency: info.concurrency,
      rate: rateSummary(info.rate.unit, info.rate.expected, info.rate.windowMs, info.rate.pausedMs, hitsInWindow, visitsInWindow),
      visits,
      hits: { ...hits, byType },
      errorRate: hits.sent === 0 ? 0 : round6(hits.failed / hits.sent),
      statusCodes,
      errors,
      latencyMs: latencySummary(latency),
      scheduleLagMs:
        info.rate.unit === 'max'
          ? null
          : { count: this.lag.count, p50: this.lag.at(50), p99: this.lag.at(99), max: this.lag.max },
      targets,
      thresholds: [],
      limits: {},
      window: {
        start: new Date(startedAtMs).toISOString(),
        end: new Date(startedAtMs + windowMs + pausedMs).toISOString(),
        hits: hitsInWindow,
        visits: visitsInWindow,
        expected: info.rate.unit === 'max' ? null : info.rate.expected,
      },
      histograms: this.histograms(latency, info),
    };
  }

  private histograms(latency: MsHistogram, info: CloseInfo): RunHistograms {
    const types = new Map<HitType, MsHistogram>();
    for (const t of this.targets) {
      for (const [type, h] of t.typeLatency) {
        let into = types.get(type);
        if (!into) types.set(type, (into = new MsHistogram()));
        into.add(h);
      }
    }
    const byType: RunHistograms['byType'] = {};
    for (const [type, h] of types) byType[type] = h.encode();
    return {
      latency: latency.encode(),
      byType,
      targets: this.targets.map((t) => t.latency.encode()),
      scheduleLag: info.rate.unit === 'max' ? null : this.lag.encode(),
    };
  }

  private mergedLatency(): MsHistogram {
    if (this.targets.length === 1) return (this.targets[0] as TargetStats).latency;
    const merged = new MsHistogram();
    for (const t of this.targets) merged.add(t.latency);
    return merged;
  }

  private target(index: number): TargetStats {
    const t = this.targets[index];
    if (!t) throw new RangeError(`unknown target index ${index}`);
    return t;
  }

  private flushSecond(): void {
    if (this.onSecond) {
      this.onSecond({
        second: this.currentSecond,
        hitsSent: this.row.sent,
        ok: this.row.ok,
        failed: this.row.failed,
        p50Ms: this.second.at(50),
        p95Ms: this.second.at(95),
        p99Ms: this.second.at(99),
        errors: this.rowErrors,
        inFlight: this.inFlight,
        dropped: this.row.dropped,
      });
    }
    this.currentSecond += 1;
    this.row.sent = 0;
    this.row.ok = 0;
    this.row.failed = 0;
    this.row.dropped = 0;
    this.rowErrors = {};
    if (this.second.count > 0) this.second.reset();
  }
}

function targetSummary(t: TargetStats): TargetSummary {
  const statusCodes: Record<string, number> = {};
  for (const code of [...t.status.keys()].sort((a, b) => a - b)) statusCodes[String(code)] = t.status.get(code) ?? 0;
  return {
    name: t.name,
    visits: { ...t.visits },
    hits: { ...t.hits },
    statusCodes,
    errors: { ...t.errors },
    latencyMs: latencySummary(t.latency),
  };
}

export function latencySummary(h: MsHistogram): LatencySummary {
  return { count: h.count, mean: h.mean, p50: h.at(50), p90: h.at(90), p95: h.at(95), p99: h.at(99), max: h.max };
}

function addHits(into: HitCounts, from: HitCounts): void {
  into.sent += from.sent;
  into.ok += from.ok;
  into.failed += from.failed;
  into.aborted += from.aborted;
}

/**
 * The rate over a sending window of `windowMs` (pauses excluded) in which `hits` and `visits` went
 * out, against `expected` (visits for visits-per-day, else hits; null for max). One formula for a run
 * and for merged runs, so a summary merged alone gives back its own rate.
 */
export function rateSummary(
  unit: RateSummary['unit'],
  expected: number | null,
  windowMs: number,
  pausedMs: number,
  hits: number,
  visits: number,
): RateSummary {
  const windowSeconds = Math.max(windowMs, 1) / 1000;
  const achievedVisitsPerDay = round3((visits / windowSeconds) * 86_400);
  const achievedHitsPerSecond = round3(hits / windowSeconds);
  const count = unit === 'visits-per-day' ? visits : hits;
  const achieved = unit === 'visits-per-day' ? achievedVisitsPerDay : achievedHitsPerSecond;
  const perUnit = unit === 'visits-per-day' ? 86_400 : 1;
  const hasTarget = unit !== 'max' && expected !== null && expected > 0;
  return {
    unit,
    target: hasTarget ? round3((expected / windowSeconds) * perUnit) : null,
    achieved,
    ratio: hasTarget ? round6(count / expected) : null,
    achievedVisitsPerDay,
    achievedHitsPerSecond,
    windowMs: Math.round(windowMs),
    pausedMs: Math.round(pausedMs),
  };
}

export function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
