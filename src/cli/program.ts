import { Command } from 'commander';
import { BUILD_DATE, COMMIT, VERSION } from '../version.js';
import type { CommandContext, RegisterCommand } from './context.js';
import type { Io } from '../io.js';
import { register as backfill } from './commands/backfill.js';
import { register as capacity } from './commands/capacity.js';
import { register as completion } from './commands/completion.js';
import { register as config } from './commands/config.js';
import { register as inspect } from './commands/inspect.js';
import { register as presets } from './commands/presets.js';
import { register as report } from './commands/report.js';
import { register as run } from './commands/run.js';
import { register as schema } from './commands/schema.js';
import { registerSink as sink } from './commands/sink.js';
import { register as validate } from './commands/validate.js';
import { register as verify } from './commands/verify.js';

/**
 * The command modules, in the order `--help` lists them. Each module registers its own command,
 * flags and examples; the actions import their heavy dependencies lazily.
 */
const commands: RegisterCommand[] = [run, backfill, verify, capacity, report, validate, presets, config, inspect, sink, schema, completion];

export function buildProgram(io: Io, ctx: CommandContext): Command {
  const program = new Command('trafficinator')
    .description(
      'Load generator and history filler for the Matomo tracking API.\n' +
        'Replays simulated visitor journeys against /matomo.php at a target rate, or fills past days.',
    )
    .version(`trafficinator ${VERSION} (commit ${COMMIT}, built ${BUILD_DATE}, node ${process.versions.node})`, '-V, --version')
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .exitOverride();
  for (const register of commands) register(program, ctx);
  // Subcommands inherit neither exitOverride nor the output routing: set both on each.
  for (const sub of program.commands) {
    sub.exitOverride().configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
  }
  return program;
}
