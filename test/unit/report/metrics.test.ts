import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { startLive } from '../../../src/engine/live.js';
import { renderSummaryJson, renderTimeseriesLine } from '../../../src/report/json.js';
import type { CloseInfo } from '../../../src/engine/observer.js';
import { RunMetrics } from '../../../src/report/metrics.js';
import { renderSummaryText } from '../../../src/report/text.js';
import { evaluateThresholds, withThresholds } from '../../../src/report/thresholds.js';
import type { RunSummary, TimeseriesRow } from '../../../src/report/summary.js';
import { maxPacer, visitPacer } from '../../../src/schedule/pacer.js';
import { constantShape } from '../../../src/schedule/rate-shape.js';
import { ManualClock } from '../../../src/time/clock.js';
import { MemoryTransport } from '../../../src/transport/memory.js';
import type { Outcome } from '../../../src/transport/transport.js';
import { advanceBy, fakeSource } from '../../helpers/engine-source.js';

const schema = JSON.parse(readFileSync(new URL('../../../docs/schema/run-summary.schema.json', import.meta.url), 'utf8'));
// ajv is CommonJS: under Node's ESM loader the class may sit on `.default`.
type AjvClass = typeof Ajv2020.default;
const Ajv: AjvClass = (Ajv2020 as unknown as { default?: AjvClass }).default ?? (Ajv2020 as unknown as AjvClass);
const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);

const ok = (latencyMs: number, status = 204): Outcome => ({ kind: 'response', status, headers: {}, body: '', latencyMs });
const info = (over: Partial<CloseInfo> = {}): CloseInfo => ({
  seed: 42,
  startedAtMs: Date.UTC(2026, 0, 1),
  durationMs: 10_000,
  stopReason: 'duration',
  concurrency: 10,
  rate: { unit: 'hits-per-second', expected: 10, windowMs: 10_000, pausedMs: 0 },
  ...over,
});

/** A run through the real engine: 2 targets, faults by URL, so the summary is real output. */
async function realSummary(): Promise<RunSummary> {
  const clock = new ManualClock();
  const transport = new MemoryTransport({
    clock,
    respond: (req, i) => {
      if (i % 17 === 5) return { error: 'timeout', delayMs: 30 };
      if (i % 13 === 3) return { status: 503, delayMs: 8 };
      if (req.url.includes('t=1') && i % 7 === 0) return { error: 'refused' };
      return { status: 204, delayMs: 3 + (i % 10) };
    },
  });
  const run = startLive({
    clock,
    transport,
    source: fakeSource({ pausesMs: [0, 40, 0], targets: 2, types: ['pageview', 'pageview', 'event'] }),
    pacer: visitPacer(constantShape(20)),
    // One slot for visits of ~60 ms at 20/s: some arrivals find it busy and are dropped.
    concurrency: 1,
    metrics: new RunMetrics(['https://a.example.test/matomo.php', 'https://b.example.test/matomo.php site 2']),
    stop: { durationMs: 2000 },
    seed: 'abc',
  });
  await advanceBy(clock, 2500, 1);
  return run.done;
}

describe('RunMetrics', () => {
  it('aggregates by target and hit type, never by URL', () => {
    const m = new RunMetrics(['a', 'b']);
    m.visitStarted(0, 0);
    m.hit(0, 'pageview', ok(10), 10);
    m.hit(0, 'event', ok(20, 400), 20);
    m.hit(1, 'pageview', { kind: 'error', errorClass: 'reset', message: 'x', latencyMs: 5, mayHaveBeenProcessed: true }, 30);
    m.hit(1, 'pageview', ok(30, 500), 40);
    m.visitEnded(0, true);
    m.dropped(1, 50);
    const s = m.close(info());
    expect(s.hits).toMatchObject({ sent: 4, ok: 1, failed: 3, aborted: 0 });
    expect(s.hits.byType).toEqual({
      pageview: { sent: 3, ok: 1, failed: 2, aborted: 0 },
      event: { sent: 1, ok: 0, failed: 1, aborted: 0 },
    });
    expect(s.statusCodes).toEqual({ '204': 1, '400': 1, '500': 1 });
    expect(s.errors).toMatchObject({ reset: 1, '4xx': 1, '5xx': 1, timeout: 0 });
    expect(s.targets[1]!.visits.dropped).toBe(1);
    expect(s.visits).toEqual({ planned: 2, started: 1, completed: 1, aborted: 0, dropped: 1 });
    expect(s.errorRate).toBe(0.75);
    // Latency only from answers (the reset has none): 10, 20, 30 ms.
    expect(s.latencyMs.count).toBe(3);
    expect(s.latencyMs.max).toBeCloseTo(30, 1);
    expect(s.latencyMs.p50).toBeCloseTo(20, 1);
  });

  it('keeps memory flat: a million hits leave the same few counters', () => {
    const m = new RunMetrics(['a']);
    for (let i = 0; i < 1_000_000; i++) m.hit(0, i % 3 === 0 ? 'event' : 'pageview', ok(1 + (i % 500)), i / 100);
    const s = m.close(info({ durationMs: 10_000_000 }));
    expect(s.hits.sent).toBe(1_000_000);
    expect(Object.keys(s.statusCodes)).toEqual(['204']);
    expect(s.latencyMs.p99).toBeCloseTo(496, -1);
  });

  it('writes one timeseries row per second, empty seconds included', () => {
    const rows: TimeseriesRow[] = [];
    const m = new RunMetrics(['a'], (row) => rows.push(row));
    m.visitStarted(0, 0);
    m.hit(0, 'pageview', ok(5), 100);
    m.hit(0, 'pageview', ok(7, 500), 900);
    m.dropped(0, 2500);
    m.hit(0, 'pageview', ok(9), 2600);
    m.close(info({ durationMs: 2700 }));
    expect(rows.map((r) => [r.second, r.hitsSent, r.ok, r.failed, r.dropped, r.inFlight])).toEqual([
      [0, 2, 1, 1, 0, 1],
      [1, 0, 0, 0, 0, 1],
      [2, 1, 1, 0, 1, 1],
    ]);
    expect(rows[0]!.p99Ms).toBeCloseTo(7, 1);
    expect(JSON.parse(renderTimeseriesLine(rows[0]!))).toEqual(rows[0]);
  });

  it('computes the achieved rate against the schedule over the window', () => {
    const m = new RunMetrics(['a']);
    for (let i = 0; i < 95; i++) m.hit(0, 'pageview', ok(1), i * 10);
    const s = m.close(info({ rate: { unit: 'hits-per-second', expected: 100, windowMs: 1000, pausedMs: 0 } }));
    expect(s.rate).toMatchObject({ target: 100, achieved: 95, ratio: 0.95, achievedHitsPerSecond: 95 });
  });
});

describe('thresholds', () => {
  const base = (): RunSummary => new RunMetrics(['a']).close(info());
  it.each([
    { why: 'error rate above the limit', patch: { errorRate: 0.02 }, limits: { maxErrorRate: 0.01 }, want: ['max-error-rate'] },
    { why: 'error rate at the limit holds', patch: { errorRate: 0.01 }, limits: { maxErrorRate: 0.01 }, want: [] },
    { why: 'p99 above the limit', patch: { latencyMs: { count: 1, mean: 1, p50: 1, p90: 1, p95: 1, p99: 600, max: 900 } }, limits: { maxP99Ms: 500 }, want: ['max-p99-ms'] },
    { why: 'rate ratio below the minimum', patch: { rate: { ...base().rate, ratio: 0.9 } }, limits: { minRateRatio: 0.95 }, want: ['min-rate-ratio'] },
    { why: 'no ratio (--rps max) is never a breach', patch: { rate: { ...base().rate, ratio: null } }, limits: { minRateRatio: 0.95 }, want: [] },
    { why: 'dropped above the limit', patch: { visits: { planned: 10, started: 7, completed: 7, aborted: 0, dropped: 3 } }, limits: { maxDropped: 0 }, want: ['max-dropped'] },
    { why: 'unset limits are not checked', patch: { errorRate: 1 }, limits: {}, want: [] },
  ])('$why', ({ patch, limits, want }) => {
    const summary = { ...base(), ...patch } as RunSummary;
    const results = evaluateThresholds(summary, limits);
    expect(results.filter((t) => !t.ok).map((b) => b.name)).toEqual(want);
    // Every limit set is listed, held or not (k6's ✓/✗ lines), except the ratio with no target.
    const ratioless = summary.rate.ratio === null ? ['minRateRatio'] : [];
    expect(results.length).toBe(Object.keys(limits).filter((k) => !ratioless.includes(k)).length);
  });
});

describe('summary output', () => {
  it('validates real run output against docs/schema/run-summary.schema.json', async () => {
    const summary = withThresholds(await realSummary(), { maxErrorRate: 0.01, maxDropped: 0 });
    expect(summary.thresholds.length).toBe(2);
    const parsed = JSON.parse(renderSummaryJson(summary));
    const valid = validate(parsed);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(parsed.version).toBe(4);
    expect(parsed.targets).toHaveLength(2);
    expect(parsed.errors.timeout).toBeGreaterThan(0);
    expect(parsed.errors['5xx']).toBeGreaterThan(0);
    expect(parsed.errors.refused).toBeGreaterThan(0);
  });

  it('validates a --rps max summary (null lag and ratio) and rejects a broken one', async () => {
    const clock = new ManualClock();
    const run = startLive({
      clock,
      transport: new MemoryTransport(),
      source: fakeSource({}),
      pacer: maxPacer,
      concurrency: 2,
      metrics: new RunMetrics(['a']),
      stop: { maxVisits: 10 },
    });
    const summary = await run.done;
    expect(validate(JSON.parse(renderSummaryJson(summary)))).toBe(true);
    expect(validate({ ...summary, version: 1 })).toBe(false);
    expect(validate({ ...summary, version: 2 })).toBe(false);
    expect(validate({ ...summary, version: 3 })).toBe(false);
    expect(validate({ ...summary, version: 5 })).toBe(false);
    expect(validate({ ...summary, hits: { ...summary.hits, perUrl: {} } })).toBe(false);
  });

  it('renders every section of the text report', async () => {
    const summary = withThresholds(await realSummary(), { maxErrorRate: 0.01 });
    const text = renderSummaryText(summary);
    expect(text).toContain('run finished: duration after 2.');
    expect(text).toContain('seed abc');
    expect(text).toMatch(/target 1,728,000 visits\/day, achieved [\d,]+ visits\/day \([\d.]+% of target\)/);
    expect(text).toMatch(/planned \d+ {2}started \d+ {2}completed \d+ {2}aborted 0 {2}dropped \d+/);
    expect(text).toMatch(/pageview +\d+/);
    expect(text).toMatch(/event +\d+/);
    expect(text).toMatch(/status codes: 204=\d+ 503=\d+/);
    expect(text).toMatch(/errors: timeout=\d+ refused=\d+ 5xx=\d+/);
    expect(text).toMatch(/p50 [\d.]+ {2}p90 [\d.]+ {2}p95 [\d.]+ {2}p99 [\d.]+ {2}max [\d.]+/);
    expect(text).toContain('schedule lag');
    expect(text).toContain('https://b.example.test/matomo.php site 2');
    expect(text).toMatch(/\nthresholds: 1 of 1 BREACHED \(exit 3\)\n {2}✗ max-error-rate: error rate [\d.]+% is above --max-error-rate 1\.00%\n/);
    expect(text).toContain('max-error-rate: error rate');
  });
});

describe('MsHistogram', () => {
  it('never reports a percentile above the largest value recorded', async () => {
    const { MsHistogram } = await import('../../../src/report/histogram.js');
    const h = new MsHistogram();
    // 71.231 ms falls in an HDR bucket whose highest equivalent value is above it.
    for (const ms of [2.291, 5.279, 71.203]) h.record(ms);
    expect(h.at(99)).toBeLessThanOrEqual(h.max);
    expect(h.at(100)).toBe(h.max);
    expect(h.at(50)).toBeCloseTo(5.279, 1);
  });
});
