import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/report/summary.js';
import { runCli } from '../helpers/cli.js';
import { dryRun, startSink, tempDir, validateSummary } from './run-helpers.js';

/** Issue 14: the numbered findings of a new user's first hour, one test each. */
const NOW = ['--now', '2026-06-01T12:00:00Z'];
const summaryOf = (dir: string): RunSummary => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as RunSummary;
const visitsOf = (hits: Array<{ visit: number }>): number => new Set(hits.map((h) => h.visit)).size;

describe('issue 14: honest exits and conventions', () => {
  it('1: --duration replaces the preset\'s whole stop group, and presets shows every stop condition', async () => {
    // 10 visits/s for 3 s: 30 visits, not the smoke preset's hidden maxTotalVisits 5.
    const hits = await dryRun(['--preset', 'smoke', '--duration', '3s', '--visits-per-day', '864000', '--url', 'http://127.0.0.1:9/matomo.php', '--seed', '1', ...NOW]);
    expect(visitsOf(hits)).toBe(30);
    const table = await runCli(['presets']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^smoke .* 5 visits or 1m0s$/m);
    expect(table.stdout).toMatch(/^light .* none$/m);
  });

  it('2: a run whose target refuses every hit fails (exit 3) on the default error-rate threshold, with a ✓/✗ line each', async () => {
    const dir = tempDir();
    // Port 9 (discard) on loopback: nothing listens, every hit is refused.
    const r = await runCli(
      ['run', '--preset', 'smoke', '--url', 'http://127.0.0.1:9/matomo.php', '--no-preflight', '--max-visits', '3', '--pause-max', '0', '--summary-json', 'summary.json'],
      { cwd: dir },
    );
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toMatch(/thresholds: 1 of 2 BREACHED \(exit 3\)\n {2}✗ max-error-rate: error rate 100\.00% is above --max-error-rate 5\.00%\n {2}✓ min-rate-ratio: /);
    const summary = summaryOf(dir);
    expect(validateSummary(summary), JSON.stringify(validateSummary.errors)).toBe(true);
    expect(summary.version).toBe(4);
    expect(summary.thresholds.map((t) => [t.name, t.ok])).toEqual([['max-error-rate', false], ['min-rate-ratio', true]]);
    // Relaxed by the user: the same run passes.
    const relaxed = await runCli(['run', '--preset', 'smoke', '--url', 'http://127.0.0.1:9/matomo.php', '--no-preflight', '--max-visits', '3', '--pause-max', '0', '--max-error-rate', '1', '-q']);
    expect(relaxed.code, relaxed.stderr).toBe(0);
  });

  it('2: dropped visits draw a warning line and a rate below 95 % of the plan fails the run', async () => {
    const sink = await startSink(['--latency', '300ms']);
    const dir = tempDir();
    const r = await runCli(
      ['run', '--preset', 'smoke', '--seed', '5', '--pause-max', '0', '--concurrency', '1', '--visits-per-day', '864000', '--duration', '1s',
        '--url', sink.tracker, '--summary-json', 'summary.json', '-q'],
      { cwd: dir },
    );
    await sink.stop();
    expect(r.code, r.stderr).toBe(3);
    const summary = summaryOf(dir);
    expect(summary.visits.dropped).toBeGreaterThan(0);
    expect(r.stderr).toContain(`warning: ${summary.visits.dropped} visit arrival(s) dropped: every one of the 1 visit slots was busy`);
    expect(summary.thresholds.find((t) => t.name === 'min-rate-ratio')).toMatchObject({ ok: false, limit: 0.95 });
  });

  it('4: config --preset heavy --explain needs no target', async () => {
    const r = await runCli(['config', '--preset', 'heavy', '--explain']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('no Matomo target');
    expect(r.stdout).toMatch(/^visitsPerDay +50000 +preset heavy/m);
  });

  it('7: a seeded run of duration D starts exactly the visits its dry run plans', async () => {
    const sink = await startSink();
    const dir = tempDir();
    // The smoke rate (1 visit/s) for 2 s: arrivals at 0 s and 1 s; the one due at 2 s is past the end.
    const args = ['--preset', 'smoke', '--seed', '11', '--duration', '2s', '--pause-max', '0'];
    const r = await runCli(['run', ...args, '--url', sink.tracker, '--summary-json', 'summary.json', '-q'], { cwd: dir });
    const { summary: seen } = await sink.stop();
    expect(r.code, r.stderr).toBe(0);
    const planned = visitsOf(await dryRun([...args, '--url', sink.tracker, ...NOW]));
    expect(planned).toBe(2);
    const summary = summaryOf(dir);
    expect(summary.visits.started).toBe(planned);
    expect(seen.visits).toBe(planned);
    expect(summary.rate.ratio).toBe(1);
  });

  it('9: environment names are named (never their values), generic ones with foreign values are ignored, TRAFFICINATOR_ names work', async () => {
    const env = {
      LOG_LEVEL: 'verbose',
      TIMEZONE: 'Mars/Olympus',
      CONCURRENCY: '7',
      TRAFFICINATOR_RUN_DURATION: '2s',
      TRAFFICINATOR_BIN: '/somewhere/trafficinator',
      TRAFFICINATOR_VISITS_PER_DAY: '172800',
    };
    const r = await runCli(['run', '--dry-run', '--preset', 'smoke', '--url', 'http://127.0.0.1:9/matomo.php', '--seed', '3', ...NOW], { env });
    expect(r.code, r.stderr).toBe(0);
    // 2 visits/s for 2 s, from the TRAFFICINATOR_ names.
    expect(visitsOf(r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { visit: number }))).toBe(4);
    expect(r.stderr).toContain('environment: using CONCURRENCY, TRAFFICINATOR_RUN_DURATION, TRAFFICINATOR_VISITS_PER_DAY');
    expect(r.stderr).toMatch(/warning: LOG_LEVEL: ignored: .*use TRAFFICINATOR_LOG_LEVEL/);
    expect(r.stderr).toMatch(/warning: TIMEZONE: ignored: .*use TRAFFICINATOR_TIMEZONE/);
    expect(r.stderr).not.toContain('TRAFFICINATOR_BIN');
    expect(r.stderr).not.toContain('verbose');
    expect(r.stderr).not.toContain('Mars');
    const explained = await runCli(['config', '--explain'], { env: { CONCURRENCY: '7' } });
    expect(explained.stdout).toMatch(/^concurrency +7 +environment \(CONCURRENCY\)$/m);
  });
});
