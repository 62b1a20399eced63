/**
 * Everything a command may touch of the process, in one object (k6's GlobalState). Commands take
 * an Io; tests pass buffers and a fake environment. Only cli/bin.ts builds the real one.
 */
export interface Io {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  stdout: Writable;
  stderr: Writable;
  /** Reads a UTF-8 text file relative to cwd; throws the platform's error (ENOENT, EACCES...). */
  readFile(path: string): Promise<string>;
  /** Aborted on SIGINT/SIGTERM; `interrupts` counts signals so a second one can stop at once. */
  signal: AbortSignal;
  interrupts(): number;
  /** Standard input, for a confirmation question; absent in tests (taken as not a terminal). */
  stdin?: { readonly isTTY: boolean; readLine(): Promise<string | undefined> };
}

export interface Writable {
  /** False (when the stream says so) means its buffer is full: await drain() before writing more. */
  write(text: string): boolean | void;
  /** Resolves once buffered output has been handed on; absent on streams that never buffer. */
  drain?(): Promise<void>;
  readonly isTTY: boolean;
  /** Terminal width when isTTY. */
  readonly columns?: number;
}

/** An Io backed by string buffers, for in-process tests. */
export function memoryIo(options: {
  argv: string[];
  env?: Record<string, string | undefined>;
  files?: Record<string, string>;
  cwd?: string;
  signal?: AbortSignal;
}): Io & { out(): string; err(): string } {
  let out = '';
  let err = '';
  const files = options.files ?? {};
  return {
    argv: options.argv,
    env: options.env ?? {},
    cwd: options.cwd ?? '/work',
    stdout: { write: (t) => void (out += t), isTTY: false },
    stderr: { write: (t) => void (err += t), isTTY: false },
    readFile: async (path) => {
      const text = files[path];
      if (text === undefined) {
        throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), {
          code: 'ENOENT',
        });
      }
      return text;
    },
    signal: options.signal ?? new AbortController().signal,
    interrupts: () => 0,
    out: () => out,
    err: () => err,
  };
}
