import type { LiveSnapshot } from '../engine/observer.js';
import { renderCompactLine, renderLiveLine } from '../report/live-line.js';
import type { Writable } from '../io.js';

/** Timer functions, injectable so tests drive the polling by hand. */
export interface ProgressTimers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface ProgressOptions {
  /** Io.stderr: progress never goes to stdout, which carries the report. */
  stream: Writable;
  snapshot: () => LiveSnapshot;
  /** Zone of the "paused until" time (the run's timezone). */
  timezone?: string;
  /** TTY redraw period (default 250 ms). */
  intervalMs?: number;
  /** Period of the plain lines when not on a TTY (default 10 s). */
  plainEveryMs?: number;
  timers?: ProgressTimers;
}

export interface Progress {
  /**
   * Prints a line above the progress line (the interrupt notice): the bar is cleared first, so the
   * line starts clean even after the terminal echoed `^C` onto it.
   */
  note(line: string): void;
  /** Stops polling and clears the bar, so the report starts on a clean line. */
  stop(): void;
}

const systemTimers: ProgressTimers = {
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
};

const BAR_WIDTH = 20;
/** Carriage return, then erase the whole line (ECMA-48 EL 2). */
const CLEAR_LINE = '\r\x1b[2K';

/**
 * A thin shell (as autocannon's progressTracker): polls the engine's snapshot() and draws it. On a
 * TTY one line, redrawn in place, that always fits the terminal's width (bar and full line, or the
 * compact line); elsewhere (CI, pipes) one plain line every 10 s. --quiet means: do not call this.
 */
export function startProgress(options: ProgressOptions): Progress {
  const timers = options.timers ?? systemTimers;
  const { stream } = options;
  if (!stream.isTTY) {
    const line = (): string => renderLiveLine(options.snapshot(), options.timezone);
    const handle = timers.setInterval(() => stream.write(line() + '\n'), options.plainEveryMs ?? 10_000);
    return { note: (text) => void stream.write(text + '\n'), stop: () => timers.clearInterval(handle) };
  }
  let stopped = false;
  const draw = (): void => {
    if (!stopped) stream.write(CLEAR_LINE + fitLine(options.snapshot(), stream.columns ?? 80, options.timezone));
  };
  draw();
  const handle = timers.setInterval(draw, options.intervalMs ?? 250);
  return {
    note(text) {
      stream.write(`${CLEAR_LINE}${text}\n`);
      draw();
    },
    stop() {
      timers.clearInterval(handle);
      stopped = true;
      stream.write(CLEAR_LINE);
    },
  };
}

/**
 * The progress line for a terminal `columns` wide: the widest form that leaves 3 columns free (for
 * the `^C` the terminal echoes after it, which would otherwise wrap and leave half of itself on a
 * line we cannot clear): bar and full line, full line, bar and compact line, compact line, and at
 * last the compact line cut short.
 */
export function fitLine(s: LiveSnapshot, columns: number, timezone?: string): string {
  const room = Math.max(10, columns - 3);
  const full = renderLiveLine(s, timezone);
  const compact = renderCompactLine(s);
  const withBar = (text: string): string => `${bar(s)} ${text}`;
  for (const candidate of [withBar(full), full, withBar(compact), compact]) {
    if ([...candidate].length <= room) return candidate;
  }
  return [...compact].slice(0, room - 1).join('') + '…';
}

function bar(s: LiveSnapshot): string {
  let fraction = 0;
  if (s.maxVisits !== undefined && s.maxVisits > 0) fraction = s.visitsStarted / s.maxVisits;
  else if (s.limitMs !== undefined && s.limitMs > 0) fraction = s.elapsedMs / s.limitMs;
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * BAR_WIDTH);
  return '█'.repeat(filled) + '░'.repeat(BAR_WIDTH - filled);
}
