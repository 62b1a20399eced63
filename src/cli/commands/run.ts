import { Option } from 'commander';
import { addConfigOptions } from '../config-options.js';
import { addMetricsOptions } from '../metrics-options.js';
import type { RegisterCommand } from '../context.js';

const EXAMPLES = `
Examples:
  $ trafficinator run --preset smoke --url http://127.0.0.1:8080/matomo.php
  $ trafficinator run --preset heavy --url https://matomo.staging.example/matomo.php --token-auth-file token.txt \\
      --duration 10m --seed 42 --summary-json heavy.json
  $ trafficinator run -c ramp.yaml --timeseries ramp.ndjson            # stages in the file
  $ trafficinator run --preset smoke --url "$MATOMO_URL" --duration 2m --quiet \\
      --max-error-rate 0.01 --max-p99-ms 500 --min-rate-ratio 0.95 --max-dropped 0
  $ trafficinator run --rps max --concurrency 100 --pause-min 0 --pause-max 0 --duration 60s --url ...
  $ trafficinator run --dry-run --preset medium --max-visits 100 --seed 7 --now 2026-03-29T12:00:00Z > hits.ndjson

Rate: --visits-per-day N, --rps N (hits/s), --rps max, or stages (config; --stages 2m:10,5m:50).
Stops on --duration, --max-visits, auto-stop, the end of the stages, or Ctrl-C (drains within
--grace; a second Ctrl-C stops at once). The report goes to stdout, progress to stderr.
Exit codes: 0 ok, 2 bad usage or unreachable target (nothing sent), 3 a threshold was breached,
130 interrupted.`;

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** `trafficinator run`: live load against Matomo, or `--dry-run` NDJSON of what it would send. */
export const register: RegisterCommand = (program, ctx) => {
  const cmd = program
    .command('run')
    .description('send simulated visits to Matomo at a target rate and report what happened')
    .option('--dry-run', 'send nothing: print every hit as NDJSON (needs --max-visits or --duration)')
    .option('--now <iso>', 'dry run: the instant the visits end at (ISO 8601), for reproducible output')
    .option('--output <file>', 'dry run: write the NDJSON to FILE instead of stdout')
    .option('-q, --quiet', 'print only the final report (no progress, no start lines)')
    .option('--summary-json <file>', 'write the final report as JSON (docs/schema/run-summary.schema.json); - for stdout, the text report then goes to stderr')
    .option('--html <file>', 'write a self-contained HTML report (charts and tables); - prints it on stdout instead of the text report')
    .option('--timeseries <file>', 'write one NDJSON line per second (hits, ok, failed, latency, in flight, dropped); - for stdout')
    .option('--log-file <file>', 'write NDJSON log records (filtered by --log-level)')
    .option('--no-preflight', 'skip the GET of each tracker before sending')
    .option('--insecure', 'do not verify TLS certificates (warns)')
    .option('--proxy <url>', 'send through this HTTP proxy')
    .addOption(new Option('--header <line>', "extra header for every request, 'Name: value' (repeatable)").argParser(collect))
    .option('--connect-timeout <duration>', 'TCP/TLS connect timeout', '10s')
    .option('--request-timeout <duration>', 'time allowed for the response headers, and between body chunks', '30s');
  addMetricsOptions(cmd);
  addConfigOptions(cmd);
  cmd.addHelpText('after', EXAMPLES);
  cmd.action(async () => {
    const opts = cmd.opts<{ dryRun?: boolean }>();
    if (opts.dryRun) {
      const { runDry } = await import('./run-dry.js');
      ctx.setExitCode(await runDry(ctx.io, cmd));
    } else {
      const { runLive } = await import('./run-live.js');
      ctx.setExitCode(await runLive(ctx.io, cmd));
    }
  });
};
