import type { Command } from 'commander';
import { FLAG_FIELDS } from '../config/flags.generated.js';
import { otherCommand } from './config-options.js';

/** What a completion script needs of the program: its commands and each one's long flags. */
export interface CompletionModel {
  commands: Array<{ name: string; description: string; flags: string[]; valued: string[] }>;
}

/** Setting flags by long name, to leave out those of the other command (run vs backfill). */
const KEY_OF = new Map(FLAG_FIELDS.flatMap((f) => (f.meta.flag ? [[`--${f.meta.flag}`, f.key], [`--no-${f.meta.flag}`, f.key]] : [])));

export function completionModel(program: Command): CompletionModel {
  return {
    commands: program.commands
      .filter((c) => c.name() !== 'help')
      .map((c) => ({
        name: c.name(),
        description: c.description().split('\n')[0]!.replace(/\s+/g, ' ').slice(0, 70),
        flags: [...options(c).map((o) => o.long), '--help'],
        valued: options(c).filter((o) => o.valued).map((o) => o.long),
      })),
  };
}

function options(c: Command): Array<{ long: string; valued: boolean }> {
  return c.options
    .filter((o) => o.long !== undefined)
    .filter((o) => {
      const key = KEY_OF.get(o.long!);
      return key === undefined || otherCommand(c.name(), key) === undefined;
    })
    .map((o) => ({ long: o.long!, valued: o.required || o.optional }));
}

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** A completion script for `shell`: commands first, then the flags of the command typed. */
export function renderCompletion(shell: Shell, model: CompletionModel): string {
  if (shell === 'fish') return fish(model);
  const cases = model.commands.map((c) => `    ${c.name}) flags="${c.flags.join(' ')}" ;;`).join('\n');
  const names = model.commands.map((c) => c.name).join(' ');
  const bash = `# trafficinator completion for bash: source <(trafficinator completion bash)
_trafficinator() {
  local cur=\${COMP_WORDS[COMP_CWORD]} flags=""
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "${names} --help --version" -- "$cur"))
    return
  fi
  case "\${COMP_WORDS[1]}" in
${cases}
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$flags" -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -F _trafficinator trafficinator
`;
  if (shell === 'bash') return bash;
  // zsh runs the bash function through bashcompinit: one script to keep right instead of two.
  return `#compdef trafficinator
# trafficinator completion for zsh: source <(trafficinator completion zsh)
autoload -U +X bashcompinit && bashcompinit
${bash.split('\n').slice(1).join('\n')}`;
}

function fish(model: CompletionModel): string {
  const lines = ['# trafficinator completion for fish: trafficinator completion fish | source', 'complete -c trafficinator -f'];
  const names = model.commands.map((c) => c.name).join(' ');
  for (const c of model.commands) {
    lines.push(`complete -c trafficinator -n "not __fish_seen_subcommand_from ${names}" -a ${c.name} -d ${quote(c.description)}`);
    for (const flag of c.flags) {
      const value = c.valued.includes(flag) ? ' -r -F' : '';
      lines.push(`complete -c trafficinator -n "__fish_seen_subcommand_from ${c.name}" -l ${flag.replace(/^--/, '')}${value}`);
    }
  }
  return lines.join('\n') + '\n';
}

function quote(text: string): string {
  return `'${text.replaceAll("'", "\\'")}'`;
}
