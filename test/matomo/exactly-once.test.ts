import { readFileSync, watch } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, startCli, waitForLine } from '../helpers/cli.js';
import { parseNdjson } from '../helpers/backfill.js';
import { api, archive, newSite, realMatomo, window, workDirWithToken, type RealMatomo } from './harness.js';

/**
 * Backfill into a real Matomo 5.0.2 (npm run test:matomo): exactly once at default settings, when
 * Matomo answers 500 after a partial commit, and after kill -9 then --resume. Judged by Matomo's
 * own reports after core:archive: per day, visits, actions and order revenue equal the plan.
 */
const m = realMatomo() as RealMatomo;
const ZONE = 'Europe/Stockholm';
const ACTION_TYPES = new Set(['pageview', 'search', 'outlink', 'download', 'event']);

interface Planned {
  visits: number;
  actions: number;
  revenue: number;
}

function common(site: number, w: { from: string; to: string }, perDay: number, seed: number): string[] {
  return [
    '--url', m.tracker, '--site-id', String(site), '--token-auth-file', 'token.txt', '--preset', 'medium',
    '--timezone', ZONE, '--seed', String(seed), '--max-visits-per-day', String(perDay), '--from', w.from, '--to', w.to,
  ];
}

/** Per-day visits, actions and order revenue of the plan, from its dry run. */
async function planned(dir: string, args: string[]): Promise<Map<string, Planned>> {
  const dry = await runCli(['backfill', ...args, '--dry-run'], { cwd: dir });
  expect(dry.code, dry.stderr).toBe(0);
  const days = new Map<string, Planned & { seen: Set<number> }>();
  for (const h of parseNdjson<{ day: string; visit: number; type: string; params: Record<string, string> }>(dry.stdout)) {
    let d = days.get(h.day);
    if (!d) days.set(h.day, (d = { visits: 0, actions: 0, revenue: 0, seen: new Set() }));
    if (!d.seen.has(h.visit)) {
      d.seen.add(h.visit);
      d.visits++;
    }
    if (ACTION_TYPES.has(h.type)) d.actions++;
    if (h.type === 'ecommerce') d.revenue += Number(h.params.revenue ?? 0);
  }
  return new Map([...days].map(([k, v]) => [k, { visits: v.visits, actions: v.actions, revenue: Math.round(v.revenue * 100) / 100 }]));
}

/** What Matomo's archived reports say per day. */
async function reported(site: number, w: { from: string; to: string }): Promise<Map<string, Planned>> {
  const summary = (await api(m, 'VisitsSummary.get', { idSite: String(site), period: 'day', date: `${w.from},${w.to}` })) as Record<string, { nb_visits?: number; nb_actions?: number } | []>;
  const goals = (await api(m, 'Goals.get', { idSite: String(site), period: 'day', date: `${w.from},${w.to}`, idGoal: 'ecommerceOrder' })) as Record<string, { revenue?: number } | []>;
  const out = new Map<string, Planned>();
  for (const [date, s] of Object.entries(summary)) {
    const g = goals[date];
    out.set(date, {
      visits: Array.isArray(s) ? 0 : Number(s.nb_visits ?? 0),
      actions: Array.isArray(s) ? 0 : Number(s.nb_actions ?? 0),
      revenue: Array.isArray(g) || g === undefined ? 0 : Math.round(Number(g.revenue ?? 0) * 100) / 100,
    });
  }
  return out;
}

async function expectExact(dir: string, args: string[], site: number, w: { from: string; to: string; dates: string[] }, plan: Map<string, Planned>): Promise<void> {
  const verify = await runCli(['verify', ...args], { cwd: dir });
  expect(verify.code, verify.stdout).toBe(0);
  if (!archive(m, w.from, w.to)) return;
  const got = await reported(site, w);
  for (const date of w.dates) expect({ date, ...got.get(date) }).toEqual({ date, ...(plan.get(date) ?? { visits: 0, actions: 0, revenue: 0 }) });
}

/** Resolves when the journal's last line is an in-flight line; watches the file, never sleeps. */
function journalInFlight(path: string): Promise<void> {
  return new Promise((resolve) => {
    const check = (): boolean => {
      const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
      return /"f":\[/.test(lines[lines.length - 1] ?? '');
    };
    if (check()) return resolve();
    const watcher = watch(path, () => {
      if (check()) {
        watcher.close();
        resolve();
      }
    });
  });
}

function summaryOf(dir: string): { exitCode: number; targets: Array<{ totals: Record<string, number> }> } {
  return JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
}

describe('backfill into a real Matomo 5.0.2', () => {
  it('at default settings, every day exact after archiving (visits, actions, revenue)', async () => {
    const site = await newSite(m, ZONE, 'test:matomo default');
    const w = window(40, 6);
    const dir = workDirWithToken(m);
    const args = common(site, w, 60, 11);
    const plan = await planned(dir, args);
    const r = await runCli(['backfill', ...args, '--summary-json', 'summary.json', '--quiet'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const totals = summaryOf(dir).targets[0]!.totals;
    console.log(`default: ${totals.sent} hits sent, ${totals.reconciled} reconciled, ${totals.resentAfterReconcile} resent after reconciling`);
    await expectExact(dir, args, site, w, plan);
  });

  it('when Matomo answers 500 after a partial commit (first batches not alone), reconciliation keeps every day exact', async () => {
    const site = await newSite(m, ZONE, 'test:matomo partial commit');
    const w = window(60, 12);
    const dir = workDirWithToken(m);
    const args = [...common(site, w, 6, 12), '--returning-share', '0'];
    const plan = await planned(dir, args);
    // One batch per day, twelve at once: twelve new dates create their salt rows together, and
    // those rows share one gap lock, so Matomo 5.0.2 deadlocks and answers 500s. No returning
    // visitors: a return would make its day wait for the earlier day's batch (visitor order).
    const r = await runCli(['backfill', ...args, '--no-open-days-alone', '--concurrency', '12', '--bulk-size', '100', '--summary-json', 'summary.json', '--quiet'], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const totals = summaryOf(dir).targets[0]!.totals;
    console.log(`partial commit: ${totals.reconciled} hits reconciled after 500s, ${totals.resentAfterReconcile} resent`);
    expect(totals.reconciled).toBeGreaterThan(0);
    await expectExact(dir, args, site, w, plan);
  });

  it('kill -9 in the middle, then --resume: the visits left in flight are reconciled, every day exact', async () => {
    const site = await newSite(m, ZONE, 'test:matomo kill');
    const w = window(80, 4);
    const dir = workDirWithToken(m);
    const args = common(site, w, 60, 13);
    const plan = await planned(dir, args);
    const { child, result } = startCli(['backfill', ...args, '--bulk-size', '10', '--concurrency', '4'], { cwd: dir });
    // Both listeners from the start: the two lines may come in one chunk.
    const stateLine = waitForLine(child, /state in \S+/, 'stderr');
    const dayDone = waitForLine(child, /^\d{4}-\d{2}-\d{2}: \d+ tracked of \d+ sent/, 'stderr');
    const state = /state in (\S+)/.exec(await stateLine)![1]!;
    await dayDone;
    // The readiness signal: the journal's last line puts a batch in flight (written before it is sent).
    await journalInFlight(join(state, 'journal.ndjson'));
    child.kill('SIGKILL');
    expect((await result).signal).toBe('SIGKILL');
    const resume = await runCli(['backfill', ...args, '--resume', '--summary-json', 'summary.json', '--quiet'], { cwd: dir });
    expect(resume.code, resume.stdout + resume.stderr).toBe(0);
    const totals = summaryOf(dir).targets[0]!.totals;
    console.log(`kill -9: ${totals.reconciled} hits reconciled on --resume, ${totals.resentAfterReconcile} of them resent`);
    expect(totals.reconciled).toBeGreaterThan(0);
    await expectExact(dir, args, site, w, plan);
  });
});
