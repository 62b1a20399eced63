import type { RegisterCommand } from '../context.js';
import { addConfigOptions } from '../config-options.js';
import { addMetricsOptions } from '../metrics-options.js';

const EXAMPLES = `
Examples:
  $ trafficinator backfill --url https://matomo.example.org/matomo.php --site-id 3 --token-auth-file token.txt \\
      --from 2026-01-01 --to 2026-01-31 --seed 42 --dry-run > hits.ndjson     # plan on stderr, hits on stdout
  $ trafficinator backfill ... --from 2026-01-01 --to 2026-01-31 --seed 42 --summary-json backfill.json
  $ trafficinator backfill ... --from 2026-01-01 --to 2026-01-31 --seed 42 --resume     # after Ctrl-C or a crash
  $ trafficinator backfill ... --days-back 30 --duration-days 30 --max-visits-per-day 5000 --rps 2000

Rates: --rps N caps tracking requests per second (a bulk batch counts as its hits; "max" or unset:
no cap); --rps-limit N (BACKFILL_RPS_LIMIT) caps visits started per second. Both may be given.
Exit codes: 0 every day complete (uncertain visits warn), 2 refused before sending (bad input, days
already holding visits, overlapping state), 3 hits known lost (failed or invalid), 130 interrupted.`;

/** Flags of backfill that are actions of this invocation, not settings (the settings are config). */
export interface BackfillFlags {
  dryRun?: boolean;
  force?: boolean;
  resume?: boolean;
  resendUncertain?: boolean;
  retryFailed?: boolean;
  retryAmbiguous?: boolean;
  summaryJson?: string;
  quiet?: boolean;
  retries?: string;
}

export const register: RegisterCommand = (program, ctx) => {
  const cmd = program
    .command('backfill')
    .description('fill past days of a Matomo site with the journeys of the model, exactly once, resumably')
    .option('--dry-run', 'print the plan (per-day visits) on stderr and the hits as NDJSON on stdout; send nothing')
    .option('--resume', 'continue the stored plan of this target and window: send exactly the visits not yet acknowledged')
    .option('--resend-uncertain', 'with --resume: also resend the visits that were in flight when the last run stopped (may duplicate)')
    .option('--retry-failed', "resend the dead-letter file's hits of the stored plan, once each")
    .option('--retry-ambiguous', 'retry timeouts, resets and 5xx answers to single hits too (may duplicate; counted)')
    .option('--force', 'send even when the days already hold visits or state (DUPLICATES data)')
    .option('--retries <n>', 'retries of a batch after its first attempt', '5')
    .option('--summary-json <file>', 'write the final per-day numbers as JSON (docs/schema/backfill-summary.schema.json)')
    .option('--quiet', 'no progress output (the final report is still printed)');
  addMetricsOptions(cmd);
  addConfigOptions(cmd);
  cmd.addHelpText('after', EXAMPLES);
  cmd.action(async () => {
    const { runBackfill } = await import('./backfill-run.js');
    ctx.setExitCode(await runBackfill(ctx.io, cmd));
  });
};
