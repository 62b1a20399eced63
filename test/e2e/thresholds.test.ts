import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/report/summary.js';
import { runCli } from '../helpers/cli.js';
import { FAST, startSink, tempDir, validateSummary } from './run-helpers.js';

/** Issue 14, "thresholds like k6's": the user's own thresholds, per hit type and target, and abortOnFail. */
const summaryOf = (dir: string): RunSummary => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as RunSummary;
const FASTER = [...FAST, '--visits-per-day', '864000'];

describe('issue 14: k6-like thresholds', () => {
  it('a YAML thresholds map: a percentile per hit type and an error rate per target, each with a ✓/✗ line and a verdict; exit 3', async () => {
    // Every answer takes at least 50 ms; the second target answers every hit 500.
    const [good, bad] = await Promise.all([startSink(['--latency', '50ms']), startSink(['--latency', '50ms', '--fail-rate', '1'])]);
    const dir = tempDir();
    writeFileSync(
      join(dir, 'run.yaml'),
      [
        'targets:',
        `  - { url: "${good.tracker}", siteId: 1 }`,
        `  - { url: "${bad.tracker}", siteId: 1 }`,
        'run:',
        '  thresholds:',
        '    maxErrorRate: 1',
        '    checks:',
        '      "latency{type:pageview}": ["p(99)<30000", "p(50)<20"]',
        `      "error_rate{target:${good.tracker}}": ["rate<0.01"]`,
        '      "error_rate{target:1}": [{ threshold: "rate<0.5", abortOnFail: true, delayAbortEval: 10m }]',
        '',
      ].join('\n'),
    );
    const r = await runCli(['run', ...FASTER, '--no-preflight', '-c', 'run.yaml', '--max-visits', '12', '--summary-json', 'summary.json', '-q'], { cwd: dir });
    await Promise.all([good.stop(), bad.stop()]);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stdout).toContain('thresholds: 2 of 6 BREACHED (exit 3)\n  ✓ max-error-rate: error rate');
    expect(r.stdout).toMatch(/\n {2}✓ latency\{type:pageview\} p\(99\)<30000: p\(99\)=[\d.]+ ms\n/);
    expect(r.stdout).toMatch(/\n {2}✗ latency\{type:pageview\} p\(50\)<20: p\(50\)=[\d.]+ ms\n/);
    expect(r.stdout).toContain(`\n  ✓ error_rate{target:${good.tracker}} rate<0.01: rate=0 (0.00%)\n`);
    expect(r.stdout).toContain('\n  ✗ error_rate{target:1} rate<0.5: rate=1 (100.00%)\n');
    const summary = summaryOf(dir);
    expect(validateSummary(summary), JSON.stringify(validateSummary.errors)).toBe(true);
    expect(summary.version).toBe(4);
    // The delay (10 m) kept the abortOnFail threshold from stopping this short run: it ended on max-visits.
    expect(summary.stopReason).toBe('max-visits');
    expect(summary.thresholds.map((t) => [t.name, t.metric, t.expression, t.ok, t.abortOnFail ?? false])).toEqual([
      ['max-error-rate', 'error_rate', 'rate<=1', true, false],
      ['min-rate-ratio', 'rate_ratio', 'value>=0', true, false],
      ['threshold', 'latency{type:pageview}', 'p(99)<30000', true, false],
      ['threshold', 'latency{type:pageview}', 'p(50)<20', false, false],
      ['threshold', `error_rate{target:${good.tracker}}`, 'rate<0.01', true, false],
      ['threshold', 'error_rate{target:1}', 'rate<0.5', false, true],
    ]);
    // `report` merging summaries evaluates them again (here the run twice: the same rates and percentiles).
    const again = await runCli(['report', 'summary.json', 'summary.json'], { cwd: dir });
    expect(again.code, again.stderr).toBe(3);
    expect(again.stdout).toContain('thresholds: 2 of 6 BREACHED (exit 3)');
    expect(again.stdout).toContain('\n  ✗ error_rate{target:1} rate<0.5: rate=1 (100.00%)\n');
    // The HTML report's verdict table has a row for each user threshold.
    const html = await runCli(['report', 'summary.json', '--html', 'report.html'], { cwd: dir });
    expect(html.code, html.stderr).toBe(0);
    const page = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(page).toContain('error_rate{target:1} rate&lt;0.5 (abortOnFail)');
    expect(page).toContain('latency{type:pageview} p(50)&lt;20');
  });

  it.each([
    {
      why: 'an unknown hit type',
      threshold: 'latency{type:foo}:p(99)<500',
      line: 'error: run.thresholds.checks."latency{type:foo}": unknown hit type foo (one of pageview, search, outlink, download, event, ecommerce, ping, cart, goal) (from flag --threshold)',
    },
    {
      why: 'a malformed expression',
      threshold: 'latency:p99<500',
      line: 'error: run.thresholds.checks.latency[0]: threshold "p99<500": write AGGREGATION OP NUMBER, e.g. p(99)<500 or rate<0.01 (from flag --threshold)',
    },
    {
      why: 'a target the run does not have',
      threshold: 'error_rate{target:3}:rate<0.1',
      line: 'error: run.thresholds.checks."error_rate{target:3}": no target 3: there is 1 target (name one by index 0-0 or by its URL)',
    },
    { why: 'no expression', threshold: 'latency', line: 'error: run.thresholds.checks: "latency" is not a threshold (write METRIC:EXPRESSION[:abort[=DELAY]], e.g. latency{type:pageview}:p(99)<500) (from --threshold)' },
  ])('--threshold with $why: one line, exit 2, no hit sent', async ({ threshold, line }) => {
    const sink = await startSink();
    const r = await runCli(['run', ...FAST, '--url', sink.tracker, '--threshold', 'error_rate:rate<0.5', '--threshold', threshold, '-q']);
    const { summary } = await sink.stop();
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toBe(`${line}\n`);
    expect(summary.hits.received).toBe(0);
  });

  it('abortOnFail: a run whose error rate crosses its threshold stops starting visits, drains, names it, and exits 3', async () => {
    const sink = await startSink(['--fail-rate', '1']);
    const dir = tempDir();
    const planned = 20 * 120; // --rps 20 for --duration 2m
    const r = await runCli(
      ['run', ...FAST, '--no-preflight', '--url', sink.tracker, '--rps', '20', '--duration', '2m', '--max-error-rate', '1',
        '--threshold', 'error_rate:rate<0.5:abort=1s', '--summary-json', 'summary.json'],
      { cwd: dir, timeoutMs: 150_000 },
    );
    await sink.stop();
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/run: threshold error_rate rate<0\.5 crossed \(rate=1 \(100\.00%\) at [\d.]+ s; abortOnFail\): no new visits/);
    expect(r.stdout).toMatch(/^run finished: threshold error_rate rate<0\.5 crossed after /);
    expect(r.stdout).toMatch(/\n {2}✗ error_rate rate<0\.5: rate=1 \(100\.00%\)\n/);
    const summary = summaryOf(dir);
    expect(validateSummary(summary), JSON.stringify(validateSummary.errors)).toBe(true);
    expect(summary.stopReason).toBe('threshold');
    expect(summary.stopThreshold).toMatchObject({ metric: 'error_rate', expression: 'rate<0.5', actual: 1 });
    expect(summary.stopThreshold!.atMs).toBeGreaterThanOrEqual(1000);
    // Stopped well before the schedule's end: far fewer hits than two minutes would send.
    expect(summary.hits.sent).toBeLessThan(planned / 2);
    expect(summary.thresholds.find((t) => t.name === 'threshold')).toMatchObject({ ok: false, abortOnFail: true });
  });
});
