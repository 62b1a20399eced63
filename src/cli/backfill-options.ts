import { resolve } from 'node:path';
import type { Command } from 'commander';
import { hiddenForBackfill, withBackfillConcurrency } from '../backfill/setup.js';
import type { Config } from '../config/schema.js';
import { UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { configError, environmentNotice, flagsLayerFromCommand, formatIssue, resolveFromCommand } from './config-options.js';
import { listPlans, type StoredPlan } from '../state/store.js';
import { configFromStored, storedSettingsProblem } from '../backfill/stored-settings.js';

/** Flags of backfill that are actions of this invocation, not settings (the settings are config). */
export interface BackfillFlags {
  dryRun?: boolean;
  force?: boolean;
  resume?: boolean;
  resumeOrStart?: boolean;
  resendUncertain?: boolean;
  retryFailed?: boolean;
  retryAmbiguous?: boolean;
  /** false with --no-reporting-api. */
  reportingApi?: boolean;
  /** false with the hidden --no-open-days-alone. */
  openDaysAlone?: boolean;
  summaryJson?: string;
  html?: string;
  quiet?: boolean;
  retries?: string;
}

export type BackfillMode = 'fresh' | 'resume' | 'retry-failed';

/** The action flags checked together: which mode, how many retries; a UsageError for a bad mix. */
export function checkBackfillFlags(flags: BackfillFlags): { mode: BackfillMode; retries: number } {
  if (flags.resendUncertain && !flags.resume) throw new UsageError('--resend-uncertain: goes with --resume (it resends the uncertain visits of the stored plan)');
  if (flags.resendUncertain && flags.reportingApi !== false) {
    throw new UsageError('--resend-uncertain: only for a target whose Reporting API cannot be read (add --no-reporting-api); otherwise --resume reconciles uncertain visits with Matomo\'s raw log by itself');
  }
  if (flags.resumeOrStart && (flags.resume || flags.retryFailed || flags.dryRun)) {
    throw new UsageError('--resume-or-start: give it alone (it resumes the stored plan when there is one, else starts it); not with --resume, --retry-failed or --dry-run');
  }
  if (flags.resume && flags.retryFailed) throw new UsageError('--retry-failed: run it on its own, after --resume has finished');
  if (flags.dryRun && (flags.resume || flags.retryFailed)) throw new UsageError('--dry-run: prints a fresh plan; it does not go with --resume or --retry-failed');
  if (flags.summaryJson !== undefined && flags.summaryJson.trim() === '') throw new UsageError('--summary-json: needs a file name, or - for stdout');
  if (flags.dryRun && flags.html !== undefined) throw new UsageError('--html: a dry run sends nothing to report; drop --dry-run (or --html)');
  if (flags.summaryJson === '-' && flags.html === '-') throw new UsageError('--summary-json - and --html - both write stdout: give one of them a file name');
  if (flags.dryRun && flags.summaryJson === '-') throw new UsageError('--summary-json - and --dry-run both write stdout (the dry run writes its hits there): give --summary-json a file name');
  const retries = Number(flags.retries ?? '5');
  if (!Number.isInteger(retries) || retries < 0 || retries > 100) throw new UsageError(`--retries: "${flags.retries}" is not a whole number from 0 to 100`);
  return { mode: flags.retryFailed ? 'retry-failed' : flags.resume ? 'resume' : 'fresh', retries };
}

/** The configuration of backfill and verify: the commands' one loader, without live-run warnings, with backfill's concurrency. */
export async function backfillConfig(io: Io, cmd: Command, now: number): Promise<Config> {
  const { config, sources } = await resolveFromCommand(io, cmd, now, { hideWarning: hiddenForBackfill });
  return withBackfillConcurrency(config, sources['concurrency']);
}

export function stateDirOf(io: Io, config: Config): string {
  return resolve(io.cwd, config.backfill.stateDir);
}

/** The configuration of verify, and the stored plans it may match (all, or those of `--plan`). */
export interface VerifySetup {
  config: Config;
  plans: StoredPlan[];
}

/** A stand-in target, so the token can be read before the stored plan names the real one. */
const NO_TARGET_YET = 'http://stored-plan.invalid/matomo.php';

/**
 * verify's configuration. Given a target (flag, environment or file), as for the backfill: the
 * stored plan must match those settings. Given none, the settings come from the stored plan
 * (`--state-dir`, and `--plan KEY` when the directory holds several), with the token from the
 * environment, a file or a flag as usual.
 */
export async function verifyConfig(io: Io, cmd: Command, now: number, planId: string | undefined): Promise<VerifySetup> {
  const { loadConfig } = await import('../config/load.js');
  const flags = flagsLayerFromCommand(cmd);
  const first = await loadConfig(io, flags, { now, command: cmd.name() });
  const noTarget = (e: { path: string; message: string }): boolean => e.path === 'url' && (e.message === 'no Matomo target' || e.message.startsWith('missing: site id or token'));
  const stored = first.errors.length > 0 && first.errors.every(noTarget);
  const resolved = stored ? await loadConfig(io, { ...flags, values: { ...flags.values, url: NO_TARGET_YET } }, { now, command: cmd.name() }) : first;
  const envLine = environmentNotice(resolved);
  if (envLine) io.stderr.write(envLine);
  // The stand-in URL draws warnings of its own; the backfill warned about the real one.
  const hidden = (w: { path: string }): boolean => stored && w.path === 'url';
  for (const warning of resolved.warnings) if (!hiddenForBackfill(warning) && !hidden(warning)) io.stderr.write(`warning: ${formatIssue(warning)}\n`);
  if (resolved.errors.length > 0 || !resolved.config) throw configError(resolved.errors);
  const given = withBackfillConcurrency(resolved.config, resolved.sources['concurrency']);
  const stateDir = stateDirOf(io, given);
  const plans = listPlans(stateDir).plans.filter((p) => planId === undefined || p.plan.key.startsWith(planId));
  if (planId !== undefined && plans.length === 0) throw new UsageError(`--plan: no stored plan ${planId} in ${stateDir} (give the --state-dir of the backfill)`);
  if (!stored) return { config: given, plans };
  if (plans.length === 0) throw new UsageError(`url: no Matomo target, and no stored backfill plan in ${stateDir} to take it from (give --state-dir of the backfill, or --url and the backfill's settings)`);
  if (plans.length > 1) {
    const list = plans.map((p) => `${p.plan.key.slice(0, 12)} (${p.plan.target.url} site ${p.plan.target.siteId}, ${p.plan.window.from}..${p.plan.window.to})`);
    throw new UsageError(`--plan: ${stateDir} holds ${plans.length} plans: give --plan with one of ${list.join(', ')}`);
  }
  const only = plans[0]!;
  const problem = storedSettingsProblem(only.settings);
  if (problem !== undefined || !only.settings) {
    throw new UsageError(`url: the plan ${only.plan.key.slice(0, 12)} in ${stateDir} ${problem}: give the backfill's target and settings (--url, --site-id, --from/--to, --seed, journey settings) as for the backfill`);
  }
  const tokenAuth = given.targets[0]?.tokenAuth;
  io.stderr.write(`verify: target, window and settings from the plan ${only.plan.key.slice(0, 12)} in ${stateDir}\n`);
  return { config: configFromStored(only.settings, only.plan, { ...(tokenAuth ? { tokenAuth } : {}), stateDir: given.backfill.stateDir }), plans };
}
