import type { Io } from '../io.js';
import { envToLayer, parseEnvFile } from './env.js';
import { closest, isPlainObject, mergeLayers, type Layer } from './layers.js';
import { PRESET_NAMES } from './presets.js';
import { PRESET_LAYERS } from './presets.generated.js';
import { resolveConfig, type ResolvedConfig } from './resolve.js';
import type { ConfigIssue } from './schema.js';
import { yamlLayer } from './yaml-layer.js';

export type { ResolvedConfig } from './resolve.js';

/**
 * What the command line contributes: the settings given as flags (a layer, highest precedence)
 * and the names of the other sources.
 */
export interface FlagsLayer {
  values: Record<string, unknown>;
  /** Per dotted key, the flag that set it (`flag --url`). */
  origins?: Record<string, string>;
  /** A built-in preset name or a path to a YAML file. */
  preset?: string;
  configFile?: string;
  envFile?: string;
  /** Flag values that could not be read (e.g. `--concurrency abc`). */
  errors?: ConfigIssue[];
}

/**
 * The one I/O step of configuration: reads the preset, config file, env file, process environment
 * and token files through Io, then resolves. Sources, lowest to highest precedence: defaults <
 * preset < --config < --env-file < environment < flags.
 */
export async function loadConfig(io: Io, flags: FlagsLayer, options: { now: number; command?: string }): Promise<ResolvedConfig> {
  const errors: ConfigIssue[] = [...(flags.errors ?? [])];
  const warnings: ConfigIssue[] = [];
  const layers: Layer[] = [];
  const fail = (): ResolvedConfig => ({ config: undefined, errors, warnings, sources: {} });

  if (flags.preset !== undefined) {
    const loaded = await loadPreset(io, flags.preset);
    if ('error' in loaded) {
      errors.push(loaded.error);
      return fail();
    }
    errors.push(...loaded.errors);
    if (!loaded.layer) return fail();
    layers.push(loaded.layer);
  }

  // Discovery (as k6 and others): ./trafficinator.yaml is the configuration when no -c names one.
  let configFile = flags.configFile;
  let discovered: string | undefined;
  if (configFile === undefined && (await exists(io, DISCOVERED_CONFIG))) configFile = discovered = DISCOVERED_CONFIG;
  if (configFile !== undefined) {
    const text = await readText(io, configFile, 'config');
    if (typeof text !== 'string') {
      errors.push(text);
      return fail();
    }
    const parsed = yamlLayer(text, { kind: 'config', label: `config ${configFile}`, file: configFile });
    errors.push(...parsed.errors);
    if (!parsed.layer) return fail();
    layers.push(parsed.layer);
  }

  if (flags.envFile !== undefined) {
    const text = await readText(io, flags.envFile, 'envFile');
    if (typeof text !== 'string') {
      errors.push(text);
      return fail();
    }
    const parsed = parseEnvFile(text);
    for (const e of parsed.errors) {
      errors.push({ path: 'envFile', message: `${flags.envFile} line ${e.line}: ${e.message}`, hint: 'write KEY=value' });
    }
    const env = envToLayer(parsed.env, { kind: 'env-file', label: `env file ${flags.envFile}`, strict: true });
    errors.push(...env.errors);
    warnings.push(...env.warnings);
    layers.push(env.layer);
  }

  const processEnv = envToLayer(io.env, { kind: 'environment', label: 'environment', strict: false });
  errors.push(...processEnv.errors);
  warnings.push(...processEnv.warnings);
  layers.push(processEnv.layer);

  const flagOrigins = flags.origins ?? {};
  layers.push({ kind: 'flags', label: 'flags', values: flags.values, origins: flagOrigins });

  const tokenFiles: Record<string, string> = {};
  for (const { path, file } of tokenFilesOf(layers)) {
    const text = await readText(io, file, path);
    if (typeof text === 'string') tokenFiles[file] = text;
    else errors.push(text);
  }

  const resolved = resolveConfig(layers, {
    now: options.now,
    tokenFiles,
    errors,
    warnings,
    ...(options.command === undefined ? {} : { command: options.command }),
  });
  resolved.environment = processEnv.applied;
  if (discovered !== undefined) resolved.discovered = discovered;
  if (resolved.config) {
    // The funnel and URL file formats belong to the journey model; here only that they can be read.
    for (const key of ['urlsFile', 'funnelsFile'] as const) {
      const file = resolved.config[key];
      if (file === undefined) continue;
      const text = await readText(io, file, key);
      if (typeof text !== 'string') resolved.errors.push(text);
    }
  }
  return resolved;
}

/** The configuration file read from the working directory when no --config is given. */
export const DISCOVERED_CONFIG = 'trafficinator.yaml';

async function exists(io: Io, file: string): Promise<boolean> {
  try {
    await io.readFile(file);
    return true;
  } catch (error) {
    // Unreadable for another reason (permissions, a directory): let readText report it.
    return (error as { code?: string }).code !== 'ENOENT';
  }
}

async function loadPreset(
  io: Io,
  name: string,
): Promise<{ error: ConfigIssue } | { layer?: Layer; errors: ConfigIssue[] }> {
  // Read at build time from presets/<name>.yaml (config/generate.ts presetLayerOf): the same layer.
  const builtIn = Object.hasOwn(PRESET_LAYERS, name) ? PRESET_LAYERS[name] : undefined;
  if (builtIn !== undefined) return JSON.parse(builtIn) as { layer?: Layer; errors: ConfigIssue[] };
  if (!/[/\\]|\.ya?ml$/i.test(name)) {
    const suggestion = closest(name, PRESET_NAMES);
    return {
      error: {
        path: 'preset',
        message: `unknown preset "${name}"`,
        hint: `${suggestion ? `did you mean ${suggestion}? ` : ''}built-in: ${PRESET_NAMES.join(', ')}; or give a path to a YAML file`,
      },
    };
  }
  const text = await readText(io, name, 'preset');
  if (typeof text !== 'string') return { error: text };
  return yamlLayer(text, { kind: 'preset', label: `preset ${name}`, file: name });
}

function tokenFilesOf(layers: readonly Layer[]): Array<{ path: string; file: string }> {
  const { values } = mergeLayers(layers);
  const found: Array<{ path: string; file: string }> = [];
  if (typeof values['tokenAuthFile'] === 'string') found.push({ path: 'tokenAuthFile', file: values['tokenAuthFile'] });
  const targets = values['targets'];
  if (Array.isArray(targets)) {
    targets.forEach((t, i) => {
      if (isPlainObject(t) && typeof t['tokenAuthFile'] === 'string') {
        found.push({ path: `targets[${i}].tokenAuthFile`, file: t['tokenAuthFile'] });
      }
    });
  }
  return found;
}

const FILE_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory, not a file',
};

/** Reads a file, or describes in one line why it cannot be read. */
async function readText(io: Io, file: string, path: string): Promise<string | ConfigIssue> {
  try {
    return await io.readFile(file);
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    const why = FILE_ERRORS[code] ?? (error instanceof Error ? error.message : String(error));
    return { path, message: `cannot read ${file}: ${why}` };
  }
}
