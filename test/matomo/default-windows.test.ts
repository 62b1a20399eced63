import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { parseNdjson } from '../helpers/backfill.js';
import { api, archive, newSite, realMatomo, window, workDirWithToken, type RealMatomo } from './harness.js';

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
const ACTION_TYPES = new Set(['pageview', 'search', 'outlink', 'download', 'event']);
const WINDOWS = Number(process.env.MATOMO_WINDOWS ?? 1);

const accessLog = (): string => (m.harnessDir ? join(m.harnessDir, 'logs', 'nginx-access.log') : '');
const logSize = (): number => (existsSync(accessLog()) ? statSync(accessLog()).size : 0);
function tracker500s(from: number): number | undefined {
  if (!existsSync(accessLog())) return undefined;
  const text = readFileSync(accessLog()).subarray(from).toString('utf8');
  return text.split('\n').filter((line) => /"POST \/matomo\.php[^"]*" 500 /.test(line)).length;
}

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
    const planned = new Map<string, { visits: Set<number>; actions: number }>();
    for (const h of parseNdjson<{ day: string; visit: number; type: string }>(dry.stdout)) {
      const d = planned.get(h.day) ?? { visits: new Set<number>(), actions: 0 };
      planned.set(h.day, d);
      d.visits.add(h.visit);
      if (ACTION_TYPES.has(h.type)) d.actions++;
    }

    const before = logSize();
    const r = await runCli(['backfill', ...args, '--summary-json', 'summary.json', '--quiet'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const explain = await runCli(['config', '--explain', ...args], { cwd: dir });
    const workers = /^workers\s+(\d+)/m.exec(explain.stdout)?.[1] ?? '?';
    const totals = (JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { targets: Array<{ totals: Record<string, number> }> }).targets[0]!.totals;
    console.log(`window ${n}: ${workers} worker(s), ${totals.sent} hits sent, ${tracker500s(before) ?? '?'} answers 500, ${totals.reconciled} reconciled, ${totals.resentAfterReconcile} resent after reconciling`);

    const verify = await runCli(['verify', ...args], { cwd: dir });
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
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
