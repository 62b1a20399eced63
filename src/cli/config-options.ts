import { Option, type Command } from 'commander';
import type { Config, ConfigIssue } from '../config/schema.js';
import type { FlagsLayer } from '../config/load.js';
import { UsageError } from '../errors.js';
import { FLAG_FIELDS } from '../config/flags.generated.js';
import { setPath } from '../config/paths.js';
import { parseScalar } from '../config/scalar.js';
import { otherCommandOf } from '../config/scope.js';
import type { Io } from '../io.js';

/**
 * Every configuration setting as a flag, from the table generated from the schema (so that
 * registering flags does not load zod: cold start), plus the source flags
 * (--preset, --config, --env-file). Commands that run with a configuration (run, backfill,
 * validate, config) call addConfigOptions, then configFromCommand in their action.
 */
export function addConfigOptions(cmd: Command): Command {
  cmd.option('-p, --preset <name>', 'built-in preset (light, medium, heavy, extreme, smoke) or a YAML file');
  cmd.option('-c, --config <file>', 'YAML configuration file (above the preset; default ./trafficinator.yaml if present)');
  cmd.option('--env-file <file>', "dotenv file with the Python Trafficinator's variable names (above --config)");
  for (const field of FLAG_FIELDS) {
    const { flag, kind, description, env, unit } = field.meta;
    if (!flag) continue;
    // Short --help lists the common settings; --help-all every one of this command's.
    const other = otherCommand(cmd.name(), field.key) !== undefined;
    const common = COMMON_FLAGS.has(flag) && !other;
    const help = `${description}${unit ? ` (${unit})` : ''}${env ? ` [${env}]` : ''}`;
    const options =
      kind === 'bool'
        ? [new Option(`--${flag}`, help), new Option(`--no-${flag}`, `turn off: ${description.toLowerCase()}`)]
        : kind === 'thresholds'
          ? [new Option(`--${flag} <${placeholder(kind)}>`, help).argParser(collect)]
          : [new Option(`--${flag} <${placeholder(kind)}>`, help)];
    for (const option of options) {
      if (!common) option.hideHelp();
      if (other) otherFlags.add(option);
      cmd.addOption(option);
    }
  }
  cmd.option('--help-all', 'show every flag of this command (--help shows the common ones)');
  cmd.on('option:help-all', () => {
    for (const option of cmd.options) if (!otherFlags.has(option)) option.hidden = false;
    cmd.help();
  });
  return cmd;
}

/** The settings --help shows; the rest are under --help-all and in docs/reference/config.md. */
const COMMON_FLAGS = new Set([
  'url', 'site-id', 'token-auth-file', 'visits-per-day', 'rps', 'stages', 'concurrency', 'duration', 'max-visits', 'seed',
  'timezone', 'max-error-rate', 'max-p99-ms', 'min-rate-ratio', 'max-dropped', 'log-level',
  'from', 'to', 'days-back', 'duration-days', 'max-visits-per-day', 'max-visits-total', 'state-dir',
]);

/** Options of the other command (run vs backfill): accepted only to name the right command. */
const otherFlags = new WeakSet<Option>();

function placeholder(kind: string): string {
  switch (kind) {
    case 'int':
    case 'number':
      return 'n';
    case 'numbers':
      return 'list';
    case 'site-ids':
      return 'id';
    case 'thresholds':
      return 'metric:expr';
    default:
      return kind === 'string' || kind === 'enum' ? 'value' : kind;
  }
}

/** Repeated values of a repeatable flag, in order. */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
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
    const other = otherCommand(cmd.name(), field.key);
    if (other) {
      const typed = opts[attribute] === false ? `--no-${flag}` : `--${flag}`;
      errors.push({ path: typed, message: `is a ${other} flag, not a ${cmd.name()} one`, hint: `use trafficinator ${other} ${typed} …` });
      continue;
    }
    const raw = opts[attribute];
    if (typeof raw === 'boolean') {
      setPath(values, field.path, raw);
      origins[field.key] = raw ? `flag --${flag}` : `flag --no-${flag}`;
      continue;
    }
    // A repeatable flag (--threshold) arrives as the list of its values.
    const parsed = parseScalar(kind, Array.isArray(raw) ? raw.join('\n') : String(raw));
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

/**
 * The command a flag belongs to when it is not `command`'s: backfill's window flags given to run,
 * the live run's flags given to backfill (each setting's scope, in the schema). Flags only: env
 * files and YAML mix both (the predecessor's .env files do), and there the other command's keys are
 * ignored.
 */
export function otherCommand(command: string, key: string): 'run' | 'backfill' | undefined {
  const field = FLAG_FIELDS.find((f) => f.key === key);
  return field ? otherCommandOf(command, field.meta) : undefined;
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
  return (await resolveFromCommand(io, cmd, now, { hideWarning: (w) => ignoreWarnings.includes(w.path) })).config;
}

/**
 * The one configuration loader of the commands: configFromCommand, plus where each setting came
 * from (`sources`), with the warnings the command leaves out (hideWarning).
 */
export async function resolveFromCommand(
  io: Io,
  cmd: Command,
  now: number,
  options: { hideWarning?: (warning: ConfigIssue) => boolean } = {},
): Promise<{ config: Config; sources: Readonly<Record<string, string>> }> {
  const { loadConfig } = await import('../config/load.js');
  const resolved = await loadConfig(io, flagsLayerFromCommand(cmd), { now, command: cmd.name() });
  const envLine = environmentNotice(resolved);
  if (envLine) io.stderr.write(envLine);
  for (const warning of resolved.warnings) {
    if (!options.hideWarning?.(warning)) io.stderr.write(`warning: ${formatIssue(warning)}\n`);
  }
  if (resolved.errors.length > 0 || !resolved.config) throw configError(resolved.errors);
  return { config: resolved.config, sources: resolved.sources };
}

export function configError(errors: readonly ConfigIssue[]): UsageError {
  if (errors.length === 1) return new UsageError(formatIssue(errors[0]!));
  const lines = errors.map((e) => `  ${formatIssue(e)}`);
  return new UsageError(`${errors.length} configuration problems:\n${lines.join('\n')}`);
}

/**
 * The lines saying where settings came from that the command line does not show: the configuration
 * file found in the working directory, and the environment variables applied (named, never shown).
 * They go to stderr, so `--summary-json -` stays clean.
 */
export function environmentNotice(resolved: { environment?: string[] | undefined; discovered?: string | undefined }): string | undefined {
  const lines: string[] = [];
  if (resolved.discovered) lines.push(`config: reading ./${resolved.discovered} (found in the current directory; -c FILE reads another)\n`);
  const names = resolved.environment ?? [];
  if (names.length > 0) lines.push(`environment: using ${[...names].sort().join(', ')} (see "config --explain")\n`);
  return lines.length > 0 ? lines.join('') : undefined;
}
