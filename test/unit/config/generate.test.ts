import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { prefixedName } from '../../../src/config/env.js';
import { configFields } from '../../../src/config/fields.js';
import { generatedFiles } from '../../../src/config/generate.js';

const root = new URL('../../../', import.meta.url);

describe('files generated from the schema', () => {
  it.each(Object.entries(generatedFiles()))('%s is up to date (run `npm run docs`)', (path, text) => {
    expect(readFileSync(new URL(path, root), 'utf8'), `${path} is stale: run npm run docs`).toBe(text);
  });

  it('the reference names every setting, its flag and its environment names', () => {
    const reference = generatedFiles()['docs/reference/config.md'] ?? '';
    for (const field of configFields()) {
      expect(reference).toContain(`\`${field.key}\``);
      if (field.meta.flag) expect(reference).toContain(`\`--${field.meta.flag}\``);
      if (field.meta.env) expect(reference).toContain(`\`${field.meta.env}\``);
      if (field.meta.flag || field.meta.env) expect(reference).toContain(`\`${prefixedName(field.key)}\``);
    }
  });

  it('flags and environment names are unique', () => {
    const flags = configFields().flatMap((f) => (f.meta.flag ? [f.meta.flag] : []));
    const envs = configFields().flatMap((f) => (f.meta.env ? [f.meta.env] : []));
    expect(new Set(flags).size).toBe(flags.length);
    expect(new Set(envs).size).toBe(envs.length);
  });
});
