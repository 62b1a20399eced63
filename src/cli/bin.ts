import { readFile } from 'node:fs';
import { resolve } from 'node:path';
import { isMainThread, workerData } from 'node:worker_threads';
import type { Io } from '../io.js';
import { ExitCode } from '../errors.js';
import { main } from './main.js';
import { isWorkerData } from '../workers/protocol.js';

/** The only place that builds the real Io and exits the process. */
/** The first stop signal received: an interrupted command exits 128 + its number (130 or 143). */
let firstSignal: 'SIGINT' | 'SIGTERM' | undefined;

function processIo(): Io {
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (name: 'SIGINT' | 'SIGTERM'): void => {
    interrupts += 1;
    firstSignal ??= name;
    if (!controller.signal.aborted) controller.abort(new Error('interrupted'));
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
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
    // node:fs's callback form: node:fs/promises (and the readline it loads) cost a few ms of every start.
    readFile: (path) =>
      new Promise<string>((done, fail) => readFile(resolve(cwd, path), 'utf8', (error, text) => (error ? fail(error) : done(text)))),
    signal: controller.signal,
    interrupts: () => interrupts,
    stdin: {
      get isTTY() {
        return Boolean(process.stdin.isTTY);
      },
      // node:readline loads on the first question (a few ms of every start otherwise).
      readLine: async () => {
        const { createInterface } = await import('node:readline');
        return new Promise<string | undefined>((done) => {
          const rl = createInterface({ input: process.stdin });
          rl.once('line', (line) => {
            rl.close();
            done(line);
          });
          rl.once('close', () => done(undefined));
        });
      },
    },
  };
}

// A worker thread runs this same bundle (workers/spawn.ts): it serves, it runs no command.
if (!isMainThread && isWorkerData(workerData)) {
  if (workerData.role === 'run') void import('../workers/run-thread.js').then((m) => m.serveRunThread());
  else void import('../workers/thread.js').then((m) => m.serveThread());
} else {
  main(processIo()).then(
    (result) => {
      // Commands report "interrupted" as 130; a service manager's SIGTERM gets the shell's 143.
      const code = result === ExitCode.interrupted && firstSignal === 'SIGTERM' ? 143 : result;
      // Let stdout drain (pipes) before leaving.
      process.exitCode = code;
      process.stdout.write('', () => process.exit(code));
    },
    (error: unknown) => {
      process.stderr.write(`internal error: ${String(error)}\n`);
      process.exit(1);
    },
  );
}
