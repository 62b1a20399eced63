import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import type { Io } from '../../io.js';
import { startSink, type RunningSink, type SinkOptions, type SinkSummary } from '../../sink/index.js';
import { renderLiveLine, renderReport } from '../../sink/report.js';
import type { Clock } from '../../time/clock.js';

const LIVE_EVERY_MS = 2_000;

/**
 * `trafficinator sink`: prints the base URL as the first stdout line, serves until the Io signal
 * (SIGINT/SIGTERM) or --duration, then prints the report and writes --summary-json.
 */
export async function runSink(io: Io, options: SinkOptions, clock: Clock): Promise<SinkSummary> {
  const resolved: SinkOptions = {
    ...options,
    record: options.record === undefined ? undefined : resolve(io.cwd, options.record),
    summaryJson: options.summaryJson === undefined ? undefined : resolve(io.cwd, options.summaryJson),
  };
  if (resolved.summaryJson) await checkWritable(resolved.summaryJson);
  const sink = await startSink(resolved, clock);
  io.stdout.write(`${sink.url}\n`);
  io.stderr.write(
    `sink: tracker ${sink.url}/matomo.php, Reporting API ${sink.url}/index.php; ` +
      `${options.durationMs ? `stops after ${options.durationMs / 1000} s or ` : ''}Ctrl-C to stop and print the report\n`,
  );
  const stopLive = new AbortController();
  const drawing = io.stderr.isTTY && !options.quiet;
  const live = drawing ? liveLine(io, sink, clock, stopLive.signal) : Promise.resolve();
  await untilStop(io.signal, clock, options.durationMs);
  stopLive.abort();
  await live;
  if (drawing) io.stderr.write('\n');
  const summary = await sink.stop();
  if (resolved.summaryJson) await writeFile(resolved.summaryJson, JSON.stringify(summary, null, 2) + '\n');
  io.stdout.write(renderReport(summary));
  return summary;
}

async function untilStop(signal: AbortSignal, clock: Clock, durationMs: number | undefined): Promise<void> {
  if (signal.aborted) return;
  if (durationMs !== undefined) {
    await clock.sleep(durationMs, signal).catch(() => undefined);
    return;
  }
  await new Promise<void>((done) => signal.addEventListener('abort', () => done(), { once: true }));
}

async function liveLine(io: Io, sink: RunningSink, clock: Clock, signal: AbortSignal): Promise<void> {
  let lastHits = 0;
  let lastAt = clock.monotonic();
  for (;;) {
    try {
      await clock.sleep(LIVE_EVERY_MS, signal);
    } catch {
      return;
    }
    const summary = sink.snapshot();
    const now = clock.monotonic();
    const rate = ((summary.hits.received - lastHits) * 1000) / Math.max(1, now - lastAt);
    lastHits = summary.hits.received;
    lastAt = now;
    io.stderr.write(`\r\x1b[2K${renderLiveLine(summary, rate)}`);
  }
}

async function checkWritable(path: string): Promise<void> {
  try {
    await writeFile(path, '', { flag: 'a' });
  } catch (error) {
    throw new UsageError(`--summary-json ${path}: cannot write the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}
