import cliProgress from 'cli-progress';
import type { ReplaySnapshot } from '../../backfill/replay.js';
import type { Writable } from '../../io.js';

/**
 * The backfill's live view on a TTY (a thin shell that polls Replay.snapshot()): one bar for the
 * window (days done, hits/s, ETA, errors) and one bar per day in progress (visits settled of the
 * visits to send). Off a TTY the command prints a line per finished day instead (not here).
 */
export interface BackfillProgress {
  stop(): void;
}

function eta(doneFraction: number, elapsedMs: number): string {
  if (doneFraction <= 0) return '--';
  const s = Math.round(((1 - doneFraction) * elapsedMs) / doneFraction / 1000);
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

export function startBackfillProgress(options: {
  stream: Writable;
  label: string;
  snapshot: () => ReplaySnapshot;
  /** Visits to send per day (the bars' totals). */
  toSend: ReadonlyMap<string, number>;
  intervalMs?: number;
}): BackfillProgress {
  const multi = new cliProgress.MultiBar(
    {
      stream: options.stream as unknown as NodeJS.WritableStream,
      format: '{name} {bar} {value}/{total} {unit} {info}',
      barsize: 24,
      hideCursor: true,
      linewrap: false,
      clearOnComplete: false,
      forceRedraw: true,
      fps: 4,
    },
    cliProgress.Presets.shades_classic,
  );
  const totalDays = options.toSend.size;
  const allVisits = [...options.toSend.values()].reduce((a, b) => a + b, 0);
  const windowBar = multi.create(totalDays, 0, { name: options.label.padEnd(10), unit: 'days', info: '' });
  const dayBars = new Map<string, cliProgress.SingleBar>();
  const draw = (): void => {
    const s = options.snapshot();
    let settledVisits = 0;
    for (const d of s.days) {
      const settled = d.visitsAcked + d.visitsFailed + d.visitsUncertain + d.visitsReleased;
      settledVisits += settled;
      const total = options.toSend.get(d.date) ?? 0;
      let bar = dayBars.get(d.date);
      if (!bar && !d.done && d.sent > 0) {
        bar = multi.create(total, settled, { name: d.date, unit: 'visits', info: '' });
        dayBars.set(d.date, bar);
      }
      if (bar) {
        bar.update(settled, { info: `${d.tracked} tracked${d.failed + d.invalid ? `, ${d.failed + d.invalid} lost` : ''}` });
        if (d.done) {
          multi.remove(bar);
          dayBars.delete(d.date);
        }
      }
    }
    const rate = s.elapsedMs > 0 ? Math.round((s.hitsSent / s.elapsedMs) * 1000) : 0;
    windowBar.update(s.daysDone, {
      info: `| ${rate} hits/s | ETA ${eta(allVisits ? settledVisits / allVisits : 0, s.elapsedMs)} | errors ${s.errors}`,
    });
  };
  draw();
  const handle = setInterval(draw, options.intervalMs ?? 250);
  return {
    stop() {
      clearInterval(handle);
      draw();
      multi.stop();
    },
  };
}
