import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { parseNdjson } from '../helpers/backfill.js';
import { api, archive, newSite, realMatomo, window, workDirWithToken, type RealMatomo } from './harness.js';

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
const ACTION_TYPES = new Set(['pageview', 'search', 'outlink', 'download', 'event']);

/** Tracker answers with status 500 written to the harness's nginx log after byte `from`. */
function tracker500s(from: number): number | undefined {
  if (!m.harnessDir) return undefined;
  const log = join(m.harnessDir, 'logs', 'nginx-access.log');
  if (!existsSync(log)) return undefined;
  const text = readFileSync(log).subarray(from).toString('utf8');
  return text.split('\n').filter((line) => /"POST \/matomo\.php[^"]*" 500 /.test(line)).length;
}

function logSize(): number {
  const log = m.harnessDir ? join(m.harnessDir, 'logs', 'nginx-access.log') : '';
  return log && existsSync(log) ? statSync(log).size : 0;
}

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
    const planned = new Map<string, { visits: Set<number>; actions: number }>();
    for (const h of parseNdjson<{ day: string; visit: number; type: string }>(dry.stdout)) {
      const d = planned.get(h.day) ?? { visits: new Set<number>(), actions: 0 };
      planned.set(h.day, d);
      d.visits.add(h.visit);
      if (ACTION_TYPES.has(h.type)) d.actions++;
    }

    const before = logSize();
    const shards = await Promise.all(
      [0, 1].map((i) =>
        runCli(['backfill', ...args, '--shard', `${i}/2`, '--state-dir', join(dir, `state-${i}`), '--summary-json', `shard-${i}.json`, '--quiet'], { cwd: dir }),
      ),
    );
    for (const r of shards) expect(r.code, r.stdout + r.stderr).toBe(0);
    const totals = [0, 1].map((i) => (JSON.parse(readFileSync(join(dir, `shard-${i}.json`), 'utf8')) as { targets: Array<{ totals: Record<string, number> }> }).targets[0]!.totals);
    const sent = totals.reduce((n, t) => n + t.sent!, 0);
    const reconciled = totals.reduce((n, t) => n + t.reconciled!, 0);
    const resent = totals.reduce((n, t) => n + t.resentAfterReconcile!, 0);
    console.log(`two shards at once: ${sent} hits sent, ${tracker500s(before) ?? 'unknown (no harness log)'} answers 500, ${reconciled} hits reconciled, ${resent} resent after reconciling`);

    const verify = await runCli(['verify', ...args, '--state-dir', dir], { cwd: dir });
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toContain('(the union of 2 shards)');
    if (!archive(m, w.from, w.to)) return;
    const summary = (await api(m, 'VisitsSummary.get', { idSite: String(site), period: 'day', date: `${w.from},${w.to}` })) as Record<string, { nb_visits?: number; nb_actions?: number } | []>;
    for (const date of w.dates) {
      const s = summary[date];
      const got = Array.isArray(s) || s === undefined ? { visits: 0, actions: 0 } : { visits: Number(s.nb_visits ?? 0), actions: Number(s.nb_actions ?? 0) };
      const want = planned.get(date);
      expect({ date, ...got }).toEqual({ date, visits: want?.visits.size ?? 0, actions: want?.actions ?? 0 });
    }
  });
});
