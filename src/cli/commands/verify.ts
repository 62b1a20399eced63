import type { RegisterCommand } from '../context.js';
import { addConfigOptions } from '../config-options.js';

const EXAMPLES = `
Examples:
  $ trafficinator verify --url https://matomo.example.org/matomo.php --site-id 3 --token-auth-file token.txt \\
      --from 2026-01-01 --to 2026-01-31 --seed 42
  $ trafficinator verify -c backfill.yaml --json | jq '.targets[].days[] | select(.status != "match")'

Compares, per local day, the stored backfill plan with what Matomo recorded: visits and actions in
the raw logs (Live.getLastVisitsDetails, no archiving needed), VisitsSummary.get where the day is
archived, and the tracking failures Matomo logged. Use the same configuration and --state-dir as
the backfill. Exit codes: 0 every day matches, 3 otherwise, 2 bad input or no stored plan.`;

export const register: RegisterCommand = (program, ctx) => {
  const cmd = program
    .command('verify')
    .description('compare a backfill plan with what Matomo recorded, per day')
    .option('--json', 'print the comparison as JSON on stdout')
    .option('--html <file>', 'write the comparison as a self-contained HTML report (- for stdout)');
  addConfigOptions(cmd);
  cmd.addHelpText('after', EXAMPLES);
  cmd.action(async () => {
    const { runVerify } = await import('./verify-run.js');
    ctx.setExitCode(await runVerify(ctx.io, cmd));
  });
};
