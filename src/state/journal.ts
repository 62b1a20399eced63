import { appendFileSync, closeSync, existsSync, fsyncSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import type { ReplayJournal, VisitState } from '../backfill/replay.js';

/**
 * The append-only journal of visit states, one JSON line per event:
 *   {"d":"2026-01-01","f":[0,1,2]}                    in flight (written before the batch is sent)
 *   {"d":"2026-01-01","a":[0,1],"x":[2],"u":[],"r":[]} acknowledged, failed, uncertain, released
 * Each line goes to the OS with one write(2) before the send (or after the answer) that it
 * describes, so a killed process loses nothing it was told. A line torn by a crash can only be the
 * last one: reading skips it, and opening for append cuts it off first.
 */
const CODES = { acked: 'a', failed: 'x', uncertain: 'u', released: 'r' } as const satisfies Record<VisitState, string>;

export interface JournalWriter extends ReplayJournal {
  close(): void;
}

export interface JournalOptions {
  /** fsync after every line: survives power loss too, at a cost per batch. Default false. */
  fsync?: boolean;
}

function list(values: readonly number[]): string {
  let out = '[';
  for (let i = 0; i < values.length; i++) out += (i ? ',' : '') + values[i];
  return out + ']';
}

export function openJournal(path: string, options: JournalOptions = {}): JournalWriter {
  cutTornTail(path);
  const fd = openSync(path, 'a');
  const write = (line: string): void => {
    writeSync(fd, line);
    if (options.fsync) fsyncSync(fd);
  };
  return {
    inFlight(date, visits) {
      if (visits.length) write('{"d":"' + date + '","f":' + list(visits) + '}\n');
    },
    settle(date, states) {
      let line = '{"d":"' + date + '"';
      let any = false;
      for (const key of Object.keys(CODES) as VisitState[]) {
        const v = states[key];
        if (v && v.length) {
          line += ',"' + CODES[key] + '":' + list(v);
          any = true;
        }
      }
      if (any) write(line + '}\n');
    },
    close() {
      closeSync(fd);
    },
  };
}

/** Drops a partial last line (no trailing newline) left by a crash, so appends start clean. */
function cutTornTail(path: string): void {
  if (!existsSync(path)) return;
  const data = readFileSync(path);
  if (data.length === 0 || data[data.length - 1] === 0x0a) return;
  const cut = data.lastIndexOf(0x0a) + 1;
  try {
    // Complete but for its newline (the write stopped just before it): keep it, as readJournal does.
    JSON.parse(data.subarray(cut).toString('utf8'));
    appendFileSync(path, '\n');
  } catch {
    truncateSync(path, cut);
  }
}

/** What the journal says about one day. Visits in no set were never sent (or were released). */
export interface DayJournal {
  acked: Set<number>;
  failed: Set<number>;
  /** Journaled as uncertain, or in flight with no answer recorded (the process died). */
  uncertain: Set<number>;
}

export interface JournalState {
  days: Map<string, DayJournal>;
  /** The last line was cut short by a crash (and ignored). */
  tornTail: boolean;
  /** Unreadable lines other than the last (should not happen; ignored and counted). */
  badLines: number;
}

const IN_FLIGHT = 'f';
type Code = 'f' | 'a' | 'x' | 'u' | 'r';

export function readJournal(path: string): JournalState {
  const state: JournalState = { days: new Map(), tornTail: false, badLines: 0 };
  if (!existsSync(path)) return state;
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  const last = lines.length - 1;
  // Last state wins per visit: in flight, then its fate, then (after a resend) in flight again.
  const latest = new Map<string, Map<number, Code>>();
  lines.forEach((line, i) => {
    if (!line) return;
    let rec: Record<string, unknown>;
    try {
      rec = JSON.parse(line) as Record<string, unknown>;
    } catch {
      if (i === last) state.tornTail = true;
      else state.badLines++;
      return;
    }
    const date = rec.d;
    if (typeof date !== 'string') return void state.badLines++;
    let day = latest.get(date);
    if (!day) latest.set(date, (day = new Map()));
    for (const code of ['f', 'a', 'x', 'u', 'r'] as const) {
      const visits = rec[code];
      if (Array.isArray(visits)) for (const v of visits) if (typeof v === 'number') day.set(v, code);
    }
  });
  for (const [date, visits] of latest) {
    const day: DayJournal = { acked: new Set(), failed: new Set(), uncertain: new Set() };
    for (const [v, code] of visits) {
      if (code === 'a') day.acked.add(v);
      else if (code === 'x') day.failed.add(v);
      else if (code === 'u' || code === IN_FLIGHT) day.uncertain.add(v);
    }
    state.days.set(date, day);
  }
  return state;
}
