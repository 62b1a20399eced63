import { READABLE_BACKFILL_VERSIONS, readBackfillSummary } from './backfill-summary.js';
import type { CapacitySummary } from './capacity.js';
import type { ReportInput } from './html/index.js';
import type { VerifyDoc } from './html/verify.js';
import type { RunSummary, TimeseriesRow } from './summary.js';

/** The summary versions `trafficinator report` reads, per command. */
export const READABLE_VERSIONS = { run: [1, 2, 3, 4], backfill: READABLE_BACKFILL_VERSIONS, capacity: [1] } as const;

export type ReadResult = { ok: true; input: ReportInput } | { ok: false; message: string };

/**
 * A --summary-json file of run, backfill or capacity, by its `command` (run summaries of version 1
 * had none: they are known by their fields and brought up to version 2's shape; versions 2 to 4
 * are read as they are: only versions 3 and 4 carry what a merge needs).
 */
export function readSummary(text: string, name: string): ReadResult {
  const parsed = parseJson(text);
  if (!parsed.ok) return { ok: false, message: `${name}: not JSON (${parsed.message})` };
  return readSummaryDoc(parsed.value, name);
}

function readSummaryDoc(value: unknown, name: string): ReadResult {
  const doc = value as Record<string, unknown>;
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return { ok: false, message: `${name}: not a summary object` };
  const version = doc.version;
  // verify --json carries no version: its days are read as they are.
  if (doc.command === 'verify' && Array.isArray(doc.targets)) return { ok: true, input: { kind: 'verify', name, summary: doc as unknown as VerifyDoc } };
  const command = doc.command ?? (version === 1 && 'rate' in doc && 'hits' in doc ? 'run' : undefined);
  if (command !== 'run' && command !== 'backfill' && command !== 'capacity') {
    return { ok: false, message: `${name}: not a summary of run, backfill or capacity (--summary-json of those commands) nor verify --json` };
  }
  const readable = READABLE_VERSIONS[command] as readonly number[];
  if (typeof version !== 'number' || !readable.includes(version)) {
    return { ok: false, message: `${name}: ${command} summary version ${String(version)} is not one this report reads (${readable.join(', ')}): use the trafficinator that wrote it` };
  }
  if (command === 'run') {
    const summary = (version === 1 ? { ...doc, version: 2, command: 'run', limits: doc.limits ?? {} } : doc) as unknown as RunSummary;
    return { ok: true, input: { kind: 'run', name, summary } };
  }
  // Backfill versions 1 to 3 are brought up to version 4 (readBackfillSummary says how).
  if (command === 'backfill') return { ok: true, input: { kind: 'backfill', name, summary: readBackfillSummary(doc) } };
  return { ok: true, input: { kind: 'capacity', name, summary: doc as unknown as CapacitySummary } };
}

export type ReadManyResult = { ok: true; inputs: ReportInput[] } | { ok: false; message: string };

/**
 * The summaries in one file: the file is a summary, or a log holding summaries as single JSON
 * lines (`--summary-json -` writes one line, amid whatever else the log caught: `kubectl logs`
 * mixes in stderr). In a log, each line that starts with `{` and reads as a summary is one,
 * named FILE:LINE; lines that don't are someone else's text.
 */
export function readSummaries(text: string, name: string): ReadManyResult {
  const whole = parseJson(text);
  if (whole.ok) {
    const read = readSummaryDoc(whole.value, name);
    return read.ok ? { ok: true, inputs: [read.input] } : read;
  }
  const inputs: ReportInput[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line.startsWith('{')) continue;
    const parsed = parseJson(line);
    if (!parsed.ok) continue;
    const read = readSummaryDoc(parsed.value, `${name}:${i + 1}`);
    if (read.ok) inputs.push(read.input);
    // A JSON line that names one of our commands but can't be read is an error, not noise.
    else if (['run', 'backfill', 'capacity', 'verify'].includes((parsed.value as { command?: unknown }).command as string)) return read;
  }
  if (inputs.length === 0) {
    return { ok: false, message: `${name}: neither a summary nor a log with one (--summary-json - writes a summary as one JSON line)` };
  }
  return { ok: true, inputs };
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

/** A --timeseries file (NDJSON); blank lines skipped; the first bad line named. */
export function readTimeseries(text: string, name: string): TimeseriesRow[] | string {
  const rows: TimeseriesRow[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    try {
      const row = JSON.parse(line) as TimeseriesRow;
      if (typeof row.second !== 'number' || typeof row.hitsSent !== 'number') return `${name}:${i + 1}: not a --timeseries row (second, hitsSent, ...)`;
      rows.push(row);
    } catch {
      return `${name}:${i + 1}: not JSON`;
    }
  }
  return rows;
}
