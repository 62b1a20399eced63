import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { parseNdjson } from '../helpers/backfill.js';
import { accessLogSize, archive, newSite, plannedDays, realMatomo, reportedDays, tracker500s, window, workDirWithToken, type RealMatomo } from './harness.js';

/**
 * Exactly once at the default settings, window after window (npm run test:matomo; MATOMO_WINDOWS
 * sets how many, default 1). Each window is a new site, so its dates have no fingerprint salt yet:
 * the first batches of every date create them, where Matomo 5.0.2 can deadlock. 400 visits a day
 * over 6 days is a plan large enough (2,400 visits) for backfill's default worker threads. Each
 * window's 500s (the harness's nginx log) and reconciled hits are printed; each day must match the
 * plan in Matomo's archived reports.
 */
const m = realMatomo() as RealMatomo;
const ZONE = 'Europe/Stockholm';
const WINDOWS = Number(process.env.MATOMO_WINDOWS ?? 1);

describe('backfill at the default settings into a real Matomo 5.0.2, fresh windows', () => {
  it.each(Array.from({ length: WINDOWS }, (_, i) => i + 1))('window %i: every day exact after archiving', async (n) => {
    const site = await newSite(m, ZONE, `test:matomo default window ${n}`);
    const w = window(150, 6);
    const dir = workDirWithToken(m);
    const args = [
      '--url', m.tracker, '--site-id', String(site), '--token-auth-file', 'token.txt', '--preset', 'medium',
      '--timezone', ZONE, '--seed', String(40 + n), '--max-visits-per-day', '400', '--from', w.from, '--to', w.to,
    ];
    const dry = await runCli(['backfill', ...args, '--dry-run'], { cwd: dir });
    expect(dry.code, dry.stderr).toBe(0);
    const planned = plannedDays(parseNdjson(dry.stdout));

    const before = accessLogSize(m);
    const r = await runCli(['backfill', ...args, '--summary-json', 'summary.json', '--quiet'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const explain = await runCli(['config', '--explain', ...args], { cwd: dir });
    const workers = /^workers\s+(\d+)/m.exec(explain.stdout)?.[1] ?? '?';
    const totals = (JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { targets: Array<{ totals: Record<string, number> }> }).targets[0]!.totals;
    console.log(`window ${n}: ${workers} worker(s), ${totals.sent} hits sent, ${tracker500s(m, before) ?? '?'} answers 500, ${totals.reconciled} reconciled, ${totals.resentAfterReconcile} resent after reconciling`);

    const verify = await runCli(['verify', ...args], { cwd: dir });
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    if (!archive(m, w.from, w.to)) return;
    const reported = await reportedDays(m, site, w);
    for (const date of w.dates) expect({ date, ...reported.get(date) }).toEqual({ date, ...(planned.get(date) ?? { visits: 0, actions: 0 }) });
  });
});
