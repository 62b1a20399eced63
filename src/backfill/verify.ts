import type { HitType } from '../journey/visit.js';
import type { ArchiveState, Counts, TrackingFailure } from '../matomo/reporting.js';
import { matomoVisitorId } from '../matomo/visitor-id.js';
import type { Workload } from '../workload/workload.js';
import type { PlannedVisitor } from './duplicates.js';
import type { TargetPlan } from './plan.js';
import { visitSource } from './setup.js';

/**
 * `verify`: what the plan says against what Matomo recorded, per local day (pure). Raw logs
 * (Live.getLastVisitsDetails: no archiving needed) are the authority; VisitsSummary.get is shown
 * and compared when the day is archived. A 200 from the tracker proves nothing (excluded bots get
 * one too): this comparison is how a user finds out.
 */

/** Hit types Matomo counts as actions of a visit (a ping extends time; orders, carts and goals do not). */
export function countsAsAction(type: HitType): boolean {
  return type === 'pageview' || type === 'search' || type === 'outlink' || type === 'download' || type === 'event';
}

export interface VerifyDayInput {
  date: string;
  planned: { visits: number; actions?: number };
  /** Raw-log counts, or undefined when the Live API did not answer. */
  raw?: Counts;
  archive?: ArchiveState;
}

export type VerifyStatus = 'match' | 'missing' | 'extra' | 'stale-archive' | 'unknown';

export interface VerifyDay extends VerifyDayInput {
  status: VerifyStatus;
  notes: string[];
}

export interface VerifyResult {
  days: VerifyDay[];
  failures: TrackingFailure[];
  notArchived: string[];
  /** 0 when every day matches, 3 otherwise. */
  exitCode: 0 | 3;
}

export function verifyDay(input: VerifyDayInput): VerifyDay {
  const notes: string[] = [];
  const { planned, raw, archive } = input;
  let status: VerifyStatus;
  if (!raw) {
    status = 'unknown';
    notes.push('raw visits unknown (Live API unavailable)');
  } else if (raw.visits < planned.visits) {
    status = 'missing';
    notes.push(`${planned.visits - raw.visits} visits missing`);
  } else if (raw.visits > planned.visits) {
    status = 'extra';
    notes.push(`${raw.visits - planned.visits} visits more than planned (duplicates or other traffic)`);
  } else if (planned.actions !== undefined && raw.actions !== planned.actions) {
    status = raw.actions < planned.actions ? 'missing' : 'extra';
    notes.push(`actions ${raw.actions} recorded, ${planned.actions} planned`);
  } else {
    status = 'match';
  }
  if (archive?.state === 'not-archived') notes.push('not archived yet (run core:archive)');
  if (archive?.state === 'archived' && raw && (archive.visits !== raw.visits || archive.actions !== raw.actions)) {
    notes.push('archive disagrees with the raw logs (run core:invalidate-report-data, then core:archive)');
    if (status === 'match') status = 'stale-archive';
  }
  return { ...input, status, notes };
}

export function verify(days: readonly VerifyDayInput[], failures: readonly TrackingFailure[] = []): VerifyResult {
  const checked = days.map(verifyDay);
  return {
    days: checked,
    failures: [...failures],
    notArchived: checked.filter((d) => d.archive?.state === 'not-archived').map((d) => d.date),
    exitCode: checked.every((d) => d.status === 'match') ? 0 : 3,
  };
}

export function renderVerify(result: VerifyResult): string {
  const rows: string[][] = [['date', 'planned visits', 'raw visits', 'planned actions', 'raw actions', 'archived visits', 'status']];
  for (const d of result.days) {
    const archived = d.archive?.state === 'archived' ? String(d.archive.visits) : d.archive?.state === 'not-archived' ? 'not archived' : d.archive?.state === 'empty' ? '0' : '-';
    rows.push([
      d.date,
      String(d.planned.visits),
      d.raw ? String(d.raw.visits) : '?',
      d.planned.actions === undefined ? '-' : String(d.planned.actions),
      d.raw ? String(d.raw.actions) : '?',
      archived,
      d.status + (d.notes.length ? ` (${d.notes.join('; ')})` : ''),
    ]);
  }
  let out = table(rows);
  if (result.notArchived.length) {
    out += `\n${result.notArchived.length} day(s) not archived yet: run Matomo's core:archive (./console core:archive) to see them in reports.\n`;
  }
  if (result.failures.length) {
    out += `\nTracking failures Matomo logged for the site:\n`;
    for (const f of result.failures) out += `  ${f.date}  ${f.problem}  ${f.url}\n`;
  }
  const bad = result.days.filter((d) => d.status !== 'match').length;
  out += bad ? `\n${bad} of ${result.days.length} day(s) do not match the plan.\n` : `\nAll ${result.days.length} day(s) match the plan.\n`;
  return out;
}

export function table(rows: readonly string[][]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd()).join('\n') + '\n';
}

/** Planned visits and actions per day, regenerated from the stored plan's seed. */
export function plannedCounts(plan: TargetPlan, workload: Workload, siteId: number): Map<string, { visits: number; actions: number }> {
  const source = visitSource(plan, workload, siteId);
  const out = new Map<string, { visits: number; actions: number }>();
  for (const day of plan.days) {
    let actions = 0;
    if (day.visits > 0) {
      const indices = Array.from({ length: day.visits }, (_, i) => i);
      for (const v of source(day.date, indices)) for (const r of v.requests) if (countsAsAction(r.type)) actions++;
    }
    out.set(day.date, { visits: day.visits, actions });
  }
  return out;
}

/** The plan's visits (indices) and actions of each visitor on a day, by the id Matomo stores. */
export function plannedVisitors(plan: TargetPlan, workload: Workload, siteId: number, date: string): Map<string, PlannedVisitor> {
  const day = plan.days.find((d) => d.date === date);
  const out = new Map<string, PlannedVisitor>();
  if (!day || day.visits === 0) return out;
  const indices = Array.from({ length: day.visits }, (_, i) => i);
  for (const v of visitSource(plan, workload, siteId)(date, indices)) {
    const first = v.requests[0];
    if (!first) continue;
    const id = matomoVisitorId(first);
    let p = out.get(id);
    if (!p) out.set(id, (p = { visits: [], actions: 0 }));
    p.visits.push(v.index);
    for (const r of v.requests) if (countsAsAction(r.type)) p.actions++;
  }
  return out;
}
