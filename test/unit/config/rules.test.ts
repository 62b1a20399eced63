import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/config/resolve.js';
import type { ConfigIssue } from '../../../src/config/schema.js';

// 2026-11-26 12:00 UTC: "today" is 2026-11-26 in CET.
const NOW = Date.UTC(2026, 10, 26, 12);
const BASE = { url: 'https://m.example.org/matomo.php', tokenAuth: 't', autoStopAfterHours: 1 };

function check(values: Record<string, unknown>, flagOrigins: Record<string, string> = {}) {
  return resolveConfig([{ kind: 'flags', label: 'flags', values: { ...BASE, ...values }, origins: flagOrigins }], { now: NOW });
}

const has = (issues: ConfigIssue[], path: string, text: string | RegExp): boolean =>
  issues.some((i) => i.path === path && (typeof text === 'string' ? i.message.includes(text) : text.test(i.message)));

describe('errors', () => {
  it.each([
    { why: 'range: concurrency 0', values: { concurrency: 0 }, path: 'concurrency', text: 'must be at least 1 (got 0)' },
    { why: 'range: probability above 1', values: { probabilities: { outlinks: 1.5 } }, path: 'probabilities.outlinks', text: 'at most 1' },
    { why: 'wide bound: visits per day over 10^9', values: { visitsPerDay: 2e9 }, path: 'visitsPerDay', text: 'at most 1000000000' },
    { why: 'wrong type', values: { concurrency: 'many' }, path: 'concurrency', text: 'expected number, got string "many"' },
    { why: 'integer needed', values: { concurrency: 2.5 }, path: 'concurrency', text: 'must be an integer' },
    { why: 'min > max', values: { pageviews: { min: 5, max: 2 } }, path: 'pageviews.min', text: '5 is above max 2' },
    { why: 'min > max, pauses', values: { pauseSeconds: { min: 3, max: 1 } }, path: 'pauseSeconds.min', text: 'above max' },
    { why: 'min > max, order value', values: { ecommerce: { orderValue: { min: 50, max: 10 } } }, path: 'ecommerce.orderValue.min', text: 'above max' },
    { why: 'URL without http(s)', values: { url: 'ftp://x/matomo.php' }, path: 'url', text: 'not an http(s) URL' },
    { why: 'URL without a host', values: { url: 'matomo.php' }, path: 'url', text: 'not an http(s) URL' },
    { why: 'currency', values: { ecommerce: { currency: 'sek' } }, path: 'ecommerce.currency', text: 'three uppercase letters' },
    { why: 'timezone', values: { timezone: 'Mars/Olympus' }, path: 'timezone', text: 'not an IANA time zone' },
    { why: 'enum', values: { logLevel: 'loud' }, path: 'logLevel', text: 'must be one of debug, info, warn, error' },
    { why: 'site id range upside down', values: { siteId: '9-3' }, path: 'siteId', text: 'site id or range' },
    { why: 'absolute and relative window', values: { backfill: { from: '2026-01-01', to: '2026-01-02', daysBack: 3, durationDays: 2 } }, path: 'backfill', text: 'not both' },
    { why: 'half a window', values: { backfill: { from: '2026-01-01' } }, path: 'backfill.to', text: 'needs both from and to' },
    { why: 'half a relative window', values: { backfill: { daysBack: 3 } }, path: 'backfill.durationDays', text: 'needs both daysBack and durationDays' },
    { why: 'start after end', values: { backfill: { from: '2026-02-01', to: '2026-01-01' } }, path: 'backfill.from', text: 'is after' },
    { why: 'end in the future', values: { backfill: { from: '2026-11-20', to: '2026-11-27' } }, path: 'backfill.to', text: 'in the future (today is 2026-11-26 in CET)' },
    { why: 'relative end in the future', values: { backfill: { daysBack: 2, durationDays: 5 } }, path: 'backfill.to', text: 'in the future' },
    { why: 'window over 180 days', values: { backfill: { from: '2026-01-01', to: '2026-07-01' } }, path: 'backfill', text: 'longer than 180' },
    { why: 'not a date', values: { backfill: { from: '2026-02-30', to: '2026-03-01' } }, path: 'backfill.from', text: 'YYYY-MM-DD' },
    { why: 'total cap below per-day cap', values: { backfill: { maxVisitsPerDay: 500, maxVisitsTotal: 100 } }, path: 'backfill.maxVisitsTotal', text: 'below the per-day cap' },
    { why: 'no token with randomized countries', values: { tokenAuth: undefined }, path: 'tokenAuth', text: 'countries are randomized' },
    { why: 'no token when backfilling', values: { tokenAuth: undefined, countries: { randomize: false }, backfill: { from: '2026-11-01', to: '2026-11-02' } }, path: 'tokenAuth', text: 'backfill window' },
    { why: 'stages and rps', values: { run: { rps: 5, stages: [{ duration: '1m', target: 5 }] } }, path: 'run.stages', text: 'not both' },
    { why: 'bad duration', values: { run: { duration: '10 minutes' } }, path: 'run.duration', text: 'not a duration' },
    { why: 'no target at all', values: { url: undefined, tokenAuth: undefined, countries: { randomize: false } }, path: 'url', text: 'no Matomo target' },
    { why: 'both target forms', values: { targets: [{ url: 'https://a.example/matomo.php', siteId: 1 }] }, path: 'targets', text: 'not both' },
  ])('$why', ({ values, path, text }) => {
    const r = check(values);
    expect(r.errors, JSON.stringify(r.errors)).toSatisfy((e: ConfigIssue[]) => has(e, path, text));
  });

  it('reports every problem at once, rules included, even when a field has the wrong type', () => {
    const r = check({ concurrency: 'x', pageviews: { min: 5, max: 2 }, timezone: 'Nowhere', ecommerce: { currency: 'kr' } });
    expect(r.errors.map((e) => e.path).sort()).toEqual(['concurrency', 'ecommerce.currency', 'pageviews.min', 'timezone']);
  });

  it('judges "future" in the configured zone, not in UTC', () => {
    // 2026-11-26 23:30 UTC is already 2026-11-27 in CET: the 27th is today there.
    const late = Date.UTC(2026, 10, 26, 23, 30);
    const at = (timezone: string) =>
      resolveConfig([{ kind: 'flags', label: 'flags', values: { ...BASE, timezone, backfill: { from: '2026-11-27', to: '2026-11-27' } }, origins: {} }], { now: late });
    expect(at('CET').errors).toEqual([]);
    expect(has(at('UTC').errors, 'backfill.to', 'in the future')).toBe(true);
  });

  it('accepts a relative window ending today, and a window of exactly 180 days', () => {
    expect(check({ backfill: { daysBack: 3, durationDays: 4 } }).errors).toEqual([]);
    expect(check({ backfill: { from: '2026-05-30', to: '2026-11-25' } }).errors).toEqual([]);
  });
});

describe('warnings', () => {
  it.each([
    { why: "predecessor's bound: visits/day", values: { visitsPerDay: 2_000_000, concurrency: 5000 }, path: 'visitsPerDay', text: "above the Python Trafficinator's bound of 1000000" },
    { why: "predecessor's bound: concurrency", values: { concurrency: 600 }, path: 'concurrency', text: "bound of 500" },
    { why: 'high concurrency', values: { concurrency: 250 }, path: 'concurrency', text: 'high concurrency' },
    { why: 'high visits/day', values: { visitsPerDay: 600_000, concurrency: 2000 }, path: 'visitsPerDay', text: 'high rate' },
    { why: 'no auto-stop', values: { autoStopAfterHours: 0 }, path: 'autoStopAfterHours', text: 'no auto-stop' },
    { why: 'long window', values: { backfill: { from: '2026-06-01', to: '2026-09-30' } }, path: 'backfill', text: 'long window: 122 days' },
    { why: 'high per-day cap', values: { backfill: { maxVisitsPerDay: 9000 } }, path: 'backfill.maxVisitsPerDay', text: 'high per-day cap' },
    { why: 'high rate limit', values: { backfill: { rpsLimit: 200 } }, path: 'backfill.rpsLimit', text: 'high rate limit' },
    { why: "rate limit over the predecessor's bound", values: { backfill: { rpsLimit: 1000 } }, path: 'backfill.rpsLimit', text: 'bound of 500' },
    { why: 'plain http with a token', values: { url: 'http://matomo.example.org/matomo.php' }, path: 'url', text: 'unencrypted' },
  ])('$why', ({ values, path, text }) => {
    const r = check(values);
    expect(r.errors).toEqual([]);
    expect(r.warnings, JSON.stringify(r.warnings)).toSatisfy((w: ConfigIssue[]) => has(w, path, text));
  });

  it('does not warn about plain http to loopback', () => {
    const r = check({ url: 'http://127.0.0.1:8080/matomo.php' });
    expect(r.warnings.filter((w) => w.message.includes('unencrypted'))).toEqual([]);
  });

  it('warns about a token given as a flag', () => {
    const r = check({}, { tokenAuth: 'flag --token-auth' });
    expect(has(r.warnings, 'tokenAuth', 'process list')).toBe(true);
  });

  it("Little's law: says how much concurrency the rate needs", () => {
    // 864,000 visits/day = 10 visits/s; 5.5 pageviews on average -> 4.5 pauses of 2 s = 9 s per visit -> 90 in flight.
    const r = check({ visitsPerDay: 864_000, pageviews: { min: 5, max: 6 }, pauseSeconds: { min: 2, max: 2 }, concurrency: 50 });
    const w = r.warnings.find((x) => x.path === 'concurrency' && x.message.includes('cannot carry'));
    expect(w?.message).toContain('needs at least 90 visits in flight');
    expect(w?.hint).toContain('--concurrency 108');
    const ok = check({ visitsPerDay: 864_000, pageviews: { min: 5, max: 6 }, pauseSeconds: { min: 2, max: 2 }, concurrency: 90 });
    expect(ok.warnings.some((x) => x.message.includes('cannot carry'))).toBe(false);
  });
});
