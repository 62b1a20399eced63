import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../../src/report/html/index.js';
import { readSummaries, readSummary, readTimeseries } from '../../../src/report/read-summary.js';

const V1_RUN = {
  version: 1, seed: 1, startedAt: '2026-11-29T06:00:00.000Z', durationMs: 1000, stopReason: 'duration', concurrency: 5,
  rate: { unit: 'hits-per-second', target: 10, achieved: 10, ratio: 1, achievedVisitsPerDay: 1, achievedHitsPerSecond: 10, windowMs: 1000, pausedMs: 0 },
  visits: { planned: 2, started: 2, completed: 2, aborted: 0, dropped: 0 },
  hits: { sent: 10, ok: 9, failed: 1, aborted: 0, byType: { pageview: { sent: 10, ok: 9, failed: 1, aborted: 0 } } },
  errorRate: 0.1, statusCodes: { '204': 9, '503': 1 },
  errors: { timeout: 0, refused: 0, reset: 0, dns: 0, tls: 0, other: 0, '3xx': 0, '4xx': 0, '5xx': 1 },
  latencyMs: { count: 10, mean: 2, p50: 2, p90: 3, p95: 3, p99: 4, max: 5 }, scheduleLagMs: null, targets: [], thresholds: [],
};

describe('report: reading summaries', () => {
  it('reads a version 1 run summary (no command) as version 2', () => {
    const read = readSummary(JSON.stringify(V1_RUN), 'old.json');
    expect(read.ok && read.input.kind).toBe('run');
    if (read.ok && read.input.kind === 'run') {
      expect(read.input.summary.version).toBe(2);
      expect(read.input.summary.limits).toEqual({});
    }
  });

  it.each([
    { text: '{', message: /old\.json: not JSON/ },
    { text: '{"command":"verify","version":1}', message: /not a summary of run, backfill or capacity/ },
    { text: '{"command":"run","version":9}', message: /run summary version 9 is not one this report reads \(1, 2, 3, 4\)/ },
    { text: '{"command":"capacity","version":2}', message: /capacity summary version 2 is not one this report reads \(1\)/ },
  ])('refuses $text with a message naming the file', ({ text, message }) => {
    const read = readSummary(text, 'old.json');
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.message).toMatch(message);
  });

  it('finds summaries in a log, one a line, named FILE:LINE, and skips the other text', () => {
    const run = JSON.stringify({ ...V1_RUN, command: 'run', version: 2, limits: {} });
    const log = ['starting…', run, '{"level":"info","msg":"not ours"}', '{ half a line', run, ''].join('\n');
    const read = readSummaries(log, 'pods.log');
    expect(read.ok && read.inputs.map((i) => [i.kind, i.name])).toEqual([
      ['run', 'pods.log:2'],
      ['run', 'pods.log:5'],
    ]);
    // A whole-file summary stays one input named by the file.
    const whole = readSummaries(JSON.stringify(V1_RUN, null, 2), 'a.json');
    expect(whole.ok && whole.inputs.map((i) => i.name)).toEqual(['a.json']);
  });

  it.each([
    { text: 'just text\n', message: /^pods\.log: neither a summary nor a log with one/ },
    { text: 'x\n{"command":"run","version":9}\n', message: /^pods\.log:2: run summary version 9 is not one this report reads/ },
    { text: '{"command":"verify","version":1}', message: /^pods\.log: not a summary of run, backfill or capacity/ },
  ])('refuses a log without a readable summary: $text', ({ text, message }) => {
    const read = readSummaries(text, 'pods.log');
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.message).toMatch(message);
  });

  it('reads a timeseries and names the first bad line', () => {
    expect(readTimeseries('{"second":0,"hitsSent":3}\n\n{"second":1,"hitsSent":4}\n', 't')).toHaveLength(2);
    expect(readTimeseries('{"second":0,"hitsSent":3}\nnope\n', 't')).toBe('t:2: not JSON');
  });

  it('renders a page whose every chart also has a table, with no token and the library inlined once', () => {
    const read = readSummary(JSON.stringify({ ...V1_RUN, config: { targets: [{ url: 'http://x/matomo.php', tokenAuth: '[redacted]' }] } }), 'a.json');
    if (!read.ok) throw new Error(read.message);
    const rows = [0, 1, 2].map((second) => ({ second, hitsSent: 3, ok: 3, failed: 0, p50Ms: 1, p99Ms: 2, inFlight: 1, dropped: 0 }));
    const html = renderHtmlReport([{ ...read.input, timeseries: rows } as never], '/*LIB*/ window.Chart = 1;', '2026-11-29 06:00 UTC');
    const charts = Number(/data-charts="(\d+)"/.exec(html)?.[1]);
    expect(charts).toBe(5);
    expect((html.match(/<canvas /g) ?? []).length).toBe(5);
    expect((html.match(/<table>/g) ?? []).length).toBeGreaterThanOrEqual(5);
    expect(html.match(/\/\*LIB\*\//g)).toHaveLength(1);
    expect(html).toContain('[redacted]');
    expect(html).not.toMatch(/<\/script>[\s\S]*<\/script>[\s\S]*<\/script>[\s\S]*<\/script>/);
  });
});
