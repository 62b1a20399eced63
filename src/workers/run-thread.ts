import { parentPort, type MessagePort } from 'node:worker_threads';
import { startLive, type LiveRun } from '../engine/live.js';
import type { CloseInfo } from '../engine/observer.js';
import { poolConnections, runPlan, type RunPlan } from '../engine/run-plan.js';
import { workloadSource } from '../engine/workload-source.js';
import type { VisitSource } from '../engine/visit-source.js';
import type { TrackerEndpoint } from '../matomo/http.js';
import { systemClock } from '../time/clock.js';
import type { Transport } from '../transport/transport.js';
import { UndiciTransport } from '../transport/undici.js';
import { checkedWorkload } from '../workload/workload.js';
import { EventLog } from './run-events.js';
import type { FromRunThread, ToRunThread } from './run-protocol.js';

/**
 * A `run --workers` thread: the live engine on its shard of the visits (run-shard.ts), with its
 * share of the slots, its own connection pool, and the run's whole schedule (another shard's
 * arrival passes without a wait, as with --shard). Its events go to the main thread every
 * FLUSH_MS; the main thread owns the metrics, the progress line, thresholds and the report.
 */

/** How often the events are posted: short, so the main thread's per-second rows stay true. */
const FLUSH_MS = 50;

interface Ready {
  live?: LiveRun<CloseInfo>;
  plan: RunPlan;
  transport: Transport;
  source: VisitSource;
  concurrency: number;
  graceMs: number;
  seed: string | number;
}

export function serveRunThread(port: MessagePort | null = parentPort): void {
  if (!port) throw new Error('serveRunThread outside a worker thread');
  const post = (message: FromRunThread, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);
  const log = new EventLog();
  const soft = new AbortController();
  const hard = new AbortController();
  let ready: Ready | undefined;

  const flush = (live: LiveRun<CloseInfo>): void => {
    const events = log.take();
    const now = live.snapshot();
    post({ type: 'events', ...(events ? { events } : {}), phase: now.phase, pausedUntilMs: now.pausedUntilMs }, events ? [events.buffer as ArrayBuffer] : []);
  };
  const fail = (error: unknown): void => post({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });

  port.on('message', (message: ToRunThread) => {
    try {
      switch (message.type) {
        case 'init': {
          const { workload, issues } = checkedWorkload(message.config, message.seed, message.files);
          if (!workload) throw new Error(`the workload does not load in a worker thread: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
          const endpoints: TrackerEndpoint[] = message.config.targets.map((t) => ({ trackerUrl: t.url, ...(t.tokenAuth ? { tokenAuth: t.tokenAuth } : {}) }));
          const plan = runPlan(message.config, message.seed, message.startEpochMs);
          const undici = new UndiciTransport({ ...message.transport, clock: systemClock, connections: poolConnections(plan, message.concurrency) });
          ready = {
            plan,
            transport: message.debug ? reportingFailures(undici, post) : undici,
            source: workloadSource(workload, endpoints, message.shard),
            concurrency: message.concurrency,
            graceMs: message.config.run.graceMs,
            seed: message.seed,
          };
          post({ type: 'ready' });
          break;
        }
        case 'go':
          if (!ready) throw new Error('go before init');
          go(ready);
          break;
        case 'stop':
          if (message.reason === 'interrupted') soft.abort(new Error('interrupted'));
          else ready?.live?.stop('threshold');
          break;
        case 'stop-now':
          hard.abort(new Error('interrupted twice'));
          break;
      }
    } catch (error) {
      fail(error);
    }
  });

  function go(r: Ready): void {
    const live = startLive({
      clock: systemClock,
      transport: r.transport,
      source: r.source,
      pacer: r.plan.pacer,
      concurrency: r.concurrency,
      metrics: log,
      stop: r.plan.stop,
      graceMs: r.graceMs,
      signal: soft.signal,
      hardSignal: hard.signal,
      seed: r.seed,
    });
    r.live = live;
    const timer = setInterval(() => flush(live), FLUSH_MS);
    live.done
      .then(
        async (info) => {
          clearInterval(timer);
          await r.transport.close();
          const events = log.take();
          post({ type: 'done', ...(events ? { events } : {}), info }, events ? [events.buffer as ArrayBuffer] : []);
        },
        (error: unknown) => {
          clearInterval(timer);
          fail(error);
        },
      )
      .catch(fail);
  }
}

/** --log-level debug: each failed hit's tracker, method and class or status (never the URL's query or the body). */
function reportingFailures(inner: Transport, post: (message: FromRunThread) => void): Transport {
  return {
    async send(request, signal) {
      const outcome = await inner.send(request, signal);
      if (outcome.kind === 'error' || outcome.status < 200 || outcome.status >= 300) {
        const tracker = request.url.split('?')[0] ?? '';
        post({
          type: 'failed-hit',
          hit: outcome.kind === 'error' ? { tracker, method: request.method, errorClass: outcome.errorClass } : { tracker, method: request.method, status: outcome.status },
        });
      }
      return outcome;
    },
    close: () => inner.close(),
  };
}
