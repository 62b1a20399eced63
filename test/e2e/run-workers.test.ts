import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/report/summary.js';
import { runCli, startCli, waitForLine } from '../helpers/cli.js';
import { byVisitor, dryRun, FAST, startSink, tempDir, validateSummary } from './run-helpers.js';

/**
 * run --workers N (issue 16): N threads each send their shard of the visits; the main thread
 * merges their events into the one report. Against the built-in sink, like run-live.test.ts.
 */
const summaryOf = (dir: string): RunSummary => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as RunSummary;
const sortedLines = (text: string): string[] => text.split('\n').filter(Boolean).sort();
/** The hits as a multiset: each hit's parameters but those that depend on when it was sent, sorted. */
const TIME_PARAMS = new Set(['cdt', 'h', 'm', 's']);
const multiset = (hits: ReadonlyArray<{ params: Record<string, string> }>): string[] =>
  hits.map((h) => JSON.stringify(Object.entries(h.params).filter(([k]) => !TIME_PARAMS.has(k)))).sort();

describe('run --workers', () => {
  it('2 threads at --rps max record exactly the hits one thread dry-runs for the seed; the summary fits its schema and the sink', async () => {
    const sink = await startSink();
    const dir = tempDir();
    const args = [...FAST, '--max-visits', '60', '--rps', 'max', '--concurrency', '6', '--returning-share', '0.5', '--visitor-pool', '5'];
    const r = await runCli(['run', ...args, '--workers', '2', '--url', sink.tracker, '--token-auth', 'SECRETTOKEN0123', '--summary-json', 'summary.json'], { cwd: dir });
    const { summary: seen, recorded } = await sink.stop();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^run: 2 worker threads \(--workers\) share the visits and the 6 slots$/m);
    const printed = await dryRun([...args, '--now', '2026-06-01T12:00:00Z']);
    expect(recorded.length).toBe(printed.length);
    // A visitor's visits may overlap at --rps max (in one thread too), so: the same hits, in any order.
    expect(multiset(recorded)).toEqual(multiset(printed));
    expect(seen.hits.rejected).toBe(0);
    const summary = summaryOf(dir);
    expect(validateSummary(summary), JSON.stringify(validateSummary.errors)).toBe(true);
    expect(summary.stopReason).toBe('max-visits');
    expect(summary.concurrency).toBe(6);
    expect(summary.visits).toMatchObject({ planned: 60, started: 60, completed: 60, dropped: 0 });
    expect(summary.hits.sent).toBe(printed.length);
    expect(summary.hits.ok).toBe(seen.hits.recorded);
    expect(seen.visits).toBe(60);
    expect(r.stdout).toContain('run finished: max-visits');
    expect(r.stdout).toMatch(new RegExp(`total +${printed.length} +${seen.hits.recorded} +0 +0\\n`));
    for (const text of [r.stdout, r.stderr, readFileSync(join(dir, 'summary.json'), 'utf8')]) expect(text).not.toContain('SECRETTOKEN0123');
  });

  it('a paced run with 3 threads sends the paced schedule: the same hits as the dry run of its --duration', async () => {
    const sink = await startSink();
    const dir = tempDir();
    // Slots to spare: a visit dropped on a busy machine would not be sent (nor would it with one thread).
    const args = [...FAST, '--rps', '200', '--duration', '1s', '--max-visits', '0', '--concurrency', '600'];
    const r = await runCli(['run', ...args, '--workers', '3', '--url', sink.tracker, '-q', '--summary-json', 'summary.json'], { cwd: dir });
    const { recorded } = await sink.stop();
    expect(r.code, r.stderr).toBe(0);
    const summary = summaryOf(dir);
    expect(summary.visits.dropped).toBe(0);
    expect(summary.stopReason).toBe('duration');
    const printed = await dryRun([...args, '--now', '2026-06-01T12:00:00Z']);
    expect(recorded.length).toBe(printed.length);
    expect(byVisitor(recorded)).toEqual(byVisitor(printed));
  });

  it('--workers 2 composes with --shard i/2: two processes of two threads record the unsharded dry run', async () => {
    const sink = await startSink();
    const args = [...FAST, '--max-visits', '40', '--rps', 'max', '--concurrency', '4', '--returning-share', '0.5', '--visitor-pool', '5'];
    const shards = await Promise.all([0, 1].map((i) => runCli(['run', ...args, '--workers', '2', '--shard', `${i}/2`, '--url', sink.tracker, '-q'])));
    const { recorded } = await sink.stop();
    for (const r of shards) expect(r.code, r.stderr).toBe(0);
    const printed = await dryRun([...args, '--now', '2026-06-01T12:00:00Z']);
    expect(multiset(recorded)).toEqual(multiset(printed));
  });

  it('run --dry-run --workers 2 prints the same multiset of hits as one thread', async () => {
    const args = ['run', '--dry-run', '--seed', '5', '--max-visits', '40', '--now', '2026-03-01T12:00:00Z'];
    const one = await runCli(args);
    const two = await runCli([...args, '--workers', '2']);
    expect(one.code, one.stderr).toBe(0);
    expect(two.code, two.stderr).toBe(0);
    expect(sortedLines(two.stdout)).toEqual(sortedLines(one.stdout));
    expect(sortedLines(one.stdout).length).toBeGreaterThan(40);
  });

  it('drains on SIGINT across the threads, reports, and exits 130', async () => {
    const sink = await startSink();
    const dir = tempDir();
    const { child, result } = startCli(
      ['run', '--preset', 'smoke', '--seed', '7', '--pageviews-min', '3', '--pageviews-max', '3', '--pause-min', '0.3', '--pause-max', '0.5',
        '--max-visits', '0', '--duration', '1h', '--workers', '2', '--url', sink.tracker, '--summary-json', 'summary.json'],
      { cwd: dir },
    );
    await waitForLine(child, /^run: Ctrl-C stops/, 'stderr');
    child.kill('SIGINT');
    const r = await result;
    const { summary: seen } = await sink.stop();
    expect(r.code, r.stderr).toBe(130);
    const summary = summaryOf(dir);
    expect(validateSummary(summary), JSON.stringify(validateSummary.errors)).toBe(true);
    expect(summary.stopReason).toBe('interrupted');
    expect(summary.visits.started).toBeGreaterThanOrEqual(1);
    expect(summary.visits.completed).toBe(summary.visits.started);
    expect(summary.visits.aborted).toBe(0);
    expect(seen.hits.recorded).toBe(summary.hits.ok);
    expect(r.stdout).toContain('run finished: interrupted');
  });

  it('a second signal stops every thread at once and still reports', async () => {
    const sink = await startSink();
    const dir = tempDir();
    const { child, result } = startCli(
      ['run', '--preset', 'smoke', '--seed', '7', '--pageviews-min', '3', '--pageviews-max', '3', '--pause-min', '60', '--pause-max', '60',
        '--max-visits', '0', '--duration', '1h', '--grace', '1h', '--workers', '2', '--url', sink.tracker, '--summary-json', 'summary.json'],
      { cwd: dir },
    );
    await waitForLine(child, /^run: Ctrl-C stops/, 'stderr');
    const drained = waitForLine(child, /^run: interrupted: no new visits/, 'stderr');
    child.kill('SIGINT');
    await drained;
    child.kill('SIGINT');
    const r = await result;
    await sink.stop();
    expect(r.code).toBe(130);
    const summary = summaryOf(dir);
    expect(summary.stopReason).toBe('interrupted-twice');
    expect(summary.visits.aborted).toBeGreaterThanOrEqual(1);
    expect(validateSummary(summary)).toBe(true);
  });

  it('an abortOnFail threshold stops a 2-thread run, names it, and exits 3', async () => {
    const sink = await startSink(['--fail-rate', '1']);
    const dir = tempDir();
    const r = await runCli(
      ['run', ...FAST, '--no-preflight', '--url', sink.tracker, '--rps', '20', '--duration', '2m', '--max-error-rate', '1', '--workers', '2',
        '--threshold', 'error_rate:rate<0.5:abort=1s', '--summary-json', 'summary.json'],
      { cwd: dir, timeoutMs: 150_000 },
    );
    await sink.stop();
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/run: threshold error_rate rate<0\.5 crossed \(rate=1 \(100\.00%\) at [\d.]+ s; abortOnFail\): no new visits/);
    expect(r.stdout).toMatch(/^run finished: threshold error_rate rate<0\.5 crossed after /);
    const summary = summaryOf(dir);
    expect(validateSummary(summary), JSON.stringify(validateSummary.errors)).toBe(true);
    expect(summary.stopReason).toBe('threshold');
    expect(summary.stopThreshold).toMatchObject({ metric: 'error_rate', expression: 'rate<0.5', actual: 1 });
    expect(summary.hits.sent).toBeLessThan((20 * 120) / 2);
  });

  it('a bad --workers is one line and exit 2, and nothing is sent', async () => {
    const sink = await startSink();
    for (const [value, message] of [
      ['0', /^error: workers: /],
      ['65', /^error: workers: /],
      ['two', /^error: workers: "two" is not a number/],
    ] as const) {
      const r = await runCli(['run', ...FAST, '--max-visits', '5', '--url', sink.tracker, '--workers', value]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
    const { summary } = await sink.stop();
    expect(summary.hits.received).toBe(0);
  });
});
