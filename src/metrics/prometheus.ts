import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { HitType } from '../journey/visit.js';
import type { LiveSnapshot } from '../engine/observer.js';
import type { Outcome } from '../transport/transport.js';

/** Request latency buckets, seconds: 1 ms to 30 s, dense where Matomo usually answers. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Answer classes of a hit, by the index the hot path counts them under (statusIndex). */
const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx', 'error', 'aborted'] as const;

/** Visit states, by the index the hot path counts them under. */
const VISIT_STATES = ['started', 'completed', 'aborted', 'dropped'] as const;

/** What the live gauges read at scrape time. */
export interface GaugeSource {
  snapshot(): Pick<LiveSnapshot, 'visitsInFlight' | 'targetRate' | 'unit' | 'achievedHitsPerSecond' | 'elapsedMs'>;
}

/**
 * The Prometheus side of a run or a backfill (prom-client, one registry per process, no default
 * process metrics so a scrape shows only ours). Counters are bumped as hits happen; gauges are read
 * from the engine's snapshot when Prometheus scrapes. Labels are bounded: hit type, status class and
 * the target as `origin + path` (never its query, user or password, so never a token).
 *
 * A run's hits and visits are counted in plain arrays and handed to prom-client when Prometheus
 * scrapes (the counters' `collect`): prom-client keys every increment by a label string it builds
 * and looks up each time, a few microseconds and a few hundred bytes of garbage per hit, which at
 * `--rps max` cost the run 8 % of its rate. The latency histogram is observed per hit (prom-client
 * has no way to add counts to its buckets), through one labelled child per target.
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
  /** Hits not yet handed to prom-client: per hit type, [target * STATUS_CLASSES.length + class]. */
  private readonly pendingHits = new Map<HitType, number[]>();
  /** Visits not yet handed to prom-client: [target * VISIT_STATES.length + state]. */
  private readonly pendingVisits: number[];
  /** The latency histogram's child of each target (run). */
  private readonly latencyOf: Array<{ observe(value: number): void }>;

  constructor(private readonly targetLabels: readonly string[]) {
    const registers = [this.registry];
    // prom-client calls collect() with the metric as `this`; the pending counts are reached through `self`.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    this.hits = new Counter({
      name: 'trafficinator_hits_total',
      help: 'Tracking hits sent, by hit type, answer class (2xx, 3xx, 4xx, 5xx, error, aborted) and target',
      labelNames: ['type', 'status_class', 'target'],
      registers,
      collect() {
        self.flushHits();
      },
    });
    this.visits = new Counter({
      name: 'trafficinator_visits_total',
      help: 'Visits by state: started, completed, dropped (every visit slot busy), aborted',
      labelNames: ['state', 'target'],
      registers,
      collect() {
        self.flushVisits();
      },
    });
    this.pendingVisits = new Array<number>(targetLabels.length * VISIT_STATES.length).fill(0);
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
    this.latencyOf = targetLabels.map((target) => this.latency.labels({ target }));
    const source = (): ReturnType<GaugeSource['snapshot']> | undefined => this.source?.snapshot();
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
    this.visit(target, 0);
    if (lagMs !== undefined) this.lastLagSeconds = lagMs / 1000;
  }

  visitEnded(target: number, completed: boolean): void {
    this.visit(target, completed ? 1 : 2);
  }

  dropped(target: number): void {
    this.visit(target, 3);
  }

  /** A run's hit: counted in place, handed to prom-client at the next scrape. */
  hit(target: number, type: HitType, outcome: Outcome | undefined): void {
    const status = statusIndex(outcome);
    const latency = this.latencyOf[target];
    if (status < 0 || latency === undefined) {
      this.request(this.label(target), type, outcome, 1);
      return;
    }
    let counts = this.pendingHits.get(type);
    if (counts === undefined) this.pendingHits.set(type, (counts = new Array<number>(this.targetLabels.length * STATUS_CLASSES.length).fill(0)));
    counts[target * STATUS_CLASSES.length + status]! += 1;
    if (outcome?.kind === 'response') latency.observe(outcome.latencyMs / 1000);
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

  private visit(target: number, state: number): void {
    const at = target * VISIT_STATES.length + state;
    if (at < this.pendingVisits.length) this.pendingVisits[at]! += 1;
    else this.visits.inc({ state: VISIT_STATES[state]!, target: this.label(target) });
  }

  private flushHits(): void {
    for (const [type, counts] of this.pendingHits) {
      counts.forEach((n, i) => {
        if (n === 0) return;
        const target = Math.floor(i / STATUS_CLASSES.length);
        this.hits.inc({ type, status_class: STATUS_CLASSES[i % STATUS_CLASSES.length]!, target: this.label(target) }, n);
        counts[i] = 0;
      });
    }
  }

  private flushVisits(): void {
    this.pendingVisits.forEach((n, i) => {
      if (n === 0) return;
      this.visits.inc({ state: VISIT_STATES[i % VISIT_STATES.length]!, target: this.label(Math.floor(i / VISIT_STATES.length)) }, n);
      this.pendingVisits[i] = 0;
    });
  }
}

/** The index of an outcome's answer class in STATUS_CLASSES; -1 for a status outside 1xx to 5xx. */
function statusIndex(outcome: Outcome | undefined): number {
  if (outcome === undefined) return 6;
  if (outcome.kind === 'error') return 5;
  const family = Math.floor(outcome.status / 100);
  return family >= 1 && family <= 5 ? family - 1 : -1;
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
