import { createWriteStream, type WriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { Io, Writable } from '../io.js';

/**
 * Text written in chunks with backpressure, to a file or to stdout: a dry run of 100,000 visits
 * never holds more than one chunk in memory, whatever the reader's speed.
 */
export interface LineOutput {
  /** Buffers `text`; resolves at once unless a full chunk had to wait for the reader. */
  write(text: string): Promise<void> | undefined;
  /** Flushes and (for a file) closes. */
  close(): Promise<void>;
}

const CHUNK = 64 * 1024;

/** `file` relative to the working directory; without it, stdout. Unwritable file: UsageError. */
export async function openLineOutput(io: Io, file: string | undefined, flag = '--output'): Promise<LineOutput> {
  if (file === undefined) return chunked(io.stdout, async () => undefined);
  const stream = await openFile(resolve(io.cwd, file), flag);
  const target: Writable = {
    write: (text) => stream.write(text),
    drain: () => (stream.writableNeedDrain ? new Promise<void>((done) => stream.once('drain', done)) : Promise.resolve()),
    isTTY: false,
  };
  return chunked(target, () => new Promise<void>((done, fail) => stream.end((error?: Error | null) => (error ? fail(error) : done()))));
}

/** Opens a file for writing, or a UsageError naming it and the reason. */
export function openFile(path: string, flag: string): Promise<WriteStream> {
  return new Promise((done, fail) => {
    const stream = createWriteStream(path);
    stream.once('open', () => done(stream));
    stream.once('error', (error: NodeJS.ErrnoException) =>
      fail(new UsageError(`${flag} ${path}: cannot write (${error.code ?? error.message})`)),
    );
  });
}

function chunked(target: Writable, end: () => Promise<void>): LineOutput {
  let buffer = '';
  const flush = (): Promise<void> | undefined => {
    if (buffer === '') return undefined;
    const ok = target.write(buffer);
    buffer = '';
    return ok === false && target.drain ? target.drain() : undefined;
  };
  return {
    write(text) {
      buffer += text;
      return buffer.length >= CHUNK ? flush() : undefined;
    },
    async close() {
      await flush();
      await end();
    },
  };
}
