import { describe, expect, it } from 'vitest';
import type { HitType } from '../../../src/journey/visit.js';
import { RunMetrics } from '../../../src/report/metrics.js';
import { holds, measure, parseCondition, parseMetric, parseThreshold } from '../../../src/report/threshold-expr.js';
import type { RunSummary } from '../../../src/report/summary.js';

describe('thresholds in k6 form: parsing', () => {
  it.each([
    { text: 'latency', want: { name: 'latency' } },
    { text: 'latency{type:pageview}', want: { name: 'latency', type: 'pageview' } },
    { text: ' latency{ type: ecommerce , target: 1 } ', want: { name: 'latency', type: 'ecommerce', target: '1' } },
    { text: 'error_rate{target:https://a.example.test/matomo.php}', want: { name: 'error_rate', target: 'https://a.example.test/matomo.php' } },
    { text: 'dropped', want: { name: 'dropped' } },
  ])('reads the metric $text', ({ text, want }) => {
    expect(parseMetric(text)).toEqual({ ok: true, value: want });
  });

  it.each([
    { text: 'http_req_duration', message: /unknown metric http_req_duration \(one of latency, error_rate, rate_ratio, dropped\)/ },
    { text: 'latency{type:order}', message: /unknown hit type order/ },
    { text: 'latency{status:200}', message: /latency takes tags type:VALUE, target:VALUE/ },
    { text: 'rate_ratio{type:pageview}', message: /rate_ratio takes no tags/ },
    { text: 'latency{type}', message: /latency takes tags/ },
    { text: 'latency{', message: /write name or name\{tag:value\}/ },
  ])('refuses the metric $text with the fix', ({ text, message }) => {
    const parsed = parseMetric(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(message);
  });

  it.each([
    { text: 'p(99)<500', want: { aggregation: 'p', percentile: 99, op: '<', limit: 500 } },
    { text: 'p(99.9) <= 1e3', want: { aggregation: 'p', percentile: 99.9, op: '<=', limit: 1000 } },
    { text: 'rate<0.01', want: { aggregation: 'rate', op: '<', limit: 0.01 } },
    { text: 'value>=0.95', want: { aggregation: 'value', op: '>=', limit: 0.95 } },
    { text: 'count==0', want: { aggregation: 'count', op: '==', limit: 0 } },
    { text: 'avg!=3', want: { aggregation: 'avg', op: '!=', limit: 3 } },
  ])('reads the condition $text', ({ text, want }) => {
    expect(parseCondition(text)).toEqual({ ok: true, value: want });
  });

  it.each(['p(101)<5', 'p99<5', 'rate=<0.1', 'rate<', 'mean<3'])('refuses the condition %s', (text) => {
    expect(parseCondition(text).ok).toBe(false);
  });

  it('refuses an aggregation the metric does not have, naming those it has', () => {
    const parsed = parseThreshold('error_rate', 'p(99)<5');
    expect(parsed).toEqual({ ok: false, message: 'threshold error_rate: "p(99)<5": error_rate has rate' });
    expect(parseThreshold('latency', 'rate<5')).toMatchObject({ ok: false, message: /latency has p\(N\), avg, med, max/ });
  });

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

  it('cannot say for an unknown target, or for a type and a target together', () => {
    expect(value('latency{target:7}', 'p(99)<1')).toBeUndefined();
    expect(value('latency{target:c}', 'p(99)<1')).toBeUndefined();
    expect(value('latency{type:pageview,target:0}', 'p(99)<1')).toBeUndefined();
  });
});
