import { configFields, type Field } from './fields.js';
import { closest, setPath, type Layer } from './layers.js';
import { parseScalar } from './scalar.js';
import type { ConfigIssue } from './schema.js';

/**
 * The predecessor's environment names, so an existing `.env` preset works with `--env-file` and
 * in the process environment. Names come from the schema (FieldMeta.env).
 */

/** Settings of the predecessor that mean nothing here: a warning, never an error. */
const IGNORED: Record<string, string> = {
  AUTO_START: 'runs start when you run a command',
  BACKFILL_ENABLED: 'use the backfill command',
  BACKFILL_RUN_ONCE: 'backfill always runs once and resumes',
  DEBUG: 'use --log-level',
  WEB_UI_PORT: 'there is no web UI',
  CONTROL_UI_PORT: 'there is no web UI',
};

/**
 * Predecessor names common enough in a shell or CI (`LOG_LEVEL=verbose`) to hold a value meant for
 * another program: in the process environment, a value we cannot read is ignored with a warning.
 */
const GENERIC = new Set(['LOG_LEVEL', 'TIMEZONE', 'CONCURRENCY', 'URLS_FILE']);

/** Our prefix: every setting has a TRAFFICINATOR_ name (see prefixedName). */
export const ENV_PREFIX = 'TRAFFICINATOR_';

/** TRAFFICINATOR_ names of the test and build tooling: not settings, never warned about. */
const TOOLING = new Set(['TRAFFICINATOR_BIN']);

export interface EnvResult {
  layer: Layer;
  errors: ConfigIssue[];
  warnings: ConfigIssue[];
  /** The names whose values were applied (for the one line naming them; never the values). */
  applied: string[];
}

/** `run.thresholds.maxErrorRate` -> `TRAFFICINATOR_RUN_THRESHOLDS_MAX_ERROR_RATE`. */
export function prefixedName(key: string): string {
  return ENV_PREFIX + key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/\./g, '_').toUpperCase();
}

function envNames(): Map<string, Field> {
  const map = new Map<string, Field>();
  for (const field of configFields()) {
    if (field.meta.env) map.set(field.meta.env, field);
    map.set(prefixedName(field.key), field);
  }
  return map;
}

/**
 * Turns environment variables into a layer. `strict` (an env file) warns about every name it does
 * not use; the process environment is full of unrelated names, so there only ours are read.
 */
export function envToLayer(
  env: Readonly<Record<string, string | undefined>>,
  options: { kind: 'env-file' | 'environment'; label: string; strict: boolean },
): EnvResult {
  const names = envNames();
  const values: Record<string, unknown> = {};
  const origins: Record<string, string> = {};
  const errors: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];
  const applied: string[] = [];
  // The prefixed name wins over the predecessor's: sort them last.
  const entries = Object.entries(env).sort(([a], [b]) => Number(a.startsWith(ENV_PREFIX)) - Number(b.startsWith(ENV_PREFIX)));
  for (const [name, raw] of entries) {
    if (raw === undefined) continue;
    const field = names.get(name);
    if (!field) {
      if (TOOLING.has(name)) continue;
      if (!options.strict && !name.startsWith(ENV_PREFIX)) continue;
      const why = IGNORED[name];
      const suggestion = why ? undefined : closest(name, [...names.keys()]);
      warnings.push({
        path: name,
        message: why ? `ignored: ${why}` : 'unknown setting, ignored',
        hint: suggestion ? `did you mean ${suggestion}? (${options.label})` : options.label,
      });
      continue;
    }
    // The predecessor wrote empty values for "unset" (MATOMO_TOKEN_AUTH=).
    if (raw.trim() === '') continue;
    const parsed = parseScalar(field.meta.kind, raw);
    if (!parsed.ok || (!options.strict && GENERIC.has(name) && !fits(field, parsed.value))) {
      if (!options.strict && GENERIC.has(name)) {
        // Never the value: it may be anything of another program's.
        warnings.push({
          path: name,
          message: `ignored: its value is not one for ${field.key}`,
          hint: `a generic name, likely meant for another program; use ${prefixedName(field.key)} to set it here`,
        });
        continue;
      }
      if (!parsed.ok) errors.push({ path: field.key, message: parsed.message, hint: `from ${name} in ${options.label}` });
      continue;
    }
    setPath(values, field.path, parsed.value);
    origins[field.key] = `${options.label} (${name})`;
    applied.push(name);
  }
  return { layer: { kind: options.kind, label: options.label, values, origins }, errors, warnings, applied };
}

/** Whether a generic name's value is one the field accepts (its enum, bounds or time zone). */
function fits(field: Field, value: unknown): boolean {
  if (field.values && !field.values.includes(String(value))) return false;
  if (typeof value === 'number') {
    if (field.min !== undefined && value < field.min) return false;
    if (field.max !== undefined && value > field.max) return false;
    if (field.int && !Number.isInteger(value)) return false;
  }
  if (field.key === 'timezone') {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: String(value) });
    } catch {
      return false;
    }
  }
  return true;
}

/** Parses a dotenv file: `KEY=value`, optional `export`, quotes, `#` comments. */
export function parseEnvFile(text: string): { env: Record<string, string>; errors: Array<{ line: number; message: string }> } {
  const env: Record<string, string> = {};
  const errors: Array<{ line: number; message: string }> = [];
  text.split(/\r?\n/).forEach((rawLine, index) => {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) {
      errors.push({ line: index + 1, message: 'not a KEY=VALUE line' });
      return;
    }
    env[match[1] as string] = unquote(match[2] as string);
  });
  return { env, errors };
}

function unquote(value: string): string {
  const quote = value[0];
  if ((quote === '"' || quote === "'") && value.length >= 2) {
    const end = value.indexOf(quote, 1);
    if (end > 0) {
      const inner = value.slice(1, end);
      return quote === '"' ? inner.replace(/\\n/g, '\n').replace(/\\"/g, '"') : inner;
    }
  }
  // An unquoted value ends at ` #` (a trailing comment).
  const comment = value.search(/\s#/);
  return (comment >= 0 ? value.slice(0, comment) : value).trim();
}
