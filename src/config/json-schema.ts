import { z } from 'zod';
import { ConfigSchema } from './schema.js';

/** Where the published schema lives (docs/schema/trafficinator.schema.json in the repository). */
export const CONFIG_SCHEMA_ID = 'https://github.com/trafficinator/trafficinator/docs/schema/trafficinator.schema.json';

/** Our own annotations on each leaf (FieldMeta): they drive flags and env names, not editors. */
const PRIVATE_KEYS = ['kind', 'flag', 'env', 'unit', 'doc', 'scope', 'shapesPlan', 'lenientFlag'];

/**
 * The JSON Schema of a configuration file (what users write: zod's input side), for editors
 * (`# yaml-language-server: $schema=…`) and other tools. Objects refuse unknown keys, as the
 * loader does, so an editor flags a typo before a run would.
 */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ConfigSchema, {
    io: 'input',
    unrepresentable: 'any',
    override: ({ jsonSchema }) => {
      const node = jsonSchema as Record<string, unknown>;
      for (const key of PRIVATE_KEYS) delete node[key];
      if (node['type'] === 'object' && node['properties'] !== undefined && node['additionalProperties'] === undefined) {
        node['additionalProperties'] = false;
      }
    },
  }) as Record<string, unknown>;
  return {
    $schema: schema['$schema'],
    $id: CONFIG_SCHEMA_ID,
    title: 'trafficinator configuration (preset, --config file)',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
}
