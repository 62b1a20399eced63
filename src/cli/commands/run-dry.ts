import type { Command } from 'commander';
import { ExitCode } from '../../errors.js';
import { dryRunLine } from '../../matomo/dry-run.js';
import { formatIsoSeconds } from '../../matomo/local-time.js';
import { randomSeed } from '../../random/rng.js';
import { systemClock } from '../../time/clock.js';
import type { Config, ConfigIssue } from '../../config/schema.js';
import { environmentNotice, configError, flagsLayerFromCommand, formatIssue } from '../config-options.js';
import type { Io } from '../../io.js';
import { openLineOutput } from '../line-output.js';
import { dryRunSchedule, runPlan } from '../../engine/run-plan.js';
import { runFlags } from '../run-options.js';
import { loadWorkload } from '../workload.js';
import { checkShardSeed, resolveShard } from '../../config/shard.js';

/**
 * `run --dry-run`: the hits a run with the same configuration and seed would send, as NDJSON, in
 * visit then hit order; every visit's timeline ends at --now (the live run ends it at the instant
 * the visit starts). Bounded by --max-visits, or by the schedule (--duration, auto-stop, stages):
 * then it prints the visits the schedule starts in that time when none is dropped. With --shard,
 * only the shard's visits of that same schedule.
 */
export async function runDry(io: Io, cmd: Command): Promise<number> {
  const flags = runFlags(cmd);
  const now = flags.now ?? systemClock.now();
  const { config, warnings } = await dryRunConfig(io, cmd, now);
  const seed = config.seed ?? randomSeed();
  const plan = runPlan(config, seed, now);
  const schedule = dryRunSchedule(plan);
  const maxVisits = schedule.maxVisits;
  for (const warning of warnings) io.stderr.write(`warning: ${formatIssue(warning)}\n`);
  const workload = await loadWorkload(io, config, seed);
  const shard = resolveShard(config.shard, (name) => io.env[name]);
  checkShardSeed(shard, config.seed);
  const output = await openLineOutput(io, flags.output);
  const names = config.targets.length > 1 ? config.targets.map((t) => t.url) : undefined;
  let visits = 0;
  let hits = 0;
  try {
    for (let index = 0; maxVisits === undefined || index < maxVisits; index++) {
      if (io.signal.aborted) break;
      const visit = workload.visit('run', index);
      if (!schedule.starts(visit.hits.map((h) => h.pauseMs))) break;
      // The schedule is the unsharded one: a shard prints only the visits it owns.
      if (shard && shard.count > 1 && workload.shardOf('run', index, shard.count) !== shard.index) continue;
      const { target, siteId } = workload.placeRunVisit(index);
      const extra = names ? { target: names[target]! } : {};
      let text = '';
      for (const request of workload.encode(visit, siteId, now - visit.durationMs)) text += dryRunLine(request, extra) + '\n';
      hits += visit.hits.length;
      visits += 1;
      const wait = output.write(text);
      if (wait) await wait;
    }
  } finally {
    await output.close();
  }
  io.stderr.write(
    `dry run: ${visits} visits, ${hits} hits (seed ${seed}, visits end at ${formatIsoSeconds(now)}); nothing was sent\n`,
  );
  return io.signal.aborted ? ExitCode.interrupted : ExitCode.ok;
}

/**
 * The configuration as `run` resolves it, except that a dry run needs no target (it sends nothing:
 * without one, site 1 of an unnamed target) and no token (a live run would; said as a warning).
 */
async function dryRunConfig(io: Io, cmd: Command, now: number): Promise<{ config: Config; warnings: ConfigIssue[] }> {
  const { loadConfig } = await import('../../config/load.js');
  const resolved = await loadConfig(io, flagsLayerFromCommand(cmd), { now, command: cmd.name() });
  const envLine = environmentNotice(resolved);
  if (envLine) io.stderr.write(envLine);
  const errors: ConfigIssue[] = [];
  // "A live run goes on until interrupted" does not apply: the dry run checks its own bound.
  const warnings = resolved.warnings.filter((w) => !w.message.startsWith('no auto-stop'));
  for (const issue of resolved.errors) {
    if (issue.path === 'url' && issue.message === 'no Matomo target') continue;
    if (/tokenAuth$/.test(issue.path) && issue.message.startsWith('missing:')) {
      warnings.push({ ...issue, message: `${issue.message} (a live run would stop here)` });
      continue;
    }
    errors.push(issue);
  }
  if (errors.length > 0 || !resolved.config) throw configError(errors);
  const config = resolved.config;
  if (config.targets.length > 0) return { config, warnings };
  return { config: { ...config, targets: [{ url: 'dry-run', siteIds: { from: 1, to: 1 }, weight: 1 }] }, warnings };
}
