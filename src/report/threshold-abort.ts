import { parseThreshold, userThresholds, type MetricSelector, type ThresholdCondition } from '../config/threshold-syntax.js';
import type { StopThreshold, ThresholdSettings } from './summary.js';
import { holds, measureLive, type LiveFigures } from './threshold-expr.js';

interface Armed {
  metric: string;
  expression: string;
  selector: MetricSelector;
  condition: ThresholdCondition;
  delayMs: number;
}

/**
 * k6's abortOnFail: the thresholds marked so, checked on the live figures of a run under way (the
 * CLI calls check() about once a second and stops the run on the first one crossed). None is
 * checked before its delayAbortEval, nor while its metric has no data yet.
 */
export class AbortWatch {
  private readonly armed: Armed[];

  constructor(settings: ThresholdSettings) {
    this.armed = userThresholds(settings.checks)
      .filter((t) => t.abortOnFail)
      .flatMap((t) => {
        const parsed = parseThreshold(t.metric, t.expression);
        if (!parsed.ok) return [];
        return [{ metric: t.metric, expression: t.expression, selector: parsed.value.metric, condition: parsed.value.condition, delayMs: t.delayAbortEvalMs }];
      });
  }

  /** False when no threshold has abortOnFail: nothing to watch. */
  get active(): boolean {
    return this.armed.length > 0;
  }

  /** The first abortOnFail threshold crossed at run time `elapsedMs`, or undefined. */
  check(live: LiveFigures, elapsedMs: number): StopThreshold | undefined {
    for (const t of this.armed) {
      if (elapsedMs < t.delayMs) continue;
      const actual = measureLive(live, t.selector, t.condition);
      if (actual !== undefined && !holds(t.condition, actual)) return { metric: t.metric, expression: t.expression, actual, atMs: Math.round(elapsedMs) };
    }
    return undefined;
  }
}
