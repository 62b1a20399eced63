import { describe, expect, it } from 'vitest';
import { runReport } from '../../../../src/cli/commands/report-run.js';
import { UsageError } from '../../../../src/errors.js';
import { memoryIo } from '../../../../src/io.js';
import { RunMetrics } from '../../../../src/report/metrics.js';
import type { RunSummary } from '../../../../src/report/summary.js';
import { withThresholds } from '../../../../src/report/thresholds.js';

/** A small run summary of `hits` answered hits, `failed` of them 503. */
function summary(hits: number, failed: number, maxErrorRate: number): RunSummary {
  const m = new RunMetrics(['http://127.0.0.1:1/matomo.php']);
  for (let i = 0; i < hits; i++) {
    m.visitStarted(0, 1);
    m.hit(0, 'pageview', { kind: 'response', status: i < failed ? 503 : 204, headers: {}, body: '', latencyMs: 1 + i }, i * 10);
    m.visitEnded(0, true);
  }
  const s = m.close({
    seed: 1,
    startedAtMs: Date.UTC(2026, 10, 29),
    durationMs: 1000,
    stopReason: 'duration',
    concurrency: 2,
    rate: { unit: 'hits-per-second', expected: hits, windowMs: 1000, pausedMs: 0 },
  });
  return withThresholds(s, { maxErrorRate });
}

const json = (s: unknown): string => JSON.stringify(s);

describe('report: merging run summaries', () => {
  it('prints one merged summary with --json, and exits 3 when a merged threshold is breached', async () => {
    const io = memoryIo({ argv: [], files: { 'a.json': json(summary(10, 0, 0.1)), 'b.json': json(summary(10, 3, 0.1)) } });
    // Merged: 3 failed of 20 = 15 %, above 10 %.
    expect(await runReport(io, ['a.json', 'b.json'], { json: true })).toBe(3);
    const merged = JSON.parse(io.out()) as RunSummary;
    expect(merged.mergedFrom).toBe(2);
    expect(merged.hits.sent).toBe(20);
    expect(merged.thresholds.map((t) => [t.ok, t.message])).toEqual([[false, 'error rate 15.00% is above --max-error-rate 10.00%']]);
  });

  it('prints the merged text report, a ✓ line for a threshold that held', async () => {
    const io = memoryIo({ argv: [], files: { 'a.json': json(summary(10, 0, 0.2)), 'b.json': json(summary(10, 3, 0.2)) } });
    expect(await runReport(io, ['a.json', 'b.json'], {})).toBe(0);
    expect(io.out()).toMatch(/^2 runs merged: duration over 1\.0s \(seed 1, concurrency 4 in all\)\n/);
    expect(io.out()).toMatch(/total +20 +17 +3 +0\n/);
    expect(io.out()).toContain('  ✓ max-error-rate: error rate 15.00% <= --max-error-rate 20.00%\n');
  });

  it.each([
    { why: 'a backfill summary among run summaries', other: { command: 'backfill', version: 2 }, message: /^c\.json: a backfill result cannot be merged with run summaries/ },
    { why: 'a run summary older than version 3', other: { ...summary(1, 0, 1), version: 2, histograms: undefined }, message: /^c\.json: run summary version 2 carries no histograms: merging reads version 3 and later/ },
    { why: 'an unreadable version', other: { ...summary(1, 0, 1), version: 9 }, message: /^c\.json: run summary version 9 is not one this report reads \(1, 2, 3, 4\)/ },
  ])('refuses $why in one line, exit 2', async ({ other, message }) => {
    const io = memoryIo({ argv: [], files: { 'a.json': json(summary(10, 0, 0.1)), 'c.json': json(other) } });
    const error = await runReport(io, ['a.json', 'c.json'], { json: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
    expect(io.out()).toBe('');
  });

  it('leaves one summary as it is', async () => {
    const one = summary(5, 0, 0.1);
    const io = memoryIo({ argv: [], files: { 'a.json': json(one) } });
    expect(await runReport(io, ['a.json'], { json: true })).toBe(0);
    expect(JSON.parse(io.out())).toEqual(JSON.parse(json(one)));
  });
});
