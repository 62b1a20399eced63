import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { metricsFlags } from '../../../src/cli/metrics-endpoint.js';
import { addMetricsOptions } from '../../../src/cli/metrics-options.js';
import { PromMetrics, targetLabel } from '../../../src/metrics/prometheus.js';

const parse = (...argv: string[]) => {
  const cmd = addMetricsOptions(new Command('run').exitOverride());
  cmd.parse(argv, { from: 'user' });
  return metricsFlags(cmd);
};

describe('metrics flags', () => {
  it.each([
    { why: 'off by default', argv: [], out: undefined },
    { why: 'loopback host and port', argv: ['--metrics-listen', '127.0.0.1:9464'], out: { host: '127.0.0.1', port: 9464, lingerMs: 0 } },
    { why: 'linger as a duration', argv: ['--metrics-listen', 'localhost:0', '--metrics-linger', '30s'], out: { host: 'localhost', port: 0, lingerMs: 30_000 } },
    { why: 'another address with --metrics-public', argv: ['--metrics-listen', '0.0.0.0:9464', '--metrics-public'], out: { host: '0.0.0.0', port: 9464, lingerMs: 0 } },
  ])('$why', ({ argv, out }) => expect(parse(...argv)).toEqual(out));

  it.each([
    { argv: ['--metrics-listen', '0.0.0.0:9464'], error: /not a loopback address.*--metrics-public/ },
    { argv: ['--metrics-listen', '9464'], error: /is not HOST:PORT/ },
    { argv: ['--metrics-linger', '5s'], error: /--metrics-linger goes with --metrics-listen/ },
    { argv: ['--metrics-listen', '127.0.0.1:1', '--metrics-linger', 'soon'], error: /--metrics-linger soon is not a duration/ },
  ])('refuses $argv', ({ argv, error }) => expect(() => parse(...argv)).toThrow(error));
});

describe('PromMetrics', () => {
  it('labels a target without user, password or query (so never a token)', () => {
    expect(targetLabel('https://user:pa55@matomo.example/matomo.php?token_auth=abc')).toBe('https://matomo.example/matomo.php');
  });

  it('counts hits by type and answer class, visits by state, and reads gauges from the engine at scrape time', async () => {
    const prom = new PromMetrics(['http://t/matomo.php']);
    prom.watch({ snapshot: () => ({ visitsInFlight: 3, targetRate: 50, unit: 'hits-per-second', achievedHitsPerSecond: 48.5, elapsedMs: 1000 }) });
    prom.visitStarted(0, 12);
    prom.hit(0, 'pageview', { kind: 'response', status: 204, headers: {}, body: '', latencyMs: 4 });
    prom.hit(0, 'pageview', { kind: 'response', status: 503, headers: {}, body: '', latencyMs: 2 });
    prom.hit(0, 'event', { kind: 'error', errorClass: 'timeout', message: 'x', latencyMs: 30_000, mayHaveBeenProcessed: true });
    prom.dropped(0);
    const text = await prom.render();
    expect(text).toContain('trafficinator_hits_total{type="pageview",status_class="2xx",target="http://t/matomo.php"} 1');
    expect(text).toContain('trafficinator_hits_total{type="pageview",status_class="5xx",target="http://t/matomo.php"} 1');
    expect(text).toContain('trafficinator_hits_total{type="event",status_class="error",target="http://t/matomo.php"} 1');
    expect(text).toContain('trafficinator_visits_total{state="dropped",target="http://t/matomo.php"} 1');
    expect(text).toContain('trafficinator_request_duration_seconds_count{target="http://t/matomo.php"} 2');
    expect(text).toContain('trafficinator_visits_in_flight 3');
    expect(text).toContain('trafficinator_target_rate{unit="hits_per_second"} 50');
    expect(text).toContain('trafficinator_achieved_hits_per_second 48.5');
    expect(text).toContain('trafficinator_schedule_lag_seconds 0.012');
  });

  it('hands the hits and visits counted between scrapes to prom-client at each scrape, once', async () => {
    const prom = new PromMetrics(['http://a/matomo.php', 'http://b/matomo.php']);
    const ok = { kind: 'response', status: 204, headers: {}, body: '', latencyMs: 3 } as const;
    const line = (text: string, series: string) => text.split('\n').find((l) => l.startsWith(`${series} `));
    for (let i = 0; i < 5; i++) prom.hit(1, 'pageview', ok);
    prom.visitStarted(1, undefined);
    const first = await prom.render();
    expect(line(first, 'trafficinator_hits_total{type="pageview",status_class="2xx",target="http://b/matomo.php"}')).toMatch(/ 5$/);
    expect(line(first, 'trafficinator_visits_total{state="started",target="http://b/matomo.php"}')).toMatch(/ 1$/);
    // Nothing new: the same counts, not twice them.
    expect(await prom.render()).toBe(first);
    prom.hit(1, 'pageview', ok);
    prom.hit(0, 'ping', undefined);
    prom.hit(0, 'event', { ...ok, status: 600 });
    prom.visitEnded(1, true);
    const second = await prom.render();
    expect(line(second, 'trafficinator_hits_total{type="pageview",status_class="2xx",target="http://b/matomo.php"}')).toMatch(/ 6$/);
    expect(line(second, 'trafficinator_hits_total{type="ping",status_class="aborted",target="http://a/matomo.php"}')).toMatch(/ 1$/);
    expect(line(second, 'trafficinator_hits_total{type="event",status_class="6xx",target="http://a/matomo.php"}')).toMatch(/ 1$/);
    expect(line(second, 'trafficinator_visits_total{state="completed",target="http://b/matomo.php"}')).toMatch(/ 1$/);
    expect(line(second, 'trafficinator_request_duration_seconds_count{target="http://b/matomo.php"}')).toMatch(/ 6$/);
    expect(line(second, 'trafficinator_request_duration_seconds_count{target="http://a/matomo.php"}')).toMatch(/ 1$/);
  });

  it('the Grafana dashboard queries only metrics that exist', async () => {
    const prom = new PromMetrics(['x']);
    const names = new Set((await prom.registry.getMetricsAsJSON()).map((m) => m.name));
    const dashboard = readFileSync(new URL('../../../examples/grafana-dashboard.json', import.meta.url), 'utf8');
    const used = new Set([...dashboard.matchAll(/trafficinator_[a-z_]+/g)].map((m) => m[0].replace(/_(bucket|count|sum)$/, '')));
    expect(used.size).toBeGreaterThan(5);
    for (const name of used) expect(names, name).toContain(name);
  });
});
