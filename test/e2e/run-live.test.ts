import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/report/summary.js';
import { runCli, startCli, waitForLine } from '../helpers/cli.js';
import { byVisitor, dryRun, FAST, startSink, tempDir, validateSummary } from './run-helpers.js';

const summaryOf = (dir: string): RunSummary => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as RunSummary;

describe('run against the sink (end to end)', () => {
  it('sends exactly what --dry-run prints for the same seed and --max-visits; the summary JSON fits its schema', async () => {
    const sink = await startSink();
    const dir = tempDir();
    const args = [...FAST, '--max-visits', '12', '--visits-per-day', '864000', '--concurrency', '20'];
    const r = await runCli(['run', ...args, '--url', sink.tracker, '--summary-json', 'summary.json'], { cwd: dir });
    const { summary: seen, recorded } = await sink.stop();
    expect(r.code, r.stderr).toBe(0);
    const printed = await dryRun([...args, '--now', '2026-06-01T12:00:00Z']);
    expect(recorded.length).toBe(printed.length);
    expect(byVisitor(recorded)).toEqual(byVisitor(printed));
    expect(seen.hits.rejected).toBe(0);

    const summary = summaryOf(dir);
    expect(validateSummary(summary), JSON.stringify(validateSummary.errors)).toBe(true);
    expect(summary.stopReason).toBe('max-visits');
    expect(summary.seed).toBe(7);
    expect(summary.visits).toMatchObject({ started: 12, completed: 12, dropped: 0 });
    expect(summary.hits.sent).toBe(printed.length);
    expect(summary.hits.ok).toBe(seen.hits.recorded);
    expect(seen.visits).toBe(12);
    expect(r.stdout).toContain('run finished: max-visits');
    expect(r.stdout).toMatch(new RegExp(`total +${printed.length} +${seen.hits.recorded} +0 +0\\n`));
  });

  it('spreads visits over targets by weight and over each target site range, with per-target counts', async () => {
    const a = await startSink();
    const b = await startSink();
    const dir = tempDir();
    writeFileSync(
      join(dir, 'targets.yaml'),
      `targets:\n  - { url: "${a.tracker}", siteId: "2-4", weight: 3 }\n  - { url: "${b.tracker}", siteId: 9, weight: 1 }\n`,
    );
    const args = [...FAST, '-c', 'targets.yaml', '--max-visits', '60', '--visits-per-day', '8640000', '--concurrency', '30'];
    const r = await runCli(['run', ...args, '--summary-json', 'summary.json'], { cwd: dir });
    const ra = await a.stop();
    const rb = await b.stop();
    expect(r.code, r.stderr).toBe(0);
    const printed = await dryRun([...args, '--now', '2026-06-01T12:00:00Z'], dir);
    const visitsTo = (url: string) => new Set(printed.filter((h) => h.target === url).map((h) => h.visit)).size;
    const summary = summaryOf(dir);
    expect(summary.targets.map((t) => [t.name, t.visits.started])).toEqual([
      [a.tracker, visitsTo(a.tracker)],
      [b.tracker, visitsTo(b.tracker)],
    ]);
    expect(visitsTo(a.tracker)).toBeGreaterThan(visitsTo(b.tracker));
    expect(ra.summary.visits).toBe(visitsTo(a.tracker));
    expect(rb.summary.visits).toBe(visitsTo(b.tracker));
    expect(new Set(ra.recorded.map((h) => h.params['idsite']))).toEqual(new Set(['2', '3', '4']));
    expect(new Set(rb.recorded.map((h) => h.params['idsite']))).toEqual(new Set(['9']));
    expect(byVisitor([...ra.recorded, ...rb.recorded])).toEqual(byVisitor(printed));
    expect(r.stdout).toContain('targets');
  });

  it('stops starting visits after --duration and reports it', async () => {
    const sink = await startSink();
    const dir = tempDir();
    const r = await runCli(
      ['run', ...FAST, '--max-visits', '0', '--visits-per-day', '864000', '--duration', '1500ms', '--url', sink.tracker, '--summary-json', 'summary.json'],
      { cwd: dir },
    );
    const { summary: seen } = await sink.stop();
    expect(r.code, r.stderr).toBe(0);
    const summary = summaryOf(dir);
    expect(summary.stopReason).toBe('duration');
    // 10 visits/s due from 0 s: at most 16 fall due by 1.5 s (0, 0.1, ..., 1.5).
    expect(summary.visits.started).toBeGreaterThan(0);
    expect(summary.visits.started).toBeLessThanOrEqual(16);
    expect(summary.visits.completed).toBe(summary.visits.started);
    expect(seen.visits).toBe(summary.visits.started);
  });

  it('drains visits in flight on SIGINT, reports, and exits 130', async () => {
    const sink = await startSink();
    const dir = tempDir();
    // One slow visit at a time: three pageviews 300-500 ms apart, so the signal finds one in flight.
    const { child, result } = startCli(
      ['run', '--preset', 'smoke', '--seed', '7', '--pageviews-min', '3', '--pageviews-max', '3', '--pause-min', '0.3', '--pause-max', '0.5',
        '--max-visits', '0', '--duration', '1h', '--url', sink.tracker, '--summary-json', 'summary.json'],
      { cwd: dir },
    );
    await waitForLine(child, /^run: Ctrl-C stops/, 'stderr');
    child.kill('SIGINT');
    const r = await result;
    const { summary: seen } = await sink.stop();
    expect(r.code).toBe(130);
    const summary = summaryOf(dir);
    expect(summary.stopReason).toBe('interrupted');
    expect(summary.visits.started).toBeGreaterThanOrEqual(1);
    expect(summary.visits.completed).toBe(summary.visits.started);
    expect(summary.visits.aborted).toBe(0);
    expect(seen.hits.recorded).toBe(summary.hits.ok);
    expect(r.stdout).toContain('run finished: interrupted');
    expect(r.stderr).toMatch(/^run: interrupted: no new visits; waiting up to 10 s for \d+ visit\(s\) in flight/m);
  });

  it('stops at once on a second signal and still reports', async () => {
    const sink = await startSink();
    const dir = tempDir();
    // Pauses of a minute and a grace of an hour: only the second signal can end this run soon.
    const { child, result } = startCli(
      ['run', '--preset', 'smoke', '--seed', '7', '--pageviews-min', '3', '--pageviews-max', '3', '--pause-min', '60', '--pause-max', '60',
        '--max-visits', '0', '--duration', '1h', '--grace', '1h', '--url', sink.tracker, '--summary-json', 'summary.json'],
      { cwd: dir },
    );
    await waitForLine(child, /^run: Ctrl-C stops/, 'stderr');
    // Signals of one kind do not queue: send the second once the first has been seen.
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

  it('counts errors by class under fault injection, keeps going, and exits 3 on a breached threshold', async () => {
    const sink = await startSink(['--fail-rate', '0.2', '--fail-status', '503', '--reset-rate', '0.1', '--fault-seed', '5']);
    const dir = tempDir();
    const args = [...FAST, '--max-visits', '30', '--visits-per-day', '8640000', '--concurrency', '30'];
    const r = await runCli(
      ['run', ...args, '--url', sink.tracker, '--no-preflight', '--max-error-rate', '0.01', '--min-rate-ratio', '0', '--summary-json', 'summary.json'],
      { cwd: dir },
    );
    const { summary: seen } = await sink.stop();
    expect(r.code, r.stderr).toBe(3);
    const printed = await dryRun([...args, '--now', '2026-06-01T12:00:00Z']);
    const summary = summaryOf(dir);
    expect(summary.hits.sent).toBe(printed.length); // every planned hit went out despite the failures
    expect(summary.visits.completed).toBe(30);
    expect(summary.errors['5xx']).toBeGreaterThan(0);
    expect(summary.errors.reset).toBeGreaterThan(0);
    expect(summary.statusCodes['503']).toBe(summary.errors['5xx']);
    expect(summary.hits.failed).toBe(summary.hits.sent - summary.hits.ok);
    expect(summary.thresholds.filter((t) => !t.ok).map((t) => t.name)).toEqual(['max-error-rate']);
    expect(seen.hits.recorded).toBeLessThanOrEqual(summary.hits.ok);
    expect(r.stdout).toMatch(/thresholds: 1 of 2 BREACHED \(exit 3\)\n {2}✗ max-error-rate: /);
    expect(validateSummary(summary)).toBe(true);
  });

  it('drops and counts arrivals that find every slot busy, says so at start, and --max-dropped fails the run', async () => {
    const sink = await startSink(['--latency', '300ms']);
    const dir = tempDir();
    const r = await runCli(
      ['run', ...FAST, '--pageviews-min', '2', '--pageviews-max', '2', '--concurrency', '1', '--max-visits', '0', '--visits-per-day', '864000',
        '--duration', '1s', '--max-dropped', '0', '--url', sink.tracker, '--summary-json', 'summary.json'],
      { cwd: dir },
    );
    await sink.stop();
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/warning: --concurrency 1 is too low for 864,000 visits\/day: .* needs \d+ visits in flight/);
    const summary = summaryOf(dir);
    expect(summary.visits.dropped).toBeGreaterThan(0);
    expect(summary.visits.planned).toBe(summary.visits.started + summary.visits.dropped);
    expect(summary.thresholds.filter((t) => !t.ok).map((t) => t.name)).toContain('max-dropped');
  });

  it('runs --rps max as a closed model (no schedule lag) and keeps token_auth out of every output', async () => {
    const sink = await startSink(['--token', 'sekrit-token']);
    const dir = tempDir();
    const r = await runCli(
      ['run', ...FAST, '--rps', 'max', '--max-visits', '20', '--concurrency', '4', '--randomize-countries', '--url', sink.tracker,
        '--summary-json', 'summary.json', '--log-file', 'run.log', '--log-level', 'debug', '--timeseries', 'ts.ndjson'],
      { cwd: dir, env: { MATOMO_TOKEN_AUTH: 'sekrit-token' } },
    );
    const { summary: seen, recorded } = await sink.stop();
    expect(r.code, r.stderr).toBe(0);
    const summary = summaryOf(dir);
    expect(summary.rate.unit).toBe('max');
    expect(summary.scheduleLagMs).toBeNull();
    expect(summary.visits.started).toBe(20);
    // Countries need the token: the sink accepted every cip.
    expect(seen.hits.rejected).toBe(0);
    expect(recorded.every((h) => h.params['cip'] !== undefined)).toBe(true);
    const outputs = [r.stdout, r.stderr, readFileSync(join(dir, 'summary.json'), 'utf8'), readFileSync(join(dir, 'run.log'), 'utf8')];
    for (const text of outputs) expect(text).not.toContain('sekrit-token');
    const log = readFileSync(join(dir, 'run.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(log.map((l) => l.event)).toEqual(expect.arrayContaining(['start', 'preflight', 'summary']));
    const rows = readFileSync(join(dir, 'ts.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.reduce((n: number, row: { hitsSent: number }) => n + row.hitsSent, 0)).toBe(summary.hits.sent);
  });
});

describe('run refuses bad input before sending anything (end to end)', () => {
  it.each([
    { why: 'a malformed header', args: ['--header', 'no colon here'], line: /^error: --header "no colon here" is not 'Name: value'/ },
    { why: 'a bad proxy', args: ['--proxy', 'not a url'], line: /^error: --proxy "not a url" is not an http\(s\) URL/ },
    { why: 'a bad rate', args: ['--rps', '0'], line: /^error: run\.rps/ },
    { why: 'a bad timeout', args: ['--connect-timeout', 'soon'], line: /^error: --connect-timeout "soon" is not a duration/ },
  ])('$why: one line, exit 2, and the sink saw no hit', async ({ args, line }) => {
    const sink = await startSink();
    const r = await runCli(['run', ...FAST, '--max-visits', '3', '--url', sink.tracker, ...args]);
    const { summary } = await sink.stop();
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(line);
    expect(summary.hits.received).toBe(0);
  });

  it('fails fast with exit 2 when the tracker is unreachable or is not Matomo', async () => {
    const server: Server = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.end('hello, not a tracker');
    });
    const hits: string[] = [];
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const port = (server.address() as { port: number }).port;
    try {
      const other = await runCli(['run', ...FAST, '--max-visits', '3', '--url', `http://127.0.0.1:${port}/matomo.php`]);
      expect(other.code).toBe(2);
      expect(other.stderr.trim()).toBe(
        `error: preflight GET http://127.0.0.1:${port}/matomo.php: answers, but not like a Matomo tracker (no "This resource is part of Matomo"); nothing was sent`,
      );
      expect(hits).toEqual(['/matomo.php']);
    } finally {
      await new Promise((done) => server.close(done));
    }
    // The port is closed now: nothing listens there.
    const refused = await runCli(['run', ...FAST, '--max-visits', '3', '--url', `http://127.0.0.1:${port}/matomo.php`]);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toEqual([
      `error: preflight GET http://127.0.0.1:${port}/matomo.php: connection refused by 127.0.0.1:${port} (is Matomo running there?); nothing was sent (--no-preflight skips this check)`,
    ]);
  });
});
