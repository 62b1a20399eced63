import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readJournal } from '../../src/state/journal.js';
import { runCli, startCli, waitForLine } from '../helpers/cli.js';
import { args, dryRun, hitKey, startSink, workDir, killSinks } from '../helpers/backfill.js';

afterEach(killSinks);

const WINDOW = ['--from', '2026-02-02', '--to', '2026-02-04', '--bulk-size', '10', '--concurrency', '4'];

type Totals = Record<string, number>;
const totalsOf = (dir: string): Totals =>
  (JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { targets: Array<{ totals: Totals }> }).targets[0]!.totals;

describe('backfill --workers (worker threads make the visits; end to end)', () => {
  it('a dry run with 2 or 3 workers prints the same hits as one thread, in the same order', async () => {
    const dir = workDir();
    const one = await dryRun(dir, 'http://127.0.0.1:9/matomo.php', [...WINDOW, '--workers', '1']);
    const two = await dryRun(dir, 'http://127.0.0.1:9/matomo.php', [...WINDOW, '--workers', '2']);
    const three = await dryRun(dir, 'http://127.0.0.1:9/matomo.php', [...WINDOW, '--workers', '3']);
    expect(one.hits.length).toBeGreaterThan(300);
    // The issue asks for the same multiset; the merge by start instant gives the very same bytes.
    expect(two.result.stdout).toBe(one.result.stdout);
    expect(three.result.stdout).toBe(one.result.stdout);
    expect(two.result.stderr).toBe(one.result.stderr);
  });

  it('sends what one thread sends: the same hits recorded once, and a summary of the same form', async () => {
    const counts: Totals[] = [];
    const keys: string[][] = [];
    for (const workers of ['1', '2']) {
      const dir = workDir();
      const sink = await startSink(dir);
      const r = await runCli([...args('backfill', sink.tracker, [...WINDOW, '--workers', workers]), '--summary-json', 'summary.json'], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/3\/3 complete/);
      counts.push(totalsOf(dir));
      const { summary, recorded } = await sink.stop();
      expect(summary.hits.duplicates).toBe(0);
      keys.push(recorded.map((h) => hitKey(h.params)).sort());
    }
    expect(keys[1]).toEqual(keys[0]);
    expect(counts[1]).toEqual(counts[0]);
  });

  it('killed with SIGKILL mid-run with --workers 2, --resume with --workers 1 records every planned hit exactly once', async () => {
    const dir = workDir();
    const sink = await startSink(dir, ['--latency', '40ms']);
    const planned = (await dryRun(dir, sink.tracker, WINDOW)).hits;

    const { child, result } = startCli(args('backfill', sink.tracker, [...WINDOW, '--workers', '2']), { cwd: dir });
    await waitForLine(child, /^2026-02-0\d: \d+ tracked of \d+ sent/, 'stderr'); // one day done
    child.kill('SIGKILL');
    expect((await result).signal).toBe('SIGKILL');

    // One state directory and one journal for the process, whatever the number of workers.
    const planDir = join(dir, '.trafficinator', 'plans');
    const plans = readdirSync(planDir);
    expect(plans).toHaveLength(1);
    const before = readJournal(join(planDir, plans[0]!, 'journal.ndjson'));
    let inFlight = 0;
    for (const state of before.days.values()) inFlight += state.uncertain.size;
    expect(inFlight).toBeGreaterThan(0);

    const resume = await runCli([...args('backfill', sink.tracker, [...WINDOW, '--resume', '--workers', '1']), '--summary-json', 'summary.json'], { cwd: dir });
    expect(resume.code, resume.stdout + resume.stderr).toBe(0);
    expect(resume.stdout).toMatch(/3\/3 complete/);
    const totals = totalsOf(dir);
    expect(totals.reconciled).toBeGreaterThan(0);
    expect(totals.visitsUncertain).toBe(0);
    expect(totals.possiblyDuplicated).toBe(0);

    const { summary, recorded } = await sink.stop();
    const counts = new Map<string, number>();
    for (const h of recorded) counts.set(hitKey(h.params), (counts.get(hitKey(h.params)) ?? 0) + 1);
    for (const h of planned) expect(counts.get(hitKey(h.params))).toBe(1);
    expect(summary.hits.duplicates).toBe(0);
    expect(summary.hits.recorded).toBe(planned.length);
  });

  it('killed with SIGKILL with one thread, --resume --workers 2 completes it exactly once', async () => {
    const dir = workDir();
    const sink = await startSink(dir, ['--latency', '40ms']);
    const planned = (await dryRun(dir, sink.tracker, WINDOW)).hits;
    const { child, result } = startCli(args('backfill', sink.tracker, [...WINDOW, '--workers', '1']), { cwd: dir });
    await waitForLine(child, /^2026-02-0\d: \d+ tracked of \d+ sent/, 'stderr');
    child.kill('SIGKILL');
    expect((await result).signal).toBe('SIGKILL');
    const resume = await runCli(args('backfill', sink.tracker, [...WINDOW, '--resume', '--workers', '2']), { cwd: dir });
    expect(resume.code, resume.stdout + resume.stderr).toBe(0);
    expect(resume.stdout).toMatch(/3\/3 complete/);
    const { summary, recorded } = await sink.stop();
    expect(summary.hits.duplicates).toBe(0);
    expect(recorded.map((h) => hitKey(h.params)).sort()).toEqual(planned.map((h) => hitKey(h.params)).sort());
  });

  it('stops on SIGINT with --workers 2 after the batches in flight are answered (exit 130); --resume --workers 2 completes it without duplicates', async () => {
    const dir = workDir();
    const sink = await startSink(dir, ['--latency', '40ms']);
    const planned = (await dryRun(dir, sink.tracker, WINDOW)).hits;
    const { child, result } = startCli(args('backfill', sink.tracker, [...WINDOW, '--workers', '2']), { cwd: dir });
    await waitForLine(child, /^2026-02-0\d: \d+ tracked of \d+ sent/, 'stderr');
    child.kill('SIGINT');
    const stopped = await result;
    expect(stopped.code).toBe(130);
    expect(stopped.stdout).toContain('warning: interrupted: continue with --resume');
    const resume = await runCli(args('backfill', sink.tracker, [...WINDOW, '--resume', '--workers', '2']), { cwd: dir });
    expect(resume.code, resume.stdout + resume.stderr).toBe(0);
    expect(resume.stdout).toMatch(/3\/3 complete/);
    const { summary, recorded } = await sink.stop();
    expect(summary.hits.duplicates).toBe(0);
    expect(recorded.map((h) => hitKey(h.params)).sort()).toEqual(planned.map((h) => hitKey(h.params)).sort());
  });

  it('config --explain shows the number of workers a backfill here would use, and where it came from', async () => {
    const byDefault = await runCli(['config', '--explain']);
    expect(byDefault.stdout).toMatch(/^workers +[1-8] +default \(backfill: the cores available here; run: 1\)$/m);
    const given = await runCli(['config', '--explain', '--workers', '3']);
    expect(given.stdout).toMatch(/^workers +3 +flag --workers$/m);
    // Not written into the YAML form: the default is this machine's, not a setting to keep.
    expect((await runCli(['config'])).stdout).not.toMatch(/workers/);
  });
});
