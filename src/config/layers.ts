import { configKeyTree, type KeyTree } from './fields.js';
import { formatPath, isPlainObject } from './paths.js';
import type { ConfigIssue } from './schema.js';

import { deletePath, getPath } from './paths.js';

export { deletePath, formatPath, getPath, isPlainObject, setPath } from './paths.js';

/**
 * The live run's stop conditions form one group: the highest layer that sets any of them replaces
 * the whole group below it, so `--duration 2m` over the smoke preset is not cut short by the
 * preset's hidden `maxTotalVisits: 5`.
 */
export const STOP_GROUP: ReadonlyArray<readonly string[]> = [['run', 'duration'], ['maxTotalVisits'], ['autoStopAfterHours']];

/**
 * A configuration source: a partial input object (what users write) plus where it came from.
 * Layers are merged before defaults apply, so an unset value never hides a lower layer.
 */
export interface Layer {
  /** `default`, `preset light`, `config my.yaml`, `env file .env`, `environment`, `flags`. */
  kind: LayerKind;
  label: string;
  values: Record<string, unknown>;
  /** Per dotted key: the exact origin (a line of a file, an env name, a flag). */
  origins?: Record<string, string>;
}

export type LayerKind = 'preset' | 'config' | 'env-file' | 'environment' | 'flags';

/** Lowest to highest precedence (defaults come from the schema, below all of these). */
export const LAYER_ORDER: readonly LayerKind[] = ['preset', 'config', 'env-file', 'environment', 'flags'];

export type Sources = Record<string, string>;


/** Deep merge: objects merge key by key, everything else (arrays included) replaces. */
export function mergeLayers(layers: readonly Layer[]): { values: Record<string, unknown>; sources: Sources } {
  const sorted = [...layers].sort((a, b) => LAYER_ORDER.indexOf(a.kind) - LAYER_ORDER.indexOf(b.kind));
  const values: Record<string, unknown> = {};
  const sources: Sources = {};
  for (const layer of sorted) {
    if (STOP_GROUP.some((path) => getPath(layer.values, path) !== undefined)) {
      for (const path of STOP_GROUP) {
        deletePath(values, path);
        delete sources[path.join('.')];
      }
    }
    mergeInto(values, layer.values, [], layer, sources);
  }
  return { values, sources };
}

function mergeInto(
  target: Record<string, unknown>,
  source: Record<string, unknown>,
  path: string[],
  layer: Layer,
  sources: Sources,
): void {
  for (const [key, value] of Object.entries(source)) {
    if (value === undefined) continue;
    const here = [...path, key];
    const existing = target[key];
    if (isPlainObject(value) && key !== 'targets') {
      const next = isPlainObject(existing) ? existing : {};
      target[key] = next;
      mergeInto(next, value, here, layer, sources);
      // A setting whose value is a map (run.thresholds.checks) is one setting: say which layer set it last.
      if (isSetting(here)) sources[here.join('.')] = originOf(layer, here);
    } else {
      target[key] = value;
      const dotted = here.join('.');
      // A replaced subtree (an array of stages or targets) forgets the lower layer's leaves.
      for (const k of Object.keys(sources)) if (k.startsWith(dotted + '.') || k.startsWith(dotted + '[')) delete sources[k];
      sources[dotted] = originOf(layer, here);
    }
  }
}

/**
 * Unknown keys of a file layer: errors, each with the closest known key as a suggestion (a typo in
 * a YAML file silently ignored would change a run without anyone noticing).
 */
export function unknownKeys(
  values: Record<string, unknown>,
  where: (path: Array<string | number>) => string | undefined,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  check(values, configKeyTree(), [], issues, where);
  return issues;
}

function check(
  value: unknown,
  tree: KeyTree,
  path: Array<string | number>,
  issues: ConfigIssue[],
  where: (path: Array<string | number>) => string | undefined,
): void {
  if (tree.type === 'array' && Array.isArray(value)) {
    value.forEach((item, i) => check(item, tree.element, [...path, i], issues, where));
    return;
  }
  if (tree.type !== 'object' || !isPlainObject(value)) return;
  for (const [key, child] of Object.entries(value)) {
    const known = tree.children.get(key);
    if (known) {
      check(child, known, [...path, key], issues, where);
      continue;
    }
    const suggestion = closest(key, [...tree.children.keys()]);
    const at = where([...path, key]);
    const hints = [suggestion ? `did you mean "${suggestion}"?` : undefined, at].filter(Boolean);
    issues.push({
      path: formatPath([...path, key]),
      message: 'unknown key',
      ...(hints.length ? { hint: hints.join('; ') } : {}),
    });
  }
}

/** The candidate nearest by edit distance, if near enough to be a plausible typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const lower = word.toLowerCase().replace(/[-_]/g, '');
  for (const candidate of candidates) {
    const d = distance(lower, candidate.toLowerCase().replace(/[-_]/g, ''));
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const saved = row[j] as number;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((row[j] as number) + 1, (row[j - 1] as number) + 1, previous + cost);
      previous = saved;
    }
  }
  return row[b.length] as number;
}

/** Where a value of the layer came from: its own origin, or its nearest parent's (a --threshold's metric). */
function originOf(layer: Layer, path: readonly string[]): string {
  for (let n = path.length; n > 0; n--) {
    const origin = layer.origins?.[path.slice(0, n).join('.')];
    if (origin !== undefined) return origin;
  }
  return layer.label;
}

/** True when the path is one setting of the schema (a leaf of the key tree), not a group of them. */
function isSetting(path: readonly string[]): boolean {
  let node: KeyTree | undefined = configKeyTree();
  for (const key of path) node = node?.type === 'object' ? node.children.get(key) : undefined;
  return node?.type === 'leaf';
}
