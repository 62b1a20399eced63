import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readJournal } from '../../src/state/journal.js';
import { runCli, startCli, waitForLine } from '../helpers/cli.js';
import { args, dryRun, hitKey, startSink, workDir, killSinks } from '../helpers/backfill.js';

afterEach(killSinks);

const WINDOW = ['--from', '2026-02-02', '--to', '2026-02-04', '--bulk-size', '10', '--concurrency', '4'];

describe('backfill killed with SIGKILL, then --resume (end to end)', () => {
  it('sends exactly the unacknowledged visits, reports the uncertain ones, and --resend-uncertain completes the days', async () => {
    const dir = workDir();
    // Slow answers keep batches in flight, so the kill lands in the middle of the backfill.
    const sink = await startSink(dir, ['--latency', '40ms']);
    const planned = (await dryRun(dir, sink.tracker, WINDOW)).hits;
    const visitOf = new Map(planned.map((h) => [hitKey(h.params), `${h.day}#${h.visit}`]));

    const { child, result } = startCli(args('backfill', sink.tracker, WINDOW), { cwd: dir });
    await waitForLine(child, /^2026-02-0\d: \d+ tracked of \d+ sent/, 'stderr'); // one day done
    child.kill('SIGKILL');
    expect((await result).signal).toBe('SIGKILL');

    // verify sees the window incomplete
    const early = await runCli(args('verify', sink.tracker, WINDOW), { cwd: dir });
    expect(early.code).toBe(3);
    expect(early.stdout).toMatch(/missing/);

    const planDir = join(dir, '.trafficinator', 'plans');
    const resume = await runCli([...args('backfill', sink.tracker, [...WINDOW, '--resume']), '--summary-json', 'summary.json'], { cwd: dir });
    expect(resume.code, resume.stdout + resume.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { targets: Array<{ planKey: string; totals: Record<string, number> }> };
    const key = summary.targets[0]!.planKey;
    const journal = readJournal(join(planDir, key, 'journal.ndjson'));
    const uncertain = new Set<string>();
    for (const [day, state] of journal.days) for (const v of state.uncertain) uncertain.add(`${day}#${v}`);
    const totals = summary.targets[0]!.totals;
    // the kill came while batches were in flight (answers take 40 ms): their visits are uncertain
    expect(uncertain.size).toBeGreaterThan(0);
    expect(totals.visitsUncertain).toBe(uncertain.size);
    expect(totals.priorVisits! + totals.visitsAcked! + uncertain.size).toBe(150);
    expect(resume.stdout).toContain(`warning: ${uncertain.size} visit(s) uncertain`);
    // the resume sent no hit of an uncertain visit and nothing twice: checked on the sink below

    const idle = await runCli(args('backfill', sink.tracker, [...WINDOW, '--resume']), { cwd: dir });
    expect(idle.code).toBe(0);
    expect(idle.stderr).toMatch(/nothing left to resume .*: \d+ of 150 visits acknowledged/);

    const resend = await runCli(args('backfill', sink.tracker, [...WINDOW, '--resume', '--resend-uncertain']), { cwd: dir });
    expect(resend.code, resend.stdout + resend.stderr).toBe(0);
    expect(resend.stdout).toMatch(/3\/3 complete/);

    const { summary: sinkSummary, recorded } = await sink.stop();
    // every planned hit recorded; a hit recorded twice belongs to a visit reported uncertain
    const counts = new Map<string, number>();
    for (const h of recorded) counts.set(hitKey(h.params), (counts.get(hitKey(h.params)) ?? 0) + 1);
    for (const h of planned) expect(counts.get(hitKey(h.params)) ?? 0).toBeGreaterThanOrEqual(1);
    let twice = 0;
    for (const [k, n] of counts) {
      expect(visitOf.has(k)).toBe(true);
      expect(n).toBeLessThanOrEqual(2);
      if (n === 2) {
        twice++;
        expect(uncertain.has(visitOf.get(k)!)).toBe(true);
      }
    }
    expect(sinkSummary.hits.duplicates).toBe(twice);
    expect(sinkSummary.hits.recorded).toBe(planned.length + twice);
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
