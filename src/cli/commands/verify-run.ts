import type { Command } from 'commander';
import { findDuplicates, renderDuplicates, type DayDuplicates } from '../../backfill/duplicates.js';
import { openJournal } from '../../state/journal.js';
import { planPaths } from '../../state/store.js';
import { answerOnce, apiUrlFor, type ApiClient } from '../../matomo/api.js';
import { repairDuplicates } from '../../backfill/repair.js';
import type { TargetPlan } from '../../backfill/plan.js';
import { plannedCounts, plannedVisitors, renderVerify, verify, type VerifyDayInput, type VerifyResult } from '../../backfill/verify.js';
import { ExitCode, UsageError } from '../../errors.js';
import { systemClock } from '../../time/clock.js';
import { UndiciTransport } from '../../transport/undici.js';
import type { Workload } from '../../workload/workload.js';
import type { Io } from '../../io.js';
import { htmlTarget, reportTime } from '../html-output.js';
import { loadWorkload } from '../workload.js';
import { recordedDays, trackingFailures, visitRows } from '../../backfill/recorded.js';
import { compareReports, renderReportComparison, type ReportComparison } from '../../backfill/compare-reports.js';
import { forecastReturning, plannedVisits } from '../../backfill/predict.js';
import { matomoView } from '../../journey/matomo-view.js';
import { readWindowReports, windowReportRequests } from '../../matomo/reporting.js';
import { type BackfillTarget, backfillTargets, findStoredPlan, noStoredPlanMessage, profileOf, shapeOf, windowOf } from '../../backfill/setup.js';
import { stateDirOf, verifyConfig } from '../backfill-options.js';
import { listPlans, type StoredPlan } from '../../state/store.js';
import { findShardPlans } from '../../backfill/shard.js';
import { resolveShard } from '../../config/shard.js';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { VERSION } from '../../version.js';

/** The plans kept in the state directories directly under `dir` (one per shard). */
function plansBelow(dir: string): StoredPlan[] {
  let entries: string[];
  try {
    entries = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  } catch {
    return [];
  }
  return entries.flatMap((name) => listPlans(join(dir, name)).plans);
}

/** `verify --repair` for one target: the rules in backfill/repair.ts, the journal and the messages here. */
async function repair(io: Io, client: ApiClient, target: BackfillTarget, journalPath: string, days: readonly DayDuplicates[]): Promise<void> {
  const done = await repairDuplicates(client, target, days, (released) => {
    // Released only once deleted: a repair cut short leaves the journal as it was.
    const journal = openJournal(journalPath);
    try {
      for (const d of released) journal.settle(d.date, { released: d.visits });
    } finally {
      journal.close();
    }
  });
  if (done.invalidateProblem !== undefined) {
    io.stderr.write(`warning: invalidating ${done.dates.join(', ')} failed (${done.invalidateProblem}): run ./console core:invalidate-report-data --dates=<each day> --sites=${target.siteId}\n`);
  }
  io.stderr.write(
    `verify --repair: deleted ${done.visits} visit(s) of ${done.visitors} visitor(s) of ${target.label} on ${done.dates.join(', ')}, ` +
      "invalidated those days, and marked the visitors' planned visits unsent: run backfill --resume (same settings), then Matomo's core:archive\n",
  );
}

/** A yes/no question on a terminal; undefined when stdin is not one (nothing is deleted unasked). */
async function confirm(io: Io, question: string): Promise<boolean | undefined> {
  if (!io.stdin?.isTTY) return undefined;
  io.stderr.write(`${question} [y/N] `);
  return /^y(es)?$/i.test(((await io.stdin.readLine()) ?? '').trim());
}

/** The body of `verify`, imported only when the command runs. */
export async function runVerify(io: Io, cmd: Command): Promise<number> {
  const { json, html, reports, repair: repairAsked, yes, plan: planId } = cmd.opts<{ json?: boolean; html?: string; reports?: boolean; repair?: boolean; yes?: boolean; plan?: string }>();
  if (html === '-' && json) throw new UsageError('--html - and --json both write stdout: give --html a file name');
  const writeHtml = html === undefined ? undefined : await htmlTarget(io, html);
  const now = systemClock.now();
  const { config, plans } = await verifyConfig(io, cmd, now, planId);
  const targets = backfillTargets(config);
  const window = windowOf(config, now);
  const profile = profileOf(config);
  const shape = await shapeOf(config, VERSION, (path) => io.readFile(path));
  const stateDir = stateDirOf(io, config);
  const shard = resolveShard(config.shard, (name) => io.env[name]);
  let sharded: { count: number; dirs: number } | undefined;
  const transport = new UndiciTransport({ clock: systemClock, connections: 4, captureResponse: true });
  const results: Array<{
    label: string;
    target: BackfillTarget;
    plan: TargetPlan;
    result: VerifyResult;
    duplicates: DayDuplicates[];
    problem?: string;
    reports?: ReportComparison | string;
  }> = [];
  const clientOf = (target: BackfillTarget): ApiClient => ({
    transport,
    clock: systemClock,
    apiUrl: apiUrlFor(target.url),
    ...(target.tokenAuth ? { tokenAuth: target.tokenAuth } : {}),
    signal: io.signal,
  });
  try {
    for (const target of targets) {
      const lookup = findStoredPlan(plans, config, target, window, profile, shape, shard);
      let plan: TargetPlan;
      if (lookup.kind === 'found') plan = lookup.stored.plan;
      else {
        // A sharded backfill: its shards' state directories under --state-dir (state-0, state-1, …).
        const shards = findShardPlans(plansBelow(stateDir), config, target, window, profile, shape);
        if (shards.kind === 'none') throw new UsageError(noStoredPlanMessage('verify', stateDir, target, lookup, shard));
        if (shards.kind === 'incomplete') {
          throw new UsageError(`verify: ${target.label}: the backfill in ${shards.count} shards has no plan of shard(s) ${shards.missing.join(', ')} under ${stateDir} (give the parent of every shard's --state-dir)`);
        }
        if (repairAsked) throw new UsageError('verify --repair: works on one state directory: run it with the --shard and --state-dir of the shard that sent the duplicated visitors');
        plan = shards.plans[0]!.plan;
        sharded = { count: shards.count, dirs: shards.plans.length };
      }
      const workload = await loadWorkload(io, config, plan.seed);
      const planned = plannedCounts(plan, workload, target.siteId);
      const dates = plan.days.map((d) => d.date);
      const recorded = await recordedDays(clientOf(target), target.siteId, dates);
      const failures = (await trackingFailures(clientOf(target), target.siteId)) ?? [];
      const inputs: VerifyDayInput[] = recorded.days.map((r) => ({
        date: r.date,
        planned: planned.get(r.date) ?? { visits: 0 },
        ...(r.raw ? { raw: r.raw } : {}),
        ...(r.archive ? { archive: r.archive } : {}),
      }));
      const result = verify(inputs, failures);
      // Days holding more than planned: name the damaged visitors, so the damage is visible.
      const duplicates: DayDuplicates[] = [];
      for (const day of result.days) {
        if (day.status !== 'extra') continue;
        const rows = await visitRows(clientOf(target), target.siteId, day.date);
        if (typeof rows === 'string') continue;
        duplicates.push(findDuplicates(day.date, plannedVisitors(plan, workload, target.siteId, day.date), rows, plan.zone));
      }
      const entry: (typeof results)[number] = { label: target.label, target, plan, result, duplicates };
      if (recorded.problem) entry.problem = `${recorded.problem.kind}: ${recorded.problem.message}`;
      if (reports) entry.reports = await compareWindowReports(clientOf(target), plan, workload, target);
      results.push(entry);
    }
    if (repairAsked) {
      // Printed first, so what would be deleted is on screen before the question.
      for (const r of results) if (!json) io.stdout.write(renderDuplicates(r.duplicates));
      const doomed = results.reduce((a, r) => a + r.duplicates.reduce((b, d) => b + d.damaged.reduce((c, v) => c + v.visits.length, 0), 0), 0);
      if (doomed === 0) {
        io.stderr.write('verify --repair: no visitor holds more than planned: nothing to delete\n');
      } else {
        const question = `Delete the ${doomed} visit(s) of the visitors listed above from Matomo's raw log (PrivacyManager.deleteDataSubjects)?`;
        const confirmed = yes ? true : await confirm(io, question);
        if (confirmed === undefined) throw new UsageError(`verify --repair: would delete ${doomed} visit(s); stdin is not a terminal, so add --yes to delete them (nothing deleted)`);
        if (!confirmed) {
          io.stderr.write('verify --repair: nothing deleted\n');
          return ExitCode.incomplete;
        }
        for (const r of results) {
          if (r.duplicates.some((d) => d.damaged.length)) await repair(io, clientOf(r.target), r.target, planPaths(stateDir, r.plan.key).journal, r.duplicates);
        }
        return ExitCode.ok;
      }
    }
  } finally {
    await transport.close();
  }
  const out = {
    command: 'verify' as const,
    targets: results.map((r) => ({
      target: r.label,
      planKey: r.plan.key,
      window: r.plan.window,
      zone: r.plan.zone,
      ...r.result,
      duplicates: r.duplicates.filter((d) => d.damaged.length || d.unknownVisits),
      ...(r.problem ? { problem: r.problem } : {}),
      ...(r.reports !== undefined ? { reports: r.reports } : {}),
    })),
  };
  if (writeHtml) {
    const { renderHtmlReport } = await import('../../report/html/index.js');
    const { CHART_LIBRARY } = await import('../../report/html/chart-library.js');
    await writeHtml(renderHtmlReport([{ kind: 'verify', name: '', summary: out }], CHART_LIBRARY, reportTime()));
  }
  if (json) {
    io.stdout.write(JSON.stringify(out, null, 2) + '\n');
  } else if (html !== '-') {
    for (const r of results) {
      io.stdout.write(`Verify ${r.label}, ${r.plan.window.from}..${r.plan.window.to} (${r.plan.zone}), plan ${r.plan.key.slice(0, 12)}${sharded ? ` (the union of ${sharded.count} shards)` : ''}\n`);
      if (r.problem) io.stdout.write(`warning: Matomo's Reporting API did not answer (${r.problem}): days it could not count are "unknown"\n`);
      io.stdout.write(renderVerify(r.result));
      if (!repairAsked) io.stdout.write(renderDuplicates(r.duplicates));
      if (typeof r.reports === 'string') io.stdout.write(`reports: ${r.reports}\n`);
      else if (r.reports) io.stdout.write(`\nReports of ${r.plan.window.from}..${r.plan.window.to} against the plan\n${renderReportComparison(r.reports)}`);
    }
  }
  const reportsOk = (r: (typeof results)[number]): boolean => r.reports === undefined || (typeof r.reports !== 'string' && r.reports.differences === 0);
  return results.every((r) => r.result.exitCode === 0 && reportsOk(r)) ? ExitCode.ok : ExitCode.incomplete;
}

/** The window's reports against the plan, or why Matomo did not answer them. */
async function compareWindowReports(client: ApiClient, plan: TargetPlan, workload: Workload, target: BackfillTarget): Promise<ReportComparison | string> {
  const planned = [...plannedVisits(plan, (date, index) => workload.visit(date, index))];
  const view = matomoView(
    planned.map((p) => p.visit),
    forecastReturning(planned),
    planned.map((p) => p.startMs),
  );
  const requests = windowReportRequests(client.apiUrl, target.siteId, plan.window.from, plan.window.to, target.tokenAuth);
  const values: unknown[] = [];
  for (const request of requests) {
    const answer = await answerOnce(client, request);
    if (!answer.ok) return `Matomo's Reporting API did not answer (${answer.message})`;
    values.push(answer.value);
  }
  return compareReports(view, readWindowReports(values));
}
