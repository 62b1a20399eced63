import type { FieldMeta } from './schema.js';

/**
 * What a setting's scope and plan-shaping metadata (schema.ts FieldMeta) mean for the commands:
 * which flags a command refuses, which warnings backfill leaves out, and which settings are hashed
 * into a backfill plan's identity. Works on any list of fields (the generated flag table, so the
 * command line can decide without loading the schema, or configFields()).
 */
export interface ScopedField {
  key: string;
  path: readonly string[];
  meta: Pick<FieldMeta, 'scope' | 'shapesPlan' | 'lenientFlag'>;
}

/** The command a setting's flag belongs to when it is not `command`'s (refused, naming it). */
export function otherCommandOf(command: string, meta: ScopedField['meta']): 'run' | 'backfill' | undefined {
  if (command === 'run' && meta.scope === 'backfill') return 'backfill';
  if (command === 'backfill' && meta.scope === 'run' && !meta.lenientFlag) return 'run';
  return undefined;
}

/**
 * Whether a configuration problem at `path` (`run.stages`, `visitsPerDay`, `targets[1].url`) is
 * about a setting only the live run reads: the setting at that path or above it, or, for a path
 * naming a group, every setting of the group.
 */
export function isRunOnly(fields: readonly ScopedField[], path: string): boolean {
  const field = fields.find((f) => path === f.key || path.startsWith(`${f.key}.`) || path.startsWith(`${f.key}[`));
  if (field) return field.meta.scope === 'run';
  const group = fields.filter((f) => f.key.startsWith(`${path}.`));
  return group.length > 0 && group.every((f) => f.meta.scope === 'run');
}

/** The top-level configuration keys whose whole value shapes a backfill plan (every setting under it does). */
export function planShapingKeys(fields: readonly ScopedField[]): Set<string> {
  const byKey = new Map<string, boolean>();
  for (const field of fields) {
    const top = field.path[0]!;
    byKey.set(top, (byKey.get(top) ?? true) && field.meta.shapesPlan);
  }
  return new Set([...byKey].filter(([, shapes]) => shapes).map(([key]) => key));
}
