import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/**
 * The command that end-to-end tests run: TRAFFICINATOR_BIN (e.g. dist/trafficinator, the single
 * executable) or, by default, the built JS entry under the current Node.
 */
export function cliCommand(): { file: string; args: string[] } {
  const bin = process.env.TRAFFICINATOR_BIN;
  if (bin) return { file: resolve(root, bin), args: [] };
  return { file: process.execPath, args: [resolve(root, 'dist/cli.cjs')] };
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  input?: string;
  /** Kill the child after this long (a safety net, not a synchronisation). */
  timeoutMs?: number;
}

/** Starts the CLI and returns the child plus a promise of its result. */
export function startCli(args: string[], options: RunOptions = {}): {
  child: ChildProcess;
  result: Promise<CliResult>;
} {
  const { file, args: prefix } = cliCommand();
  const env: Record<string, string | undefined> = { PATH: process.env.PATH, HOME: process.env.HOME };
  Object.assign(env, options.env ?? {});
  const child = spawn(file, [...prefix, ...args], {
    cwd: options.cwd ?? root,
    env: env as NodeJS.ProcessEnv,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  if (options.input !== undefined) child.stdin!.end(options.input);
  else child.stdin!.end();
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  const result = new Promise<CliResult>((resolvePromise) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
  });
  return { child, result };
}

/** Runs the CLI to its end. */
export function runCli(args: string[], options: RunOptions = {}): Promise<CliResult> {
  return startCli(args, options).result;
}

/** Resolves with the first stdout line that matches, e.g. a readiness signal. */
export function waitForLine(child: ChildProcess, pattern: RegExp, stream: 'stdout' | 'stderr' = 'stdout'): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    let buffer = '';
    const source = stream === 'stdout' ? child.stdout! : child.stderr!;
    const onData = (chunk: Buffer | string): void => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (pattern.test(line)) {
          source.off('data', onData);
          resolvePromise(line);
          return;
        }
      }
    };
    source.on('data', onData);
    child.once('close', () => reject(new Error(`process closed before a line matched ${pattern}`)));
  });
}

export const projectRoot = root;
