import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SinkSummary } from '../../src/sink/report.js';
import { runCli, startCli, waitForLine, type CliResult } from './cli.js';

/** Shared pieces of the backfill end-to-end tests: a work directory, the sink, a fake tracker. */
export const TOKEN = 'e2e-secret-token';

export function workDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'backfill-e2e-'));
  writeFileSync(join(dir, 'token.txt'), TOKEN + '\n');
  return dir;
}

/**
 * The backfill (or verify) command line for a tracker URL, with small days. A flat week, so each
 * day's target is the per-day cap (the weekday profile has a test of its own); a later
 * --weekday-profile in `extra` wins.
 */
export function args(command: 'backfill' | 'verify', trackerUrl: string, extra: string[]): string[] {
  return [
    command, '--url', trackerUrl, '--site-id', '1', '--token-auth-file', 'token.txt', '--seed', '7',
    '--max-visits-per-day', '50', '--weekday-profile', '1,1,1,1,1,1,1', ...extra,
  ];
}

export interface DryHit {
  day: string;
  visit: number;
  hit: number;
  type: string;
  at: string;
  params: Record<string, string>;
}

export function parseNdjson<T>(text: string): T[] {
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

/** Identity of a hit on the wire: visitor, page view, type, cdt and hit position (rand). */
export function hitKey(params: Record<string, string>): string {
  return [params._id, params.pv_id, params.cdt, params.rand, params.ping ?? '', params.e_a ?? '', params.idgoal ?? ''].join('|');
}

export async function dryRun(dir: string, trackerUrl: string, extra: string[]): Promise<{ hits: DryHit[]; result: CliResult }> {
  const result = await runCli([...args('backfill', trackerUrl, extra), '--dry-run'], { cwd: dir });
  if (result.code !== 0) throw new Error(`dry run failed: ${result.stderr}`);
  return { hits: parseNdjson<DryHit>(result.stdout), result };
}

export interface Sink {
  url: string;
  tracker: string;
  stop(): Promise<{ summary: SinkSummary; recorded: Array<{ type: string; params: Record<string, string> }> }>;
}

const running = new Set<ChildProcess>();

/** For afterEach: kills the sinks a failed test left running. */
export function killSinks(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

export async function startSink(dir: string, extra: string[] = []): Promise<Sink> {
  const { child, result } = startCli(
    ['sink', '--token', TOKEN, '--timezone', 'CET', '--summary-json', 'sink.json', '--record', 'sink.ndjson', ...extra],
    { cwd: dir },
  );
  running.add(child);
  void result.then(() => running.delete(child));
  const url = await waitForLine(child, /^http:\/\/127\.0\.0\.1:\d+$/);
  return {
    url,
    tracker: `${url}/matomo.php`,
    async stop() {
      child.kill('SIGTERM');
      const r = await result;
      if (r.code !== 0) throw new Error(`sink exited ${r.code}: ${r.stderr}`);
      const summary = JSON.parse(readFileSync(join(dir, 'sink.json'), 'utf8')) as SinkSummary;
      const path = join(dir, 'sink.ndjson');
      const recorded = existsSync(path) ? parseNdjson<{ type: string; params: Record<string, string> }>(readFileSync(path, 'utf8')) : [];
      return { summary, recorded };
    },
  };
}

/** A bulk request as the fake tracker sees it: its hits' query strings, parsed. */
export type Bulk = Array<Record<string, string>>;

/**
 * A tracker-only stand-in (no Reporting API: index.php answers 404 HTML) whose bulk answers a
 * test scripts: `answer(bulk, n)` gets the n-th bulk request and returns status and body.
 */
export async function fakeTracker(answer: (bulk: Bulk, n: number) => { status: number; body: string }): Promise<{ tracker: string; bulks: Bulk[]; close(): Promise<void> }> {
  const bulks: Bulk[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      if (!req.url?.startsWith('/matomo.php') || req.method !== 'POST') {
        res.writeHead(404, { 'content-type': 'text/html' }).end('<html>Not found</html>');
        return;
      }
      const parsed = JSON.parse(body) as { requests: string[] };
      const bulk = parsed.requests.map((q) => Object.fromEntries(new URLSearchParams(q.slice(1))));
      bulks.push(bulk);
      const a = answer(bulk, bulks.length - 1);
      res.writeHead(a.status, { 'content-type': 'application/json' }).end(a.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    tracker: `http://127.0.0.1:${port}/matomo.php`,
    bulks,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
