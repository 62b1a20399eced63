import { Option, type Command } from 'commander';
import type { Config, ConfigIssue } from '../config/schema.js';
import type { FlagsLayer } from '../config/load.js';
import { UsageError } from '../errors.js';
import { FLAG_FIELDS } from '../config/flags.generated.js';
import { setPath } from '../config/paths.js';
import { parseScalar } from '../config/scalar.js';
import type { Io } from './io.js';

/**
 * Every configuration setting as a flag, from the table generated from the schema (so that
 * registering flags does not load zod: cold start), plus the source flags
 * (--preset, --config, --env-file). Commands that run with a configuration (run, backfill,
 * validate, config) call addConfigOptions, then configFromCommand in their action.
 */
export function addConfigOptions(cmd: Command): Command {
  cmd.option('-p, --preset <name>', 'built-in preset (light, medium, heavy, extreme, smoke) or a YAML file');
  cmd.option('-c, --config <file>', 'YAML configuration file (above the preset)');
  cmd.option('--env-file <file>', "dotenv file with the predecessor's variable names (above --config)");
  for (const field of FLAG_FIELDS) {
    const { flag, kind, description, env, unit } = field.meta;
    if (!flag) continue;
    const help = `${description}${unit ? ` (${unit})` : ''}${env ? ` [${env}]` : ''}`;
    if (kind === 'bool') {
      cmd.addOption(new Option(`--${flag}`, help));
      cmd.addOption(new Option(`--no-${flag}`, `turn off: ${description.toLowerCase()}`));
    } else {
      cmd.addOption(new Option(`--${flag} <${placeholder(kind)}>`, help));
    }
  }
  return cmd;
}

function placeholder(kind: string): string {
  switch (kind) {
    case 'int':
    case 'number':
      return 'n';
    case 'numbers':
      return 'list';
    case 'site-ids':
      return 'id';
    default:
      return kind === 'string' || kind === 'enum' ? 'value' : kind;
  }
}

function attributeName(flag: string): string {
  return flag.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The flags the user actually typed (not commander defaults), as a configuration layer. */
export function flagsLayerFromCommand(cmd: Command): FlagsLayer {
  const opts = cmd.opts<Record<string, unknown>>();
  const values: Record<string, unknown> = {};
  const origins: Record<string, string> = {};
  const errors: ConfigIssue[] = [];
  for (const field of FLAG_FIELDS) {
    const { flag, kind } = field.meta;
    if (!flag) continue;
    const attribute = attributeName(flag);
    if (cmd.getOptionValueSource(attribute) !== 'cli') continue;
    const raw = opts[attribute];
    if (typeof raw === 'boolean') {
      setPath(values, field.path, raw);
      origins[field.key] = raw ? `flag --${flag}` : `flag --no-${flag}`;
      continue;
    }
    const parsed = parseScalar(kind, String(raw));
    if (!parsed.ok) {
      errors.push({ path: field.key, message: parsed.message, hint: `from --${flag}` });
      continue;
    }
    setPath(values, field.path, parsed.value);
    origins[field.key] = `flag --${flag}`;
  }
  const layer: FlagsLayer = { values, origins, errors };
  const source = (name: string): string | undefined => {
    const v = opts[name];
    return typeof v === 'string' ? v : undefined;
  };
  const preset = source('preset');
  const configFile = source('config');
  const envFile = source('envFile');
  if (preset !== undefined) layer.preset = preset;
  if (configFile !== undefined) layer.configFile = configFile;
  if (envFile !== undefined) layer.envFile = envFile;
  return layer;
}

/** `field: problem (hint)`: the one format every configuration problem is shown in. */
export function formatIssue(issue: ConfigIssue): string {
  return `${issue.path}: ${issue.message}${issue.hint ? ` (${issue.hint})` : ''}`;
}

/**
 * The resolved configuration of a command, or a UsageError listing every problem. Warnings go to
 * stderr. `now` (ms) is the instant the backfill rules measure "future" against.
 */
export async function configFromCommand(io: Io, cmd: Command, now: number, ignoreWarnings: readonly string[] = []): Promise<Config> {
  const { loadConfig } = await import('../config/load.js');
  const resolved = await loadConfig(io, flagsLayerFromCommand(cmd), { now });
  for (const warning of resolved.warnings) {
    if (!ignoreWarnings.includes(warning.path)) io.stderr.write(`warning: ${formatIssue(warning)}\n`);
  }
  if (resolved.errors.length > 0 || !resolved.config) throw configError(resolved.errors);
  return resolved.config;
}

export function configError(errors: readonly ConfigIssue[]): UsageError {
  if (errors.length === 1) return new UsageError(formatIssue(errors[0]!));
  const lines = errors.map((e) => `  ${formatIssue(e)}`);
  return new UsageError(`${errors.length} configuration problems:\n${lines.join('\n')}`);
}
