import { parentPort, type MessagePort } from 'node:worker_threads';
import type { DayPlacer, PlacedVisit } from '../backfill/plan.js';
import { dayPlacer } from '../backfill/setup.js';
import { bulkQuery } from '../matomo/bulk.js';
import { dryRunLine } from '../matomo/dry-run.js';
import { matomoVisitorId } from '../matomo/visitor-id.js';
import type { TrackingRequest } from '../matomo/request.js';
import { visitText } from './encoded.js';
import { checkedWorkload } from '../workload/workload.js';
import type { FromWorker, Output, ToWorker } from './protocol.js';

/**
 * The worker thread's side: builds, places and encodes the share of each day the main thread
 * asks for, and hands the visits back a chunk at a time, each chunk when asked (the main thread
 * asks for the next as soon as one arrives, so one is always being made while it reads the other).
 */

/** Visits per chunk: large enough that messages are few, small enough that a chunk stays small. */
const CHUNK_VISITS = 256;

interface Stream {
  date: string;
  /** The share's visits in send order, built as they are read (plan.ts placeDay). */
  placed: Iterator<PlacedVisit>;
  /** Visits not handed over yet. */
  left: number;
}

const queryOf = (req: TrackingRequest): string => bulkQuery(req.params);

/** Serves the main thread on `port` (the worker's parentPort; a MessageChannel's end in tests). */
export function serveThread(port: MessagePort | null = parentPort): void {
  if (!port) throw new Error('serveThread outside a worker thread');
  let placer: DayPlacer | undefined;
  let output: Output = { kind: 'requests' };
  const streams = new Map<number, Stream>();
  const post = (message: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

  const chunk = (id: number): void => {
    const s = streams.get(id);
    if (!s || !placer) return;
    const n = Math.min(s.left, CHUNK_VISITS);
    const starts = new Float64Array(n);
    const indices = new Int32Array(n);
    const ends = new Uint32Array(n);
    let text = '';
    for (let k = 0; k < n; k++) {
      const p = s.placed.next().value as PlacedVisit;
      starts[k] = p.startMs;
      indices[k] = p.index;
      const requests = placer.encode(s.date, p);
      if (output.kind === 'requests') {
        text += visitText(requests, queryOf, matomoVisitorId);
      } else {
        const extra = { day: s.date, visit: p.index, ...(output.target !== undefined ? { target: output.target } : {}) };
        for (const req of requests) text += dryRunLine(req, extra) + '\n';
      }
      ends[k] = text.length;
    }
    s.left -= n;
    const done = s.left === 0;
    if (done) streams.delete(id);
    post({ type: 'chunk', id, starts, indices, ends, text, done }, [starts.buffer as ArrayBuffer, indices.buffer as ArrayBuffer, ends.buffer as ArrayBuffer]);
  };

  port.on('message', (message: ToWorker) => {
    try {
      switch (message.type) {
        case 'init': {
          const { workload, issues } = checkedWorkload(message.config, message.seed, message.files);
          if (!workload) throw new Error(`the workload does not load in a worker thread: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
          placer = dayPlacer(message.plan, workload, message.siteId);
          output = message.output;
          streams.clear();
          break;
        }
        case 'day':
          if (!placer) throw new Error('a day asked before init');
          streams.set(message.id, { date: message.date, placed: placer.place(message.date, message.indices)[Symbol.iterator](), left: message.indices.length });
          break;
        case 'next':
          chunk(message.id);
          break;
        case 'drop':
          streams.delete(message.id);
          break;
      }
    } catch (error) {
      post({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  });
}
