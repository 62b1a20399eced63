import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/config/resolve.js';
import type { Config } from '../../../src/config/schema.js';
import { probeHttp } from '../../../src/transport/probe.js';
import { probeTargets } from '../../../src/probe/probe.js';
import { closedPort, startReplay, type Replay } from '../../helpers/matomo-replay.js';

const NOW = Date.UTC(2026, 10, 26, 12);

function config(values: Record<string, unknown>): Config {
  const r = resolveConfig([{ kind: 'flags', label: 'flags', values }], { now: NOW });
  if (!r.config) throw new Error(JSON.stringify(r.errors));
  return r.config;
}

let replay: Replay | undefined;
afterEach(async () => {
  await replay?.close();
  replay = undefined;
});

async function probe(values: Record<string, unknown>, timeoutMs = 5000) {
  const http = probeHttp({ timeoutMs });
  try {
    return await probeTargets(config(values), { http, now: NOW, timeoutMs });
  } finally {
    await http.close();
  }
}

describe('probeTargets against a replay of Matomo 5.0.2', () => {
  it('accepts a reachable Matomo, an existing site and a super-user token, with no warning for CET vs Europe/Stockholm', async () => {
    replay = await startReplay();
    const r = await probe({ url: replay.url, siteId: 1, tokenAuth: 'good-token' });
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.targets[0]).toMatchObject({ reachable: true, matomoVersion: '5.0.2', access: 'superuser' });
    expect(r.targets[0]?.sites).toEqual([{ idsite: 1, name: 'Load Test Site' }]);
    // The token travels in the POST body, never in the URL.
    const api = replay.requests.filter((q) => q.path === '/index.php');
    expect(api.length).toBeGreaterThanOrEqual(3);
    for (const q of api) expect(q.params['token_auth']).toBe('good-token');
  });

  it('reports an unknown site with Matomo message', async () => {
    replay = await startReplay();
    const r = await probe({ url: replay.url, siteId: 999, tokenAuth: 'good-token' });
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]?.message).toContain("site 999: Matomo answered: An unexpected website was found");
  });

  it('reports a bad token without printing it', async () => {
    replay = await startReplay();
    const r = await probe({ url: replay.url, siteId: 1, tokenAuth: 'wrong-token-123' });
    expect(r.errors[0]?.message).toContain('Unable to authenticate with the provided token');
    expect(r.errors[0]?.hint).toBe('check the token_auth');
    expect(JSON.stringify(r)).not.toContain('wrong-token-123');
  });

  it('names a refused connection', async () => {
    const port = await closedPort();
    const r = await probe({ url: `http://127.0.0.1:${port}/matomo.php`, countries: { randomize: false } });
    expect(r.errors[0]?.message).toBe(`connection refused by 127.0.0.1:${port} (is Matomo running there?)`);
  });

  it('names a timeout', async () => {
    replay = await startReplay({ hang: true });
    const r = await probe({ url: replay.url, countries: { randomize: false } }, 300);
    expect(r.errors[0]?.message).toMatch(/^no answer from 127\.0\.0\.1:\d+ within 300 ms \(timeout\)$/);
  });

  it('refuses an endpoint that does not answer like Matomo, and an HTTP error', async () => {
    replay = await startReplay({ trackerBody: 'hello' });
    const r = await probe({ url: replay.url, countries: { randomize: false } });
    expect(r.errors[0]?.message).toContain('not like a Matomo tracker');
    const r404 = await probe({ url: replay.url.replace('matomo.php', 'nope.php'), countries: { randomize: false } });
    expect(r404.errors[0]?.message).toMatch(/^HTTP 404 from /);
  });

  it('without a token, checks the tracker only and says so', async () => {
    replay = await startReplay();
    const r = await probe({ url: replay.url, countries: { randomize: false } });
    expect(r.errors).toEqual([]);
    expect(r.warnings[0]?.message).toContain('no token');
    expect(replay.requests.every((q) => q.path === '/matomo.php')).toBe(true);
  });

  it('warns where the site differs from the plan', async () => {
    replay = await startReplay({
      site: {
        timezone: 'Europe/London',
        currency: 'EUR',
        ecommerce: 0,
        sitesearch: 0,
        exclude_unknown_urls: 1,
        main_url: 'https://shop.example.org',
        excluded_ips: '10.0.0.0/8',
        excluded_user_agents: 'Chrome',
      },
    });
    const r = await probe({ url: replay.url, tokenAuth: 'good-token', pageHost: 'example.invalid' });
    expect(r.errors).toEqual([]);
    const byPath = Object.fromEntries(r.warnings.map((w) => [w.path, w]));
    expect(byPath['timezone']?.message).toContain('Europe/London');
    expect(byPath['timezone']?.hint).toContain('--timezone Europe/London');
    expect(byPath['ecommerce.currency']?.message).toContain('EUR');
    expect(byPath['probabilities.ecommerce']?.message).toContain('ecommerce is off');
    expect(byPath['probabilities.siteSearch']?.message).toContain('site search');
    expect(byPath['pageHost']?.hint).toContain('--page-host shop.example.org');
    expect(byPath['countries']?.message).toContain('10.0.0.0/8');
    expect(byPath['targets']?.message).toContain('Chrome');
  });

  it('refuses a token with view access only, accepts write access', async () => {
    replay = await startReplay({ role: 'view' });
    const view = await probe({ url: replay.url, tokenAuth: 'good-token' });
    expect(view.errors[0]?.message).toBe('the token has view access to site 1');
    await replay.close();
    replay = await startReplay({ role: 'write' });
    const write = await probe({ url: replay.url, tokenAuth: 'good-token' });
    expect(write.errors).toEqual([]);
    expect(write.targets[0]?.access).toBe('write');
  });
});
