import type { Command } from 'commander';
import { parseDuration } from '../config/duration.js';
import { UsageError } from '../errors.js';

/** The flags of `run` that are not configuration settings (output, transport), checked. */
export interface RunFlags {
  dryRun: boolean;
  now?: number;
  output?: string;
  quiet: boolean;
  summaryJson?: string;
  timeseries?: string;
  logFile?: string;
  preflight: boolean;
  insecure: boolean;
  proxy?: string;
  headers: Record<string, string>;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
}

interface RawRunFlags {
  dryRun?: boolean;
  now?: string;
  output?: string;
  quiet?: boolean;
  summaryJson?: string;
  timeseries?: string;
  logFile?: string;
  preflight?: boolean;
  insecure?: boolean;
  proxy?: string;
  header?: string[];
  connectTimeout: string;
  requestTimeout: string;
}

export function runFlags(cmd: Command): RunFlags {
  const raw = cmd.opts<RawRunFlags>();
  const flags: RunFlags = {
    dryRun: raw.dryRun === true,
    quiet: raw.quiet === true,
    preflight: raw.preflight !== false,
    insecure: raw.insecure === true,
    headers: parseHeaders(raw.header ?? []),
    connectTimeoutMs: positiveDuration('--connect-timeout', raw.connectTimeout),
    requestTimeoutMs: positiveDuration('--request-timeout', raw.requestTimeout),
  };
  if (raw.now !== undefined) {
    if (!flags.dryRun) throw new UsageError('--now is for --dry-run only: a live run anchors each visit at the instant it starts');
    flags.now = parseInstant(raw.now);
  }
  if (raw.output !== undefined) {
    if (!flags.dryRun) throw new UsageError('--output is for --dry-run only (a live run writes --summary-json, --timeseries, --log-file)');
    flags.output = nonEmpty('--output', raw.output);
  }
  if (raw.proxy !== undefined) flags.proxy = parseProxy(raw.proxy);
  if (raw.summaryJson !== undefined) flags.summaryJson = nonEmpty('--summary-json', raw.summaryJson);
  if (raw.timeseries !== undefined) flags.timeseries = nonEmpty('--timeseries', raw.timeseries);
  if (raw.logFile !== undefined) flags.logFile = nonEmpty('--log-file', raw.logFile);
  return flags;
}

/** `2026-03-29T12:00:00Z` (a zone is required: the output must not depend on the machine's). */
export function parseInstant(text: string): number {
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
  const ms = Date.parse(text);
  if (!iso.test(text) || Number.isNaN(ms)) {
    throw new UsageError(`--now "${text}" is not an ISO 8601 instant with a zone (write e.g. 2026-03-29T12:00:00Z)`);
  }
  return ms;
}

/** `Name: value` lines; the name must be a valid header token. */
export function parseHeaders(lines: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = colon < 0 ? '' : line.slice(0, colon).trim();
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      throw new UsageError(`--header "${redactHeader(line)}" is not 'Name: value' (e.g. --header 'Authorization: Basic dXNlcjpwYXNz')`);
    }
    headers[name] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** A header line in an error message: the value may be a secret, so only the name is kept. */
function redactHeader(line: string): string {
  const colon = line.indexOf(':');
  return colon < 0 ? line.slice(0, 40) : `${line.slice(0, colon)}: …`;
}

function parseProxy(text: string): string {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
    throw new UsageError(`--proxy "${text}" is not an http(s) URL (write e.g. http://proxy.example:3128)`);
  }
  return text;
}

function positiveDuration(flag: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) throw new UsageError(`${flag} "${text}" is not a duration (write e.g. 5s, 1500ms)`);
  return ms;
}

function nonEmpty(flag: string, text: string): string {
  if (text.trim() === '') throw new UsageError(`${flag} needs a file name`);
  return text;
}
