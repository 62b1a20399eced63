import type { z } from 'zod';
import { ConfigSchema, type FieldMeta } from './schema.js';

/**
 * Reads the schema as data: its leaves (with flag, env name, default and bounds) and its key tree.
 * Flags, the environment mapping, unknown-key checks and the README reference all come from here,
 * so none of them can drift from the schema.
 */
export interface Field {
  /** Dotted path, e.g. `pageviews.min`. */
  key: string;
  path: string[];
  meta: FieldMeta;
  default?: unknown;
  min?: number;
  max?: number;
  int?: boolean;
  values?: string[];
}

export type KeyTree =
  | { type: 'object'; children: Map<string, KeyTree> }
  | { type: 'array'; element: KeyTree }
  | { type: 'leaf' };

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  entries?: Record<string, string>;
  defaultValue?: unknown;
  shape?: Record<string, z.ZodType>;
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

function metaOf(schema: z.ZodType): FieldMeta | undefined {
  const meta = schema.meta() as Partial<FieldMeta> | undefined;
  return meta && typeof meta.kind === 'string' ? (meta as FieldMeta) : undefined;
}

/** Strips default/prefault/optional/transform wrappers, collecting the default on the way. */
function unwrap(schema: z.ZodType): { core: z.ZodType; default?: unknown } {
  let current = schema;
  let found: { default?: unknown } = {};
  for (;;) {
    const def = defOf(current);
    if ((def.type === 'default' || def.type === 'prefault') && def.innerType) {
      if (!('default' in found)) found = { default: def.defaultValue };
      current = def.innerType;
    } else if ((def.type === 'optional' || def.type === 'nullable') && def.innerType) {
      current = def.innerType;
    } else if (def.type === 'pipe' && def.in) {
      current = def.in;
    } else {
      return { core: current, ...found };
    }
  }
}

function shapeOf(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  const { core } = unwrap(schema);
  const def = defOf(core);
  return def.type === 'object' ? (def.shape as Record<string, z.ZodType>) : undefined;
}

function describeLeaf(path: string[], schema: z.ZodType, meta: FieldMeta): Field {
  const { core, default: def } = unwrap(schema);
  const field: Field = { key: path.join('.'), path, meta };
  if (def !== undefined) field.default = def;
  const cores = defOf(core).type === 'union' ? (defOf(core).options ?? []).map((o) => unwrap(o).core) : [core];
  for (const c of cores) {
    const d = defOf(c);
    if (d.type === 'number') {
      const n = c as unknown as { minValue: number | null; maxValue: number | null; isInt: boolean };
      if (n.minValue !== null && Number.isFinite(n.minValue)) field.min = n.minValue;
      if (n.maxValue !== null && Number.isFinite(n.maxValue)) field.max = n.maxValue;
      field.int = n.isInt;
    } else if (d.type === 'enum' && d.entries) {
      field.values = Object.values(d.entries);
    } else if (d.type === 'array' && d.element) {
      const el = defOf(unwrap(d.element).core);
      if (el.type === 'number') {
        const n = unwrap(d.element).core as unknown as { minValue: number | null; maxValue: number | null };
        if (n.minValue !== null && Number.isFinite(n.minValue)) field.min = n.minValue;
        if (n.maxValue !== null && Number.isFinite(n.maxValue)) field.max = n.maxValue;
      }
    }
  }
  return field;
}

function walk(schema: z.ZodType, path: string[], out: Field[]): void {
  const meta = metaOf(schema);
  if (meta) {
    out.push(describeLeaf(path, schema, meta));
    return;
  }
  const shape = shapeOf(schema);
  if (!shape) return;
  for (const [key, child] of Object.entries(shape)) walk(child, [...path, key], out);
}

let cachedFields: Field[] | undefined;

/** Every setting of the schema, in schema order. */
export function configFields(): Field[] {
  if (!cachedFields) {
    cachedFields = [];
    walk(ConfigSchema, [], cachedFields);
  }
  return cachedFields;
}

function tree(schema: z.ZodType): KeyTree {
  const { core } = unwrap(schema);
  const def = defOf(core);
  if (def.type === 'object' && def.shape) {
    const children = new Map<string, KeyTree>();
    for (const [key, child] of Object.entries(def.shape)) children.set(key, tree(child));
    return { type: 'object', children };
  }
  if (def.type === 'array' && def.element) {
    const element = tree(def.element);
    return element.type === 'leaf' ? { type: 'leaf' } : { type: 'array', element };
  }
  return { type: 'leaf' };
}

let cachedTree: KeyTree | undefined;

/** The keys a configuration file may use, nested as in the file. */
export function configKeyTree(): KeyTree {
  cachedTree ??= tree(ConfigSchema);
  return cachedTree;
}
