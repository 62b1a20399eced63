import { UsageError } from '../../errors.js';
import { completionModel, renderCompletion, SHELLS, type Shell } from '../completion.js';
import type { RegisterCommand } from '../context.js';

const EXAMPLES = `
Examples:
  $ source <(trafficinator completion bash)                 # in ~/.bashrc
  $ source <(trafficinator completion zsh)                  # in ~/.zshrc
  $ trafficinator completion fish > ~/.config/fish/completions/trafficinator.fish`;

/** `trafficinator completion bash|zsh|fish`: a completion script generated from the commands' flags. */
export const register: RegisterCommand = (program, ctx) => {
  program
    .command('completion')
    .description('print a shell completion script (bash, zsh or fish)')
    .argument('<shell>', SHELLS.join(', '))
    .addHelpText('after', EXAMPLES)
    .action((shell: string) => {
      if (!(SHELLS as readonly string[]).includes(shell)) {
        throw new UsageError(`completion: unknown shell "${shell}" (use ${SHELLS.join(', ')})`);
      }
      ctx.io.stdout.write(renderCompletion(shell as Shell, completionModel(program)));
    });
};
