import { describe, expect, it } from 'vitest';
import { envToLayer } from '../../../src/config/env.js';
import { resolveConfig } from '../../../src/config/resolve.js';

// 2026-11-26 12:00 UTC, as in rules.test.ts.
const NOW = Date.UTC(2026, 10, 26, 12);
const TWO = {
  targets: [
    { url: 'https://a.example.org/matomo.php', siteId: 1, tokenAuth: 't' },
    { url: 'https://b.example.org/matomo.php', siteId: 1, tokenAuth: 't' },
  ],
  autoStopAfterHours: 1,
};

function resolve(checks: unknown, base: Record<string, unknown> = TWO, command = 'run') {
  return resolveConfig([{ kind: 'config', label: 'config t.yaml', values: { ...base, run: { thresholds: { checks } } } }], { now: NOW, command });
}

describe('run.thresholds.checks in a configuration', () => {
  it('accepts the k6 forms and keeps them as written', () => {
    const checks = {
      'latency{type:pageview}': ['p(99)<500', { threshold: 'p(95)<200', abortOnFail: true, delayAbortEval: '10s' }],
      'error_rate{target:https://b.example.org/matomo.php}': ['rate<0.01'],
      'dropped{target:1}': ['count==0'],
    };
    const r = resolve(checks);
    expect(r.errors).toEqual([]);
    expect(r.config?.run.thresholds.checks).toEqual(checks);
    // The built-ins keep their defaults beside them.
    expect(r.config?.run.thresholds.maxErrorRate).toBe(0.05);
  });

  it.each([
    { why: 'an unknown hit type', checks: { 'latency{type:foo}': ['p(99)<500'] }, path: 'run.thresholds.checks."latency{type:foo}"', message: /^unknown hit type foo \(one of pageview, /},
    { why: 'an unknown metric', checks: { http_req_duration: ['p(99)<500'] }, path: 'run.thresholds.checks.http_req_duration', message: /unknown metric http_req_duration/ },
    { why: 'an aggregation the metric lacks', checks: { error_rate: ['rate<0.1', 'p(99)<5'] }, path: 'run.thresholds.checks.error_rate[1]', message: /error_rate has rate/ },
    { why: 'a delay without unit', checks: { error_rate: [{ threshold: 'rate<0.1', abortOnFail: true, delayAbortEval: '10' }] }, path: 'run.thresholds.checks.error_rate[0]', message: /delayAbortEval "10" is not a duration/ },
    { why: 'a key k6 does not have', checks: { error_rate: [{ threshold: 'rate<0.1', abortOnFailure: true }] }, path: 'run.thresholds.checks.error_rate[0]', message: /./ },
    { why: 'an entry neither text nor k6 object', checks: { error_rate: [{ threshold: 'rate<0.1', delayAbortEval: 10 }] }, path: 'run.thresholds.checks.error_rate[0]', message: /^write an expression, "p\(99\)<500", or \{ threshold: / },
    { why: 'an empty list', checks: { error_rate: [] }, path: 'run.thresholds.checks.error_rate', message: /needs at least 1 item/ },
    { why: 'a target index out of range', checks: { 'latency{target:2}': ['p(99)<5'] }, path: 'run.thresholds.checks."latency{target:2}"', message: /^no target 2: there are 2 targets$/ },
    { why: 'a target URL not in targets', checks: { 'error_rate{target:https://c.example.org/matomo.php}': ['rate<0.1'] }, path: 'run.thresholds.checks."error_rate{target:https://c.example.org/matomo.php}"', message: /^no target https:\/\/c\.example\.org\/matomo\.php$/ },
  ])('refuses $why, naming the setting', ({ checks, path, message }) => {
    const r = resolve(checks);
    expect(r.errors.map((e) => e.path)).toEqual([path]);
    expect(r.errors[0]?.message).toMatch(message);
  });

  it('a URL two targets share must be named by index', () => {
    const url = 'https://a.example.org/matomo.php';
    const base = { ...TWO, targets: [{ url, siteId: 1, tokenAuth: 't' }, { url, siteId: 2, tokenAuth: 't' }] };
    const r = resolve({ [`latency{target:${url}}`]: ['p(99)<5'] }, base);
    expect(r.errors[0]).toMatchObject({ message: `several targets have the URL ${url}`, hint: 'name the one you mean by its index in targets (0-based)' });
    expect(resolve({ 'latency{target:1}': ['p(99)<5'] }, base).errors).toEqual([]);
  });

  it('backfill does not check what the thresholds name (it ignores them)', () => {
    expect(resolve({ 'latency{target:7}': ['p(99)<5'] }, TWO, 'backfill').errors.filter((e) => e.path.startsWith('run.'))).toEqual([]);
  });

  it('TRAFFICINATOR_RUN_THRESHOLDS_CHECKS takes the flag form, several separated by ;', () => {
    const r = envToLayer({ TRAFFICINATOR_RUN_THRESHOLDS_CHECKS: 'latency{type:pageview}:p(99)<500; error_rate:rate<0.1:abort=5s' }, { kind: 'environment', label: 'environment', strict: false });
    expect(r.errors).toEqual([]);
    expect(r.layer.values).toEqual({
      run: { thresholds: { checks: { 'latency{type:pageview}': ['p(99)<500'], error_rate: [{ threshold: 'rate<0.1', abortOnFail: true, delayAbortEval: '5s' }] } } },
    });
  });
});
