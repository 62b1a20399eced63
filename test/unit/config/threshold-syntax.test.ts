import { describe, expect, it } from 'vitest';
import {
  normaliseThreshold,
  parseCondition,
  parseMetric,
  parseThreshold,
  parseThresholdFlags,
  userThresholds,
  DEFAULT_DELAY_ABORT_EVAL_MS,
} from '../../../src/config/threshold-syntax.js';

describe('thresholds in k6 form: parsing', () => {
  it.each([
    { text: 'latency', want: { name: 'latency' } },
    { text: 'latency{type:pageview}', want: { name: 'latency', type: 'pageview' } },
    { text: ' latency{ target: 1 } ', want: { name: 'latency', target: '1' } },
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
    { text: 'latency{type:pageview,target:0}', message: /give type or target, not both/ },
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
});

describe('user thresholds: the flag form and the k6 object form', () => {
  it.each([
    { why: 'a tagged metric: its colon is inside the braces', text: 'latency{type:pageview}:p(99)<500', want: { 'latency{type:pageview}': ['p(99)<500'] } },
    { why: 'abort with the default delay', text: 'error_rate:rate<0.1:abort', want: { error_rate: [{ threshold: 'rate<0.1', abortOnFail: true }] } },
    {
      why: 'abort with its delayAbortEval',
      text: 'error_rate{target:0}:rate<0.1:abort=2s',
      want: { 'error_rate{target:0}': [{ threshold: 'rate<0.1', abortOnFail: true, delayAbortEval: '2s' }] },
    },
    { why: 'several, as a repeated flag arrives (joined by new lines) or an env value (;)', text: 'latency:p(95)<200;latency:max<900\ndropped:count==0', want: { latency: ['p(95)<200', 'max<900'], dropped: ['count==0'] } },
  ])('reads $text ($why)', ({ text, want }) => {
    expect(parseThresholdFlags(text)).toEqual({ ok: true, value: want });
  });

  it.each([
    { text: 'p(99)<500', message: /is not a threshold \(write METRIC:EXPRESSION\[:abort\[=DELAY\]\]/ },
    { text: 'latency:p(99)<500:stop', message: /only :abort or :abort=DELAY may follow/ },
    { text: ' ; ', message: /no threshold given/ },
  ])('refuses $text with the form to write', ({ text, message }) => {
    expect(parseThresholdFlags(text)).toMatchObject({ ok: false, message });
  });

  it('normalises both forms; abortOnFail waits DEFAULT_DELAY_ABORT_EVAL_MS unless told', () => {
    expect(userThresholds({ 'latency{type:pageview}': ['p(99)<500', { threshold: 'p(95)<200', abortOnFail: true, delayAbortEval: '1m' }], error_rate: [{ threshold: 'rate<0.01', abortOnFail: true }] })).toEqual([
      { metric: 'latency{type:pageview}', expression: 'p(99)<500', abortOnFail: false, delayAbortEvalMs: DEFAULT_DELAY_ABORT_EVAL_MS },
      { metric: 'latency{type:pageview}', expression: 'p(95)<200', abortOnFail: true, delayAbortEvalMs: 60_000 },
      { metric: 'error_rate', expression: 'rate<0.01', abortOnFail: true, delayAbortEvalMs: 10_000 },
    ]);
  });

  it.each([
    { why: 'a delay without a unit', entry: { threshold: 'rate<0.1', abortOnFail: true, delayAbortEval: '10' }, metric: 'error_rate', message: /delayAbortEval "10" is not a duration \(write e\.g\. 10s, 1m\)/ },
    { why: 'the rate ratio is only known at the end', entry: { threshold: 'value>0.9', abortOnFail: true }, metric: 'rate_ratio', message: /rate_ratio cannot abort a run/ },
    { why: 'a bad expression', entry: 'p99<5', metric: 'latency', message: /write AGGREGATION OP NUMBER/ },
  ])('refuses $why', ({ entry, metric, message }) => {
    expect(normaliseThreshold(metric, entry)).toMatchObject({ ok: false, message });
  });
});
