import type { TargetPlan } from '../backfill/plan.js';
import { table } from '../backfill/verify.js';
import { incompleteReason, totalsOf, type DayRow } from './backfill-rows.js';
import { redactUrl, type BackfillSummary } from './backfill-summary.js';

/** The final backfill report as text (one table per target), plus warnings and the next steps. */
export interface BackfillTextInput {
  plan: TargetPlan;
  rows: readonly DayRow[];
  elapsedMs: number;
  interrupted: boolean;
  /** The verify command line to suggest, e.g. `trafficinator verify --state-dir … --plan …` (runnable as printed, given the token). */
  verifyCommand?: string;
  deadLetterPath?: string;
}

export function renderBackfillText(input: BackfillTextInput): string {
  const { plan, rows } = input;
  const head = ['date', 'visits', 'hits', 'sent', 'tracked', 'invalid', 'failed', 'uncertain', 'status'];
  const body = rows.map((r) => [
    r.date,
    r.priorVisits ? `${r.plannedVisits} (${r.priorVisits} before)` : String(r.plannedVisits),
    String(r.hits),
    String(r.sent),
    String(r.tracked),
    String(r.invalid),
    String(r.failed),
    String(r.uncertain),
    r.status,
  ]);
  const t = totalsOf(rows);
  body.push(['total', String(t.plannedVisits), String(t.hits), String(t.sent), String(t.tracked), String(t.invalid), String(t.failed), String(t.uncertain), `${t.complete}/${t.days} complete`]);
  let out = `Backfill of ${redactUrl(plan.target.url)} site ${plan.target.siteId}, ${plan.window.from}..${plan.window.to} (${plan.zone}), seed ${plan.seed}\n`;
  out += table([head, ...body]);
  const seconds = input.elapsedMs / 1000;
  out += `${t.sent} hits in ${seconds.toFixed(1)} s (${seconds > 0 ? Math.round(t.sent / seconds) : t.sent} hits/s)`;
  out += t.resent ? `, ${t.resent} resent` : '';
  out += t.reconciled ? `; ${t.reconciled} reconciled with Matomo's raw log, ${t.resentAfterReconcile} of them missing and resent\n` : '\n';
  const warn: string[] = [];
  if (input.interrupted) warn.push('interrupted: continue with --resume');
  if (t.uncertain || t.visitsUncertain) {
    warn.push(`${t.visitsUncertain} visit(s) uncertain (may or may not be recorded): --resume reconciles them with Matomo's raw log`);
    for (const r of rows) {
      if (!r.uncertainVisits) continue;
      const list = r.uncertainVisits.visits;
      warn.push(`${r.date}: visit(s) ${list.slice(0, 10).join(', ')}${list.length > 10 ? `, … (${list.length})` : ''} uncertain: ${r.uncertainVisits.reason}`);
    }
  }
  if (t.possiblyDuplicated) warn.push(`${t.possiblyDuplicated} hit(s) resent blind (--resend-uncertain): possibly recorded twice; verify lists duplicates`);
  if (t.unaccounted) warn.push(`${t.unaccounted} hit(s) unaccounted: Matomo counted them neither tracked nor invalid`);
  if (t.invalidUnnamed) warn.push(`${t.invalidUnnamed} invalid hit(s) not named by Matomo (it names them only to a super-user token): recorded per batch in the dead-letter file, cannot be resent`);
  if (t.failed || t.invalid - t.invalidUnnamed > 0) {
    warn.push(`${t.failed + t.invalid - t.invalidUnnamed} hit(s) in the dead-letter file${input.deadLetterPath ? ` ${input.deadLetterPath}` : ''}: resend with --retry-failed`);
  }
  for (const w of warn) out += `warning: ${w}\n`;
  if (!input.interrupted && t.sent > 0) {
    out += "Backfilled days show in Matomo's reports after archiving: ./console core:archive\n";
    if (input.verifyCommand) out += `Check what Matomo recorded (token as for the backfill): ${input.verifyCommand}\n`;
  }
  return out;
}

/** One line per finished day when stderr is not a TTY. */
export function renderDayLine(row: DayRow): string {
  return `${row.date}: ${row.tracked} tracked of ${row.sent} sent, ${row.invalid} invalid, ${row.failed} failed, ${row.uncertain} uncertain (${row.status})\n`;
}

/**
 * A backfill summary read back (by `report`, merged from several), as text: per target the plans it
 * holds and the per-day table of renderBackfillText, then the sending time and rate.
 */
export function renderBackfillSummaryText(summary: BackfillSummary, heading: string): string {
  let out = `${heading}\n`;
  for (const t of summary.targets) {
    const shards = t.plans.filter((p) => p.shard).map((p) => `${p.shard!.index}/${p.shard!.count}`);
    const seeds = [...new Set(t.plans.map((p) => p.seed))].join(', ');
    out += `\nBackfill of ${t.url} site ${t.siteId}, ${t.window.from}..${t.window.to} (${t.zone}), seed ${seeds}, ${t.plans.length} plan(s)${shards.length ? ` (shards ${shards.join(', ')})` : ''}\n`;
    const head = ['date', 'visits', 'hits', 'sent', 'tracked', 'invalid', 'failed', 'uncertain', 'status'];
    const body = t.days.map((r) => [r.date, String(r.plannedVisits), String(r.hits), String(r.sent), String(r.tracked), String(r.invalid), String(r.failed), String(r.uncertain), r.status]);
    const n = t.totals;
    body.push(['total', String(n.plannedVisits), String(n.hits), String(n.sent), String(n.tracked), String(n.invalid), String(n.failed), String(n.uncertain), `${n.complete}/${n.days} complete`]);
    out += table([head, ...body]);
  }
  const sent = summary.targets.reduce((n, t) => n + t.totals.sent, 0);
  out += `${sent} hits in ${(summary.elapsedMs / 1000).toFixed(1)} s of sending (the union of the runs' times), ${summary.hitsPerSecond} hits/s\n`;
  const reason = incompleteReason(summary.targets.flatMap((t) => t.days));
  if (summary.interrupted) out += 'warning: a backfill was interrupted: continue it with --resume\n';
  else if (reason) out += `${reason}\n`;
  return out;
}
