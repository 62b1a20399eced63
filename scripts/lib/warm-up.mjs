// What scripts/build-bin.mjs runs of each deferred package before saving its V8 code cache. A code
// cache holds the functions compiled when it is made: made right after loading, it holds only the
// package's load-time code, and every command then compiles (parses, generates bytecode for) the
// functions it calls the first time, on every start. Running the paths the commands use first
// (parsing a preset, building and checking a schema like the configuration's, a zone's local
// time) puts their bytecode in the cache. Nothing here changes what the package does later: each
// package is loaded again from its script in the binary.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

const warmUps = {
  'deferred:yaml'(yaml) {
    const dir = join(projectRoot, 'presets');
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.yaml'))) {
      const lineCounter = new yaml.LineCounter();
      const doc = yaml.parseDocument(readFileSync(join(dir, file), 'utf8'), { lineCounter, prettyErrors: false, uniqueKeys: true });
      const walk = (node) => {
        if (yaml.isMap(node)) {
          for (const pair of node.items) {
            if (yaml.isScalar(pair.key)) lineCounter.linePos(pair.key.range[0]);
            walk(pair.value);
          }
        }
        if (yaml.isSeq(node)) node.items.forEach(walk);
      };
      walk(doc.contents);
      doc.toJS();
    }
    yaml.parseDocument('a: [1, 2\nb: {', { prettyErrors: false, uniqueKeys: true }).errors.map((e) => e.message);
    yaml.stringify({ a: 1, b: ['x', { c: true }] });
  },
  'deferred:zod'(zod) {
    const { z } = zod;
    const range = z.object({ min: z.number().min(0), max: z.number().min(0) }).refine((r) => r.min <= r.max, 'min above max');
    const schema = z.object({
      url: z.string().min(1).regex(/^https?:/).optional(),
      siteId: z.number().int().positive().default(1),
      rate: z.union([z.number().positive(), z.literal('max')]).optional(),
      mode: z.enum(['a', 'b']).default('a'),
      list: z.array(z.string()).max(10).default([]),
      flag: z.boolean().default(false),
      nested: z.object({ n: z.number().int().min(0).max(100).default(5) }).prefault({}),
      range: range.optional(),
      text: z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.string()).transform((s) => s.trim()).optional(),
    });
    schema.safeParse({ url: 'http://x', rate: 'max', list: ['a'], range: { min: 1, max: 2 }, text: 3 }, { reportInput: true });
    const bad = schema.safeParse({ url: '', siteId: -1, mode: 'c', list: 'x', range: { min: 3, max: 1 } }, { reportInput: true });
    if (!bad.success) bad.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    z.toJSONSchema(schema, { io: 'input' });
  },
  'deferred:luxon'(luxon) {
    const { DateTime, IANAZone } = luxon;
    IANAZone.isValidZone('Europe/Stockholm');
    const at = DateTime.fromMillis(Date.UTC(2026, 2, 29, 1, 30), { zone: 'CET' });
    at.toISODate();
    at.startOf('day').plus({ days: 1 }).toFormat('yyyy-MM-dd HH:mm:ss');
    DateTime.fromISO('2026-10-25', { zone: 'Europe/Berlin' }).endOf('day').toMillis();
    IANAZone.create('CET').offset(at.toMillis());
  },
};

/** Runs the warm-up of package `name` (a `deferred:<package>` name) on its exports; a no-op for others. */
export function warmUp(name, exports) {
  warmUps[name]?.(exports);
}
