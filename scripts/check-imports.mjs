#!/usr/bin/env node
// Checks the module map of src/: no import cycle between files, and no import that runs back up
// the layers of docs/design/architecture.md. Prints every offence and exits 1 when there is one.
//
//   node scripts/check-imports.mjs [--root DIR] [--graph]
//
// --graph prints the folder-level dependency list (who imports whom, with counts) instead.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * Layers from the top (the process edge) down to the pure leaves. A module may import its own
 * layer's folder and any folder of a lower layer; folders that share a layer must not import each
 * other. Type-only imports count too: a type is a dependency of the design, not only of the build.
 */
export const LAYERS = [
  ['cli'],
  ['sink', 'workers'],
  ['metrics', 'capacity'],
  ['report', 'state'],
  ['engine', 'backfill', 'probe'],
  ['workload'],
  ['matomo', 'schedule'],
  ['journey'],
  ['config', 'transport'],
  ['random', 'time', 'io', 'errors', 'version', 'assets'],
];

const args = process.argv.slice(2);
const rootArg = args.indexOf('--root');
const root = resolve(rootArg >= 0 ? args[rootArg + 1] : '.');
const src = join(root, 'src');

function filesUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesUnder(path);
    return /\.ts$/.test(name) && !/\.d\.ts$/.test(name) ? [path] : [];
  });
}

/** `cli/commands/run.ts` → `cli`; a file at the top of src/ is its own folder (`io.ts` → `io`). */
function folderOf(file) {
  const parts = relative(src, file).split('/');
  return parts.length === 1 ? parts[0].replace(/\.ts$/, '') : parts[0];
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file) {
  const text = readFileSync(file, 'utf8');
  const out = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    if (!spec.startsWith('.')) continue;
    const target = resolve(dirname(file), spec).replace(/\.js$/, '.ts');
    out.push(target);
  }
  return out;
}

const files = filesUnder(src);
const known = new Set(files);
const graph = new Map(files.map((f) => [f, importsOf(f).filter((t) => known.has(t))]));
const rank = new Map(LAYERS.flatMap((folders, i) => folders.map((f) => [f, i])));

if (args.includes('--graph')) {
  const edges = new Map();
  for (const [from, tos] of graph) {
    for (const to of tos) {
      const key = `${folderOf(from)} -> ${folderOf(to)}`;
      if (folderOf(from) !== folderOf(to)) edges.set(key, (edges.get(key) ?? 0) + 1);
    }
  }
  for (const [edge, n] of [...edges].sort()) console.log(`${edge}  (${n})`);
  process.exit(0);
}

const problems = [];

for (const file of files) {
  const folder = folderOf(file);
  if (!rank.has(folder)) problems.push(`${relative(root, file)}: folder "${folder}" has no layer in scripts/check-imports.mjs`);
}

for (const [from, tos] of graph) {
  const a = folderOf(from);
  for (const to of tos) {
    const b = folderOf(to);
    if (a === b || !rank.has(a) || !rank.has(b)) continue;
    const ra = rank.get(a);
    const rb = rank.get(b);
    if (rb < ra) problems.push(`up the layers: ${relative(root, from)} (${a}) imports ${relative(root, to)} (${b})`);
    else if (rb === ra) problems.push(`sideways in one layer: ${relative(root, from)} (${a}) imports ${relative(root, to)} (${b})`);
  }
}

// Tarjan's strongly connected components: every component of more than one file is a cycle.
let index = 0;
const stack = [];
const state = new Map();
function strongConnect(v) {
  const s = { index, low: index, onStack: true };
  state.set(v, s);
  index++;
  stack.push(v);
  for (const w of graph.get(v)) {
    const t = state.get(w);
    if (!t) {
      strongConnect(w);
      s.low = Math.min(s.low, state.get(w).low);
    } else if (t.onStack) s.low = Math.min(s.low, t.index);
  }
  if (s.low === s.index) {
    const component = [];
    let w;
    do {
      w = stack.pop();
      state.get(w).onStack = false;
      component.push(w);
    } while (w !== v);
    if (component.length > 1) problems.push(`import cycle: ${component.map((f) => relative(root, f)).sort().join(' <-> ')}`);
  }
}
for (const f of files) if (!state.has(f)) strongConnect(f);

for (const p of problems) console.log(p);
const edges = [...graph.values()].reduce((n, tos) => n + tos.length, 0);
console.log(`check-imports: ${files.length} files, ${edges} imports, ${problems.length} problem(s)`);
process.exit(problems.length ? 1 : 0);
