import { closeSync, existsSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import type { DeadHit, DeadLetter } from '../backfill/replay.js';
import type { TrackingRequest } from '../matomo/request.js';
import type { HitType } from '../journey/visit.js';

/**
 * The dead-letter file: one JSON object per line, a hit that was not recorded (`kind: "hit"`, with
 * its params, resendable with --retry-failed) or a batch whose invalid hits Matomo did not name
 * (`kind: "batch"`, a count only). token_auth is never in it.
 */
export interface DeadLetterWriter {
  write(record: DeadLetter): void;
  /** Records written through this writer. */
  count(): number;
  close(): void;
}

export function openDeadLetters(path: string): DeadLetterWriter {
  let fd: number | undefined;
  let n = 0;
  return {
    write(record) {
      // Opened on first use: a clean run leaves no empty file behind.
      fd ??= openSync(path, 'a');
      writeSync(fd, JSON.stringify(record) + '\n');
      n++;
    },
    count: () => n,
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}

export function readDeadLetters(path: string): { records: DeadLetter[]; badLines: number } {
  const records: DeadLetter[] = [];
  let badLines = 0;
  if (!existsSync(path)) return { records, badLines };
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const rec = JSON.parse(line) as DeadLetter;
      if (rec && (rec.kind === 'hit' || rec.kind === 'batch') && typeof rec.day === 'string') records.push(rec);
      else badLines++;
    } catch {
      badLines++;
    }
  }
  return { records, badLines };
}

/**
 * Moves the file aside (`NAME.retried-N`) and returns its records, so the hits a --retry-failed
 * sends are taken once, and what fails again lands in a fresh file.
 */
export function takeDeadLetters(path: string): { records: DeadLetter[]; movedTo?: string; badLines: number } {
  if (!existsSync(path)) return { records: [], badLines: 0 };
  let n = 1;
  while (existsSync(`${path}.retried-${n}`)) n++;
  const movedTo = `${path}.retried-${n}`;
  renameSync(path, movedTo);
  return { ...readDeadLetters(movedTo), movedTo };
}

export interface RetrySet {
  /** Per day, per visit, the hits to resend in time order. */
  days: Map<string, Map<number, TrackingRequest[]>>;
  hits: number;
  /** Batch records: invalid hits Matomo did not name, which cannot be resent. */
  unresendable: number;
}

/** Groups resendable dead hits per day and visit, in hit order, for the replay. */
export function retrySet(records: readonly DeadLetter[]): RetrySet {
  const days = new Map<string, Map<number, TrackingRequest[]>>();
  let hits = 0;
  let unresendable = 0;
  for (const rec of records) {
    if (rec.kind === 'batch') {
      unresendable += rec.invalid;
      continue;
    }
    let day = days.get(rec.day);
    if (!day) days.set(rec.day, (day = new Map()));
    let visit = day.get(rec.visit);
    if (!visit) day.set(rec.visit, (visit = []));
    visit.push(toRequest(rec));
    hits++;
  }
  for (const day of days.values()) for (const reqs of day.values()) reqs.sort((a, b) => a.hitIndex - b.hitIndex || a.at - b.at);
  return { days: new Map([...days].sort(([a], [b]) => (a < b ? -1 : 1))), hits, unresendable };
}

function toRequest(rec: DeadHit): TrackingRequest {
  return {
    type: rec.type as HitType,
    visitIndex: rec.visit,
    hitIndex: rec.hit,
    at: Date.parse(rec.at),
    params: rec.params.map(([k, v]) => [k, v] as [string, string]),
    userAgent: rec.userAgent,
  };
}
