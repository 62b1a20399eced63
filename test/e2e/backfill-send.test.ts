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
    expect(r.stdout).toContain('trafficinator verify --state-dir .trafficinator --plan ');
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

  it('503 with Retry-After: retried; exact counts, nothing lost, nothing twice', async () => {
    const dir = workDir();
    const sink = await startSink(dir, ['--fail-rate', '0.3', '--fail-status', '503', '--fault-seed', '3']);
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
    expect(totals.reconciled).toBe(0);
    expect(totals.sent! + totals.resent!).toBe(planned.length + failedHits);
    // No concurrency set by the user: backfill's own default of batches in flight, not run's 50.
    expect((JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { settings: { concurrency: number } }).settings.concurrency).toBe(4);
  });

  it.each([
    { why: 'a 500 that stored nothing: reconciled, all of it resent', faults: ['--fail-rate', '0.3', '--fail-status', '500'] },
    // Matomo 5.0.2 after a deadlock: part of the batch stored, 500 anyway; the resend succeeds.
    { why: 'a 500 after a partial commit: reconciled, only the missing hits resent', faults: ['--partial-commit-rate', '0.4', '--partial-commit-attempts', '1'] },
  ])('$why; every planned hit recorded exactly once', async ({ faults }) => {
    const dir = workDir();
    const sink = await startSink(dir, [...faults, '--fault-seed', '3']);
    const planned = (await dryRun(dir, sink.tracker, WINDOW)).hits;
    const r = await runCli([...args('backfill', sink.tracker, [...WINDOW, '--bulk-size', '20']), '--summary-json', 'summary.json'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const { summary, recorded } = await sink.stop();
    const totals = summaryOf(dir).targets[0]!.totals;
    expect(summary.statusCodes['500']).toBeGreaterThan(0);
    // Each 500'd batch was checked against the raw log, and only what it lacked went out again.
    expect(totals.reconciled).toBeGreaterThan(0);
    expect(totals.resentAfterReconcile).toBeGreaterThan(0);
    expect(totals.resentAfterReconcile).toBeLessThanOrEqual(totals.reconciled!);
    expect(totals.possiblyDuplicated).toBe(0);
    expect(summary.hits.duplicates).toBe(0);
    const counts = new Map<string, number>();
    for (const h of recorded) counts.set(hitKey(h.params), (counts.get(hitKey(h.params)) ?? 0) + 1);
    // Every planned hit once, but a lost cart update whose visit's later cart or order is stored:
    // Matomo keeps only a visit's last cart, so resending it would roll the cart back.
    const superseded = planned.filter((h) => !counts.has(hitKey(h.params)));
    for (const h of superseded) {
      expect(h.type).toBe('cart');
      const later = planned.filter((o) => o.day === h.day && o.visit === h.visit && o.hit > h.hit && (o.type === 'cart' || o.type === 'ecommerce'));
      expect(later.some((o) => counts.get(hitKey(o.params)) === 1)).toBe(true);
    }
    for (const h of planned) if (!superseded.includes(h)) expect(counts.get(hitKey(h.params))).toBe(1);
    expect(summary.hits.recorded).toBe(planned.length - superseded.length);
    expect(r.stdout).toMatch(/\d+ reconciled with Matomo's raw log, \d+ of them missing and resent/);
  });

  it("refuses a site whose time zone cuts days differently (exit 2, one line naming --timezone), and sends nothing", async () => {
    const dir = workDir();
    // A later --timezone wins: the sink's sites are in UTC, the backfill cuts CET days.
    const sink = await startSink(dir, ['--timezone', 'UTC']);
    const r = await runCli(args('backfill', sink.tracker, WINDOW), { cwd: dir });
    expect(r.code).toBe(2);
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('error:'));
    expect(errors, r.stderr).toHaveLength(1);
    expect(errors[0]).toMatch(/site timezone UTC .* differs from timezone CET .*pass --timezone UTC\. Nothing was sent/);
    // With the site's own zone, as the message says: accepted.
    const ok = await runCli(args('backfill', sink.tracker, [...WINDOW, '--timezone', 'UTC', '--max-visits-per-day', '3']), { cwd: dir });
    expect(ok.code, ok.stderr).toBe(0);
    const { summary } = await sink.stop();
    expect(summary.hits.received).toBeGreaterThan(0);
  });

  it('verify names the visitors a forced rerun duplicated; --repair without a terminal asks for --yes and deletes nothing', async () => {
    const dir = workDir();
    const sink = await startSink(dir);
    const small = [...WINDOW, '--to', '2026-01-05', '--max-visits-per-day', '4'];
    expect((await runCli(args('backfill', sink.tracker, small), { cwd: dir })).code).toBe(0);
    const forced = await runCli(args('backfill', sink.tracker, [...small, '--force']), { cwd: dir });
    expect(forced.code, forced.stderr).toBe(0);
    const verify = await runCli(args('verify', sink.tracker, small), { cwd: dir });
    expect(verify.code).toBe(3);
    expect(verify.stdout).toMatch(/2026-01-05: 4 visitor\(s\) recorded more than planned \(duplicated hits\)/);
    expect(verify.stdout).toMatch(/^ {2}[0-9a-f]{16} {2}1\/2 /m);
    const json = JSON.parse((await runCli([...args('verify', sink.tracker, small), '--json'], { cwd: dir })).stdout) as {
      targets: Array<{ duplicates: Array<{ date: string; damaged: Array<{ visitorId: string; visits: unknown[] }> }> }>;
    };
    expect(json.targets[0]!.duplicates[0]!.damaged).toHaveLength(4);
    const repair = await runCli([...args('verify', sink.tracker, small), '--repair'], { cwd: dir });
    expect(repair.code).toBe(2);
    expect(repair.stderr).toMatch(/verify --repair: would delete 8 visit\(s\); stdin is not a terminal, so add --yes/);
    const { summary } = await sink.stop();
    expect(summary.requests.api).toBeGreaterThan(0);
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
  it('refuses without --no-reporting-api (exit 2, nothing sent); with it records partial answers and --retry-failed resends the named invalid hits once', async () => {
    const dir = workDir();
    let rejectFirstOfBulk = true;
    const fake = await fakeTracker((bulk) => {
      if (rejectFirstOfBulk) {
        return { status: 200, body: JSON.stringify({ status: 'success', tracked: bulk.length - 1, invalid: 1, invalid_indices: [0] }) };
      }
      return { status: 200, body: JSON.stringify({ status: 'success', tracked: bulk.length, invalid: 0 }) };
    });
    try {
      const plain = ['--from', '2026-01-05', '--to', '2026-01-05', '--max-visits-per-day', '20', '--bulk-size', '10', '--concurrency', '1'];
      const refused = await runCli(args('backfill', fake.tracker, plain), { cwd: dir });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/no Matomo Reporting API answers at http:\/\/127\.0\.0\.1:\d+\/index\.php .*pass --no-reporting-api/);
      expect(refused.stderr.split('\n').filter((l) => l.startsWith('error:')), refused.stderr).toHaveLength(1);
      expect(refused.stderr).not.toMatch(/^\s+at /m);
      expect(fake.bulks).toHaveLength(0);

      const window = [...plain, '--no-reporting-api'];
      const r = await runCli([...args('backfill', fake.tracker, window), '--summary-json', 'summary.json'], { cwd: dir });
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/--no-reporting-api: no check of existing visits/);
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
      const window = ['--from', '2026-01-05', '--to', '2026-01-05', '--max-visits-per-day', '10', '--no-reporting-api'];
      const r = await runCli([...args('backfill', fake.tracker, window), '--summary-json', 'summary.json'], { cwd: dir });
      expect(r.code).toBe(3);
      expect(r.stdout).toMatch(/2 invalid hit\(s\) not named by Matomo .*super-user token.*cannot be resent/);
      expect(summaryOf(dir).targets[0]!.totals).toMatchObject({ invalid: 2, invalidUnnamed: 2 });
    } finally {
      await fake.close();
    }
  });
});
