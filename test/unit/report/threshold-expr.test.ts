import { describe, expect, it } from 'vitest';
import { parseThreshold } from '../../../src/config/threshold-syntax.js';
import type { HitType } from '../../../src/journey/visit.js';
import { RunMetrics } from '../../../src/report/metrics.js';
import { holds, measure, measureLive } from '../../../src/report/threshold-expr.js';
import type { RunSummary } from '../../../src/report/summary.js';

describe('thresholds in k6 form: comparing', () => {
  it.each([
    { op: '<', at: [false, false, true] },
    { op: '<=', at: [false, true, true] },
    { op: '>', at: [true, false, false] },
    { op: '>=', at: [true, true, false] },
    { op: '==', at: [false, true, false] },
    { op: '!=', at: [true, false, true] },
  ] as const)('$op compares as written', ({ op, at }) => {
    expect([6, 5, 4].map((actual) => holds({ aggregation: 'value', op, limit: 5 }, actual))).toEqual(at);
  });
});

describe('thresholds in k6 form: measuring a summary', () => {
  // Target 0: pageviews at 1..100 ms; target 1: orders at 1000 ms, 2 of 4 failing.
  const summary = ((): RunSummary => {
    const m = new RunMetrics(['a', 'b']);
    const answer = (target: number, type: HitType, status: number, latencyMs: number): void =>
      m.hit(target, type, { kind: 'response', status, headers: {}, body: '', latencyMs }, 0);
    for (let ms = 1; ms <= 100; ms++) answer(0, 'pageview', 204, ms);
    for (let i = 0; i < 4; i++) answer(1, 'ecommerce', i < 2 ? 503 : 204, 1000);
    m.dropped(1, 0);
    return m.close({ seed: 1, startedAtMs: 0, durationMs: 1000, stopReason: 'duration', concurrency: 1, rate: { unit: 'hits-per-second', expected: 208, windowMs: 1000, pausedMs: 0 } });
  })();
  const value = (metric: string, expression: string): number | undefined => {
    const parsed = parseThreshold(metric, expression);
    if (!parsed.ok) throw new Error(parsed.message);
    return measure(summary, parsed.value.metric, parsed.value.condition);
  };

  it.each([
    { metric: 'latency', expression: 'p(50)<1', want: summary.latencyMs.p50 },
    { metric: 'latency{type:pageview}', expression: 'p(99)<1', want: 99 },
    { metric: 'latency{type:pageview}', expression: 'max<1', want: 100 },
    { metric: 'latency{type:ecommerce}', expression: 'med<1', want: 1000 },
    { metric: 'latency{type:goal}', expression: 'p(99)<1', want: 0 },
    { metric: 'latency{target:1}', expression: 'p(99.9)<1', want: 1000 },
    { metric: 'latency{target:a}', expression: 'avg<1', want: 50.5 },
    { metric: 'error_rate', expression: 'rate<1', want: summary.errorRate },
    { metric: 'error_rate{type:ecommerce}', expression: 'rate<1', want: 0.5 },
    { metric: 'error_rate{target:0}', expression: 'rate<1', want: 0 },
    { metric: 'dropped{target:b}', expression: 'count<1', want: 1 },
    { metric: 'rate_ratio', expression: 'value<1', want: 0.5 },
  ])('$metric $expression measures $want', ({ metric, expression, want }) => {
    // HDR keeps 3 significant digits: 99 ms may read 99.007.
    expect(value(metric, expression)).toBeCloseTo(want, 1);
  });

  it('cannot say for an unknown target', () => {
    expect(value('latency{target:7}', 'p(99)<1')).toBeUndefined();
    expect(value('latency{target:c}', 'p(99)<1')).toBeUndefined();
  });
});

describe('thresholds in k6 form: measuring a run under way (abortOnFail)', () => {
  // The same hits as above, still open: what the CLI's once-a-second check reads.
  const metrics = new RunMetrics(['a', 'b']);
  const answer = (target: number, type: HitType, status: number, latencyMs: number): void =>
    metrics.hit(target, type, { kind: 'response', status, headers: {}, body: '', latencyMs }, 0);
  for (let ms = 1; ms <= 100; ms++) answer(0, 'pageview', 204, ms);
  for (let i = 0; i < 4; i++) answer(1, 'ecommerce', i < 2 ? 503 : 204, 1000);
  metrics.dropped(1, 0);
  const live = (metric: string, expression: string): number | undefined => {
    const parsed = parseThreshold(metric, expression);
    if (!parsed.ok) throw new Error(parsed.message);
    return measureLive(metrics, parsed.value.metric, parsed.value.condition);
  };

  it.each([
    { metric: 'latency{type:pageview}', expression: 'p(99)<1', want: 99 },
    { metric: 'latency{type:ecommerce}', expression: 'avg<1', want: 1000 },
    { metric: 'latency{target:b}', expression: 'max<1', want: 1000 },
    { metric: 'latency', expression: 'p(50)<1', want: 52 }, // 104 hits: the 52nd is 52 ms
    { metric: 'error_rate', expression: 'rate<1', want: 2 / 104 },
    { metric: 'error_rate{type:ecommerce}', expression: 'rate<1', want: 0.5 },
    { metric: 'error_rate{target:1}', expression: 'rate<1', want: 0.5 },
    { metric: 'dropped', expression: 'count<1', want: 1 },
    { metric: 'dropped{target:0}', expression: 'count<1', want: 0 },
  ])('$metric $expression reads $want so far', ({ metric, expression, want }) => {
    // HDR keeps 3 significant digits: 1000 ms may read 1000.192.
    expect(live(metric, expression)).toBeCloseTo(want, 0);
  });

  it('has nothing to say before data arrives, nor on the rate ratio (a whole-window figure)', () => {
    expect(live('latency{type:goal}', 'p(99)<1')).toBeUndefined();
    expect(live('error_rate{type:goal}', 'rate<1')).toBeUndefined();
    expect(live('rate_ratio', 'value>1')).toBeUndefined();
    expect(live('latency{target:9}', 'p(99)<1')).toBeUndefined();
  });
});
