import type { RegisterCommand } from '../context.js';
import { addConfigOptions } from '../config-options.js';

const EXAMPLES = `
Examples:
  $ trafficinator verify --state-dir .trafficinator --plan 3f2a9c01b7de    # as backfill prints it; token from MATOMO_TOKEN_AUTH
  $ trafficinator verify --url https://matomo.example.org/matomo.php --site-id 3 --token-auth-file token.txt \\
      --from 2026-01-01 --to 2026-01-31 --seed 42
  $ trafficinator verify -c backfill.yaml --json | jq '.targets[].days[] | select(.status != "match")'

Compares, per local day, the stored backfill plan with what Matomo recorded: visits and actions in
the raw logs (Live.getLastVisitsDetails, no archiving needed), VisitsSummary.get where the day is
archived, and the tracking failures Matomo logged. A day holding more than planned lists the visitors
recorded more than planned (visitor id, local start times); --repair deletes their visits of those
days (PrivacyManager.deleteDataSubjects, a super-user token), invalidates the days' reports and
marks their planned visits unsent, so backfill --resume sends them again, once. The plan keeps the
backfill's target and settings: --state-dir (and --plan when the directory holds several) and the
token are enough. Given a target, verify uses the same configuration as the backfill instead. Exit codes: 0 every day matches (or the repair
ran), 3 otherwise, 2 bad input or no stored plan.

--reports (after core:archive) also compares the window's reports with what the plan makes Matomo
show: visits, actions, bounces, orders, revenue, abandoned carts, device types, referrer types and
the top countries exactly, the returning share within 3 points (docs/journeys.md).`;

export const register: RegisterCommand = (program, ctx) => {
  const cmd = program
    .command('verify')
    .description('compare a backfill plan with what Matomo recorded, per day')
    .option('--plan <key>', 'the stored plan to verify (its key, or the first characters backfill prints); its settings are used when no target is given')
    .option('--json', 'print the comparison as JSON on stdout')
    .option('--html <file>', 'write the comparison as a self-contained HTML report (- for stdout)')
    .option('--reports', "also compare the window's archived reports with the plan (returning, ecommerce, devices, referrers, countries)")
    .option('--repair', "delete the duplicated visitors' visits of those days (listed first; asks, or needs --yes) and mark them unsent for backfill --resume")
    .option('--yes', 'with --repair: delete without asking (for scripts)');
  addConfigOptions(cmd);
  cmd.addHelpText('after', EXAMPLES);
  cmd.action(async () => {
    const { runVerify } = await import('./verify-run.js');
    ctx.setExitCode(await runVerify(ctx.io, cmd));
  });
};
