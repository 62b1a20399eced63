import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { parseDuration, parseSinkFlags } from '../../../src/sink/options.js';

describe('sink flags', () => {
  it('has loopback defaults', () => {
    // CET: trafficinator's own default zone, so a backfill and a sink started bare agree on days.
    expect(parseSinkFlags({})).toMatchObject({ host: '127.0.0.1', port: 0, timezone: 'CET', faults: { failRate: 0, resetRate: 0, failStatus: 500, seed: 0 } });
    expect(parseSinkFlags({}).faults.partialCommitRate).toBeUndefined();
  });

  it('reads every flag', () => {
    const o = parseSinkFlags({
      host: '::1', port: '8080', token: 't', sites: '1,3-5', timezone: 'Europe/Stockholm', duration: '1.5m',
      latency: '5ms-50ms', failRate: '0.1', failStatus: '429', resetRate: '0.05', faultSeed: '9', record: 'r.ndjson', summaryJson: 's.json',
    });
    expect(o).toMatchObject({
      host: '::1', port: 8080, token: 't', sites: [1, 3, 4, 5], timezone: 'Europe/Stockholm', durationMs: 90_000,
      record: 'r.ndjson', summaryJson: 's.json',
      faults: { latencyMs: { min: 5, max: 50 }, failRate: 0.1, failStatus: 429, resetRate: 0.05, seed: 9 },
    });
    expect(parseSinkFlags({ latency: '20ms' }).faults.latencyMs).toEqual({ min: 20, max: 20 });
    expect(parseSinkFlags({ latency: '5-50ms' }).faults.latencyMs).toEqual({ min: 5, max: 50 });
    expect(parseSinkFlags({ latency: '1s' }).faults.latencyMs).toEqual({ min: 1000, max: 1000 });
  });

  it('reads the partial-commit flags', () => {
    expect(parseSinkFlags({ partialCommitRate: '0.25', partialCommitLost: '3', partialCommitAttempts: '1' }).faults).toMatchObject({
      partialCommitRate: 0.25, partialCommitLost: 3, partialCommitAttempts: 1,
    });
    expect(parseSinkFlags({ partialCommitRate: '0' }).faults.partialCommitRate).toBeUndefined();
  });

  it.each([
    { why: 'a non-loopback host', flags: { host: '0.0.0.0' }, text: '--host 0.0.0.0 is not a loopback address' },
    { why: 'a port out of range', flags: { port: '70000' }, text: '--port 70000' },
    { why: 'a rate above 1', flags: { failRate: '1.5' }, text: '--fail-rate 1.5' },
    { why: 'a status not offered', flags: { failStatus: '502' }, text: '--fail-status 502' },
    { why: 'a latency range going down', flags: { latency: '50ms-5ms' }, text: '--latency 50ms-5ms' },
    { why: 'a latency without a unit (issue 14: every duration needs one)', flags: { latency: '20' }, text: 'a unit is required' },
    { why: 'a duration without a unit', flags: { duration: '1' }, text: 'a unit is required: 1s or 1ms?' },
    { why: 'a latency that is not a number', flags: { latency: 'fast' }, text: '--latency fast' },
    { why: 'an unknown zone', flags: { timezone: 'Mars/Olympus' }, text: '--timezone Mars/Olympus' },
    { why: 'site 0', flags: { sites: '0,1' }, text: '--sites 0,1' },
    { why: 'a duration without a number', flags: { duration: 'soon' }, text: '--duration soon' },
    { why: 'rates adding up past 1', flags: { failRate: '0.6', resetRate: '0.6' }, text: '--fail-rate plus --reset-rate' },
    { why: 'a partial-commit rate above 1', flags: { partialCommitRate: '2' }, text: '--partial-commit-rate 2' },
    { why: 'a negative number of lost hits', flags: { partialCommitLost: '-1' }, text: '--partial-commit-lost -1' },
    { why: 'zero attempts', flags: { partialCommitAttempts: '0' }, text: '--partial-commit-attempts 0' },
  ])('refuses $why with a UsageError naming the flag', ({ flags, text }) => {
    expect(() => parseSinkFlags(flags)).toThrow(UsageError);
    expect(() => parseSinkFlags(flags)).toThrow(text);
  });

  it('allows any host with --public', () => {
    expect(parseSinkFlags({ host: '0.0.0.0', public: true }).host).toBe('0.0.0.0');
  });

  it('reads durations', () => {
    expect(parseDuration('--duration', '500ms')).toBe(500);
    expect(parseDuration('--duration', '30s')).toBe(30_000);
    expect(parseDuration('--duration', '2h')).toBe(7_200_000);
  });
});

describe('sink --currency', () => {
  it("answers the sites' currency, SEK by default like trafficinator, and refuses a malformed code", () => {
    expect(parseSinkFlags({}).currency).toBe('SEK');
    expect(parseSinkFlags({ currency: 'EUR' }).currency).toBe('EUR');
    expect(() => parseSinkFlags({ currency: 'euro' })).toThrow('--currency euro is not a currency code');
  });
});
