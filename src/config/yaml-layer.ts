import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { isPlainObject, unknownKeys, type Layer, type LayerKind } from './layers.js';
import type { ConfigIssue } from './schema.js';

/**
 * A YAML file (a preset or --config) as a layer. Syntax errors carry the file's line and column;
 * unknown keys are errors with a did-you-mean and their line.
 */
export function yamlLayer(
  text: string,
  source: { kind: LayerKind; label: string; file: string },
): { layer?: Layer; errors: ConfigIssue[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const pos = first.linePos?.[0] ?? lineCounter.linePos(first.pos[0]);
    const where = pos ? `${source.file}:${pos.line}:${pos.col}` : source.file;
    const message = first.message.split('\n')[0] ?? 'invalid YAML';
    return { errors: [{ path: source.label, message: `invalid YAML at ${where}: ${message}` }] };
  }
  const values: unknown = doc.toJS();
  if (values === null || values === undefined) {
    return { layer: { kind: source.kind, label: source.label, values: {} }, errors: [] };
  }
  if (!isPlainObject(values)) {
    return { errors: [{ path: source.label, message: `${source.file} must hold a mapping of settings (key: value)` }] };
  }
  const lineOf = (path: Array<string | number>): number | undefined => lineOfPath(doc, path, lineCounter);
  const errors = unknownKeys(values, (path) => {
    const line = lineOf(path);
    return line === undefined ? `in ${source.file}` : `${source.file} line ${line}`;
  });
  const origins: Record<string, string> = {};
  collectOrigins(values, [], (dotted, path) => {
    const line = lineOf(path);
    origins[dotted] = line === undefined ? source.label : `${source.label} line ${line}`;
  });
  return { layer: { kind: source.kind, label: source.label, values, origins }, errors };
}

function collectOrigins(
  value: Record<string, unknown>,
  path: string[],
  visit: (dotted: string, path: string[]) => void,
): void {
  for (const [key, child] of Object.entries(value)) {
    const here = [...path, key];
    if (isPlainObject(child)) collectOrigins(child, here, visit);
    else visit(here.join('.'), here);
  }
}

function lineOfPath(doc: Document, path: Array<string | number>, lines: LineCounter): number | undefined {
  let node: unknown = doc.contents;
  let offset: number | undefined;
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(part));
      if (!pair) return undefined;
      offset = isScalar(pair.key) ? pair.key.range?.[0] : undefined;
      node = pair.value;
    } else if (isSeq(node) && typeof part === 'number') {
      node = node.items[part];
      offset = (node as { range?: [number] } | undefined)?.range?.[0];
    } else {
      return undefined;
    }
  }
  return offset === undefined ? undefined : lines.linePos(offset).line;
}
