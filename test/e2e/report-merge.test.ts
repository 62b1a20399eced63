import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/report/summary.js';
import { runCli } from '../helpers/cli.js';
import { FAST, startSink, tempDir, validateSummary } from './run-helpers.js';

describe('report merges run summaries (issue 16: shards)', () => {
  it('two runs against one sink, merged by report --json: the sums are what the sink counted', async () => {
    const sink = await startSink();
    const dir = tempDir('report-merge-');
    const run = (seed: string, out: string) =>
      runCli(['run', ...FAST, '--seed', seed, '--max-visits', '8', '--visits-per-day', '864000', '--concurrency', '10', '--url', sink.tracker, '--max-p99-ms', '60000', '--summary-json', out, '-q'], { cwd: dir });
    const [a, b] = await Promise.all([run('11', 'a.json'), run('12', 'b.json')]);
    const { summary: seen } = await sink.stop();
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const parts = ['a.json', 'b.json'].map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as RunSummary);

    const r = await runCli(['report', 'a.json', 'b.json', '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const merged = JSON.parse(r.stdout) as RunSummary;
    expect(validateSummary(merged), JSON.stringify(validateSummary.errors)).toBe(true);
    expect(merged.mergedFrom).toBe(2);
    expect(merged.hits.sent).toBe(seen.hits.received);
    expect(merged.hits.ok).toBe(seen.hits.recorded);
    expect(merged.visits.started).toBe(16);
    expect(merged.visits.started).toBe(seen.visits);
    expect(merged.latencyMs.count).toBe(parts[0]!.latencyMs.count + parts[1]!.latencyMs.count);
    expect(merged.latencyMs.max).toBe(Math.max(parts[0]!.latencyMs.max, parts[1]!.latencyMs.max));
    expect(merged.thresholds.map((t) => [t.name, t.expression, t.ok])).toEqual([
      ['max-error-rate', 'rate<=0.05', true],
      ['max-p99-ms', 'p(99)<=60000', true],
      ['min-rate-ratio', 'value>=0', true],
    ]);

    const text = await runCli(['report', 'a.json', 'b.json'], { cwd: dir });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^2 runs merged: max-visits over /);
    expect(text.stdout).toMatch(new RegExp(`total +${seen.hits.received} +${seen.hits.recorded} +0 +0\\n`));
  });
  it('--summary-json - writes one JSON line; report finds the summaries in a log that mixes in other text', async () => {
    const sink = await startSink();
    const dir = tempDir('report-log-');
    const run = (seed: string) =>
      runCli(['run', ...FAST, '--seed', seed, '--max-visits', '6', '--visits-per-day', '864000', '--concurrency', '10', '--url', sink.tracker, '--max-p99-ms', '60000', '--summary-json', '-'], { cwd: dir });
    const [a, b] = await Promise.all([run('21'), run('22')]);
    const { summary: seen } = await sink.stop();
    for (const r of [a, b]) {
      expect(r.code, r.stderr).toBe(0);
      // The summary alone on stdout, as one line: a log collector keeps it whole.
      expect(r.stdout.endsWith('\n')).toBe(true);
      expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/thresholds/);
    }
    // What `kubectl logs` of two pods gives: each pod's text report (stderr) around its summary line.
    writeFileSync(join(dir, 'pods.log'), [a.stderr, a.stdout, 'some other line {not json}', b.stderr, b.stdout].join(''));

    const r = await runCli(['report', 'pods.log', '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const merged = JSON.parse(r.stdout) as RunSummary;
    expect(validateSummary(merged), JSON.stringify(validateSummary.errors)).toBe(true);
    expect(merged.mergedFrom).toBe(2);
    expect(merged.hits.sent).toBe(seen.hits.received);
    expect(merged.visits.started).toBe(12);

    writeFileSync(join(dir, 'none.log'), a.stderr);
    const none = await runCli(['report', 'none.log'], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^error: none\.log: neither a summary nor a log with one/);
    expect(none.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
