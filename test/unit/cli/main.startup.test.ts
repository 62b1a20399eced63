import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Metafile } from 'esbuild';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleCli, DEFERRED_PACKAGES, entryPoint, ZOD_EXPORTS } from '../../../scripts/lib/bundle.mjs';

/**
 * Cold start of the single executable is the time to evaluate what `--version` reaches. esbuild
 * evaluates a module at start-up when it is reachable from the entry through static imports or
 * requires; a dynamic `import()` target becomes a lazy init function (no code splitting in a CJS
 * bundle). So the static import graph of the real bundle is what start-up costs.
 */
const allowedAtStartup = [/^src\//, /^node_modules\/commander\//, /^node:/, /^lazy-child-process:/];

/** Every input reachable from `from` without crossing a dynamic import, with the path that reached it. */
function staticClosure(meta: Metafile, from: string): Map<string, string[]> {
  const reached = new Map<string, string[]>([[from, [from]]]);
  const queue = [from];
  for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
    for (const edge of meta.inputs[path]?.imports ?? []) {
      if (edge.kind === 'dynamic-import' || reached.has(edge.path)) continue;
      reached.set(edge.path, [...(reached.get(path) ?? []), edge.path]);
      if (!edge.external) queue.push(edge.path);
    }
  }
  return reached;
}

const tmp = mkdtempSync(join(tmpdir(), 'trafficinator-lazy-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('start-up path of the bundle', () => {
  it('reaches only the CLI sources and commander before a command runs', async () => {
    const { metafile } = await bundleCli({ write: false, metafile: true, sea: true });
    const reached = staticClosure(metafile, entryPoint);
    const allowed = (path: string): boolean => allowedAtStartup.some((pattern) => pattern.test(path));
    // The first disallowed module on each chain: the import to make lazy.
    const heavy = [...reached.values()]
      .filter((chain) => !allowed(chain.at(-1) ?? '') && allowed(chain.at(-2) ?? ''))
      .map((chain) => chain.join(' -> '));
    // Fix: import the heavy module inside the command's action (`await import('...')`), and keep
    // the command module's top level to flag registration.
    expect(heavy, 'modules evaluated at start-up (import them lazily)').toEqual([]);
    expect(reached.has('node_modules/commander/esm.mjs') || reached.has('node_modules/commander/index.js')).toBe(true);
  });

  it('keeps a dynamically imported module and its packages unevaluated until imported', async () => {
    const outfile = join(tmp, 'lazy.cjs');
    const { metafile } = await bundleCli({
      entry: 'test/fixtures/lazy-import/entry.ts',
      outfile,
      metafile: true,
      sea: true,
    });
    // The fixture's heavy module and zod (as deferred source text) are in the bundle, but behind a
    // dynamic import...
    const inputs = Object.keys(metafile.inputs);
    expect(inputs).toContain('deferred:zod');
    const reached = staticClosure(metafile, 'test/fixtures/lazy-import/entry.ts');
    expect([...reached.keys()].filter((path) => path.includes('zod') || path.endsWith('heavy.ts'))).toEqual([]);
    // ...and at run time nothing of it runs before the import() resolves.
    const out = JSON.parse(execFileSync(process.execPath, [outfile], { encoding: 'utf8' })) as unknown;
    expect(out).toEqual({ before: [], after: ['heavy'], parsed: 'ok' });
  });

  it('compiles a statically imported deferred package on the first use of an export', async () => {
    const outfile = join(tmp, 'exports.cjs');
    await bundleCli({ entry: 'test/fixtures/lazy-import/exports.ts', outfile, sea: true });
    const out = JSON.parse(execFileSync(process.execPath, [outfile], { encoding: 'utf8' })) as unknown;
    expect(out).toEqual({ before: [], after: ['deferred:yaml'], value: { a: 1 } });
  });

  it("uses no member of zod's z but those the deferred zod carries", () => {
    const used = new Map<string, string>();
    const other: string[] = [];
    for (const file of readdirSync('src', { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))) {
      const source = ts.createSourceFile(file, readFileSync(join('src', file), 'utf8'), ts.ScriptTarget.Latest, true);
      const imports = source.statements.filter(
        (s): s is ts.ImportDeclaration => ts.isImportDeclaration(s) && (s.moduleSpecifier as ts.StringLiteral).text === 'zod',
      );
      if (imports.every((s) => s.importClause?.isTypeOnly)) continue;
      // The one way in: `import { z } from 'zod'` (the deferred zod exports nothing else).
      for (const s of imports) expect(s.importClause?.getText(source), file).toBe('{ z }');
      const visit = (node: ts.Node): void => {
        if (ts.isIdentifier(node) && node.text === 'z') {
          const parent = node.parent;
          // A type (`z.output<…>`) is a qualified name; a value is a property access.
          if (ts.isPropertyAccessExpression(parent) && parent.expression === node) used.set(parent.name.text, file);
          else if (!ts.isQualifiedName(parent) && !ts.isImportSpecifier(parent)) other.push(`${file}: z as a value`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(other).toEqual([]);
    // Fix: add the member to ZOD_EXPORTS in scripts/lib/bundle.mjs.
    const missing = [...used].filter(([member]) => !ZOD_EXPORTS.includes(member)).map(([member, file]) => `z.${member} (${file})`);
    expect(missing).toEqual([]);
    expect(used.has('number')).toBe(true);
  });

  it('carries the vendored packages as deferred text, once each, and none of their files as code', async () => {
    const { metafile } = await bundleCli({ write: false, metafile: true, sea: true });
    const inputs = Object.keys(metafile.inputs);
    // Each deferred package is compiled from its text on first require; a file of it bundled as
    // code would be a second copy, parsed at every start (and a second zod or undici at run time).
    expect(inputs.filter((path) => path.startsWith('deferred:')).sort()).toEqual(DEFERRED_PACKAGES.map((name) => `deferred:${name}`).sort());
    const asCode = inputs.filter((path) => DEFERRED_PACKAGES.some((name) => path.startsWith(`node_modules/${name}/`)));
    expect(asCode).toEqual([]);
  });

  it("gives seedrandom Node's crypto on first use, not when it loads", async () => {
    const { outputFiles } = await bundleCli({ write: false, sea: true });
    const text = outputFiles?.[0]?.text ?? '';
    // seedrandom's `require('crypto')` (for autoseeding, which no command asks for) resolves to a
    // getter; nothing else of the bundle requires crypto at load.
    const requires = text.match(/require\("(node:)?crypto"\)/g) ?? [];
    expect(requires).toEqual(['require("node:crypto")']);
    expect(text).toMatch(/get randomBytes\(\) \{\s*return require\("node:crypto"\)\.randomBytes;/);
  });

  it('gives commander child_process on first use, not when it loads', async () => {
    const { outputFiles } = await bundleCli({ write: false, sea: true });
    const text = outputFiles?.[0]?.text ?? '';
    expect(text.match(/require\("(node:)?child_process"\)/g) ?? []).toEqual(['require("node:child_process")']);
    expect(text).toMatch(/get spawn\(\) \{\s*return require\("node:child_process"\)\.spawn;/);
  });

  it('reads the deferred packages from the single executable\'s assets when asked, carrying no copy', async () => {
    const scripts = new Map<string, string>();
    const { outputFiles } = await bundleCli({ write: false, sea: true, deferredAssets: true, onDeferred: (name, script) => scripts.set(name, script) });
    const text = outputFiles?.[0]?.text ?? '';
    expect([...scripts.keys()].sort()).toEqual(DEFERRED_PACKAGES.map((name) => `deferred:${name}`).sort());
    // esbuild may rename the module's `sea` binding (sea2, …) when another module imports node:sea too.
    for (const name of scripts.keys()) expect(text).toMatch(new RegExp(`\\bsea\\d*\\.getAsset\\(${JSON.stringify(`${name}:script`)}, "utf8"\\)`));
    expect(text).not.toContain('brotliDecompressSync');
  });
});
