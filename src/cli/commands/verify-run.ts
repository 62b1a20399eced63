import type { Command } from 'commander';
import type { TargetPlan } from '../../backfill/plan.js';
import { countsAsAction, renderVerify, verify, type VerifyDayInput, type VerifyResult } from '../../backfill/verify.js';
import { ExitCode, UsageError } from '../../errors.js';
import { systemClock } from '../../time/clock.js';
import { UndiciTransport } from '../../transport/undici.js';
import type { Workload } from '../../workload/workload.js';
import type { Io } from '../io.js';
import { htmlTarget, reportTime } from '../html-output.js';
import { loadWorkload } from '../workload.js';
import { recordedDays, trackingFailures } from './backfill-api.js';
import { backfillConfig, backfillTargets, findStoredPlan, noStoredPlanMessage, profileOf, shapeOf, stateDirOf, visitSource, windowOf } from './backfill-setup.js';

/** Planned visits and actions per day, regenerated from the stored plan's seed. */
function plannedCounts(plan: TargetPlan, workload: Workload, siteId: number): Map<string, { visits: number; actions: number }> {
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

/** The body of `verify`, imported only when the command runs. */
export async function runVerify(io: Io, cmd: Command): Promise<number> {
  const { json, html } = cmd.opts<{ json?: boolean; html?: string }>();
  if (html === '-' && json) throw new UsageError('--html - and --json both write stdout: give --html a file name');
  const writeHtml = html === undefined ? undefined : await htmlTarget(io, html);
  const now = systemClock.now();
  const config = await backfillConfig(io, cmd, now);
  const targets = backfillTargets(config);
  const window = windowOf(config, now);
  const profile = profileOf(config);
  const shape = await shapeOf(io, config);
  const stateDir = stateDirOf(io, config);
  const transport = new UndiciTransport({ clock: systemClock, connections: 4, captureResponse: true });
  const results: Array<{ label: string; plan: TargetPlan; result: VerifyResult; problem?: string }> = [];
  try {
    for (const target of targets) {
      const lookup = findStoredPlan(stateDir, config, target, window, profile, shape);
      if (lookup.kind === 'none') throw new UsageError(noStoredPlanMessage('verify', stateDir, target, lookup));
      const plan = lookup.stored.plan;
      const planned = plannedCounts(plan, await loadWorkload(io, config, plan.seed), target.siteId);
      const dates = plan.days.map((d) => d.date);
      const recorded = await recordedDays(transport, target.url, target.siteId, dates, target.tokenAuth);
      const failures = (await trackingFailures(transport, target.url, target.siteId, target.tokenAuth)) ?? [];
      const inputs: VerifyDayInput[] = recorded.days.map((r) => ({
        date: r.date,
        planned: planned.get(r.date) ?? { visits: 0 },
        ...(r.raw ? { raw: r.raw } : {}),
        ...(r.archive ? { archive: r.archive } : {}),
      }));
      const entry: (typeof results)[number] = { label: target.label, plan, result: verify(inputs, failures) };
      if (recorded.problem) entry.problem = `${recorded.problem.kind}: ${recorded.problem.message}`;
      results.push(entry);
    }
  } finally {
    await transport.close();
  }
  const out = {
    command: 'verify' as const,
    targets: results.map((r) => ({ target: r.label, planKey: r.plan.key, window: r.plan.window, zone: r.plan.zone, ...r.result, ...(r.problem ? { problem: r.problem } : {}) })),
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
      io.stdout.write(`Verify ${r.label}, ${r.plan.window.from}..${r.plan.window.to} (${r.plan.zone}), plan ${r.plan.key.slice(0, 12)}\n`);
      if (r.problem) io.stdout.write(`warning: Matomo's Reporting API did not answer (${r.problem}): days it could not count are "unknown"\n`);
      io.stdout.write(renderVerify(r.result));
    }
  }
  return results.every((r) => r.result.exitCode === 0) ? ExitCode.ok : ExitCode.incomplete;
}
