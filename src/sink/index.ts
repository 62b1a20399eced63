import type { Clock } from '../time/clock.js';
import type { SinkOptions } from './options.js';
import { Recorder } from './recorder.js';
import { summarize, type SinkSummary } from './report.js';
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
