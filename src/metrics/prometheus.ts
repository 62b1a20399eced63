import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { HitType } from '../journey/visit.js';
import type { LiveSnapshot } from '../engine/observer.js';
import type { Outcome } from '../transport/transport.js';

/** Request latency buckets, seconds: 1 ms to 30 s, dense where Matomo usually answers. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** What the live gauges read at scrape time. */
export interface GaugeSource {
  snapshot(): Pick<LiveSnapshot, 'visitsInFlight' | 'targetRate' | 'unit' | 'achievedHitsPerSecond' | 'elapsedMs'>;
}

/**
 * The Prometheus side of a run or a backfill (prom-client, one registry per process, no default
 * process metrics so a scrape shows only ours). Counters are bumped as hits happen; gauges are read
 * from the engine's snapshot when Prometheus scrapes. Labels are bounded: hit type, status class and
 * the target as `origin + path` (never its query, user or password, so never a token).
 */
export class PromMetrics {
  readonly registry = new Registry();
  private source: GaugeSource | undefined;
  private lastLagSeconds = 0;
  private readonly hits: Counter<'type' | 'status_class' | 'target'>;
  private readonly visits: Counter<'state' | 'target'>;
  private readonly latency: Histogram<'target'>;
  private readonly batches: Counter<'target'>;
  private readonly batchHits: Counter<'result' | 'target'>;
  private requestsInFlight = 0;

  constructor(private readonly targetLabels: readonly string[]) {
    const registers = [this.registry];
    this.hits = new Counter({
      name: 'trafficinator_hits_total',
      help: 'Tracking hits sent, by hit type, answer class (2xx, 3xx, 4xx, 5xx, error, aborted) and target',
      labelNames: ['type', 'status_class', 'target'],
      registers,
    });
    this.visits = new Counter({
      name: 'trafficinator_visits_total',
      help: 'Visits by state: started, completed, dropped (every visit slot busy), aborted',
      labelNames: ['state', 'target'],
      registers,
    });
    this.latency = new Histogram({
      name: 'trafficinator_request_duration_seconds',
      help: 'Time from sending a request to its full answer (monotonic clock)',
      labelNames: ['target'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.batches = new Counter({
      name: 'trafficinator_batches_total',
      help: 'Bulk tracking requests answered with a bulk result (backfill)',
      labelNames: ['target'],
      registers,
    });
    this.batchHits = new Counter({
      name: 'trafficinator_batch_hits_total',
      help: 'Hits in answered bulk requests, by what Matomo said: tracked or invalid',
      labelNames: ['result', 'target'],
      registers,
    });
    const source = (): ReturnType<GaugeSource['snapshot']> | undefined => this.source?.snapshot();
    // prom-client calls collect() with the gauge as `this`; the engine's state is reached through `self`.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    new Gauge({
      name: 'trafficinator_visits_in_flight',
      help: 'Visits started and not yet ended (for a backfill: requests in flight)',
      registers,
      collect() {
        this.set(source()?.visitsInFlight ?? self.requestsInFlight);
      },
    });
    new Gauge({
      name: 'trafficinator_target_rate',
      help: 'The rate the schedule asks for now, in the unit label (hits_per_second or visits_per_day)',
      labelNames: ['unit'],
      registers,
      collect() {
        const s = source();
        this.reset();
        if (s && s.targetRate !== null) this.set({ unit: s.unit === 'visits-per-day' ? 'visits_per_day' : 'hits_per_second' }, s.targetRate);
      },
    });
    new Gauge({
      name: 'trafficinator_achieved_hits_per_second',
      help: 'Hits sent per second since the start',
      registers,
      collect() {
        this.set(source()?.achievedHitsPerSecond ?? 0);
      },
    });
    new Gauge({
      name: 'trafficinator_schedule_lag_seconds',
      help: 'How late the latest visit started against its schedule',
      registers,
      collect() {
        this.set(self.lastLagSeconds);
      },
    });
  }

  /** The engine whose snapshot the gauges read (a live run). */
  watch(source: GaugeSource): void {
    this.source = source;
  }

  visitStarted(target: number, lagMs: number | undefined): void {
    this.visits.inc({ state: 'started', target: this.label(target) });
    if (lagMs !== undefined) this.lastLagSeconds = lagMs / 1000;
  }

  visitEnded(target: number, completed: boolean): void {
    this.visits.inc({ state: completed ? 'completed' : 'aborted', target: this.label(target) });
  }

  dropped(target: number): void {
    this.visits.inc({ state: 'dropped', target: this.label(target) });
  }

  hit(target: number, type: HitType, outcome: Outcome | undefined): void {
    this.request(this.label(target), type, outcome, 1);
  }

  /** A request of `hits` hits to the target labelled `label` (a backfill's bulk POST or single hit). */
  request(label: string, type: HitType | 'bulk' | 'single', outcome: Outcome | undefined, hits: number): void {
    this.hits.inc({ type, status_class: statusClass(outcome), target: label }, hits);
    if (outcome?.kind === 'response') this.latency.observe({ target: label }, outcome.latencyMs / 1000);
  }

  /** A bulk request's answer: `tracked` and `invalid` from Matomo's JSON. */
  batch(label: string, tracked: number, invalid: number): void {
    this.batches.inc({ target: label });
    this.batchHits.inc({ result: 'tracked', target: label }, tracked);
    this.batchHits.inc({ result: 'invalid', target: label }, invalid);
  }

  requestStarted(): void {
    this.requestsInFlight += 1;
  }

  requestEnded(): void {
    this.requestsInFlight -= 1;
  }

  /** The exposition text for GET /metrics. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private label(target: number): string {
    return this.targetLabels[target] ?? 'unknown';
  }
}

function statusClass(outcome: Outcome | undefined): string {
  if (outcome === undefined) return 'aborted';
  if (outcome.kind === 'error') return 'error';
  return `${Math.floor(outcome.status / 100)}xx`;
}

/** A target as a label: scheme, host, port and path only (no user, password, query or fragment). */
export function targetLabel(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return 'invalid-url';
  }
}
