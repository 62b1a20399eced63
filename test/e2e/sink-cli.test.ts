import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SinkSummary } from '../../src/sink/report.js';
import { runCli, startCli, waitForLine } from '../helpers/cli.js';

const UA = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36' };
const hit = (n: number, visitor = '0123456789abcdef') =>
  `idsite=1&rec=1&url=http%3A%2F%2Fexample.test%2Fp${n}&_id=${visitor}&pv_id=p${String(n).padStart(5, '0')}&send_image=0`;

describe('trafficinator sink (end to end)', () => {
  it('prints its URL first, counts hits, and on SIGINT prints the report and the same numbers as JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sink-e2e-'));
    const { child, result } = startCli(['sink', '--summary-json', 'summary.json', '--record', 'hits.ndjson', '--token', 'secret'], { cwd: dir });
    const url = await waitForLine(child, /^http:\/\/127\.0\.0\.1:\d+$/);
    for (let n = 0; n < 5; n++) expect((await fetch(`${url}/matomo.php?${hit(n)}`, { headers: UA })).status).toBe(204);
    await fetch(`${url}/matomo.php?${hit(0)}`, { headers: UA }); // the same page view again, same second or not
    expect((await fetch(`${url}/matomo.php?${hit(9).replace('idsite=1', 'idsite=0')}`, { headers: UA })).status).toBe(400);
    const bulk = await fetch(`${url}/matomo.php`, {
      method: 'POST',
      body: JSON.stringify({ requests: [`?${hit(20, '1111111111111111')}`, `?${hit(21, '1111111111111111')}&cip=10.0.0.1`], token_auth: 'secret' }),
    });
    expect(await bulk.json()).toEqual({ status: 'success', tracked: 2, invalid: 0, invalid_indices: [] });
    child.kill('SIGINT');
    const r = await result;
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(url);
    expect(r.stdout).toContain('hits          9 received: 8 recorded, 1 rejected, 0 excluded');
    expect(r.stdout).toMatch(/visits\s+2\s+actions 8\s+distinct visitors 2/);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as SinkSummary;
    expect(summary.hits).toEqual({ received: 9, recorded: 8, rejected: 1, excluded: 0, duplicates: 1, flagged: 0 });
    expect(summary.visits).toBe(2);
    expect(summary.rejected).toEqual({ 'unknown-site': 1 });
    expect(summary.statusCodes).toEqual({ '200': 1, '204': 6, '400': 1 });
    expect(r.stdout).toContain(`duplicates    ${summary.hits.duplicates}`);
    const recorded = readFileSync(join(dir, 'hits.ndjson'), 'utf8').trim().split('\n');
    expect(recorded).toHaveLength(8);
    expect(recorded.join('\n')).not.toContain('secret');
    expect(JSON.parse(recorded[7]!)).toMatchObject({ type: 'pageview', params: { cip: '10.0.0.1', _id: '1111111111111111' } });
  });

  it('counts a backfill sent twice as duplicates', async () => {
    const { child, result } = startCli(['sink', '--duration', '60s', '--token', 't']);
    const url = await waitForLine(child, /^http:/);
    const requests = Array.from({ length: 10 }, (_, n) => `?${hit(n)}&cdt=2026-01-05+10:00:${String(n).padStart(2, '0')}`);
    for (let i = 0; i < 2; i++) {
      await fetch(`${url}/matomo.php`, { method: 'POST', body: JSON.stringify({ requests, token_auth: 't' }) });
    }
    child.kill('SIGTERM');
    const r = await result;
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('duplicates    10');
    expect(r.stdout).toMatch(/2026-01-05\s+1\s+20\s+20/);
  });

  it('stops by itself after --duration', async () => {
    const r = await runCli(['sink', '--duration', '300ms']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^http:\/\/127\.0\.0\.1:\d+\n/);
    expect(r.stdout).toContain('trafficinator sink:');
  });

  it('answers a busy port with one line and exit 2', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = await runCli(['sink', '--port', String(port)]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toEqual([`error: port ${port} on 127.0.0.1 is busy: choose another --port, or 0 for a free one`]);
      expect(r.stdout).toBe('');
    } finally {
      blocker.close();
    }
  });

  it.each([
    { args: ['--host', '192.0.2.1'], text: 'not a loopback address' },
    { args: ['--fail-rate', 'lots'], text: '--fail-rate lots' },
    { args: ['--fail-status', '404'], text: '--fail-status 404' },
    { args: ['--timezone', 'Nowhere/Town'], text: '--timezone Nowhere/Town' },
  ])('refuses $args with one line and exit 2', async ({ args, text }) => {
    const r = await runCli(['sink', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(text);
    expect(r.stdout).toBe('');
  });
});
