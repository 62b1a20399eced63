// Measures the backfill replay's own cost per hit (batching, bulk bodies, answer parsing, journal
// writes), with a transport that answers at once, so the number is the ceiling the replay puts on
// a real run. Usage: node scripts/bench-backfill-replay.mjs [days=30] [visitsPerDay=10000] [bulk=100]
// Visits have 5 hits of Matomo-like size; the journal goes to a real file in a temp directory.
import { build } from 'esbuild';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [days = 30, perDay = 10_000, bulk = 100, concurrency = 8] = process.argv.slice(2).map(Number);
const dir = mkdtempSync(join(tmpdir(), 'bench-replay-'));
const entry = `
export { Replay } from './src/backfill/replay.ts';
export { openJournal } from './src/state/journal.ts';
export { openDeadLetters } from './src/state/dead-letter.ts';
export { seeded } from './src/random/rng.ts';
export { systemClock } from './src/time/clock.ts';
`;
const out = join(dir, 'bench.mjs');
await build({ stdin: { contents: entry, resolveDir: process.cwd(), loader: 'ts' }, bundle: true, platform: 'node', format: 'esm', outfile: out, logLevel: 'warning' });
const { Replay, openJournal, openDeadLetters, seeded, systemClock } = await import(out);

const base = [
  ['idsite', '1'], ['rec', '1'], ['url', 'https://example.test/products/hardware/hardware-017'],
  ['action_name', 'Products | Hardware | Page 17'], ['_id', '0123456789abcdef'], ['pv_id', 'a1B2c3'],
  ['cdt', '2026-01-01 10:00:00'], ['h', '11'], ['m', '0'], ['s', '0'], ['rand', '123456'],
  ['ua', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36'],
  ['lang', 'en-US,en;q=0.9'], ['send_image', '0'],
];
// Precomputed visits: the bench measures the replay, not the journey model.
const visit = (index) => ({ index, requests: Array.from({ length: 5 }, (_, h) => ({ type: 'pageview', visitIndex: index, hitIndex: h, at: 0, params: base, userAgent: 'ua' })) });
function* visitsOfDay(_date, indices) { for (const i of indices) yield visit(i); }

let bodyBytes = 0;
const answer = { kind: 'response', status: 200, headers: {}, body: `{"status":"success","tracked":${bulk},"invalid":0}`, latencyMs: 0 };
const transport = {
  send(req) {
    bodyBytes += req.body.length;
    // A batch never exceeds the bulk size; "tracked" >= its size reads as all tracked.
    return Promise.resolve(answer);
  },
  close: async () => {},
};
const journalPath = join(dir, 'journal.ndjson');
const journal = openJournal(journalPath);
const dead = openDeadLetters(join(dir, 'dead.ndjson'));
const dayList = Array.from({ length: days }, (_, d) => ({ date: `2026-01-${String(d + 1).padStart(2, '0')}`, visits: Array.from({ length: perDay }, (_, i) => i), plannedVisits: perDay }));
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const result = await new Replay({ clock: systemClock, transport, rng: seeded(1), url: 'http://127.0.0.1:1/matomo.php', tokenAuth: 'x', bulkSize: bulk, concurrency, days: dayList, visitsOfDay, journal, deadLetter: dead.write }).run();
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
journal.close();
const hits = result.days.reduce((a, d) => a + d.tracked, 0);
console.log(JSON.stringify({ days, perDay, bulk, concurrency, hits, seconds: +(ms / 1000).toFixed(2), hitsPerSecond: Math.round(hits / (ms / 1000)), cpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(2), bodyMB: +(bodyBytes / 1e6).toFixed(1), journalMB: +(statSync(journalPath).size / 1e6).toFixed(2), rssMB: Math.round(process.memoryUsage().rss / 1e6) }));
rmSync(dir, { recursive: true, force: true });
