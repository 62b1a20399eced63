#!/usr/bin/env node
// Backfill into a real Matomo 5.0.2 (../shared/matomo-harness): is the default exact on fresh
// windows, and what does it deliver against --concurrency 1, measured in the same run?
//
//   MATOMO_HARNESS_DIR=/tmp/matomo node scripts/bench-matomo.mjs [RUNS=10] [DAYS=6] [VISITS=80]
//
// Each run makes a site of its own (Europe/Stockholm, created 2020-01-01): its dates have no
// fingerprint salt row yet, so every window is fresh, as in a first backfill. Runs alternate the
// default settings and --concurrency 1 (one --concurrency 1 run after every second default run),
// so both see the same machine load. A run is exact when verify matches every day (raw log) and,
// after the harness's archive.sh, VisitsSummary.get equals the plan per day. Prints one JSON line
// per run, then the medians and their ratio. Sends to the harness on 127.0.0.1 only.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const cli = join(root, 'dist/cli.cjs');
const harness = process.env.MATOMO_HARNESS_DIR;
if (!harness) {
  console.log('bench-matomo: set MATOMO_HARNESS_DIR to a matomo-harness instance directory: nothing run');
  process.exit(0);
}
const scripts = process.env.MATOMO_HARNESS_SCRIPTS ?? join(root, '..', 'shared', 'matomo-harness');
const [runs = 10, days = 6, visits = 80] = process.argv.slice(2).map(Number);
const base = /^MH_URL=(.*)$/m.exec(readFileSync(join(harness, 'env.sh'), 'utf8'))[1].trim();
const token = readFileSync(join(harness, 'TOKEN'), 'utf8').trim();

/** A Reporting API call; a loaded harness sometimes drops a connection, so it is tried thrice. */
async function api(method, params) {
  const body = new globalThis.URLSearchParams({ module: 'API', format: 'JSON', method, ...params, token_auth: token });
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await globalThis.fetch(`${base}index.php`, { method: 'POST', body });
      return await res.json();
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

let offset = 100; // days back: each run takes a window of its own, further in the past
async function one(kind) {
  const site = (await api('SitesManager.addSite', { siteName: `bench ${kind} ${Date.now()}`, 'urls[0]': 'https://shop.example.com', ecommerce: '1', timezone: 'Europe/Stockholm', currency: 'SEK', startDate: '2020-01-01' })).value;
  const day = 86_400_000;
  const start = Math.floor(Date.now() / day) * day - (offset += days + 1) * day;
  const from = new Date(start).toISOString().slice(0, 10);
  const to = new Date(start + (days - 1) * day).toISOString().slice(0, 10);
  const dir = mkdtempSync(join(tmpdir(), 'bench-matomo-'));
  writeFileSync(join(dir, 'token.txt'), token);
  const args = ['--url', `${base}matomo.php`, '--site-id', String(site), '--token-auth-file', 'token.txt', '--preset', 'medium',
    '--timezone', 'Europe/Stockholm', '--seed', String(site), '--max-visits-per-day', String(visits), '--from', from, '--to', to];
  const extra = kind === 'concurrency-1' ? ['--concurrency', '1'] : [];
  const load = loadavg()[0].toFixed(1);
  const bf = spawnSync(process.execPath, [cli, 'backfill', ...args, ...extra, '--summary-json', 'summary.json', '--quiet'], { cwd: dir, encoding: 'utf8' });
  const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
  const totals = summary.targets[0].totals;
  const verify = spawnSync(process.execPath, [cli, 'verify', ...args], { cwd: dir, encoding: 'utf8' });
  execFileSync('bash', [join(scripts, 'archive.sh'), '--dir', harness, `${from},${to}`], { stdio: 'pipe' });
  const archived = await api('VisitsSummary.get', { idSite: String(site), period: 'day', date: `${from},${to}` });
  const dayRows = summary.targets[0].days;
  const exactDays = dayRows.filter((d) => (archived[d.date]?.nb_visits ?? 0) === d.plannedVisits).length;
  rmSync(dir, { recursive: true, force: true });
  return {
    kind, site, window: `${from}..${to}`, load, exit: bf.status, verifyExit: verify.status, exactDays: `${exactDays}/${dayRows.length}`,
    hits: totals.sent, reconciled: totals.reconciled, resentAfterReconcile: totals.resentAfterReconcile,
    hitsPerSecond: summary.hitsPerSecond, elapsedS: +(summary.elapsedMs / 1000).toFixed(1),
  };
}

const rows = [];
let defaults = 0;
while (defaults < runs) {
  rows.push(await one('default'));
  defaults++;
  console.log(JSON.stringify(rows.at(-1)));
  if (defaults % 2 === 0) {
    rows.push(await one('concurrency-1'));
    console.log(JSON.stringify(rows.at(-1)));
  }
}
const of = (kind) => rows.filter((r) => r.kind === kind);
const d = of('default');
const c1 = of('concurrency-1');
const allExact = rows.every((r) => r.exit === 0 && r.verifyExit === 0 && r.exactDays.split('/')[0] === r.exactDays.split('/')[1]);
const result = {
  runs: d.length,
  exactRuns: d.filter((r) => r.exit === 0 && r.verifyExit === 0 && r.exactDays.split('/')[0] === r.exactDays.split('/')[1]).length,
  medianHitsPerSecond: { default: median(d.map((r) => r.hitsPerSecond)), concurrency1: median(c1.map((r) => r.hitsPerSecond)) },
  reconciledHits: d.reduce((a, r) => a + r.reconciled, 0),
};
result.ratio = +(result.medianHitsPerSecond.default / result.medianHitsPerSecond.concurrency1).toFixed(2);
console.log(JSON.stringify(result));
process.exit(allExact ? 0 : 1);
