import { Option } from 'commander';
import type { RegisterCommand } from '../context.js';
import { addConfigOptions } from '../config-options.js';
import { addMetricsOptions } from '../metrics-options.js';

const EXAMPLES = `
Examples:
  $ trafficinator backfill --url https://matomo.example.org/matomo.php --site-id 3 --token-auth-file token.txt \\
      --from 2026-01-01 --to 2026-01-31 --seed 42 --dry-run > hits.ndjson     # plan on stderr, hits on stdout
  $ trafficinator backfill ... --from 2026-01-01 --to 2026-01-31 --seed 42 --summary-json backfill.json
  $ trafficinator backfill ... --from 2026-01-01 --to 2026-01-31 --seed 42 --resume     # after Ctrl-C or a crash
  $ trafficinator backfill ... --from 2026-01-01 --to 2026-01-31 --seed 42 --shard 1/4 --state-dir state-1   # one of 4 processes
  $ trafficinator backfill ... --days-back 30 --duration-days 30 --max-visits-per-day 5000 --rps 2000

Rates: --rps N caps tracking requests per second (a bulk batch counts as its hits; "max" or unset:
no cap); --rps-limit N (BACKFILL_RPS_LIMIT) caps visits started per second. Both may be given.
Exactly once: an answer that proves nothing (a 5xx, a timeout, counts that don't add up) is
reconciled with Matomo's raw log (Live API) and only the missing hits are resent; --resume does the
same for visits in flight when a run died.
Exit codes: 0 every day complete and reconciled, 2 refused before sending (bad input, days already
holding visits, a site time zone that cuts days differently, a Reporting API that cannot be read,
overlapping state), 3 days incomplete or uncertain, 130 interrupted.`;

export const register: RegisterCommand = (program, ctx) => {
  const cmd = program
    .command('backfill')
    .description('fill past days of a Matomo site with the journeys of the model, exactly once, resumably')
    .option('--dry-run', 'print the plan (per-day visits) on stderr and the hits as NDJSON on stdout; send nothing')
    .option('--resume', 'continue the stored plan of this target and window: send exactly the visits not yet acknowledged')
    .option('--resume-or-start', 'resume the stored plan of this target and window when the state directory holds it, else start it (for pods that restart)')
    .option('--resend-uncertain', 'with --resume --no-reporting-api: resend the uncertain visits blind (may duplicate; counted)')
    .option('--retry-failed', "resend the dead-letter file's hits of the stored plan, once each")
    .option('--no-reporting-api', "for a tracker-only target: no existing-data or time-zone check, and no reconciliation (ambiguous answers stay uncertain, exit 3)")
    .addOption(
      new Option('--no-open-days-alone', "tests and benchmarks only: let a date's first batch run beside others (provokes Matomo 5.0.2's salt deadlock)").hideHelp(),
    )
    .addOption(new Option('--retry-ambiguous', 'the default now: ambiguous answers are reconciled, then only missing hits resent').hideHelp())
    .option('--force', 'send even when the days already hold visits or state (DUPLICATES data)')
    .option('--retries <n>', 'retries of a batch after its first attempt', '5')
    .option('--summary-json <file>', 'write the final per-day numbers as JSON (docs/schema/backfill-summary.schema.json); - for stdout (the text report then goes to stderr)')
    .option('--html <file>', 'write the report as a self-contained HTML page: planned against tracked per day, hits not tracked, hits per hour (- for stdout)')
    .option('-q, --quiet', 'no progress output (the final report is still printed)');
  addMetricsOptions(cmd);
  addConfigOptions(cmd);
  cmd.addHelpText('after', EXAMPLES);
  cmd.action(async () => {
    const { runBackfill } = await import('./backfill-run.js');
    ctx.setExitCode(await runBackfill(ctx.io, cmd));
  });
};
