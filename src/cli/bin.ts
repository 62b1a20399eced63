import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Io } from './io.js';
import { main } from './main.js';

/** The only place that builds the real Io and exits the process. */
function processIo(): Io {
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts += 1;
    if (!controller.signal.aborted) controller.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // A reader that goes away (`trafficinator run --dry-run … | head`) is not an error: stop quietly,
  // as Unix tools do, instead of dying on an unhandled EPIPE with a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  process.stderr.on('error', () => undefined);
  const cwd = process.cwd();
  return {
    argv: process.argv.slice(2),
    env: process.env,
    cwd,
    stdout: {
      write: (text) => process.stdout.write(text),
      drain: () =>
        process.stdout.writableNeedDrain ? new Promise<void>((done) => process.stdout.once('drain', done)) : Promise.resolve(),
      get isTTY() {
        return Boolean(process.stdout.isTTY);
      },
      get columns() {
        return process.stdout.columns;
      },
    },
    stderr: {
      write: (text) => void process.stderr.write(text),
      get isTTY() {
        return Boolean(process.stderr.isTTY);
      },
      get columns() {
        return process.stderr.columns;
      },
    },
    readFile: (path) => readFile(resolve(cwd, path), 'utf8'),
    signal: controller.signal,
    interrupts: () => interrupts,
    stdin: {
      get isTTY() {
        return Boolean(process.stdin.isTTY);
      },
      readLine: () =>
        new Promise<string | undefined>((done) => {
          const rl = createInterface({ input: process.stdin });
          rl.once('line', (line) => {
            rl.close();
            done(line);
          });
          rl.once('close', () => done(undefined));
        }),
    },
  };
}

main(processIo()).then(
  (code) => {
    // Let stdout drain (pipes) before leaving.
    process.exitCode = code;
    process.stdout.write('', () => process.exit(code));
  },
  (error: unknown) => {
    process.stderr.write(`internal error: ${String(error)}\n`);
    process.exit(1);
  },
);
