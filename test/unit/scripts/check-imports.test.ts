import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const script = join(root, 'scripts/check-imports.mjs');
const trees: string[] = [];

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'check-imports-'));
  trees.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function check(dir: string): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, [script, '--root', dir], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout };
}

afterEach(() => {
  for (const dir of trees.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('scripts/check-imports.mjs', () => {
  it('passes on this repository: no import cycle, no import up or sideways in the layers', () => {
    const out = execFileSync(process.execPath, [script, '--root', root], { encoding: 'utf8' });
    expect(out).toMatch(/, 0 problem\(s\)\n$/);
  });

  it('names an import up the layers, one sideways in a layer, and a cycle', () => {
    const dir = tree({
      'src/cli/main.ts': "import { a } from '../journey/a.js';\n",
      // journey is below cli: importing it from journey runs up.
      'src/journey/a.ts': "import { main } from '../cli/main.js';\nimport { b } from './b.js';\nexport const a = 1;\n",
      'src/journey/b.ts': "import type { A } from './a.js';\nexport const b = 2;\n",
      // engine and backfill share a layer.
      'src/engine/live.ts': "export { plan } from '../backfill/plan.js';\n",
      'src/backfill/plan.ts': 'export const plan = 3;\n',
    });
    const { code, out } = check(dir);
    expect(code).toBe(1);
    expect(out).toContain('up the layers: src/journey/a.ts (journey) imports src/cli/main.ts (cli)');
    expect(out).toContain('sideways in one layer: src/engine/live.ts (engine) imports src/backfill/plan.ts (backfill)');
    // One strongly connected component: main -> a -> main, and a -> b -> a.
    expect(out).toContain('import cycle: src/cli/main.ts <-> src/journey/a.ts <-> src/journey/b.ts');
  });

  it('refuses a folder that has no layer, so a new folder gets a place in the map', () => {
    const { code, out } = check(tree({ 'src/newthing/x.ts': 'export const x = 1;\n' }));
    expect(code).toBe(1);
    expect(out).toContain('folder "newthing" has no layer');
  });
});
