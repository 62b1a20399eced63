import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/report/summary.js';
import { startCli, waitForLine } from '../helpers/cli.js';
import { freePort } from '../helpers/free-port.js';
import { requireProgram } from '../helpers/which.js';

const TOKEN = 'secret-token-0123456789abcdef';
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const clean of cleanups.splice(0).reverse()) await clean();
});

function kill(child: ChildProcess): Promise<unknown> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const closed = new Promise((done) => child.once('close', done));
  child.kill('SIGTERM');
  return closed;
}

/** Debian's prometheus on a free loopback port with its own storage; resolves when /-/ready says so. */
async function startPrometheus(scrapePort: number): Promise<string> {
  const binary = requireProgram('prometheus', 'prometheus');
  const dir = mkdtempSync(join(tmpdir(), 'prometheus-e2e-'));
  const port = await freePort();
  writeFileSync(
    join(dir, 'prometheus.yml'),
    ['global:', '  scrape_interval: 1s', 'scrape_configs:', '  - job_name: trafficinator', '    static_configs:', `      - targets: ['127.0.0.1:${scrapePort}']`, ''].join('\n'),
  );
  const child = spawn(binary, [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  cleanups.push(() => kill(child));
  // Prometheus logs this line once its web handler answers /-/ready with 200.
  await waitForLine(child, /Server is ready to receive web requests/, 'stderr');
  const base = `http://127.0.0.1:${port}`;
  expect((await fetch(`${base}/-/ready`)).status).toBe(200);
  return base;
}

async function query(base: string, promql: string): Promise<number | undefined> {
  const answer = (await (await fetch(`${base}/api/v1/query?query=${encodeURIComponent(promql)}`)).json()) as {
    data: { result: Array<{ value: [number, string] }> };
  };
  const first = answer.data.result[0];
  return first === undefined ? undefined : Number(first.value[1]);
}

describe('run --metrics-listen, scraped by a real Prometheus', () => {
  it("Prometheus's trafficinator_hits_total equals the summary's hits, and no label holds the token", async () => {
    const sink = startCli(['sink']);
    cleanups.push(() => kill(sink.child));
    const url = await waitForLine(sink.child, /^http:\/\/127\.0\.0\.1:\d+$/);
    const metricsPort = await freePort();
    const prometheus = await startPrometheus(metricsPort);
    const dir = mkdtempSync(join(tmpdir(), 'metrics-e2e-'));
    const run = startCli([
      'run', '--url', `${url}/matomo.php`, '--token-auth', TOKEN, '--rps', '40', '--duration', '3s', '--seed', '5',
      // The counts are checked, not the rate: a loaded machine may miss 95 % of 40/s over 3 s.
      '--pause-min', '0', '--pause-max', '0', '--min-rate-ratio', '0', '--summary-json', join(dir, 'summary.json'),
      '--metrics-listen', `127.0.0.1:${metricsPort}`, '--metrics-linger', '60s',
    ]);
    cleanups.push(() => kill(run.child));
    await waitForLine(run.child, /^metrics: still serving/, 'stderr');
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as RunSummary;
    expect(summary.hits.sent).toBeGreaterThan(50);
    const exposition = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(exposition).toContain('trafficinator_hits_total{type="pageview",status_class="2xx"');
    expect(exposition).not.toContain(TOKEN);
    // Prometheus scrapes every second: ask until its latest sample has the final count.
    let total: number | undefined;
    for (let attempt = 0; attempt < 150 && total !== summary.hits.sent; attempt++) {
      total = await query(prometheus, 'sum(trafficinator_hits_total)');
      if (total !== summary.hits.sent) await new Promise((done) => setTimeout(done, 200));
    }
    expect(total).toBe(summary.hits.sent);
    expect(await query(prometheus, 'sum(trafficinator_visits_total{state="started"})')).toBe(summary.visits.started);
    expect(await query(prometheus, 'sum(trafficinator_request_duration_seconds_count)')).toBe(summary.latencyMs.count);
    const labels = await (await fetch(`${prometheus}/api/v1/series?match[]=${encodeURIComponent('{job="trafficinator"}')}`)).text();
    expect(labels).not.toContain(TOKEN);
    run.child.kill('SIGINT'); // ends the linger
    const r = await run.result;
    expect(r.code).toBe(0);
  });

  it('refuses a non-loopback --metrics-listen without --metrics-public (exit 2, nothing sent)', async () => {
    const { runCli } = await import('../helpers/cli.js');
    const r = await runCli(['run', '--url', 'http://127.0.0.1:9/matomo.php', '--rps', '1', '--duration', '1s', '--metrics-listen', '0.0.0.0:9464']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--metrics-listen 0\.0\.0\.0:9464: not a loopback address/);
  });
});

describe('backfill --metrics-listen', () => {
  it('counts bulk batches and the hits Matomo tracked, as the summary does, without the token', async () => {
    const { args, startSink, TOKEN: BACKFILL_TOKEN, workDir, killSinks } = await import('../helpers/backfill.js');
    cleanups.push(killSinks);
    const dir = workDir();
    const sink = await startSink(dir);
    const port = await freePort();
    const run = startCli(
      [...args('backfill', sink.tracker, ['--from', '2026-01-05', '--to', '2026-01-06']), '--summary-json', 'summary.json', '--metrics-listen', `127.0.0.1:${port}`, '--metrics-linger', '60s'],
      { cwd: dir },
    );
    cleanups.push(() => kill(run.child));
    await waitForLine(run.child, /^metrics: still serving/, 'stderr');
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { targets: Array<{ totals: { tracked: number; sent: number } }> };
    const totals = summary.targets[0]!.totals;
    const value = (pattern: RegExp): number => Number(pattern.exec(text)?.[1]);
    expect(value(/^trafficinator_batch_hits_total\{result="tracked",target="[^"]+"\} (\d+)$/m)).toBe(totals.tracked);
    expect(value(/^trafficinator_hits_total\{type="bulk",status_class="2xx",target="[^"]+"\} (\d+)$/m)).toBe(totals.sent);
    expect(value(/^trafficinator_batches_total\{target="[^"]+"\} (\d+)$/m)).toBeGreaterThan(0);
    expect(text).not.toContain(BACKFILL_TOKEN);
    run.child.kill('SIGINT');
    expect((await run.result).code).toBe(0);
  });
});
