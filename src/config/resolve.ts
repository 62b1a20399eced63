import type { z } from 'zod';
import { configFields } from './fields.js';
import { deletePath, formatPath, isPlainObject, mergeLayers, type Layer, type Sources } from './layers.js';
import { checkRules } from './rules.js';
import { ConfigSchema, type Config, type ConfigIssue } from './schema.js';

/**
 * Layers -> one Config: merge the partial layers, fold the single-target keys into `targets`,
 * parse once with the full schema (which fills the defaults), then run the cross-field rules.
 * Pure: files (token files) are read by load.ts and handed in.
 */
export interface ResolvedConfig {
  /** Present when the schema accepted the merged values (rule errors may still be present). */
  config: Config | undefined;
  errors: ConfigIssue[];
  warnings: ConfigIssue[];
  /** Per dotted key: where its value came from; keys absent here are defaults. */
  sources: Sources;
  /** The merged values as users write them (before defaults and normalisation); may hold tokens. */
  input?: Record<string, unknown>;
  /** Names of the process environment variables applied (load.ts), for the notice naming them. */
  environment?: string[];
  /** The configuration file found in the working directory (no --config given). */
  discovered?: string;
}

export interface ResolveOptions {
  now: number;
  /** The command resolving (rules that apply to one command only). */
  command?: string;
  /** Contents of the token files named in the layers, by path as written. */
  tokenFiles?: Record<string, string>;
  /** Problems already found while loading (unreadable files); reported with the rest. */
  errors?: ConfigIssue[];
  warnings?: ConfigIssue[];
}

const SINGLE_KEYS = ['url', 'siteId', 'tokenAuth', 'tokenAuthFile'] as const;

export function resolveConfig(layers: readonly Layer[], options: ResolveOptions): ResolvedConfig {
  const { values, sources } = mergeLayers(layers);
  const input = structuredClone(values);
  const errors: ConfigIssue[] = [...(options.errors ?? [])];
  const warnings: ConfigIssue[] = [...(options.warnings ?? [])];
  const singleTarget = normaliseTargets(values, sources, options.tokenFiles ?? {}, errors);

  const parsed = parseWithRecovery(values, sources, singleTarget, errors);
  if (parsed) {
    const rules = checkRules(parsed, {
      now: options.now,
      sources,
      singleTarget,
      ...(options.command === undefined ? {} : { command: options.command }),
    });
    const seen = new Set(errors.map((e) => e.path));
    errors.push(...rules.errors.filter((e) => !seen.has(e.path)));
    warnings.push(...rules.warnings);
  }
  return { config: parsed, errors, warnings, sources, input };
}

/** The paths a user can set in the single-target form, as they appear once folded. */
function singlePath(path: string, singleTarget: boolean): string {
  if (!singleTarget) return path;
  const match = /^targets\[0\]\.(url|siteId|tokenAuth|weight)(.*)$/.exec(path);
  return match ? `${match[1]}${match[2]}` : path;
}

function normaliseTargets(
  values: Record<string, unknown>,
  sources: Sources,
  tokenFiles: Record<string, string>,
  errors: ConfigIssue[],
): boolean {
  const single = SINGLE_KEYS.filter((k) => values[k] !== undefined);
  const list = values['targets'];
  const pulled: Record<string, unknown> = {};
  for (const key of SINGLE_KEYS) {
    pulled[key] = values[key];
    delete values[key];
  }
  if (list !== undefined && single.length > 0) {
    const where = single.map((k) => `${k} from ${sources[k] ?? 'default'}`).join(', ');
    errors.push({
      path: 'targets',
      message: 'give either url/siteId/tokenAuth or a targets list, not both',
      hint: `targets from ${sources['targets'] ?? 'a file'}; ${where}`,
    });
    return false;
  }
  if (list === undefined) {
    if (single.length === 0) return false;
    if (pulled['url'] === undefined) {
      errors.push({ path: 'url', message: 'missing: site id or token given without a tracker URL', hint: 'give --url https://HOST/matomo.php' });
      return true;
    }
    const target: Record<string, unknown> = { url: pulled['url'], siteId: pulled['siteId'] ?? 1 };
    if (pulled['tokenAuth'] !== undefined) target['tokenAuth'] = pulled['tokenAuth'];
    if (pulled['tokenAuthFile'] !== undefined) target['tokenAuthFile'] = pulled['tokenAuthFile'];
    values['targets'] = [target];
    resolveTokenFile(target, 'tokenAuth', tokenFiles, errors);
    return true;
  }
  if (Array.isArray(list)) {
    list.forEach((target, i) => {
      if (isPlainObject(target)) resolveTokenFile(target, `targets[${i}].tokenAuth`, tokenFiles, errors);
    });
  }
  return false;
}

function resolveTokenFile(
  target: Record<string, unknown>,
  path: string,
  tokenFiles: Record<string, string>,
  errors: ConfigIssue[],
): void {
  const file = target['tokenAuthFile'];
  if (typeof file !== 'string') return;
  delete target['tokenAuthFile'];
  if (target['tokenAuth'] !== undefined) {
    errors.push({ path, message: 'given both as a value and as a file', hint: 'keep one of tokenAuth and tokenAuthFile' });
    return;
  }
  const text = tokenFiles[file];
  // An unreadable file was reported by the loader; leave the token unset.
  if (text === undefined) return;
  const token = text.trim();
  if (token === '') errors.push({ path: `${path}File`, message: `${file} is empty`, hint: 'the file should hold the token_auth' });
  else target['tokenAuth'] = token;
}

/**
 * Parses once; when some fields are wrong, drops them (so their defaults apply) and parses again,
 * so the cross-field rules still run and every problem is reported in one go.
 */
function parseWithRecovery(
  values: Record<string, unknown>,
  sources: Sources,
  singleTarget: boolean,
  errors: ConfigIssue[],
): Config | undefined {
  const working = structuredClone(values);
  for (let attempt = 0; attempt < 5; attempt++) {
    const result = ConfigSchema.safeParse(working, { reportInput: true });
    if (result.success) return result.data;
    const seen = new Set(errors.map((e) => e.path));
    for (const issue of result.error.issues) {
      const path = singlePath(formatPath(issue.path), singleTarget);
      if (attempt === 0 && !seen.has(path)) {
        errors.push({ path, message: describeIssue(issue), ...hintFor(path, sources) });
        seen.add(path);
      }
      deletePath(working, issue.path.length > 0 ? issue.path : ['__none__']);
    }
  }
  return undefined;
}

function hintFor(quoted: string, sources: Sources): { hint?: string } {
  // Sources are keyed by the plain dotted path: `run.thresholds.checks.latency{type:pageview}`.
  const path = quoted.replace(/\."([^"]*)"/g, '.$1');
  const from = sources[path] ?? sources[path.replace(/\[\d+\].*$/, '')] ?? sources[path.replace(/\.[^.]*$/, '')];
  return from ? { hint: `from ${from}` } : {};
}

const KIND_MESSAGES: Record<string, string> = {
  'site-ids': 'must be a site id or a range (write 3 or 1-500)',
  seed: 'must be a non-negative integer or a string',
  rps: 'must be a positive number or "max"',
  thresholds: 'write an expression, "p(99)<500", or { threshold: "p(99)<500", abortOnFail: true, delayAbortEval: 10s }',
};

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

export function describeIssue(issue: z.core.$ZodIssue): string {
  const input = (issue as { input?: unknown }).input;
  const got = input === undefined ? '' : ` (got ${JSON.stringify(input)})`;
  switch (issue.code) {
    case 'too_small': {
      if (issue.origin === 'array') return `needs at least ${issue.minimum} item(s)`;
      if (issue.origin === 'string') return 'must not be empty';
      return `must be ${issue.inclusive ? 'at least' : 'above'} ${issue.minimum}${got}`;
    }
    case 'too_big':
      return `must be ${issue.inclusive ? 'at most' : 'below'} ${issue.maximum}${got}`;
    case 'invalid_type':
      if (input === undefined) return 'missing';
      if (issue.expected === 'int') return `must be an integer${got}`;
      return `expected ${issue.expected}, got ${describe(input)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => String(v)).join(', ')}${got}`;
    case 'invalid_union': {
      const key = issue.path.filter((p) => typeof p === 'string').join('.');
      // A map-valued setting's entries (run.thresholds.checks.<metric>) belong to the setting.
      const field = configFields().find((f) => f.key === key || (key.endsWith('siteId') && f.key === 'siteId') || key.startsWith(`${f.key}.`));
      return (field && KIND_MESSAGES[field.meta.kind]) ?? `invalid value${got}`;
    }
    default:
      return issue.message;
  }
}
