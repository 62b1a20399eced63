import type { RegisterCommand } from '../context.js';
import { addConfigOptions } from '../config-options.js';

const EXAMPLES = `
Examples:
  $ trafficinator validate --preset medium --url https://matomo.example.org/matomo.php --token-auth-file token.txt
  $ trafficinator validate --env-file old.env                 # a Python Trafficinator .env preset
  $ trafficinator validate -c plan.yaml --skip-connection     # configuration only, no network
  $ trafficinator validate -c plan.yaml --json | jq .errors

Prints each problem as "field: problem (hint)", errors first, then warnings.
Exit codes: 0 valid, 2 invalid configuration or unreachable target (nothing is ever sent).`;

export const register: RegisterCommand = (program, ctx) => {
  const cmd = program
    .command('validate')
    .description('check the configuration and the Matomo target(s) without sending any hit')
    .option('--json', 'print the result as JSON on stdout')
    .option('--skip-connection', 'check the configuration only; do not contact the targets')
    .option('--probe-timeout <duration>', 'time allowed to each request to a target', '10s');
  addConfigOptions(cmd);
  cmd.addHelpText('after', EXAMPLES);
  cmd.action(async () => {
    const { runValidate } = await import('./validate-run.js');
    ctx.setExitCode(await runValidate(ctx.io, cmd));
  });
};
