import type { CloseInfo, MetricsSnapshot, RunObserver } from '../engine/observer.js';
import type { HitType } from '../journey/visit.js';
import type { NetworkErrorClass, Outcome } from '../transport/transport.js';

/**
 * run --workers: a worker thread's run events, carried to the main thread as numbers. The thread's
 * engine reports to an EventLog (a RunObserver); the log is flushed as one Float64Array, and the
 * main thread replays it into the run's one RunMetrics, so the report, the summary, the timeseries,
 * the Prometheus figures and the abortOnFail checks are made exactly as in a single-thread run.
 * Only what the metrics read crosses: target, hit type, status or error class, latency and time;
 * never a URL, a body or an error message (they may hold the token).
 */

/** Every hit type and error class by number (a Record, so a new one fails to compile until listed). */
const HIT_INDEX: Record<HitType, number> = { pageview: 0, search: 1, outlink: 2, download: 3, event: 4, ecommerce: 5, ping: 6, cart: 7, goal: 8 };
const ERROR_INDEX: Record<NetworkErrorClass, number> = { timeout: 0, refused: 1, reset: 2, dns: 3, tls: 4, other: 5 };
const HIT_TYPES = Object.keys(HIT_INDEX) as HitType[];
const ERROR_CLASSES = Object.keys(ERROR_INDEX) as NetworkErrorClass[];

const Kind = { VisitStarted: 0, VisitEnded: 1, Dropped: 2, Response: 3, Error: 4, HitAborted: 5, WindowEnd: 6 } as const;
type Kind = (typeof Kind)[keyof typeof Kind];

/** Numbers per event: kind, target, and four operands. */
const WIDTH = 6;

/** The worker's side: records each event as WIDTH numbers until take() hands them over. */
export class EventLog implements RunObserver<CloseInfo> {
  private buffer = new Float64Array(WIDTH * 1024);
  private length = 0;
  private started = 0;
  private completed = 0;
  private inFlight = 0;
  private droppedCount = 0;
  private sent = 0;
  private ok = 0;
  private failed = 0;

  visitStarted(target: number, lagMs: number | undefined): void {
    this.started += 1;
    this.inFlight += 1;
    this.push(Kind.VisitStarted, target, lagMs ?? Number.NaN, 0, 0, 0);
  }

  visitEnded(target: number, completed: boolean): void {
    this.inFlight -= 1;
    if (completed) this.completed += 1;
    this.push(Kind.VisitEnded, target, completed ? 1 : 0, 0, 0, 0);
  }

  dropped(target: number, elapsedMs: number): void {
    this.droppedCount += 1;
    this.push(Kind.Dropped, target, elapsedMs, 0, 0, 0);
  }

  hit(target: number, type: HitType, outcome: Outcome, elapsedMs: number): void {
    this.sent += 1;
    const t = HIT_INDEX[type];
    if (outcome.kind === 'response') {
      if (outcome.status >= 200 && outcome.status < 300) this.ok += 1;
      else this.failed += 1;
      this.push(Kind.Response, target, t, outcome.status, outcome.latencyMs, elapsedMs);
    } else {
      this.failed += 1;
      this.push(Kind.Error, target, t, ERROR_INDEX[outcome.errorClass], outcome.latencyMs, elapsedMs);
    }
  }

  hitAborted(target: number, type: HitType): void {
    this.sent += 1;
    this.push(Kind.HitAborted, target, HIT_INDEX[type], 0, 0, 0);
  }

  markWindowEnd(): void {
    this.push(Kind.WindowEnd, 0, 0, 0, 0, 0);
  }

  tick(): void {}

  /** This thread's counters (its engine's own snapshot; the main thread shows the merged ones). */
  snapshot(): MetricsSnapshot {
    return {
      visitsStarted: this.started,
      visitsCompleted: this.completed,
      visitsInFlight: this.inFlight,
      dropped: this.droppedCount,
      hitsSent: this.sent,
      ok: this.ok,
      failed: this.failed,
      errorRate: this.sent === 0 ? 0 : this.failed / this.sent,
      p95Ms: 0,
    };
  }

  /** The run's end as this thread saw it; the main thread combines every thread's (run-pool.ts). */
  close(info: CloseInfo): CloseInfo {
    return info;
  }

  /** The events since the last take(), or undefined when there are none (transferable). */
  take(): Float64Array | undefined {
    if (this.length === 0) return undefined;
    const events = this.buffer.slice(0, this.length);
    this.length = 0;
    return events;
  }

  private push(kind: Kind, target: number, a: number, b: number, c: number, d: number): void {
    if (this.length + WIDTH > this.buffer.length) {
      const bigger = new Float64Array(this.buffer.length * 2);
      bigger.set(this.buffer);
      this.buffer = bigger;
    }
    const buf = this.buffer;
    const i = this.length;
    buf[i] = kind;
    buf[i + 1] = target;
    buf[i + 2] = a;
    buf[i + 3] = b;
    buf[i + 4] = c;
    buf[i + 5] = d;
    this.length = i + WIDTH;
  }
}

/**
 * The main thread's side: tells `into` (the run's RunMetrics) the events a thread recorded, in the
 * order it recorded them. Returns how many window ends they held (a thread stopped starting visits).
 */
export function replayEvents(events: Float64Array, into: RunObserver): number {
  let windowEnds = 0;
  for (let i = 0; i + WIDTH <= events.length; i += WIDTH) {
    const target = events[i + 1] as number;
    const a = events[i + 2] as number;
    switch (events[i] as Kind) {
      case Kind.VisitStarted:
        into.visitStarted(target, Number.isNaN(a) ? undefined : a);
        break;
      case Kind.VisitEnded:
        into.visitEnded(target, a === 1);
        break;
      case Kind.Dropped:
        into.dropped(target, a);
        break;
      case Kind.Response:
        into.hit(target, HIT_TYPES[a] ?? 'pageview', { kind: 'response', status: events[i + 3] as number, headers: {}, body: '', latencyMs: events[i + 4] as number }, events[i + 5] as number);
        break;
      case Kind.Error:
        into.hit(
          target,
          HIT_TYPES[a] ?? 'pageview',
          { kind: 'error', errorClass: ERROR_CLASSES[events[i + 3] as number] ?? 'other', message: '', latencyMs: events[i + 4] as number, mayHaveBeenProcessed: true },
          events[i + 5] as number,
        );
        break;
      case Kind.HitAborted:
        into.hitAborted(target, HIT_TYPES[a] ?? 'pageview');
        break;
      case Kind.WindowEnd:
        windowEnds += 1;
        break;
    }
  }
  return windowEnds;
}
