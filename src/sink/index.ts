import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Io } from '../cli/io.js';
import { UsageError } from '../errors.js';
import type { Clock } from '../time/clock.js';
import type { SinkOptions } from './options.js';
import { Recorder } from './recorder.js';
import { renderLiveLine, renderReport, summarize, type SinkSummary } from './report.js';
import { SinkServer } from './server.js';

export type { SinkOptions } from './options.js';
export { parseSinkFlags, type RawSinkFlags } from './options.js';
export type { SinkSummary } from './report.js';

export interface RunningSink {
  /** Base URL, e.g. `http://127.0.0.1:40123`; the tracker is at `${url}/matomo.php`. */
  url: string;
  server: SinkServer;
  snapshot(): SinkSummary;
  /** Stops listening, flushes --record and returns the final numbers. */
  stop(): Promise<SinkSummary>;
}

/** Starts a sink in this process (tests, demos). Paths in options are taken as given. */
export async function startSink(options: SinkOptions, clock: Clock): Promise<RunningSink> {
  const recorder = options.record ? await Recorder.open(options.record) : undefined;
  const server = new SinkServer(options, { clock, recorder });
  let url: string;
  try {
    url = await server.listen();
  } catch (error) {
    await recorder?.close();
    throw error;
  }
  const startedAt = clock.now();
  const snapshot = (): SinkSummary =>
    summarize({
      url,
      timezone: options.timezone,
      startedAt,
      stoppedAt: clock.now(),
      ledger: server.ledger,
      traffic: server.traffic,
      faults: server.faults,
    });
  let stopped: Promise<SinkSummary> | undefined;
  const stop = (): Promise<SinkSummary> =>
    (stopped ??= (async () => {
      await server.close();
      await recorder?.close();
      return snapshot();
    })());
  return { url, server, snapshot, stop };
}

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
