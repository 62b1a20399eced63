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

/** A backfill summary of shard `index`/2 (version 4) with one day of `visits` visits, all tracked. */
function backfillShard(index: number, visits: number, failed = 0): object {
  const d = { date: '2026-01-05', plannedVisits: visits, hits: visits, priorVisits: 0, visitsAcked: visits, visitsFailed: failed ? 1 : 0, visitsUncertain: 0, sent: visits, resent: 0, tracked: visits - failed, invalid: 0, invalidUnnamed: 0, failed, uncertain: 0, unaccounted: 0, reconciled: 0, resentAfterReconcile: 0, possiblyDuplicated: 0 };
  const { date: _date, ...counts } = d;
  return {
    version: 4, command: 'backfill', trafficinator: '0.1.0', startedAt: '2026-11-29T10:00:00.000Z', elapsedMs: 1000, hitsPerSecond: visits, interrupted: false, exitCode: failed ? 3 : 0,
    settings: { bulkSize: 100, concurrency: 4, rateLimit: null, reconcile: true, resume: false },
    targets: [{
      url: 'http://127.0.0.1:1/matomo.php', siteId: '1', window: { from: '2026-01-05', to: '2026-01-05' }, zone: 'UTC',
      plans: [{ planKey: String(index).repeat(64), window: { from: '2026-01-05', to: '2026-01-05' }, cutoff: '2026-11-29T00:00:00.000Z', seed: '42', shard: { index, count: 2 } }],
      days: [{ ...d, status: failed ? 'lost' : 'complete' }], totals: { ...counts, days: 1, complete: failed ? 0 : 1 },
    }],
  };
}

describe('report: merging backfill summaries', () => {
  it('prints one merged backfill with --json, a per-day table without, and exits 3 when a merged day is not complete', async () => {
    const files = { 's0.json': json(backfillShard(0, 3)), 's1.json': json(backfillShard(1, 4)) };
    const io = memoryIo({ argv: [], files });
    expect(await runReport(io, ['s0.json', 's1.json'], { json: true })).toBe(0);
    const merged = JSON.parse(io.out());
    expect(merged).toMatchObject({ version: 4, mergedFrom: 2, targets: [{ totals: { plannedVisits: 7, sent: 7, tracked: 7 } }] });
    const text = memoryIo({ argv: [], files });
    expect(await runReport(text, ['s0.json', 's1.json'], {})).toBe(0);
    expect(text.out()).toMatch(/^2 backfill summaries merged:\n\nBackfill of http:\/\/127\.0\.0\.1:1\/matomo\.php site 1, 2026-01-05\.\.2026-01-05 \(UTC\), seed 42, 2 plan\(s\) \(shards 0\/2, 1\/2\)\n/);
    expect(text.out()).toMatch(/total +7 +7 +7 +7 +0 +0 +0 +1\/1 complete\n/);
    const lost = memoryIo({ argv: [], files: { ...files, 's1.json': json(backfillShard(1, 4, 1)) } });
    expect(await runReport(lost, ['s0.json', 's1.json'], {})).toBe(3);
    expect(lost.out()).toContain('backfill incomplete: 1 day(s) with lost hits (2026-01-05)');
  });

  it.each([
    { why: 'the same shard twice', files: ['s0.json', 's0.json'], message: /^report: s0\.json: shard 0\/2 of site 1 of .* is in s0\.json too: the same shard twice would count its hits twice/ },
    { why: 'a run summary among backfill summaries', files: ['s0.json', 's1.json', 'run.json'], message: /^s0\.json: a backfill result cannot be merged with run summaries/ },
    { why: 'a verify result among backfill summaries', files: ['s0.json', 'verify.json', 's1.json'], message: /^verify\.json: a verify result cannot be merged with backfill summaries: give report one kind at a time$/ },
  ])('refuses $why in one line, exit 2, before writing anything', async ({ files, message }) => {
    const io = memoryIo({
      argv: [],
      files: { 's0.json': json(backfillShard(0, 3)), 's1.json': json(backfillShard(1, 4)), 'run.json': json(summary(1, 0, 1)), 'verify.json': json({ command: 'verify', targets: [] }) },
    });
    const error = await runReport(io, files, { json: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
    expect(io.out()).toBe('');
  });
});
