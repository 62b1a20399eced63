import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TargetPlan } from '../backfill/plan.js';
import type { StoredSettings } from '../backfill/stored-settings.js';
import { readJournal, type JournalState } from './journal.js';

/**
 * The state directory (default `.trafficinator/` in the working directory):
 *   plans/<key>/plan.json            the plan: key, target, window, zone, cut-off, seed, per-day visits,
 *                                    and the settings it was made with (so verify needs only the token)
 *   plans/<key>/journal.ndjson       visit states per day (journal.ts)
 *   plans/<key>/dead-letter.ndjson   hits not recorded (dead-letter.ts)
 * One plan per target and window; no token is ever written here.
 */
export const DEFAULT_STATE_DIR = '.trafficinator';
export const STATE_FORMAT = 1;

export interface PlanPaths {
  dir: string;
  plan: string;
  journal: string;
  deadLetter: string;
}

export function planPaths(stateDir: string, key: string): PlanPaths {
  const dir = join(stateDir, 'plans', key);
  return {
    dir,
    plan: join(dir, 'plan.json'),
    journal: join(dir, 'journal.ndjson'),
    deadLetter: join(dir, 'dead-letter.ndjson'),
  };
}

export interface StoredPlan {
  stateFormat: number;
  createdAt: string;
  /** The cut-off as ISO-8601 UTC, for people; the plan holds it in ms. */
  cutoff: string;
  plan: TargetPlan;
  /** The configuration without tokens (backfill/stored-settings.ts); absent in plans of older versions. */
  settings?: StoredSettings;
}

/** Writes plan.json atomically (temp file, then rename); creates the directories. */
export function savePlan(stateDir: string, plan: TargetPlan, nowMs: number, settings?: StoredSettings): PlanPaths {
  const paths = planPaths(stateDir, plan.key);
  mkdirSync(paths.dir, { recursive: true });
  const stored: StoredPlan = {
    stateFormat: STATE_FORMAT,
    createdAt: new Date(nowMs).toISOString(),
    cutoff: new Date(plan.cutoffMs).toISOString(),
    plan,
    ...(settings ? { settings } : {}),
  };
  const tmp = `${paths.plan}.tmp`;
  writeFileSync(tmp, JSON.stringify(stored, null, 2) + '\n');
  renameSync(tmp, paths.plan);
  return paths;
}

export function loadPlan(stateDir: string, key: string): StoredPlan | undefined {
  const path = planPaths(stateDir, key).plan;
  if (!existsSync(path)) return undefined;
  const stored = JSON.parse(readFileSync(path, 'utf8')) as StoredPlan;
  if (stored.stateFormat !== STATE_FORMAT || stored.plan?.key !== key) {
    throw new Error(`${path}: not a trafficinator plan of format ${STATE_FORMAT}`);
  }
  return stored;
}

/** Every readable plan in the directory (unreadable ones are reported, not fatal). */
export function listPlans(stateDir: string): { plans: StoredPlan[]; unreadable: string[] } {
  const root = join(stateDir, 'plans');
  const plans: StoredPlan[] = [];
  const unreadable: string[] = [];
  if (!existsSync(root)) return { plans, unreadable };
  for (const key of readdirSync(root).sort()) {
    try {
      const stored = loadPlan(stateDir, key);
      if (stored) plans.push(stored);
    } catch {
      unreadable.push(resolve(root, key));
    }
  }
  return { plans, unreadable };
}

export interface PlanProgress {
  stored: StoredPlan;
  journal: JournalState;
  /** Every planned visit of every day acknowledged. */
  complete: boolean;
  /** Days with any journal entry (something was sent for them). */
  touchedDays: string[];
}

export function planProgress(stateDir: string, stored: StoredPlan): PlanProgress {
  const journal = readJournal(planPaths(stateDir, stored.plan.key).journal);
  const complete = stored.plan.days.every((d) => (journal.days.get(d.date)?.acked.size ?? 0) >= d.visits);
  const touchedDays = stored.plan.days.filter((d) => journal.days.has(d.date)).map((d) => d.date);
  return { stored, journal, complete, touchedDays };
}

export interface Overlap {
  key: string;
  window: { from: string; to: string };
  /** Days of the new window that this state already covers (something was sent). */
  days: string[];
  complete: boolean;
  /** Same plan key as the new plan: --resume continues it. */
  samePlan: boolean;
}

function sameTarget(a: TargetPlan['target'], b: TargetPlan['target']): boolean {
  return a.url === b.url && String(a.siteId) === String(b.siteId);
}

/** States in the directory for the same target that already cover days of `plan`. */
export function findOverlaps(stateDir: string, plan: TargetPlan): Overlap[] {
  const dates = new Set(plan.days.map((d) => d.date));
  const out: Overlap[] = [];
  for (const stored of listPlans(stateDir).plans) {
    if (!sameTarget(stored.plan.target, plan.target)) continue;
    const progress = planProgress(stateDir, stored);
    const days = progress.touchedDays.filter((d) => dates.has(d));
    if (days.length === 0) continue;
    out.push({ key: stored.plan.key, window: stored.plan.window, days, complete: progress.complete, samePlan: stored.plan.key === plan.key });
  }
  return out;
}

/** One line per overlapping state, with what to do: --resume for a partial plan, --force else. */
export function overlapMessage(overlaps: readonly Overlap[], target: TargetPlan['target']): string {
  const lines = overlaps.map((o) => {
    const hint = !o.complete ? 'partial: continue it with --resume' : 'complete: use --force to send these days again (duplicates data)';
    return `  ${o.days.join(', ')} (state ${o.key.slice(0, 12)}, window ${o.window.from}..${o.window.to}; ${hint})`;
  });
  return `backfill: days already backfilled for ${target.url} site ${target.siteId}:\n${lines.join('\n')}`;
}
