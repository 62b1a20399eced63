import { describePlan, type TargetPlan } from '../../backfill/plan.js';
import { dryRunLine } from '../../matomo/dry-run.js';
import type { Workload } from '../../workload/workload.js';
import type { Io } from '../../io.js';
import type { VisitPool } from '../../workers/pool.js';
import type { OwnedDays } from '../../backfill/resume.js';
import { visitSource, type BackfillTarget } from '../../backfill/setup.js';
import type { BackfillPool } from '../backfill-workers.js';

/**
 * `backfill --dry-run`: the plan (per-day visits) on stderr, and every hit the backfill would send
 * as NDJSON on stdout, in the journeys' dry-run format with the local `day` and the `visit` index
 * within the day (with --shard, only the shard's visits: `plan` is its view). Generated exactly as the real backfill generates them; nothing is sent or stored.
 * With worker threads (`pool`), the threads write the lines and the output is the same, byte for byte.
 */
export async function dryRunBackfill(
  io: Io,
  plan: TargetPlan,
  workload: Workload,
  target: BackfillTarget,
  named: boolean,
  owned?: OwnedDays,
  pool?: { threads: BackfillPool; plan: TargetPlan },
): Promise<void> {
  io.stderr.write(describePlan(plan));
  if (pool) return dryRunWithWorkers(io, plan, target, pool.threads.use(pool.plan, target, { kind: 'dry-run', day: true, ...(named ? { target: target.label } : {}) }), owned);
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

/** The same with worker threads: they write each visit's lines; this thread writes them out in order. */
async function dryRunWithWorkers(io: Io, plan: TargetPlan, target: BackfillTarget, pool: VisitPool, owned?: OwnedDays): Promise<void> {
  let hits = 0;
  const days = plan.days
    .filter((day) => day.visits > 0)
    .map((day) => ({ date: day.date, indices: owned?.get(day.date) ?? Array.from({ length: day.visits }, (_, i) => i) }));
  // The workers make the next day while this one is written.
  pool.expect(days);
  for (const { date, indices } of days) {
    if (io.signal.aborted) break;
    let chunk = '';
    for await (const visit of pool.texts(date, indices)) {
      chunk += visit.text;
      for (let i = visit.text.indexOf('\n'); i >= 0; i = visit.text.indexOf('\n', i + 1)) hits++;
      if (chunk.length >= 1 << 16) {
        io.stdout.write(chunk);
        chunk = '';
        await io.stdout.drain?.();
      }
    }
    if (chunk) io.stdout.write(chunk);
  }
  io.stderr.write(`dry run: ${hits} hits of ${plan.visits} visits for ${target.label}; nothing sent, nothing stored\n`);
}
