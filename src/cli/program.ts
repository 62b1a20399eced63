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
 * The command modules by name, in the order `--help` lists them. Each module registers its own
 * command, flags and examples; the actions import their heavy dependencies lazily.
 */
const commands: ReadonlyArray<readonly [string, RegisterCommand]> = [
  ['run', run],
  ['backfill', backfill],
  ['verify', verify],
  ['capacity', capacity],
  ['report', report],
  ['validate', validate],
  ['presets', presets],
  ['config', config],
  ['inspect', inspect],
  ['sink', sink],
  ['schema', schema],
  ['completion', completion],
];

/**
 * The commands a command line needs registered. A line naming a command runs it alone: its help,
 * errors and suggestions come from its own flags, so the others (hundreds of commander options:
 * a fifth of `validate`'s start-up) are left out. `--version` alone needs none. Everything else
 * (the program's help, `help <command>`, an unknown command and its did-you-mean, `completion`,
 * which lists every command) gets them all.
 */
function commandsFor(argv: readonly string[]): ReadonlyArray<readonly [string, RegisterCommand]> {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) return [];
  const named = commands.find(([name]) => name === argv[0]);
  return named && named[0] !== 'completion' ? [named] : commands;
}

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
  for (const [, register] of commandsFor(io.argv)) register(program, ctx);
  // Subcommands inherit neither exitOverride nor the output routing: set both on each.
  for (const sub of program.commands) {
    sub.exitOverride().configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
  }
  return program;
}
