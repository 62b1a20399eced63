import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { parseNdjson } from '../helpers/backfill.js';
import { accessLogSize, archive, newSite, plannedDays, realMatomo, reportedDays, tracker500s, window, workDirWithToken, type RealMatomo } from './harness.js';

/**
 * Two shards of one backfill, sent at once from two processes into a real Matomo 5.0.2 (npm run
 * test:matomo). Each process sends its own first batch of a date alone, but nothing orders one
 * process's first batch against the other's: both can create the day's fingerprint-salt row at
 * the same time, the collision that makes Matomo 5.0.2 deadlock and answer 500 after a partial
 * commit. Reconciliation with the raw log is then the only guard, and this test counts the 500s
 * (from the harness's nginx log) and judges the days by Matomo's archived reports.
 */
const m = realMatomo() as RealMatomo;
const ZONE = 'Europe/Stockholm';

describe('a 2-shard backfill into a real Matomo 5.0.2, both shards at once', () => {
  it('counts the 500s, and every day is exact after archiving', async () => {
    const site = await newSite(m, ZONE, 'test:matomo two shards');
    const w = window(120, 6);
    const dir = workDirWithToken(m);
    const args = [
      '--url', m.tracker, '--site-id', String(site), '--token-auth-file', 'token.txt', '--preset', 'medium',
      '--timezone', ZONE, '--seed', '31', '--max-visits-per-day', '80', '--from', w.from, '--to', w.to,
    ];
    const dry = await runCli(['backfill', ...args, '--dry-run'], { cwd: dir });
    expect(dry.code, dry.stderr).toBe(0);
    const planned = plannedDays(parseNdjson(dry.stdout));

    const before = accessLogSize(m);
    const shards = await Promise.all(
      [0, 1].map((i) =>
        runCli(['backfill', ...args, '--shard', `${i}/2`, '--state-dir', join(dir, `state-${i}`), '--summary-json', `shard-${i}.json`, '--quiet'], { cwd: dir }),
      ),
    );
    for (const r of shards) expect(r.code, r.stdout + r.stderr).toBe(0);
    const totals = [0, 1].map((i) => (JSON.parse(readFileSync(join(dir, `shard-${i}.json`), 'utf8')) as { targets: Array<{ totals: Record<string, number> }> }).targets[0]!.totals);
    const sum = (key: string): number => totals.reduce((n, t) => n + t[key]!, 0);
    console.log(`two shards at once: ${sum('sent')} hits sent, ${tracker500s(m, before) ?? 'unknown (no harness log)'} answers 500, ${sum('reconciled')} hits reconciled, ${sum('resentAfterReconcile')} resent after reconciling`);

    const verify = await runCli(['verify', ...args, '--state-dir', dir], { cwd: dir });
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toContain('(the union of 2 shards)');
    if (!archive(m, w.from, w.to)) return;
    const reported = await reportedDays(m, site, w);
    for (const date of w.dates) expect({ date, ...reported.get(date) }).toEqual({ date, ...(planned.get(date) ?? { visits: 0, actions: 0 }) });
  });
});
