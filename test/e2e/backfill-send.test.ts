import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { args, dryRun, fakeTracker, hitKey, startSink, TOKEN, workDir, killSinks } from '../helpers/backfill.js';

afterEach(killSinks);

const WINDOW = ['--from', '2026-01-05', '--to', '2026-01-07'];

interface Summary {
  exitCode: number;
  targets: Array<{ totals: Record<string, number>; days: Array<Record<string, number | string>> }>;
}
const summaryOf = (dir: string): Summary => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Summary;

describe('backfill into the sink (end to end)', () => {
  it.each([
    { why: 'bulk (default 100)', extra: [] as string[] },
    { why: 'single hits (--bulk-size 1)', extra: ['--bulk-size', '1'] },
  ])('$why: records exactly the planned hits once, each visit in order; verify matches; a second run is refused', async ({ extra }) => {
    const dir = workDir();
    const sink = await startSink(dir);
    const planned = (await dryRun(dir, sink.tracker, WINDOW)).hits;
    const r = await runCli([...args('backfill', sink.tracker, [...WINDOW, ...extra]), '--summary-json', 'summary.json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/total\s+150\s+\d+\s+\d+\s+\d+\s+0\s+0\s+0\s+3\/3 complete/);
    expect(r.stdout).toContain('core:archive');
    expect(r.stdout).toContain('trafficinator verify --from 2026-01-05 --to 2026-01-07 --seed 7');
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
    expect(r.stderr).toMatch(/^2026-01-0[5-7]: \d+ tracked of \d+ sent/m);
    const s = summaryOf(dir);
    expect(s.targets[0]!.totals).toMatchObject({ plannedVisits: 150, hits: planned.length, sent: planned.length, tracked: planned.length, resent: 0 });

    const verify = await runCli(args('verify', sink.tracker, WINDOW), { cwd: dir });
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toContain('All 3 day(s) match the plan.');

    const again = await runCli(args('backfill', sink.tracker, WINDOW), { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/days already backfilled .*\n\s+2026-01-05, 2026-01-06, 2026-01-07 .*complete: use --force/);

    const { summary, recorded } = await sink.stop();
    expect(summary.hits.recorded).toBe(planned.length);
    expect(summary.hits.duplicates).toBe(0);
    expect(summary.hits.rejected).toBe(0);
    expect(recorded.map((h) => hitKey(h.params)).sort()).toEqual(planned.map((h) => hitKey(h.params)).sort());
    if (extra.length) {
      expect(summary.requests.tracker).toBe(planned.length);
      expect(summary.requests.bulk).toBe(0);
    } else {
      expect(summary.requests.bulk).toBeGreaterThanOrEqual(Math.ceil(planned.length / 100));
      expect(summary.requests.tracker).toBe(0);
    }
    // per-visit order: each visit's hits arrive in the order (and time order) of the plan (a
    // returning visitor has visits on several days: the visit is its day and index)
    const planOrder = new Map(planned.map((h) => [hitKey(h.params), { n: h.hit, visit: `${h.day}|${h.visit}` }]));
    const lastHit = new Map<string, number>();
    for (const h of recorded) {
      const { n, visit } = planOrder.get(hitKey(h.params))!;
      expect(n).toBeGreaterThan(lastHit.get(visit) ?? -1);
      lastHit.set(visit, n);
    }
  });

  it.each([
    { why: '500: the bulk was rolled back, resent whole', status: '500' },
    { why: '503 with Retry-After: retried', status: '503' },
  ])('$why; exact counts, nothing lost, nothing twice', async ({ status }) => {
    const dir = workDir();
    const sink = await startSink(dir, ['--fail-rate', '0.3', '--fail-status', status, '--fault-seed', '3']);
    const planned = (await dryRun(dir, sink.tracker, WINDOW)).hits;
    const r = await runCli([...args('backfill', sink.tracker, [...WINDOW, '--bulk-size', '20']), '--summary-json', 'summary.json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const { summary } = await sink.stop();
    const totals = summaryOf(dir).targets[0]!.totals;
    expect(summary.faults.failed).toBeGreaterThan(0);
    // every injected failure made the backfill resend its batch once, hit for hit
    const failedHits = totals.resent!;
    expect(failedHits).toBeGreaterThan(0);
    // failed requests recorded nothing: every planned hit arrived exactly once where it counted
    expect(summary.hits.received).toBe(planned.length);
    expect(summary.hits.recorded).toBe(planned.length);
    expect(summary.hits.duplicates).toBe(0);
    expect(totals.tracked).toBe(planned.length);
    expect(totals.sent! + totals.resent!).toBe(planned.length + failedHits);
  });

  it('refuses days that already hold visits (Live API) with exit 2 and sends nothing; --force sends', async () => {
    const dir = workDir();
    const sink = await startSink(dir);
    const pre = await fetch(sink.tracker, {
      method: 'POST',
      body: JSON.stringify({ requests: ['?idsite=1&rec=1&url=http%3A%2F%2Fexample.test%2F&_id=0123456789abcdef&cdt=2026-01-06+12%3A00%3A00'], token_auth: TOKEN }),
    });
    expect(await pre.json()).toMatchObject({ tracked: 1 });
    const r = await runCli(args('backfill', sink.tracker, WINDOW), { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/already holds visits on 2026-01-06 \(Matomo's raw logs/);
    expect(r.stderr).toContain('--force');
    const forced = await runCli(args('backfill', sink.tracker, [...WINDOW, '--force']), { cwd: dir });
    expect(forced.code, forced.stderr).toBe(0);
    const { summary } = await sink.stop();
    expect(summary.requests.bulk).toBeGreaterThan(1);
    const planned = (await dryRun(dir, sink.tracker, WINDOW)).hits.length;
    expect(summary.hits.recorded).toBe(planned + 1);
  });

  it('refuses a missing token before sending anything (exit 2)', async () => {
    const dir = workDir();
    const sink = await startSink(dir);
    const r = await runCli(['backfill', '--url', sink.tracker, '--site-id', '1', ...WINDOW, '--seed', '1'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/tokenAuth: missing/);
    const { summary } = await sink.stop();
    expect(summary.requests.bulk + summary.requests.tracker + summary.requests.api).toBe(0);
  });
});

describe('backfill against a tracker-only target (end to end)', () => {
  it('warns that no Reporting API answers, then records partial answers and --retry-failed resends the named invalid hits once', async () => {
    const dir = workDir();
    let rejectFirstOfBulk = true;
    const fake = await fakeTracker((bulk) => {
      if (rejectFirstOfBulk) {
        return { status: 200, body: JSON.stringify({ status: 'success', tracked: bulk.length - 1, invalid: 1, invalid_indices: [0] }) };
      }
      return { status: 200, body: JSON.stringify({ status: 'success', tracked: bulk.length, invalid: 0 }) };
    });
    try {
      const window = ['--from', '2026-01-05', '--to', '2026-01-05', '--max-visits-per-day', '20', '--bulk-size', '10', '--concurrency', '1'];
      const r = await runCli([...args('backfill', fake.tracker, window), '--summary-json', 'summary.json'], { cwd: dir });
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/warning: no Matomo Reporting API answers at http:\/\/127\.0\.0\.1:\d+\/index\.php/);
      const bulks = fake.bulks.length;
      const totals = summaryOf(dir).targets[0]!.totals;
      expect(totals.invalid).toBe(bulks);
      expect(r.stdout).toMatch(/warning: \d+ hit\(s\) in the dead-letter file .*: resend with --retry-failed/);
      // the rejected hits (first of each bulk) are what the dead-letter file holds
      const rejected = fake.bulks.map((b) => hitKey(b[0]!));

      const resume = await runCli(args('backfill', fake.tracker, [...window, '--resume']), { cwd: dir });
      expect(resume.code).toBe(3);
      expect(resume.stderr).toMatch(/nothing left to resume .*failed \(resend with --retry-failed\)/);

      rejectFirstOfBulk = false;
      const before = fake.bulks.length;
      const retry = await runCli([...args('backfill', fake.tracker, [...window, '--retry-failed']), '--summary-json', 'summary.json'], { cwd: dir });
      expect(retry.code, retry.stdout + retry.stderr).toBe(0);
      const resent = fake.bulks.slice(before).flat().map(hitKey);
      expect(resent.sort()).toEqual([...rejected].sort());
      expect(summaryOf(dir).targets[0]!.totals.tracked).toBe(rejected.length);

      const again = await runCli(args('backfill', fake.tracker, [...window, '--retry-failed']), { cwd: dir });
      expect(again.code).toBe(0);
      expect(again.stderr).toContain('no hit to resend');
      expect(fake.bulks.length).toBe(before + Math.ceil(rejected.length / 10));
    } finally {
      await fake.close();
    }
  });

  it('says which case applies when Matomo does not name the invalid hits (exit 3)', async () => {
    const dir = workDir();
    const fake = await fakeTracker((bulk) => ({ status: 200, body: JSON.stringify({ status: 'success', tracked: bulk.length - 2, invalid: 2 }) }));
    try {
      const window = ['--from', '2026-01-05', '--to', '2026-01-05', '--max-visits-per-day', '10'];
      const r = await runCli([...args('backfill', fake.tracker, window), '--summary-json', 'summary.json'], { cwd: dir });
      expect(r.code).toBe(3);
      expect(r.stdout).toMatch(/2 invalid hit\(s\) not named by Matomo .*super-user token.*cannot be resent/);
      expect(summaryOf(dir).targets[0]!.totals).toMatchObject({ invalid: 2, invalidUnnamed: 2 });
    } finally {
      await fake.close();
    }
  });
});
