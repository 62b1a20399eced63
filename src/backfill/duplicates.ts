import { DateTime } from 'luxon';
import type { VisitRow } from '../matomo/reporting.js';

/**
 * Which visitors of a day Matomo holds more of than the plan (pure). A duplicated hit corrupts
 * Matomo's reports; this names the damage per visitor (id, local start times) so a user can see
 * it. A visitor is damaged when Matomo holds more visits or more actions of it than planned: a
 * resent visit may land as a visit of its own, or merge into the first copy (same visitor within
 * 30 minutes), leaving repeated actions inside one visit. So a repair removes every visit of a
 * damaged visitor that day and sends its planned visits again (backfill --resume), rather than
 * guess which copy is the good one. Visitors the plan does not know are other traffic: counted,
 * never touched.
 */
export interface PlannedVisitor {
  /** Planned visit indices of the day. */
  visits: number[];
  actions: number;
}

export interface DamagedVisitor {
  visitorId: string;
  planned: PlannedVisitor;
  visits: Array<VisitRow & { localTime: string }>;
  /** Recorded actions over all its visits of the day. */
  actions: number;
}

export interface DayDuplicates {
  date: string;
  damaged: DamagedVisitor[];
  /** Visits of visitors the plan does not hold (other traffic, or another plan's). */
  unknownVisits: number;
}

export function findDuplicates(date: string, planned: ReadonlyMap<string, PlannedVisitor>, rows: readonly VisitRow[], zone: string): DayDuplicates {
  const byVisitor = new Map<string, VisitRow[]>();
  let unknownVisits = 0;
  for (const row of rows) {
    if (!planned.has(row.visitorId)) {
      unknownVisits++;
      continue;
    }
    const list = byVisitor.get(row.visitorId);
    if (list) list.push(row);
    else byVisitor.set(row.visitorId, [row]);
  }
  const damaged: DamagedVisitor[] = [];
  for (const [visitorId, visits] of byVisitor) {
    const plan = planned.get(visitorId) as PlannedVisitor;
    const actions = visits.reduce((a, v) => a + v.actions, 0);
    if (visits.length <= plan.visits.length && actions <= plan.actions) continue;
    damaged.push({
      visitorId,
      planned: plan,
      actions,
      visits: [...visits]
        .sort((a, b) => a.firstActionTimestamp - b.firstActionTimestamp || a.idVisit - b.idVisit)
        .map((v) => ({ ...v, localTime: DateTime.fromSeconds(v.firstActionTimestamp, { zone }).toFormat('HH:mm:ss') })),
    });
  }
  damaged.sort((a, b) => (a.visits[0]?.firstActionTimestamp ?? 0) - (b.visits[0]?.firstActionTimestamp ?? 0));
  return { date, damaged, unknownVisits };
}

export function renderDuplicates(days: readonly DayDuplicates[]): string {
  let out = '';
  for (const day of days) {
    if (day.damaged.length) {
      out += `\n${day.date}: ${day.damaged.length} visitor(s) recorded more than planned (duplicated hits):\n`;
      out += '  visitor id        visits planned/recorded  actions planned/recorded  recorded visits (local start, actions, idVisit)\n';
      for (const d of day.damaged) {
        const visits = d.visits.map((v) => `${v.localTime} ${v.actions}a #${v.idVisit}`).join(', ');
        const nv = `${d.planned.visits.length}/${d.visits.length}`;
        const na = `${d.planned.actions}/${d.actions}`;
        out += `  ${d.visitorId}  ${nv.padEnd(23)}  ${na.padEnd(24)}  ${visits}\n`;
      }
    }
    if (day.unknownVisits) out += `${day.date}: ${day.unknownVisits} visit(s) of visitors this plan does not hold (other traffic): left alone\n`;
  }
  if (days.some((d) => d.damaged.length)) {
    out +=
      "\nRepair: `verify --repair` deletes these visitors' visits of those days (PrivacyManager.deleteDataSubjects), invalidates the days' reports, " +
      'and marks their planned visits unsent; `backfill --resume` then sends them again, once.\n';
  }
  return out;
}
