import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import type { CloseInfo } from '../../../src/engine/observer.js';
import type { HitType } from '../../../src/journey/visit.js';
import { exponential, pick, seeded } from '../../../src/random/rng.js';
import { MsHistogram } from '../../../src/report/histogram.js';
import { isMergeable, mergeRunSummaries, type MergeableRunSummary } from '../../../src/report/merge.js';
import { RunMetrics } from '../../../src/report/metrics.js';
import { renderSummaryText } from '../../../src/report/text.js';
import { withThresholds } from '../../../src/report/thresholds.js';
import type { RunSummary } from '../../../src/report/summary.js';
import type { Outcome } from '../../../src/transport/transport.js';

const schema = JSON.parse(readFileSync(new URL('../../../docs/schema/run-summary.schema.json', import.meta.url), 'utf8'));
type AjvClass = typeof Ajv2020.default;
const Ajv: AjvClass = (Ajv2020 as unknown as { default?: AjvClass }).default ?? (Ajv2020 as unknown as AjvClass);
const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);

const TARGETS = ['https://a.example.test/matomo.php', 'https://b.example.test/matomo.php site 2'];
const TYPES: HitType[] = ['pageview', 'pageview', 'event', 'ecommerce', 'download'];
const LIMITS = { maxErrorRate: 0.05, maxP99Ms: 400, minRateRatio: 0.95, maxDropped: 3 };
const T0 = Date.UTC(2026, 10, 29, 10);

interface Event {
  target: number;
  type: HitType;
  outcome: Outcome;
  atMs: number;
  lagMs: number;
  dropped: boolean;
}

/** A seeded run's events: visits, drops, answers with a long-tailed latency, errors of every kind. */
function events(seed: string, n: number): Event[] {
  const rng = seeded(seed);
  return Array.from({ length: n }, (_, i) => {
    const r = rng.next();
    const outcome: Outcome =
      r < 0.02
        ? { kind: 'error', errorClass: pick(rng, ['timeout', 'refused', 'reset'] as const), message: 'x', latencyMs: 30, mayHaveBeenProcessed: false }
        : { kind: 'response', status: r < 0.05 ? 503 : r < 0.06 ? 400 : 204, headers: {}, body: '', latencyMs: exponential(rng, 40) + rng.next() * 3 };
    return { target: i % 3 === 0 ? 1 : 0, type: pick(rng, TYPES), outcome, atMs: i * 5, lagMs: rng.next() * 4, dropped: rng.next() < 0.001 };
  });
}

function summarise(list: readonly Event[], info: CloseInfo): MergeableRunSummary {
  const m = new RunMetrics(TARGETS);
  for (const e of list) {
    if (e.dropped) {
      m.dropped(e.target, e.atMs);
      continue;
    }
    m.visitStarted(e.target, e.lagMs);
    m.hit(e.target, e.type, e.outcome, e.atMs);
    m.visitEnded(e.target, true);
  }
  const s = withThresholds(m.close(info), LIMITS);
  if (!isMergeable(s)) throw new Error('a fresh summary is mergeable');
  return s;
}

const info = (over: Partial<CloseInfo> = {}, expected = 4000): CloseInfo => ({
  seed: 42,
  startedAtMs: T0,
  durationMs: 20_500,
  stopReason: 'duration',
  concurrency: 10,
  rate: { unit: 'hits-per-second', expected, windowMs: 20_000, pausedMs: 0 },
  ...over,
});

describe('merging run summaries (report a.json b.json)', () => {
  const all = events('merge-1', 4000);
  const whole = summarise(all, info());
  // Two shards of the same run: the same window, half the schedule each.
  const even = summarise(all.filter((_, i) => i % 2 === 0), info({ concurrency: 5 }, 2000));
  const odd = summarise(all.filter((_, i) => i % 2 === 1), info({ concurrency: 5 }, 2000));
  const merged = mergeRunSummaries([even, odd]);

  it('gives exactly the percentiles of one summary of all outcomes (HDR merges exactly)', () => {
    expect(merged.latencyMs).toEqual(whole.latencyMs);
    expect(merged.latencyMs.count).toBeGreaterThan(3000);
    expect(merged.targets.map((t) => t.latencyMs)).toEqual(whole.targets.map((t) => t.latencyMs));
    expect(merged.scheduleLagMs).toEqual(whole.scheduleLagMs);
    for (const type of ['pageview', 'event', 'ecommerce', 'download'] as const) {
      const a = MsHistogram.decode(merged.histograms.byType[type]!);
      const b = MsHistogram.decode(whole.histograms.byType[type]!);
      expect([a.count, a.at(50), a.at(95), a.at(99), a.max]).toEqual([b.count, b.at(50), b.at(95), b.at(99), b.max]);
    }
    // The halves themselves differ from the whole: the test would notice an average of percentiles.
    expect(even.latencyMs.p99).not.toBe(whole.latencyMs.p99);
  });

  it('sums the counts and takes the rate over the union of the windows', () => {
    expect(merged.visits).toEqual(whole.visits);
    expect(merged.hits).toEqual(whole.hits);
    expect(merged.errors).toEqual(whole.errors);
    expect(merged.statusCodes).toEqual({ '204': whole.statusCodes['204'], '400': whole.statusCodes['400'], '503': whole.statusCodes['503'] });
    expect(merged.errorRate).toBe(whole.errorRate);
    expect(merged.rate).toEqual(whole.rate);
    expect(merged.window).toEqual(whole.window);
    expect(merged.targets.map((t) => [t.name, t.hits, t.visits, t.errors])).toEqual(whole.targets.map((t) => [t.name, t.hits, t.visits, t.errors]));
    expect(merged.concurrency).toBe(10);
    expect(merged.mergedFrom).toBe(2);
  });

  it('evaluates every threshold again from its expression on the merged figures', () => {
    expect(merged.thresholds).toEqual(whole.thresholds);
    expect(merged.thresholds.map((t) => [t.name, t.metric, t.expression])).toEqual([
      ['max-error-rate', 'error_rate', 'rate<=0.05'],
      ['max-p99-ms', 'latency', 'p(99)<=400'],
      ['min-rate-ratio', 'rate_ratio', 'value>=0.95'],
      ['max-dropped', 'dropped', 'count<=3'],
    ]);
    expect(merged.limits).toEqual(LIMITS);
  });

  it('writes a summary its versioned schema accepts, and says it was merged', () => {
    const doc = JSON.parse(JSON.stringify(merged)) as unknown;
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(JSON.parse(JSON.stringify(whole)))).toBe(true);
    expect(renderSummaryText(merged).split('\n')[0]).toBe('2 runs merged: duration over 20.5s (seed 42, concurrency 10 in all)');
  });

  it('merged alone, a summary gives back its own figures', () => {
    const { mergedFrom, ...again } = mergeRunSummaries([whole]);
    expect(mergedFrom).toBe(1);
    expect(again).toEqual(whole);
  });

  it('keeps the summary small: histograms are compressed', () => {
    expect(JSON.stringify(whole).length).toBeLessThan(20_000);
  });

  it('takes the rate of runs one after the other over both windows, and of overlapping runs over their union', () => {
    const first = summarise(all.slice(0, 2000), info({ durationMs: 10_000, rate: { unit: 'hits-per-second', expected: 2000, windowMs: 10_000, pausedMs: 0 } }));
    const later = (startMs: number): MergeableRunSummary =>
      summarise(all.slice(2000), info({ startedAtMs: T0 + startMs, durationMs: 10_000, rate: { unit: 'hits-per-second', expected: 2000, windowMs: 10_000, pausedMs: 0 } }));
    const after = mergeRunSummaries([first, later(10_000)]);
    expect(after.rate.windowMs).toBe(20_000);
    expect(after.rate.ratio).toBe(whole.rate.ratio);
    expect(after.durationMs).toBe(20_000);
    const overlapping = mergeRunSummaries([later(5_000), first]);
    expect(overlapping.rate.windowMs).toBe(15_000);
    expect(overlapping.window.start).toBe(new Date(T0).toISOString());
    expect(overlapping.window.end).toBe(new Date(T0 + 15_000).toISOString());
    expect(overlapping.rate.achievedHitsPerSecond).toBeCloseTo(overlapping.window.hits / 15, 3);
  });

  it('says mixed when the runs stopped or were seeded differently, and refuses different rate units', () => {
    const other = summarise(all.slice(0, 10), info({ seed: 7, stopReason: 'interrupted' }));
    const m = mergeRunSummaries([whole, other]);
    expect([m.stopReason, m.seed]).toEqual(['mixed', null]);
    const max = summarise(all.slice(0, 10), info({ rate: { unit: 'max', expected: null, windowMs: 1000, pausedMs: 0 } }));
    expect(() => mergeRunSummaries([whole, max])).toThrow(/different units \(hits-per-second, max\)/);
  });

  it('a summary older than version 3 is not mergeable', () => {
    const { window: _w, histograms: _h, ...old } = whole;
    expect(isMergeable({ ...old, version: 2 } as RunSummary)).toBe(false);
  });
});
