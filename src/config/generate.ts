import { configFields } from './fields.js';
import { BUILT_IN_PRESETS } from './presets.js';
import { renderReference } from './reference.js';
import { yamlLayer } from './yaml-layer.js';

/**
 * Files derived from the schema and committed: the configuration reference page, the flag table the CLI
 * registers without loading the schema, and the built-in presets as layers, read without loading
 * the YAML parser (both for cold start). `npm run docs` writes them; a test fails when a committed
 * copy differs.
 */
export function generatedFiles(): Record<string, string> {
  return {
    'docs/reference/config.md': renderReference(),
    'src/config/flags.generated.ts': renderFlagTable(),
    'src/config/presets.generated.ts': renderPresetLayers(),
  };
}

/** What config/load.ts makes of each built-in preset (presets/<name>.yaml stays the source). */
export function presetLayerOf(name: string, text: string): ReturnType<typeof yamlLayer> {
  return yamlLayer(text, { kind: 'preset', label: `preset ${name}`, file: `presets/${name}.yaml` });
}

function renderPresetLayers(): string {
  const rows = Object.entries(BUILT_IN_PRESETS).map(
    ([name, text]) => `  ${name}: ${JSON.stringify(JSON.stringify(presetLayerOf(name, text)))},`,
  );
  return [
    '// Generated from presets/*.yaml by `npm run docs`. Do not edit by hand.',
    '// Each built-in preset as the layer config/yaml-layer.ts reads from its YAML (values, the line of',
    '// each setting), in JSON: --preset needs no YAML parser at start-up.',
    '',
    'export const PRESET_LAYERS: Readonly<Record<string, string>> = {',
    ...rows,
    '};',
    '',
  ].join('\n');
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
