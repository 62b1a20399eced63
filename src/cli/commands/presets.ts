import type { RegisterCommand } from '../context.js';

const EXAMPLES = `
Examples:
  $ trafficinator presets
  $ trafficinator config --preset heavy          # every setting of a preset
  $ trafficinator run --preset light --url https://matomo.example.org/matomo.php`;

export const register: RegisterCommand = (program, ctx) => {
  program
    .command('presets')
    .description('list the built-in presets with their headline numbers')
    .addHelpText('after', EXAMPLES)
    .action(async () => {
      const { renderPresets } = await import('../../report/presets.js');
      ctx.io.stdout.write(renderPresets());
    });
};
