import type { RegisterCommand } from '../context.js';
import { addConfigOptions } from '../config-options.js';

const EXAMPLES = `
Examples:
  $ trafficinator inspect --preset medium --seed 7                 # 20,000 visits of the medium preset
  $ trafficinator inspect --visits 50000 --bounce-rate 0.5 --json  # tune a mix, read the outcome
  $ trafficinator inspect --from 2026-01-01 --to 2026-01-31 --seed 42  # a backfill window, as Matomo will report it
  $ trafficinator inspect --persona-classic 1 --persona-casual 0 --persona-researcher 0 --persona-buyer 0 --persona-returning 0

Builds a seeded sample of visits exactly as run and backfill would (nothing is sent) and prints
the shares of personas, bounces, returning visitors, devices, countries, campaigns, carts and
orders, the distributions of hits per visit, page loads and visit durations, and what Matomo's
reports will show. With --from/--to it plans that backfill window exactly as backfill does and
forecasts Matomo's returning visits per day (docs/journeys.md).`;

export const register: RegisterCommand = (program, ctx) => {
  const cmd = program
    .command('inspect')
    .description('summarise a seeded sample of visits (personas, bounces, devices, carts ...) without sending')
    .option('--visits <n>', 'visits in the sample', '20000')
    .option('--json', 'print the summary as JSON on stdout');
  addConfigOptions(cmd);
  cmd.addHelpText('after', EXAMPLES);
  cmd.action(async () => {
    const { runInspect } = await import('./inspect-run.js');
    ctx.setExitCode(await runInspect(ctx.io, cmd));
  });
};
