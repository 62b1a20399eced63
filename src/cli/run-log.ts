import type { WriteStream } from 'node:fs';
import { resolve } from 'node:path';
import type { Io } from '../io.js';
import { openFile } from './line-output.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/**
 * `--log-file`: NDJSON records `{"time","level","event",...fields}` at or above `--log-level`.
 * Callers never pass a token: fields are counts, URLs of trackers and reasons.
 */
export interface RunLog {
  enabled(level: LogLevel): boolean;
  write(level: LogLevel, event: string, fields?: Record<string, unknown>): void;
  close(): Promise<void>;
}

export const noLog: RunLog = { enabled: () => false, write: () => undefined, close: async () => undefined };

export async function openRunLog(io: Io, file: string | undefined, level: LogLevel, now: () => number): Promise<RunLog> {
  if (file === undefined) return noLog;
  const stream: WriteStream = await openFile(resolve(io.cwd, file), '--log-file');
  const enabled = (l: LogLevel): boolean => ORDER[l] >= ORDER[level];
  return {
    enabled,
    write(l, event, fields = {}) {
      if (!enabled(l)) return;
      stream.write(JSON.stringify({ time: new Date(now()).toISOString(), level: l, event, ...fields }) + '\n');
    },
    close: () => new Promise<void>((done) => stream.end(() => done())),
  };
}
