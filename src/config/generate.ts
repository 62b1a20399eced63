import { configFields } from './fields.js';
import { renderReference } from './reference.js';

/**
 * Files derived from the schema and committed: the configuration reference page and the flag table the CLI
 * registers without loading the schema (cold start). `npm run docs` writes them; a test
 * fails when a committed copy differs.
 */
export function generatedFiles(): Record<string, string> {
  return {
    'docs/reference/config.md': renderReference(),
    'src/config/flags.generated.ts': renderFlagTable(),
  };
}

function renderFlagTable(): string {
  const rows = configFields()
    .filter((f) => f.meta.flag)
    .map((f) => {
      const meta: Record<string, string | boolean> = { description: f.meta.description, kind: f.meta.kind };
      if (f.meta.flag) meta['flag'] = f.meta.flag;
      if (f.meta.env) meta['env'] = f.meta.env;
      if (f.meta.unit) meta['unit'] = f.meta.unit;
      meta['scope'] = f.meta.scope;
      meta['shapesPlan'] = f.meta.shapesPlan;
      if (f.meta.lenientFlag) meta['lenientFlag'] = true;
      return `  { key: ${JSON.stringify(f.key)}, path: ${JSON.stringify(f.path)}, meta: ${JSON.stringify(meta)} },`;
    });
  return [
    '// Generated from src/config/schema.ts by `npm run docs`. Do not edit by hand.',
    '// The CLI registers its flags from this table so that it need not load the schema (zod) to start.',
    "import type { FieldMeta } from './schema.js';",
    '',
    'export interface FlagField {',
    '  key: string;',
    '  path: string[];',
    '  meta: FieldMeta;',
    '}',
    '',
    'export const FLAG_FIELDS: readonly FlagField[] = [',
    ...rows,
    '];',
    '',
  ].join('\n');
}
