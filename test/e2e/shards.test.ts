import { afterEach, describe, expect, it } from 'vitest';
import { copyFileSync, rmSync } from 'node:fs';
import type { BackfillSummary } from '../../src/report/backfill-summary.js';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { args, hitKey, killSinks, parseNdjson, startSink, workDir, type DryHit } from '../helpers/backfill.js';

afterEach(killSinks);

/**
 * Deterministic shards (issue 16): the n shards' dry runs together are the unsharded dry run, hit
 * for hit; and n processes of one Indexed Job (JOB_COMPLETION_INDEX 0..n-1, --shard auto/n) sending
 * into one sink record exactly the unsharded plan, no hit twice.
 */
const WINDOW = ['--from', '2026-01-05', '--to', '2026-01-08', '--max-visits-per-day', '30', '--returning-share', '0.5', '--visitor-pool', '9'];
const sortedLines = (text: string): string[] => text.split('\n').filter((l) => l).sort();
/** A visitor as Matomo keys it: the uid when one is sent, else _id. */
const visitorOf = (params: Record<string, string>): string => params.uid ?? params._id ?? '';

describe('shards: the union of the shards is the unsharded run', () => {
  it('backfill --dry-run: for n = 1, 2, 3 the shards print the unsharded hits, byte for byte, each once; a visitor stays in one shard', async () => {
    const dir = workDir();
    const tracker = 'http://127.0.0.1:9/matomo.php';
    const all = await runCli([...args('backfill', tracker, WINDOW), '--dry-run'], { cwd: dir });
    expect(all.code, all.stderr).toBe(0);
    const whole = sortedLines(all.stdout);
    expect(whole.length).toBeGreaterThan(300);
    // Returning visitors are on: some visitors come back on a later day.
    const visitsOf = new Map<string, Set<string>>();
    for (const h of parseNdjson<DryHit>(all.stdout)) visitsOf.set(visitorOf(h.params), (visitsOf.get(visitorOf(h.params)) ?? new Set()).add(`${h.day}|${h.visit}`));
    expect([...visitsOf.values()].filter((v) => v.size > 1).length).toBeGreaterThan(5);
    for (const n of [1, 2, 3]) {
      const parts = await Promise.all(Array.from({ length: n }, (_, i) => runCli([...args('backfill', tracker, WINDOW), '--dry-run', '--shard', `${i}/${n}`], { cwd: dir })));
      for (const p of parts) expect(p.code, p.stderr).toBe(0);
      expect(parts.flatMap((p) => sortedLines(p.stdout)).sort()).toEqual(whole);
      if (n > 1) for (const p of parts) expect(sortedLines(p.stdout).length).toBeLessThan(whole.length);
      const owner = new Map<string, number>();
      parts.forEach((p, i) => {
        for (const h of parseNdjson<DryHit>(p.stdout)) expect(owner.set(visitorOf(h.params), owner.get(visitorOf(h.params)) ?? i).get(visitorOf(h.params))).toBe(i);
      });
    }
  });

  it('run --dry-run --now: for n = 1, 2, 3 the shards print the unsharded hits of the same schedule; a pool visitor stays in one shard', async () => {
    const run = ['run', '--dry-run', '--seed', '5', '--max-visits', '90', '--now', '2026-03-01T12:00:00Z', '--visitor-pool', '7', '--returning-share', '0.5'];
    const all = await runCli(run);
    expect(all.code, all.stderr).toBe(0);
    const whole = sortedLines(all.stdout);
    expect(all.stderr).toContain('dry run: 90 visits');
    for (const n of [1, 2, 3]) {
      const parts = await Promise.all(Array.from({ length: n }, (_, i) => runCli([...run, '--shard', `${i}/${n}`])));
      for (const p of parts) expect(p.code, p.stderr).toBe(0);
      expect(parts.flatMap((p) => sortedLines(p.stdout)).sort()).toEqual(whole);
      const owner = new Map<string, number>();
      parts.forEach((p, i) => {
        for (const h of parseNdjson<DryHit>(p.stdout)) expect(owner.set(visitorOf(h.params), owner.get(visitorOf(h.params)) ?? i).get(visitorOf(h.params))).toBe(i);
      });
    }
    // auto/n reads the index only when asked, and TRAFFICINATOR_SHARD asks too.
    const auto = await runCli(run, { env: { TRAFFICINATOR_SHARD: 'auto/3', JOB_COMPLETION_INDEX: '2' } });
    const fixed = await runCli([...run, '--shard', '2/3']);
    expect(auto.stdout).toBe(fixed.stdout);
  });

  it('a bad shard is one line and exit 2: auto/n without or with a wrong JOB_COMPLETION_INDEX, i >= n', async () => {
    const run = ['run', '--dry-run', '--seed', '5', '--max-visits', '3', '--now', '2026-03-01T12:00:00Z'];
    const cases: Array<[string[], Record<string, string>, RegExp]> = [
      [['--shard', 'auto/3'], {}, /^error: shard: auto\/3 reads the index from JOB_COMPLETION_INDEX, which is not set/],
      [['--shard', 'auto/3'], { JOB_COMPLETION_INDEX: '3' }, /^error: shard: JOB_COMPLETION_INDEX is "3", not a whole number from 0 to 2/],
      [['--shard', '3/3'], {}, /^error: shard: the index i of i\/n must be below n/],
      [['--shard', 'one/3'], {}, /^error: shard: expected i\/n/],
    ];
    for (const [extra, env, message] of cases) {
      const r = await runCli([...run, ...extra], { env });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
    const unseeded = await runCli(['run', '--dry-run', '--max-visits', '3', '--shard', '0/2']);
    expect(unseeded.code).toBe(2);
    expect(unseeded.stderr).toMatch(/^error: shard: the 2 shards must plan the same visits: give every shard the same --seed/m);
    const capacity = await runCli(['capacity', '--url', 'http://127.0.0.1:9/matomo.php', '--site-id', '1', '--shard', '0/2', '--yes'], { env: { MATOMO_TOKEN_AUTH: 'x' } });
    expect(capacity.code).toBe(2);
    expect(capacity.stderr).toMatch(/^error: shard: capacity measures what one process and its target sustain; run it without --shard/m);
  });
});

describe('shards: a local Indexed Job', () => {
  it('3 processes with JOB_COMPLETION_INDEX 0..2 and --shard auto/3 --resume-or-start record exactly the unsharded dry run in one sink', async () => {
    const dir = workDir();
    const sink = await startSink(dir);
    const planned = await runCli([...args('backfill', sink.tracker, WINDOW), '--dry-run'], { cwd: dir });
    expect(planned.code, planned.stderr).toBe(0);
    const plannedHits = parseNdjson<DryHit>(planned.stdout);
    const job = (i: number, extra: string[] = []): Promise<Awaited<ReturnType<typeof runCli>>> =>
      runCli(
        [...args('backfill', sink.tracker, [...WINDOW, '--bulk-size', '20']), '--shard', 'auto/3', '--resume-or-start', '--state-dir', join(dir, `state-${i}`), '--summary-json', `shard-${i}.json`, ...extra],
        { cwd: dir, env: { JOB_COMPLETION_INDEX: String(i) } },
      );
    const shards = await Promise.all([0, 1, 2].map((i) => job(i)));
    for (const r of shards) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/--resume-or-start: no stored plan of .*: starting it/);
      expect(r.stderr).toMatch(/\(shard [0-2]\/3\): sending \d+ visit/);
    }
    for (const i of [0, 1, 2]) copyFileSync(join(dir, `shard-${i}.json`), join(dir, `first-${i}.json`));
    // A restarted pod carries on: its plan is complete, nothing is sent twice.
    const restarted = await job(1);
    expect(restarted.code, restarted.stderr).toBe(0);
    expect(restarted.stderr).toMatch(/--resume-or-start: resuming the stored plan of/);
    expect(restarted.stderr).toMatch(/nothing left to resume/);
    // --resume with another n is refused in one line.
    const other = await runCli([...args('backfill', sink.tracker, WINDOW), '--shard', '1/2', '--resume', '--state-dir', join(dir, 'state-1')], { cwd: dir });
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/^error: --resume: the stored plan \w+ in .* is shard 1\/3, this run is shard 1\/2: resume with the same --shard/);
    expect(other.stderr.trim().split('\n')).toHaveLength(1);

    // verify reads every shard's state directory under the parent and compares Matomo with the union.
    const verify = await runCli([...args('verify', sink.tracker, WINDOW), '--state-dir', dir], { cwd: dir });
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toContain('(the union of 3 shards)');
    expect(verify.stdout).toContain('All 4 day(s) match the plan.');
    rmSync(join(dir, 'state-2'), { recursive: true });
    const partial = await runCli([...args('verify', sink.tracker, WINDOW), '--state-dir', dir], { cwd: dir });
    expect(partial.code).toBe(2);
    expect(partial.stderr).toMatch(/^error: verify: .* the backfill in 3 shards has no plan of shard\(s\) 2 under /);

    const { summary, recorded } = await sink.stop();
    expect(summary.hits.recorded).toBe(plannedHits.length);
    expect(summary.hits.duplicates).toBe(0);
    expect(summary.hits.rejected).toBe(0);
    expect(recorded.map((h) => hitKey(h.params)).sort()).toEqual(plannedHits.map((h) => hitKey(h.params)).sort());

    // report merges the shards' summaries into one that agrees with the sink; after the restart,
    // shard 1's summary counts what the first attempt sent as visits acknowledged before.
    const report = async (files: string[]) => {
      const r = await runCli(['report', ...files, '--json'], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as BackfillSummary).targets[0]!;
    };
    const first = await report(['first-0.json', 'first-1.json', 'first-2.json']);
    expect(first.plans.map((p) => p.shard)).toEqual([0, 1, 2].map((index) => ({ index, count: 3 })));
    expect(first.totals.sent).toBe(summary.hits.recorded);
    expect(first.totals.tracked).toBe(summary.hits.recorded);
    const after = await report(['shard-0.json', 'shard-1.json', 'shard-2.json']);
    expect(after.totals.sent).toBeLessThan(first.totals.sent);
    expect(after.totals.priorVisits + after.totals.visitsAcked).toBe(first.totals.plannedVisits);
    expect(after.totals.complete).toBe(4);
  });
});
