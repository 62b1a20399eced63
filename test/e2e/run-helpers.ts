import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { startCli, waitForLine, type CliResult, runCli } from '../helpers/cli.js';

/** A fresh directory for one test's files. */
export function tempDir(prefix = 'run-e2e-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface RecordedHit {
  type: string;
  at: string;
  params: Record<string, string>;
}

export interface Sink {
  url: string;
  tracker: string;
  /** Stops the sink (SIGINT) and returns its output, summary and recorded hits. */
  stop(): Promise<{ result: CliResult; summary: SinkNumbers; recorded: RecordedHit[] }>;
}

export interface SinkNumbers {
  hits: { received: number; recorded: number; rejected: number; excluded: number; duplicates: number };
  visits: number;
  rejected: Record<string, number>;
  requests?: unknown;
  sites: Record<string, unknown>;
}

/** Starts `trafficinator sink` on a free loopback port; resolves once it printed its URL. */
export async function startSink(args: string[] = [], dir = tempDir('sink-')): Promise<Sink> {
  const { child, result } = startCli(['sink', '--record', 'hits.ndjson', '--summary-json', 'sink.json', ...args], { cwd: dir });
  const url = await waitForLine(child, /^http:\/\/127\.0\.0\.1:\d+$/);
  return {
    url,
    tracker: `${url}/matomo.php`,
    async stop() {
      child.kill('SIGINT');
      const r = await result;
      const summary = JSON.parse(readFileSync(join(dir, 'sink.json'), 'utf8')) as SinkNumbers;
      const path = join(dir, 'hits.ndjson');
      const recorded = existsSync(path)
        ? readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as RecordedHit)
        : [];
      return { result: r, summary, recorded };
    },
  };
}

export interface DryHit {
  target?: string;
  visit: number;
  hit: number;
  type: string;
  at: string;
  params: Record<string, string>;
}

/** `run --dry-run` with the same arguments, parsed. */
export async function dryRun(args: string[], cwd?: string): Promise<DryHit[]> {
  const r = await runCli(['run', '--dry-run', ...args], cwd ? { cwd } : {});
  if (r.code !== 0) throw new Error(`dry run failed (${r.code}): ${r.stderr}`);
  return r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as DryHit);
}

/** The parameters that depend on when a hit is sent (cdt and the visitor's local time). */
const TIME_PARAMS = new Set(['cdt', 'h', 'm', 's']);

/** One visitor's hits as comparable strings, in order, time-dependent parameters left out. */
export function byVisitor(hits: ReadonlyArray<{ params: Record<string, string> }>): Map<string, string[]> {
  const visitors = new Map<string, string[]>();
  for (const hit of hits) {
    const kept = Object.entries(hit.params).filter(([k]) => !TIME_PARAMS.has(k));
    const key = `${hit.params['idsite']}/${hit.params['_id']}`;
    const list = visitors.get(key) ?? [];
    list.push(JSON.stringify(kept));
    visitors.set(key, list);
  }
  return visitors;
}

const schema = JSON.parse(readFileSync(new URL('../../docs/schema/run-summary.schema.json', import.meta.url), 'utf8'));
type AjvClass = typeof Ajv2020.default;
const Ajv: AjvClass = (Ajv2020 as unknown as { default?: AjvClass }).default ?? (Ajv2020 as unknown as AjvClass);
export const validateSummary = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);

/**
 * Fast visits for end-to-end runs: no real pauses, a short simulated timeline. The default
 * rate threshold is off: these tests check other things, on a machine shared with others, at rates
 * their concurrency may not hold (test/e2e/honest-cli.test.ts checks the default itself).
 */
export const FAST = ['--preset', 'smoke', '--pause-min', '0', '--pause-max', '0', '--seed', '7', '--min-rate-ratio', '0'];
