import cliProgress from 'cli-progress';
import { renderLiveLine, type LiveSnapshot } from '../report/live-line.js';
import type { Writable } from './io.js';

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
  /** Draws the last state and stops polling. */
  stop(): void;
}

const systemTimers: ProgressTimers = {
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
};

/**
 * A thin shell (as autocannon's progressTracker): polls the engine's snapshot() and draws it. On a
 * TTY a cli-progress bar (visits/max-visits or elapsed/duration) with the live line beside it;
 * elsewhere (CI, pipes) one plain line every 10 s. --quiet means: do not call this.
 */
export function startProgress(options: ProgressOptions): Progress {
  const timers = options.timers ?? systemTimers;
  const line = (): string => renderLiveLine(options.snapshot(), options.timezone);
  if (!options.stream.isTTY) {
    const handle = timers.setInterval(() => options.stream.write(line() + '\n'), options.plainEveryMs ?? 10_000);
    return { stop: () => timers.clearInterval(handle) };
  }
  const bar = new cliProgress.SingleBar(
    {
      stream: options.stream as unknown as NodeJS.WritableStream,
      format: '{bar} {line}',
      barsize: 20,
      hideCursor: true,
      linewrap: false,
      clearOnComplete: false,
      forceRedraw: true,
      fps: 4,
    },
    cliProgress.Presets.shades_classic,
  );
  const progressOf = (s: LiveSnapshot): [number, number] => {
    if (s.maxVisits !== undefined) return [Math.min(s.visitsStarted, s.maxVisits), s.maxVisits];
    if (s.limitMs !== undefined) return [Math.min(s.elapsedMs, s.limitMs), s.limitMs];
    return [0, 1];
  };
  const first = options.snapshot();
  const [value, total] = progressOf(first);
  bar.start(total, value, { line: renderLiveLine(first, options.timezone) });
  const draw = (): void => {
    const s = options.snapshot();
    const [v, t] = progressOf(s);
    bar.setTotal(t);
    bar.update(v, { line: renderLiveLine(s, options.timezone) });
  };
  const handle = timers.setInterval(draw, options.intervalMs ?? 250);
  return {
    stop() {
      timers.clearInterval(handle);
      draw();
      bar.stop();
    },
  };
}
