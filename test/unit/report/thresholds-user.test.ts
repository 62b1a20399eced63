import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import type { HitType } from '../../../src/journey/visit.js';
import { isMergeable, mergeRunSummaries } from '../../../src/report/merge.js';
import { RunMetrics } from '../../../src/report/metrics.js';
import { readSummary } from '../../../src/report/read-summary.js';
import { runExitCode } from '../../../src/report/outcome.js';
import type { RunSummary } from '../../../src/report/summary.js';
import { renderSummaryText } from '../../../src/report/text.js';
import { AbortWatch } from '../../../src/report/threshold-abort.js';
import { reevaluateThresholds, withThresholds } from '../../../src/report/thresholds.js';

type AjvClass = typeof Ajv2020.default;
const Ajv: AjvClass = (Ajv2020 as unknown as { default?: AjvClass }).default ?? (Ajv2020 as unknown as AjvClass);
const schema = (name: string): object => JSON.parse(readFileSync(new URL(`../../../docs/schema/${name}`, import.meta.url), 'utf8')) as object;
const validateV3 = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema('run-summary.v3.schema.json'));
const validateV4 = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema('run-summary.schema.json'));

/** Target 0 ("a"): 100 pageviews at 1..100 ms, all 204; target 1 ("b"): 10 events at 300 ms, 3 answered 503. */
function metrics(): RunMetrics {
  const m = new RunMetrics(['a', 'b']);
  const answer = (target: number, type: HitType, status: number, latencyMs: number): void =>
    m.hit(target, type, { kind: 'response', status, headers: {}, body: '', latencyMs }, 0);
  for (let ms = 1; ms <= 100; ms++) answer(0, 'pageview', 204, ms);
  for (let i = 0; i < 10; i++) answer(1, 'event', i < 3 ? 503 : 204, 300);
  return m;
}

function closed(stopReason: RunSummary['stopReason'] = 'duration'): RunSummary {
  return metrics().close({ seed: 1, startedAtMs: 0, durationMs: 1000, stopReason: stopReason as never, concurrency: 1, rate: { unit: 'hits-per-second', expected: 110, windowMs: 1000, pausedMs: 0 } });
}

describe('user thresholds at the end of a run', () => {
  const settings = {
    maxErrorRate: 0.5,
    checks: {
      'latency{type:pageview}': ['p(99)<500', 'p(50)<20'],
      'error_rate{target:1}': [{ threshold: 'rate<0.1', abortOnFail: true }],
      'latency{target:a}': ['max<=100'],
    },
  };
  const summary = withThresholds(closed(), settings);

  it('gives every threshold a verdict, the built-ins first, then the user ones in the order written', () => {
    expect(summary.thresholds.map((t) => [t.name, t.metric, t.expression, t.ok])).toEqual([
      ['max-error-rate', 'error_rate', 'rate<=0.5', true],
      ['threshold', 'latency{type:pageview}', 'p(99)<500', true],
      ['threshold', 'latency{type:pageview}', 'p(50)<20', false],
      ['threshold', 'error_rate{target:1}', 'rate<0.1', false],
      ['threshold', 'latency{target:a}', 'max<=100', true],
    ]);
    expect(summary.thresholds[3]).toMatchObject({ abortOnFail: true, actual: 0.3, limit: 0.1, message: 'rate=0.3 (30.00%)' });
    expect(summary.thresholds[1]?.abortOnFail).toBeUndefined();
    // `limits` stays the built-in settings; the user's live in `thresholds`.
    expect(summary.limits).toEqual({ maxErrorRate: 0.5 });
    expect(runExitCode(summary, false)).toBe(3);
  });

  it('prints a ✓ or ✗ line for each, named by metric and expression', () => {
    const text = renderSummaryText(summary);
    expect(text).toContain('thresholds: 2 of 5 BREACHED (exit 3)\n');
    expect(text).toContain('  ✓ max-error-rate: error rate 2.73% <= --max-error-rate 50.00%\n');
    expect(text).toMatch(/ {2}✓ latency\{type:pageview\} p\(99\)<500: p\(99\)=99(\.\d+)? ms\n/);
    expect(text).toMatch(/ {2}✗ latency\{type:pageview\} p\(50\)<20: p\(50\)=50(\.\d+)? ms\n/);
    expect(text).toContain('  ✗ error_rate{target:1} rate<0.1: rate=0.3 (30.00%)\n');
  });

  it('exits 0 when every user threshold holds', () => {
    const ok = withThresholds(closed(), { checks: { 'latency{type:event}': ['p(90)<=300.5'] } });
    expect(ok.thresholds.map((t) => t.ok)).toEqual([true]);
    expect(runExitCode(ok, false)).toBe(0);
  });

  it('is evaluated again from the summary (report merging), abortOnFail kept', () => {
    expect(reevaluateThresholds(summary, summary.thresholds)).toEqual(summary.thresholds);
  });

  it('a run stopped by an abortOnFail threshold says which, keeps it breached, and exits 3', () => {
    const crossed = { metric: 'error_rate{target:1}', expression: 'rate<0.5', actual: 0.6, atMs: 12_345 };
    const s = withThresholds(closed('threshold'), { checks: { 'error_rate{target:1}': [{ threshold: 'rate<0.5', abortOnFail: true }] } }, crossed);
    expect(s.stopThreshold).toEqual(crossed);
    // 0.3 at the end holds, but the run was stopped by it: still a failure.
    expect(s.thresholds[0]).toMatchObject({ ok: false, actual: 0.3, message: 'rate=0.3 (30.00%) at the end; crossed during the run: rate=0.6 (60.00%) at 12.3 s' });
    expect(renderSummaryText(s).split('\n')[0]).toBe('run finished: threshold error_rate{target:1} rate<0.5 crossed after 1.0s (seed 1, concurrency 1)');
    expect(runExitCode({ ...s, thresholds: [] }, false)).toBe(3);
  });
});

describe('abortOnFail during a run', () => {
  it('checks only abortOnFail thresholds, not before delayAbortEval, and names the first crossed', () => {
    const watch = new AbortWatch({
      checks: {
        'latency{type:pageview}': ['p(50)<1', { threshold: 'p(99)<50', abortOnFail: true, delayAbortEval: '5s' }],
        'error_rate{target:b}': [{ threshold: 'rate<0.5', abortOnFail: true }],
      },
    });
    const m = metrics();
    expect(watch.active).toBe(true);
    expect(watch.check(m, 4_999)).toBeUndefined();
    expect(watch.check(m, 5_000)).toEqual({ metric: 'latency{type:pageview}', expression: 'p(99)<50', actual: expect.closeTo(99, 0), atMs: 5_000 });
  });

  it('waits 10 s by default, and stays quiet while the figure holds', () => {
    const watch = new AbortWatch({ checks: { error_rate: [{ threshold: 'rate<0.01', abortOnFail: true }], dropped: [{ threshold: 'count<1', abortOnFail: true }] } });
    const m = metrics();
    expect(watch.check(m, 9_999)).toBeUndefined();
    expect(watch.check(m, 10_000)).toMatchObject({ metric: 'error_rate', actual: expect.closeTo(3 / 110, 5) });
    const none = new AbortWatch({ checks: { dropped: [{ threshold: 'count<1', abortOnFail: true }] } });
    expect(none.check(m, 60_000)).toBeUndefined();
  });

  it('is inactive without abortOnFail', () => {
    expect(new AbortWatch({ maxErrorRate: 0.1, checks: { latency: ['p(99)<5'] } }).active).toBe(false);
    expect(new AbortWatch({}).active).toBe(false);
  });
});

describe('user thresholds when report merges summaries', () => {
  it('a version 3 summary (no user thresholds) still reads, validates against its schema, and merges with a version 4 one whose thresholds are evaluated again', () => {
    const v4 = withThresholds(closed(), { checks: { 'error_rate{target:1}': [{ threshold: 'rate<0.2', abortOnFail: true }], 'latency{type:pageview}': ['p(99)<50'] } });
    const { thresholds: _t, ...rest } = withThresholds(closed(), {});
    const v3 = { ...rest, version: 3, thresholds: [] } as unknown as RunSummary;
    expect(validateV3(JSON.parse(JSON.stringify(v3))), JSON.stringify(validateV3.errors)).toBe(true);
    const read = readSummary(JSON.stringify(v3), 'old.json');
    expect(read.ok && read.input.kind === 'run' && read.input.summary.version).toBe(3);
    if (!isMergeable(v3) || !isMergeable(v4)) throw new Error('both carry what a merge needs');
    const merged = mergeRunSummaries([v3, v4]);
    // Both runs' target 1 failed 3 of 10: 6 of 20 merged; pageviews 1..100 ms twice.
    expect(merged.thresholds.map((t) => [t.metric, t.expression, t.actual, t.ok, t.abortOnFail ?? false])).toEqual([
      ['error_rate{target:1}', 'rate<0.2', 0.3, false, true],
      ['latency{type:pageview}', 'p(99)<50', expect.closeTo(99, 0), false, false],
    ]);
    expect(validateV4(JSON.parse(JSON.stringify(merged))), JSON.stringify(validateV4.errors)).toBe(true);
  });
});
