import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readJournal } from '../../src/state/journal.js';
import { runCli, startCli, waitForLine } from '../helpers/cli.js';
import { args, dryRun, hitKey, startSink, workDir, killSinks } from '../helpers/backfill.js';

afterEach(killSinks);

const WINDOW = ['--from', '2026-02-02', '--to', '2026-02-04', '--bulk-size', '10', '--concurrency', '4'];

describe('backfill killed with SIGKILL, then --resume (end to end)', () => {
  it('--resume reconciles the visits left in flight with the raw log: every planned hit recorded exactly once', async () => {
    const dir = workDir();
    // Slow answers keep batches in flight, so the kill lands in the middle of the backfill.
    const sink = await startSink(dir, ['--latency', '40ms']);
    const planned = (await dryRun(dir, sink.tracker, WINDOW)).hits;

    const { child, result } = startCli(args('backfill', sink.tracker, WINDOW), { cwd: dir });
    await waitForLine(child, /^2026-02-0\d: \d+ tracked of \d+ sent/, 'stderr'); // one day done
    child.kill('SIGKILL');
    expect((await result).signal).toBe('SIGKILL');

    // verify sees the window incomplete
    const early = await runCli(args('verify', sink.tracker, WINDOW), { cwd: dir });
    expect(early.code).toBe(3);
    expect(early.stdout).toMatch(/missing/);

    const planDir = join(dir, '.trafficinator', 'plans');
    const [key] = readdirSync(planDir);
    const before = readJournal(join(planDir, key!, 'journal.ndjson'));
    let inFlight = 0;
    for (const state of before.days.values()) inFlight += state.uncertain.size;
    // the kill came while batches were in flight (answers take 40 ms)
    expect(inFlight).toBeGreaterThan(0);

    const resume = await runCli([...args('backfill', sink.tracker, [...WINDOW, '--resume']), '--summary-json', 'summary.json'], { cwd: dir });
    expect(resume.code, resume.stdout + resume.stderr).toBe(0);
    expect(resume.stdout).toMatch(/3\/3 complete/);
    const totals = (JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { targets: Array<{ totals: Record<string, number> }> }).targets[0]!.totals;
    expect(totals.reconciled).toBeGreaterThan(0);
    expect(totals.visitsUncertain).toBe(0);
    expect(totals.possiblyDuplicated).toBe(0);

    const idle = await runCli(args('backfill', sink.tracker, [...WINDOW, '--resume']), { cwd: dir });
    expect(idle.code).toBe(0);
    expect(idle.stderr).toMatch(/nothing left to resume .*: 150 of 150 visits acknowledged/);

    const verify = await runCli(args('verify', sink.tracker, WINDOW), { cwd: dir });
    expect(verify.code, verify.stdout).toBe(0);
    const { summary: sinkSummary, recorded } = await sink.stop();
    const counts = new Map<string, number>();
    for (const h of recorded) counts.set(hitKey(h.params), (counts.get(hitKey(h.params)) ?? 0) + 1);
    for (const h of planned) expect(counts.get(hitKey(h.params))).toBe(1);
    expect(sinkSummary.hits.duplicates).toBe(0);
    expect(sinkSummary.hits.recorded).toBe(planned.length);
  });

  it('without a Reporting API the in-flight visits stay uncertain (exit 3); --resend-uncertain resends them, counted as possibly duplicated', async () => {
    const dir = workDir();
    const sink = await startSink(dir, ['--latency', '40ms']);
    const window = [...WINDOW, '--no-reporting-api'];
    const { child, result } = startCli(args('backfill', sink.tracker, window), { cwd: dir });
    await waitForLine(child, /^2026-02-0\d: \d+ tracked of \d+ sent/, 'stderr');
    child.kill('SIGKILL');
    expect((await result).signal).toBe('SIGKILL');

    const resume = await runCli([...args('backfill', sink.tracker, [...window, '--resume']), '--summary-json', 'summary.json'], { cwd: dir });
    expect(resume.code).toBe(3);
    expect(resume.stderr).toMatch(/backfill incomplete: \d+ day\(s\) with uncertain visits/);
    const uncertain = (JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { targets: Array<{ totals: Record<string, number> }> }).targets[0]!.totals.visitsUncertain!;
    expect(uncertain).toBeGreaterThan(0);
    // --resend-uncertain is only for a target without a Reporting API
    const refused = await runCli(args('backfill', sink.tracker, [...WINDOW, '--resume', '--resend-uncertain']), { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--resend-uncertain: only for a target whose Reporting API cannot be read/);

    const resend = await runCli([...args('backfill', sink.tracker, [...window, '--resume', '--resend-uncertain']), '--summary-json', 'summary.json'], { cwd: dir });
    expect(resend.code, resend.stdout + resend.stderr).toBe(0);
    expect(resend.stdout).toMatch(/3\/3 complete/);
    expect(resend.stdout).toMatch(/hit\(s\) resent blind \(--resend-uncertain\): possibly recorded twice/);
    const totals = (JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { targets: Array<{ totals: Record<string, number> }> }).targets[0]!.totals;
    expect(totals.possiblyDuplicated).toBeGreaterThan(0);
    await sink.stop();
  });

  it('refuses --resume on a stored plan of another plan format, in one line, sending nothing', async () => {
    const dir = workDir();
    const sink = await startSink(dir);
    const planned = (await dryRun(dir, sink.tracker, WINDOW)).hits.length;
    const first = await runCli(args('backfill', sink.tracker, [...WINDOW, '--to', '2026-02-03']), { cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    const planDir = join(dir, '.trafficinator', 'plans');
    const [key] = readdirSync(planDir);
    const planFile = join(planDir, key!, 'plan.json');
    const stored = JSON.parse(readFileSync(planFile, 'utf8')) as { plan: { format: number } };
    stored.plan.format = 0;
    writeFileSync(planFile, JSON.stringify(stored));
    const r = await runCli(args('backfill', sink.tracker, [...WINDOW, '--to', '2026-02-03', '--resume']), { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/is plan format 0; this trafficinator generates other hits for it/);
    const { summary } = await sink.stop();
    // Only the first run's hits (two of the three days) reached the sink.
    expect(summary.hits.received).toBeGreaterThan(0);
    expect(summary.hits.received).toBeLessThan(planned);
  });

  it('stops on SIGINT after the batches in flight are answered (exit 130, nothing uncertain); --resume completes it without duplicates', async () => {
    const dir = workDir();
    const sink = await startSink(dir, ['--latency', '40ms']);
    const planned = (await dryRun(dir, sink.tracker, WINDOW)).hits;
    const { child, result } = startCli(args('backfill', sink.tracker, WINDOW), { cwd: dir });
    await waitForLine(child, /^2026-02-0\d: \d+ tracked of \d+ sent/, 'stderr');
    child.kill('SIGINT');
    const stopped = await result;
    expect(stopped.code).toBe(130);
    expect(stopped.stdout).toContain('warning: interrupted: continue with --resume');
    expect(stopped.stdout).not.toMatch(/visit\(s\) uncertain/);
    const resume = await runCli(args('backfill', sink.tracker, [...WINDOW, '--resume']), { cwd: dir });
    expect(resume.code, resume.stdout + resume.stderr).toBe(0);
    expect(resume.stdout).toMatch(/3\/3 complete/);
    const { summary, recorded } = await sink.stop();
    expect(summary.hits.duplicates).toBe(0);
    expect(recorded.map((h) => hitKey(h.params)).sort()).toEqual(planned.map((h) => hitKey(h.params)).sort());
  });
});
