import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot, runCli } from '../helpers/cli.js';

/**
 * Against a real Matomo 5.0.2 (the harness in ../shared/matomo-harness, instance directory
 * MATOMO_HARNESS_DIR; `npm run test:matomo`): a seeded backfill at default settings into a fresh
 * site, archived, then what Matomo's reports show against the plan. Device and referrer types
 * must be exact, the returning share within 3 points of `inspect --from/--to`'s forecast.
 */
const dir = process.env.MATOMO_HARNESS_DIR;
if (!dir) throw new Error('MATOMO_HARNESS_DIR is not set: run with the harness instance directory (npm run test:matomo)');
const env = Object.fromEntries(
  readFileSync(join(dir, 'env.sh'), 'utf8')
    .split('\n')
    .filter((line) => /^MH_\w+=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
) as Record<string, string>;
const base = env.MH_URL!.replace(/\/$/, '');
if (!/^http:\/\/(127\.\d+\.\d+\.\d+|localhost)[:/]/.test(`${base}/`)) throw new Error(`the harness must be on loopback, not ${base}`);
const token = readFileSync(env.MH_TOKEN_FILE!, 'utf8').trim();

const FROM = '2026-02-02';
const TO = '2026-02-06';
const SEED = 1212;
const work = mkdtempSync(join(tmpdir(), 'trafficinator-realism-'));
const tokenFile = join(work, 'token');
let siteId = 0;

async function api(method: string, params: Record<string, string>): Promise<unknown> {
  const body = new URLSearchParams({ module: 'API', format: 'JSON', method, token_auth: token, ...params });
  const res = await fetch(`${base}/index.php`, { method: 'POST', body });
  return res.json();
}

/** Default settings: the exactly-once replay sends a visitor's visits in time order. */
function common(): string[] {
  return ['--url', `${base}/matomo.php`, '--site-id', String(siteId), '--token-auth-file', tokenFile, '--from', FROM, '--to', TO, '--seed', String(SEED), '--timezone', 'UTC', '--max-visits-per-day', '150', '--state-dir', join(work, 'state')];
}

function archiveScript(): string {
  // shared/ lies beside the clone (CI and the developers' machines); MATOMO_HARNESS_SCRIPTS overrides.
  const candidates = [process.env.MATOMO_HARNESS_SCRIPTS, join(projectRoot, '..', 'shared', 'matomo-harness')];
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      readFileSync(join(candidate, 'archive.sh'));
      return join(candidate, 'archive.sh');
    } catch {
      // next
    }
  }
  throw new Error('archive.sh of the Matomo harness not found (set MATOMO_HARNESS_SCRIPTS)');
}

interface ReportRow {
  metric: string;
  planned: number;
  matomo: number;
  ok: boolean;
}
let rows: ReportRow[] = [];
let forecast = 0;

beforeAll(async () => {
  writeFileSync(tokenFile, token);
  const added = (await api('SitesManager.addSite', {
    siteName: `realism ${Date.now()}`,
    urls: 'https://example.test',
    ecommerce: '1',
    timezone: 'UTC',
    currency: 'SEK',
    startDate: '2020-01-01',
  })) as { value?: number };
  if (!added.value) throw new Error(`SitesManager.addSite: ${JSON.stringify(added)}`);
  siteId = added.value;
  const backfill = await runCli(['backfill', ...common()], { timeoutMs: 600_000 });
  if (backfill.code !== 0) throw new Error(`backfill exited ${backfill.code}: ${backfill.stderr.slice(-2000)}`);
  execFileSync('bash', [archiveScript(), '--dir', dir, `${FROM},${TO}`], { stdio: 'pipe' });
  const inspect = await runCli(['inspect', '--json', ...common()], { timeoutMs: 120_000 });
  if (inspect.code !== 0) throw new Error(`inspect exited ${inspect.code}: ${inspect.stderr}`);
  forecast = (JSON.parse(inspect.stdout) as { returningForecast: { share: number } }).returningForecast.share;
  const verify = await runCli(['verify', '--reports', '--json', ...common()], { timeoutMs: 300_000 });
  const out = JSON.parse(verify.stdout) as { targets: Array<{ reports: { rows: ReportRow[] } }> };
  rows = out.targets[0]!.reports.rows;
}, 900_000);

afterAll(async () => {
  if (siteId > 0) await api('SitesManager.deleteSite', { idSite: String(siteId) });
  rmSync(work, { recursive: true, force: true });
});

const rowsLike = (prefix: string): ReportRow[] => rows.filter((r) => r.metric.startsWith(prefix));

describe('a seeded backfill, as Matomo 5.0.2 reports it', () => {
  it('has every device type the plan has, exactly', () => {
    expect(rowsLike('device type ').length).toBeGreaterThanOrEqual(3);
    for (const r of rowsLike('device type ')) expect(r.matomo, r.metric).toBe(r.planned);
  });

  it('has every referrer type the plan has, exactly', () => {
    expect(rowsLike('referrer type ').length).toBeGreaterThanOrEqual(5);
    for (const r of rowsLike('referrer type ')) expect(r.matomo, r.metric).toBe(r.planned);
  });

  it("has the returning share within 3 points of inspect's forecast", () => {
    const returning = rows.find((r) => r.metric === 'returning visits %')!;
    expect(returning.planned).toBeCloseTo(forecast * 100, 1);
    expect(Math.abs(returning.matomo - forecast * 100)).toBeLessThanOrEqual(3);
    expect(forecast).toBeGreaterThan(0.1);
  });

  it('matches every other report verify --reports compares', () => {
    expect(rows.filter((r) => !r.ok)).toEqual([]);
  });
});
