import { UsageError } from '../errors.js';
import { isValidZone } from './day-key.js';
import { defaultQueue, type CapacityOptions } from './capacity.js';
import type { FaultOptions } from './faults.js';

export interface SinkOptions {
  host: string;
  port: number;
  token?: string;
  /** Allowed site ids; undefined accepts every positive id. */
  sites?: number[];
  timezone: string;
  currency: string;
  summaryJson?: string;
  record?: string;
  durationMs?: number;
  /** -q: no live line on the terminal (the URL line and the report stay). */
  quiet?: boolean;
  faults: FaultOptions;
  /** --capacity: serve at most this many hits/s through a queue (undefined: no limit). */
  capacity?: CapacityOptions;
}

/** The flags as commander hands them over (strings, untouched). */
export interface RawSinkFlags {
  host?: string;
  port?: string;
  public?: boolean;
  token?: string;
  sites?: string;
  timezone?: string;
  currency?: string;
  summaryJson?: string;
  record?: string;
  duration?: string;
  latency?: string;
  failRate?: string;
  failStatus?: string;
  resetRate?: string;
  faultSeed?: string;
  partialCommitRate?: string;
  partialCommitLost?: string;
  partialCommitAttempts?: string;
  quiet?: boolean;
  capacity?: string;
  capacityQueue?: string;
}

/** The sites' zone unless --timezone says otherwise: trafficinator's own default, so days agree. */
export const DEFAULT_TIMEZONE = 'CET';

/** Checks every flag and names the first one that is wrong, with the fix. */
export function parseSinkFlags(raw: RawSinkFlags): SinkOptions {
  const host = raw.host ?? '127.0.0.1';
  if (!raw.public && !isLoopback(host)) {
    throw new UsageError(
      `--host ${host} is not a loopback address: the sink listens on 127.0.0.1, ::1 or localhost unless --public is given`,
    );
  }
  const port = integer('--port', raw.port ?? '0', 0, 65535);
  if (raw.token !== undefined && raw.token === '') throw new UsageError('--token must not be empty');
  const timezone = raw.timezone ?? DEFAULT_TIMEZONE;
  if (!isValidZone(timezone)) {
    throw new UsageError(`--timezone ${timezone} is not a known IANA time zone (e.g. UTC, Europe/Stockholm)`);
  }
  const failStatus = raw.failStatus ?? '500';
  if (failStatus !== '500' && failStatus !== '503' && failStatus !== '429') {
    throw new UsageError(`--fail-status ${failStatus} is not allowed: use 500, 503 or 429`);
  }
  const options: SinkOptions = {
    host,
    port,
    timezone,
    currency: currency(raw.currency ?? 'SEK'),
    faults: {
      latencyMs: raw.latency === undefined ? undefined : latency(raw.latency),
      failRate: rate('--fail-rate', raw.failRate),
      failStatus: Number(failStatus) as 500 | 503 | 429,
      resetRate: rate('--reset-rate', raw.resetRate),
      seed: integer('--fault-seed', raw.faultSeed ?? '0', 0, Number.MAX_SAFE_INTEGER),
    },
  };
  if (options.faults.failRate + options.faults.resetRate > 1) {
    throw new UsageError('--fail-rate plus --reset-rate must not exceed 1');
  }
  const partialRate = rate('--partial-commit-rate', raw.partialCommitRate);
  if (partialRate > 0) options.faults.partialCommitRate = partialRate;
  if (raw.partialCommitLost !== undefined) {
    options.faults.partialCommitLost = integer('--partial-commit-lost', raw.partialCommitLost, 0, 1_000_000);
  }
  if (raw.partialCommitAttempts !== undefined) {
    options.faults.partialCommitAttempts = integer('--partial-commit-attempts', raw.partialCommitAttempts, 1, 1_000_000);
  }
  if (raw.token !== undefined) options.token = raw.token;
  if (raw.sites !== undefined) options.sites = siteList(raw.sites);
  if (raw.summaryJson !== undefined) options.summaryJson = nonEmpty('--summary-json', raw.summaryJson);
  if (raw.record !== undefined) options.record = nonEmpty('--record', raw.record);
  if (raw.quiet) options.quiet = true;
  if (raw.duration !== undefined) options.durationMs = parseDuration('--duration', raw.duration);
  if (raw.capacity !== undefined) {
    const hitsPerSecond = integer('--capacity', raw.capacity, 1, 1_000_000);
    const queue = raw.capacityQueue === undefined ? defaultQueue(hitsPerSecond) : integer('--capacity-queue', raw.capacityQueue, 1, 100_000_000);
    options.capacity = { hitsPerSecond, queue };
  } else if (raw.capacityQueue !== undefined) {
    throw new UsageError('--capacity-queue needs --capacity N (the hits per second the sink serves)');
  }
  return options;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function integer(flag: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new UsageError(`${flag} ${text} is not an integer from ${min} to ${max}`);
  }
  return Number(text);
}

/** The sites' currency (ISO 4217); SEK by default, as trafficinator's own default. */
function currency(text: string): string {
  if (!/^[A-Z]{3}$/.test(text)) throw new UsageError(`--currency ${text} is not a currency code: three uppercase letters (e.g. SEK, EUR)`);
  return text;
}

function rate(flag: string, text: string | undefined): number {
  if (text === undefined) return 0;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new UsageError(`${flag} ${text} is not a fraction from 0 to 1 (e.g. 0.05 for 5%)`);
  }
  return value;
}

/** `20ms`, `1s` or a range `5ms-50ms` (also `5-50ms`): a unit is required, as for every duration. */
function latency(text: string): { min: number; max: number } {
  const match = /^(\d+(?:\.\d+)?)(ms|s)?(?:-(\d+(?:\.\d+)?)(ms|s))?$/.exec(text.trim());
  const unitOf = (u: string | undefined): number => (u === 's' ? 1000 : 1);
  if (!match || (match[2] === undefined && match[4] === undefined)) {
    throw new UsageError(`--latency ${text} is not a duration or a range of durations (e.g. 20ms or 5ms-50ms; a unit is required)`);
  }
  const min = Math.round(Number(match[1]) * unitOf(match[2] ?? match[4]));
  const max = match[3] === undefined ? min : Math.round(Number(match[3]) * unitOf(match[4]));
  if (max < min || max > 600_000) {
    throw new UsageError(`--latency ${text}: the range must go up, at most 600000 ms`);
  }
  return { min, max };
}

function siteList(text: string): number[] {
  const ids = new Set<number>();
  for (const part of text.split(',')) {
    const match = /^\s*(\d+)(?:-(\d+))?\s*$/.exec(part);
    const from = Number(match?.[1]);
    const to = match?.[2] === undefined ? from : Number(match[2]);
    if (!match || from < 1 || to < from || to - from > 100_000) {
      throw new UsageError(`--sites ${text} is not a list of positive site ids (e.g. 1,2,3 or 1-5)`);
    }
    for (let id = from; id <= to; id++) ids.add(id);
  }
  return [...ids].sort((a, b) => a - b);
}

function nonEmpty(flag: string, text: string): string {
  if (text.trim() === '') throw new UsageError(`${flag} needs a file name`);
  return text;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `500ms`, `30s`, `5m`, `1h`: a unit is required, as for every duration of the other commands. */
export function parseDuration(flag: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (!match || Number(match[1]) <= 0) {
    const bare = /^\d+(?:\.\d+)?$/.test(text.trim()) ? ` (a unit is required: ${text.trim()}s or ${text.trim()}ms?)` : '';
    throw new UsageError(`${flag} ${text} is not a duration (e.g. 30s, 5m, 1h, 500ms)${bare}`);
  }
  return Math.round(Number(match[1]) * UNITS[match[2]!]!);
}
