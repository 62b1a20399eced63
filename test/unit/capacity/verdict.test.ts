import { describe, expect, it } from 'vitest';
import { judgeStep } from '../../../src/capacity/verdict.js';
import type { RunSummary } from '../../../src/report/summary.js';

const limits = { maxErrorRate: 0.01, maxP99Ms: 1000, minRateRatio: 0.95 };

function summary(over: { sent?: number; e5xx?: number; p50?: number; p99?: number; ratio?: number; dropped?: number; lag?: number }): RunSummary {
  const sent = over.sent ?? 1000;
  const failed = over.e5xx ?? 0;
  return {
    hits: { sent, ok: sent - failed, failed, aborted: 0, byType: {} },
    errorRate: failed / sent,
    errors: { timeout: 0, refused: 0, reset: 0, dns: 0, tls: 0, other: 0, '3xx': 0, '4xx': 0, '5xx': failed },
    latencyMs: { count: sent, mean: 5, p50: over.p50 ?? 5, p90: 8, p95: 9, p99: over.p99 ?? 10, max: 20 },
    rate: { unit: 'hits-per-second', target: 100, achieved: 100 * (over.ratio ?? 1), ratio: over.ratio ?? 1, achievedVisitsPerDay: 0, achievedHitsPerSecond: 0, windowMs: 10_000, pausedMs: 0 },
    visits: { planned: 0, started: 0, completed: 0, aborted: 0, dropped: over.dropped ?? 0 },
    scheduleLagMs: { count: 10, p50: 1, p99: over.lag ?? 2, max: 5 },
  } as unknown as RunSummary;
}

describe('capacity step verdict: whose limit', () => {
  it.each([
    { why: 'all limits hold', s: summary({}), load: { cpuCores: 0.2 }, ok: true, bound: undefined },
    { why: '503s above the error limit: the target', s: summary({ e5xx: 50 }), load: { cpuCores: 0.2 }, ok: false, bound: 'target' },
    { why: 'p99 past the limit: the target', s: summary({ p99: 1500 }), load: { cpuCores: 0.2 }, ok: false, bound: 'target' },
    { why: 'rate short with a busy CPU: the generator', s: summary({ ratio: 0.7 }), load: { cpuCores: 0.97 }, ok: false, bound: 'generator' },
    { why: 'rate short, latency 10x the unloaded p50: the target', s: summary({ ratio: 0.8, p50: 120 }), load: { cpuCores: 0.3, baselineP50Ms: 6 }, ok: false, bound: 'target' },
    { why: 'rate short, latency as before, schedule late: the generator', s: summary({ ratio: 0.8, lag: 400 }), load: { cpuCores: 0.5, baselineP50Ms: 5 }, ok: false, bound: 'generator' },
    { why: 'rate short, visits dropped, target fast: the generator (too few slots)', s: summary({ ratio: 0.8, dropped: 30 }), load: { cpuCores: 0.3, baselineP50Ms: 5 }, ok: false, bound: 'generator' },
  ])('$why', ({ s, load, ok, bound }) => {
    const verdict = judgeStep(s, limits, load);
    expect(verdict.ok).toBe(ok);
    expect(verdict.bound).toBe(bound);
    if (!ok) expect(verdict.why).toBeTruthy();
  });
});
