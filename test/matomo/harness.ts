import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The real Matomo these tests run against: MATOMO_TEST_URL + MATOMO_TEST_TOKEN, or
 * MATOMO_HARNESS_DIR (the harness's env.sh and TOKEN; its archive.sh archives). Each test makes a
 * site of its own, so its dates never had a fingerprint salt: every window is fresh.
 */
export interface RealMatomo {
  /** Base URL, ending in '/'. */
  base: string;
  tracker: string;
  token: string;
  /** The harness directory, when known: archive.sh lives there. */
  harnessDir?: string;
}

export function realMatomo(): RealMatomo | undefined {
  const url = process.env.MATOMO_TEST_URL;
  const token = process.env.MATOMO_TEST_TOKEN;
  const dir = process.env.MATOMO_HARNESS_DIR;
  if (url && token) {
    const base = url.replace(/matomo\.php$/, '').replace(/\/?$/, '/');
    return { base, tracker: `${base}matomo.php`, token, ...(dir ? { harnessDir: dir } : {}) };
  }
  if (dir && existsSync(join(dir, 'env.sh'))) {
    const env = readFileSync(join(dir, 'env.sh'), 'utf8');
    const base = /^MH_URL=(.*)$/m.exec(env)?.[1]?.trim();
    if (!base) return undefined;
    return { base, tracker: `${base}matomo.php`, token: readFileSync(join(dir, 'TOKEN'), 'utf8').trim(), harnessDir: dir };
  }
  return undefined;
}

export async function api(m: RealMatomo, method: string, params: Record<string, string> = {}): Promise<unknown> {
  const body = new URLSearchParams({ module: 'API', format: 'JSON', method, ...params, token_auth: m.token });
  const res = await fetch(`${m.base}index.php`, { method: 'POST', body });
  const value = (await res.json()) as unknown;
  if (typeof value === 'object' && value !== null && (value as { result?: string }).result === 'error') {
    throw new Error(`${method}: ${(value as { message?: string }).message}`);
  }
  return value;
}

/** A new site in `zone`, created in 2020 so that archives of past days count. */
export async function newSite(m: RealMatomo, zone: string, name: string): Promise<number> {
  const answer = (await api(m, 'SitesManager.addSite', {
    siteName: name,
    'urls[0]': 'https://shop.example.com',
    ecommerce: '1',
    timezone: zone,
    currency: 'SEK',
    startDate: '2020-01-01',
  })) as { value: number };
  return answer.value;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Runs Matomo's core:archive for the days (the harness's archive.sh); false without a harness. */
export function archive(m: RealMatomo, from: string, to: string): boolean {
  if (!m.harnessDir) return false;
  const scripts = process.env.MATOMO_HARNESS_SCRIPTS ?? join(ROOT, '..', 'shared', 'matomo-harness');
  const script = join(scripts, 'archive.sh');
  if (!existsSync(script)) throw new Error(`${script} not found: set MATOMO_HARNESS_SCRIPTS to the harness folder`);
  execFileSync('bash', [script, '--dir', m.harnessDir, `${from},${to}`], { stdio: 'pipe', timeout: 600_000 });
  return true;
}

export function workDirWithToken(m: RealMatomo): string {
  const dir = mkdtempSync(join(tmpdir(), 'matomo-it-'));
  writeFileSync(join(dir, 'token.txt'), m.token + '\n');
  return dir;
}

/** Past dates (YYYY-MM-DD) from `daysAgo` back, `n` days long, counted from today in UTC. */
export function window(daysAgo: number, n: number, now = Date.now()): { from: string; to: string; dates: string[] } {
  const day = 86_400_000;
  const start = Math.floor(now / day) * day - daysAgo * day;
  const dates = Array.from({ length: n }, (_, i) => new Date(start + i * day).toISOString().slice(0, 10));
  return { from: dates[0]!, to: dates[n - 1]!, dates };
}

/** The harness's nginx access log, where the tracker's answers are counted ('' without a harness). */
function accessLog(m: RealMatomo): string {
  return m.harnessDir ? join(m.harnessDir, 'logs', 'nginx-access.log') : '';
}

/** Where the access log ends now: give it to tracker500s after a run. */
export function accessLogSize(m: RealMatomo): number {
  const log = accessLog(m);
  return log && existsSync(log) ? statSync(log).size : 0;
}

/** Tracker answers with status 500 logged after byte `from`; undefined without a harness log. */
export function tracker500s(m: RealMatomo, from: number): number | undefined {
  const log = accessLog(m);
  if (!log || !existsSync(log)) return undefined;
  const text = readFileSync(log).subarray(from).toString('utf8');
  return text.split('\n').filter((line) => /"POST \/matomo\.php[^"]*" 500 /.test(line)).length;
}

const ACTION_TYPES = new Set(['pageview', 'search', 'outlink', 'download', 'event']);

/** Visits and actions per day of a backfill's dry run (its NDJSON hits). */
export function plannedDays(hits: ReadonlyArray<{ day: string; visit: number; type: string }>): Map<string, { visits: number; actions: number }> {
  const days = new Map<string, { visits: Set<number>; actions: number }>();
  for (const h of hits) {
    const d = days.get(h.day) ?? { visits: new Set<number>(), actions: 0 };
    days.set(h.day, d);
    d.visits.add(h.visit);
    if (ACTION_TYPES.has(h.type)) d.actions++;
  }
  return new Map([...days].map(([day, d]) => [day, { visits: d.visits.size, actions: d.actions }]));
}

/** Visits and actions per day in Matomo's archived reports (VisitsSummary.get). */
export async function reportedDays(m: RealMatomo, site: number, w: { from: string; to: string; dates: string[] }): Promise<Map<string, { visits: number; actions: number }>> {
  const summary = (await api(m, 'VisitsSummary.get', { idSite: String(site), period: 'day', date: `${w.from},${w.to}` })) as Record<string, { nb_visits?: number; nb_actions?: number } | []>;
  return new Map(
    w.dates.map((date) => {
      const s = summary[date];
      return [date, Array.isArray(s) || s === undefined ? { visits: 0, actions: 0 } : { visits: Number(s.nb_visits ?? 0), actions: Number(s.nb_actions ?? 0) }];
    }),
  );
}
