import type { AsyncVisitsOfDay, DayVisit } from '../backfill/plan.js';
import { requestsOfText } from './encoded.js';
import type { FromWorker, ToWorker } from './protocol.js';

/**
 * The main thread's side of the worker threads: each day's asked visits are dealt out to the
 * workers (the k-th index to worker k mod n), each worker builds, places and encodes its share in
 * send order, and the main thread merges the shares by start instant, ties by index: exactly the
 * order one thread gives (plan.ts byStart). So --workers changes where visits are made, never
 * which visits or in what order they are sent: batches, journal and report are the same.
 */

type Init = Omit<Extract<ToWorker, { type: 'init' }>, 'type'>;

interface Chunk {
  starts: Float64Array;
  indices: Int32Array;
  ends: Uint32Array;
  text: string;
  done: boolean;
}

/** One worker's share of one day: chunks as they arrive, and the reader waiting for the next. */
class Stream {
  private readonly arrived: Chunk[] = [];
  private waiter: { resolve(c: Chunk): void; reject(e: Error): void } | undefined;
  private failure: Error | undefined;
  current: Chunk | undefined;
  pos = 0;
  finished = false;

  constructor(
    readonly id: number,
    readonly thread: Thread,
  ) {}

  deliver(chunk: Chunk): void {
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w.resolve(chunk);
    } else {
      this.arrived.push(chunk);
    }
  }

  fail(error: Error): void {
    this.failure = error;
    this.waiter?.reject(error);
    this.waiter = undefined;
  }

  /** Moves to the next chunk; false when the stream has ended. */
  async advance(): Promise<boolean> {
    if (this.current?.done) {
      this.finished = true;
      return false;
    }
    if (this.failure) throw this.failure;
    const next = this.arrived.shift() ?? (await new Promise<Chunk>((resolve, reject) => (this.waiter = { resolve, reject })));
    // Ask for the next chunk as this one is taken: the worker makes it while this one is read, and
    // never runs further ahead (a stream not read yet, the next day's, holds one chunk).
    if (!next.done) this.thread.post({ type: 'next', id: this.id });
    this.current = next;
    this.pos = 0;
    if (next.starts.length === 0) return this.advance();
    return true;
  }
}

/** What the pool needs of a thread: a node:worker_threads Worker, or a MessagePort in tests. */
export interface ThreadHandle {
  postMessage(message: ToWorker): void;
  on(event: 'message', listener: (message: FromWorker) => void): unknown;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  terminate(): Promise<unknown> | void;
}

/** One worker thread and the streams it serves. */
class Thread {
  readonly streams = new Map<number, Stream>();
  private failure: Error | undefined;

  constructor(readonly worker: ThreadHandle) {
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'error') return this.fail(new Error(`worker thread: ${message.message}`));
      const stream = this.streams.get(message.id);
      if (!stream) return;
      if (message.done) this.streams.delete(message.id);
      stream.deliver({ starts: message.starts, indices: message.indices, ends: message.ends, text: message.text, done: message.done });
    });
    worker.on('error', (error) => this.fail(error instanceof Error ? error : new Error(String(error))));
    worker.on('exit', (code) => this.fail(new Error(`worker thread exited (code ${code})`)));
  }

  post(message: ToWorker): void {
    if (this.failure) throw this.failure;
    this.worker.postMessage(message);
  }

  fail(error: Error): void {
    this.failure ??= error;
    for (const s of this.streams.values()) s.fail(this.failure);
    this.streams.clear();
  }
}

export interface PoolSpawner {
  /** Starts one worker thread running the bundle's worker side (spawn.ts). */
  (): ThreadHandle;
}

export class VisitPool {
  private readonly threads: Thread[];
  private nextId = 1;
  private closed = false;

  constructor(count: number, spawn: PoolSpawner) {
    if (!(count >= 1)) throw new RangeError('a pool needs at least one thread');
    this.threads = Array.from({ length: count }, () => new Thread(spawn()));
  }

  get size(): number {
    return this.threads.length;
  }

  /** (Re)loads every worker with a target's plan and workload; the streams of an earlier one end. */
  init(init: Init): void {
    this.drop(this.ahead);
    this.ahead = undefined;
    this.upcoming = [];
    for (const t of this.threads) t.post({ type: 'init', ...init });
  }

  /** The days that will be asked for, in order: each is started while the one before is read. */
  expect(days: ReadonlyArray<{ date: string; indices: readonly number[] }>): void {
    this.upcoming = days;
  }

  private upcoming: ReadonlyArray<{ date: string; indices: readonly number[] }> = [];
  /** The next expected day, already started. */
  private ahead: { date: string; indices: readonly number[]; streams: Stream[] } | undefined;

  private start(date: string, all: readonly number[]): Stream[] {
    const n = this.threads.length;
    const streams: Stream[] = [];
    for (const [w, thread] of this.threads.entries()) {
      const share: number[] = [];
      for (let k = w; k < all.length; k += n) share.push(all[k] as number);
      if (share.length === 0) continue;
      const stream = new Stream(this.nextId++, thread);
      thread.streams.set(stream.id, stream);
      thread.post({ type: 'day', id: stream.id, date, indices: share });
      thread.post({ type: 'next', id: stream.id });
      streams.push(stream);
    }
    return streams;
  }

  /** The streams of this day: those started ahead when it was the expected one, else new ones. */
  private streamsOf(date: string, all: readonly number[]): Stream[] {
    const ahead = this.ahead;
    let streams: Stream[] | undefined;
    if (ahead && ahead.date === date && sameList(ahead.indices, all)) {
      streams = ahead.streams;
      this.ahead = undefined;
    }
    streams ??= this.start(date, all);
    const k = this.upcoming.findIndex((d) => d.date === date && sameList(d.indices, all));
    const next = k >= 0 ? this.upcoming[k + 1] : undefined;
    if (next && !this.ahead) this.ahead = { date: next.date, indices: next.indices, streams: this.start(next.date, next.indices) };
    return streams;
  }

  private drop(ahead: { streams: Stream[] } | undefined): void {
    for (const s of ahead?.streams ?? []) {
      if (s.finished || !s.thread.streams.has(s.id)) continue;
      s.thread.streams.delete(s.id);
      if (!this.closed) s.thread.post({ type: 'drop', id: s.id });
    }
  }

  /** The merged visits of a day as the workers' texts, in send order. */
  async *texts(date: string, indices: Iterable<number>): AsyncGenerator<{ index: number; text: string }> {
    const streams = this.streamsOf(date, [...indices]);
    try {
      const live: Stream[] = [];
      for (const s of streams) if (await s.advance()) live.push(s);
      while (live.length > 0) {
        let best = 0;
        for (let k = 1; k < live.length; k++) if (before(live[k] as Stream, live[best] as Stream)) best = k;
        const s = live[best] as Stream;
        const c = s.current as Chunk;
        const index = c.indices[s.pos] as number;
        const text = c.text.slice(s.pos === 0 ? 0 : (c.ends[s.pos - 1] as number), c.ends[s.pos] as number);
        s.pos++;
        yield { index, text };
        if (s.pos >= c.starts.length && !(await s.advance())) live.splice(best, 1);
      }
    } finally {
      // Stopped early (interrupted): the workers forget the rest.
      this.drop({ streams });
    }
  }

  /** The replay's source: the workers' requests, their bulk queries and visitor ids made (encoded.ts). */
  readonly visitsOfDay: AsyncVisitsOfDay = async function* (this: VisitPool, date: string, indices: Iterable<number>): AsyncGenerator<DayVisit> {
    for await (const v of this.texts(date, indices)) yield { index: v.index, requests: requestsOfText(v.text) };
  }.bind(this);

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.threads.map(async (t) => t.worker.terminate()));
  }
}

function sameList(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function before(a: Stream, b: Stream): boolean {
  const ca = a.current as Chunk;
  const cb = b.current as Chunk;
  const sa = ca.starts[a.pos] as number;
  const sb = cb.starts[b.pos] as number;
  return sa < sb || (sa === sb && (ca.indices[a.pos] as number) < (cb.indices[b.pos] as number));
}
