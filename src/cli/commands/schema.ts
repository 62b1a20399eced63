import type { RegisterCommand } from '../context.js';

const EXAMPLES = `
Examples:
  $ trafficinator schema > trafficinator.schema.json
  # then, first line of a YAML configuration, for editors that complete and check keys:
  # yaml-language-server: $schema=./trafficinator.schema.json`;

/** `trafficinator schema`: the JSON Schema of the configuration file, generated from the zod schema. */
export const register: RegisterCommand = (program, ctx) => {
  program
    .command('schema')
    .description('print the JSON Schema of the YAML configuration (for editors and other tools)')
    .addHelpText('after', EXAMPLES)
    .action(async () => {
      const { configJsonSchema } = await import('../../config/json-schema.js');
      ctx.io.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
    });
};
