import type { RegisterCommand } from '../context.js';
import { addConfigOptions } from '../config-options.js';

const EXAMPLES = `
Examples:
  $ trafficinator config --preset heavy --url https://matomo.example.org/matomo.php
  $ trafficinator config --env-file old.env --explain    # where each value came from
  $ trafficinator config -c plan.yaml > effective.yaml   # reusable with --config

token_auth is always shown as [redacted].`;

export const register: RegisterCommand = (program, ctx) => {
  const cmd = program
    .command('config')
    .description('print the effective configuration (all sources merged) as YAML')
    .option('--explain', 'show, for each setting, where its value came from');
  addConfigOptions(cmd);
  cmd.addHelpText('after', EXAMPLES);
  cmd.action(async () => {
    const { runConfig } = await import('./config-run.js');
    ctx.setExitCode(await runConfig(ctx.io, cmd));
  });
};
