import { describePlan, type TargetPlan } from '../../backfill/plan.js';
import { dryRunLine } from '../../matomo/dry-run.js';
import type { Workload } from '../../workload/workload.js';
import type { Io } from '../../io.js';
import type { OwnedDays } from '../../backfill/resume.js';
import { visitSource, type BackfillTarget } from '../../backfill/setup.js';

/**
 * `backfill --dry-run`: the plan (per-day visits) on stderr, and every hit the backfill would send
 * as NDJSON on stdout, in the journeys' dry-run format with the local `day` and the `visit` index
 * within the day (with --shard, only the shard's visits: `plan` is its view). Generated exactly as the real backfill generates them; nothing is sent or stored.
 */
export async function dryRunBackfill(io: Io, plan: TargetPlan, workload: Workload, target: BackfillTarget, named: boolean, owned?: OwnedDays): Promise<void> {
  io.stderr.write(describePlan(plan));
  const source = visitSource(plan, workload, target.siteId);
  let hits = 0;
  for (const day of plan.days) {
    if (day.visits === 0) continue;
    if (io.signal.aborted) break;
    let chunk = '';
    const indices = owned?.get(day.date) ?? Array.from({ length: day.visits }, (_, i) => i);
    for (const visit of source(day.date, indices)) {
      for (const req of visit.requests) {
        chunk += dryRunLine(req, { day: day.date, visit: visit.index, ...(named ? { target: target.label } : {}) }) + '\n';
        hits++;
      }
      if (chunk.length >= 1 << 16) {
        io.stdout.write(chunk);
        chunk = '';
      }
    }
    if (chunk) io.stdout.write(chunk);
  }
  io.stderr.write(`dry run: ${hits} hits of ${plan.visits} visits for ${target.label}; nothing sent, nothing stored\n`);
}
