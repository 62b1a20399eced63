import type { HitType } from '../journey/visit.js';
import { RunMetrics } from '../report/metrics.js';
import type { TimeseriesRow } from '../report/summary.js';
import type { Outcome } from '../transport/transport.js';
import type { PromMetrics } from './prometheus.js';

/**
 * RunMetrics that also feeds Prometheus: the engine reports to one object as before, and every
 * event reaches both. A subclass rather than a change to RunMetrics keeps the hot path of a run
 * without --metrics-listen exactly as it was.
 */
export class ObservedRunMetrics extends RunMetrics {
  constructor(
    targetNames: readonly string[],
    onSecond: ((row: TimeseriesRow) => void) | undefined,
    private readonly prom: PromMetrics,
  ) {
    super(targetNames, onSecond);
  }

  override visitStarted(target: number, lagMs: number | undefined): void {
    super.visitStarted(target, lagMs);
    this.prom.visitStarted(target, lagMs);
  }

  override visitEnded(target: number, completed: boolean): void {
    super.visitEnded(target, completed);
    this.prom.visitEnded(target, completed);
  }

  override dropped(target: number, elapsedMs: number): void {
    super.dropped(target, elapsedMs);
    this.prom.dropped(target);
  }

  override hit(target: number, type: HitType, outcome: Outcome, elapsedMs: number): void {
    super.hit(target, type, outcome, elapsedMs);
    this.prom.hit(target, type, outcome);
  }

  override hitAborted(target: number, type: HitType): void {
    super.hitAborted(target, type);
    this.prom.hit(target, type, undefined);
  }
}
