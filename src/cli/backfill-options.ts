import { resolve } from 'node:path';
import type { Command } from 'commander';
import { hiddenForBackfill, withBackfillConcurrency } from '../backfill/setup.js';
import type { Config } from '../config/schema.js';
import { UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { resolveFromCommand } from './config-options.js';

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
