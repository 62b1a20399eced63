import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cliCommand, startCli, waitForLine } from '../helpers/cli.js';
import { startSink } from './run-helpers.js';

/**
 * Issue 14 items 5 and 6: the run on a real terminal. `script` (util-linux, in every Debian) gives
 * the CLI a pseudo-terminal of 80 columns; a Ctrl-C typed into it is turned into SIGINT by the
 * terminal itself, which also echoes `^C` onto the progress line, as for a user.
 */
function onTerminal(args: string[], columns: number): {
  type(text: string): void;
  waitFor(pattern: RegExp): Promise<void>;
  done: Promise<{ raw: string; code: number | null }>;
} {
  const { file, args: prefix } = cliCommand();
  const quote = (s: string): string => `'${s.replaceAll("'", "'\\''")}'`;
  // exec: the CLI is the terminal's foreground process, and `script -e` exits with its code.
  const command = `stty cols ${columns} rows 40; exec ${[file, ...prefix, ...args].map(quote).join(' ')}`;
  const child = spawn('script', ['-qec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], env: { PATH: process.env.PATH, HOME: process.env.HOME } });
  let out = '';
  const waiters: Array<{ pattern: RegExp; resolve: () => void }> = [];
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    for (const w of [...waiters]) {
      if (!w.pattern.test(out)) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const done = new Promise<{ raw: string; code: number | null }>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      child.stdin.end();
      resolve({ raw: out, code });
    }),
  );
  return {
    type: (text) => void child.stdin.write(text),
    waitFor: (pattern) => (pattern.test(out) ? Promise.resolve() : new Promise((resolve) => waiters.push({ pattern, resolve }))),
    done,
  };
}

const CLEAR = '\x1b[2K';
/** What a terminal shows for each line: the text after the last carriage return (redraws). */
const screenLines = (raw: string): string[] =>
  raw.split('\n').map((line) => line.replace(/\r$/, '').split('\r').pop()!.replaceAll(CLEAR, ''));

describe('issue 14: the run on an 80-column terminal', () => {
  it('6: every progress draw fits in 80 columns and keeps in flight, dropped, p95 and errors', async () => {
    const sink = await startSink();
    const term = onTerminal(['run', '--preset', 'smoke', '--seed', '2', '--pause-max', '0', '--duration', '2s', '--url', sink.tracker], 80);
    const { raw, code } = await term.done;
    await sink.stop();
    const draws = raw.split('\r\x1b[2K').slice(1).map((d) => d.split(/\r?\n|\r/)[0]!).filter((d) => !d.startsWith('run'));
    expect(draws.length).toBeGreaterThan(0);
    for (const draw of draws) {
      expect([...draw].length).toBeLessThanOrEqual(77);
      expect(draw).toMatch(/flight \d+ {2}drop \d+ {2}p95 [\d.]+ms {2}err [\d.]+%/);
    }
    expect(code).toBe(0);
  });

  it('5: Ctrl-C clears the progress line, then the notice and the report start on clean lines; exit 130', async () => {
    const sink = await startSink();
    const term = onTerminal(
      ['run', '--preset', 'smoke', '--seed', '3', '--pause-min', '1', '--pause-max', '1', '--duration', '60s', '--url', sink.tracker],
      80,
    );
    await term.waitFor(new RegExp(String.raw`\r\u001b\[2K[1-9]\d*s v\d+`)); // the progress line is up, a second in
    term.type('\x03');
    await term.waitFor(/run: interrupted: no new visits/);
    term.type('\x03');
    const { raw, code } = await term.done;
    await sink.stop();
    const lines = screenLines(raw);
    expect(lines.find((l) => l.includes('^C'))).toBeUndefined(); // the echo was on the cleared line
    expect(lines.some((l) => l.startsWith('run: interrupted: no new visits'))).toBe(true);
    expect(lines.some((l) => l === 'run: interrupted again: stopping at once; visits in flight are aborted')).toBe(true);
    expect(lines.some((l) => /^run finished: interrupted(-twice)? after /.test(l))).toBe(true);
    expect(code).toBe(130);
  });

  it('5: SIGTERM exits 143, SIGINT 130', async () => {
    const sink = await startSink();
    const codes: Record<string, number | null> = {};
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const { child, result } = startCli(['run', '--preset', 'smoke', '--seed', '3', '--duration', '60s', '--url', sink.tracker]);
      await waitForLine(child, /^run: Ctrl-C stops starting visits/, 'stderr');
      child.kill(signal);
      codes[signal] = (await result).code;
    }
    await sink.stop();
    expect(codes).toEqual({ SIGTERM: 143, SIGINT: 130 });
  });
});
