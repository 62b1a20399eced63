/**
 * Time comes in as an argument. `systemClock` is the one sanctioned user of Date.now, performance
 * and setTimeout; tests use ManualClock and move time by hand.
 */
export interface Clock {
  /** Wall-clock time, ms since the epoch (for cdt and local days). */
  now(): number;
  /** Monotonic time in ms (for pacing and latency); only differences are meaningful. */
  monotonic(): number;
  /** Resolves after ms, or rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms));
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

interface Sleeper {
  due: number;
  resolve(): void;
  reject(reason: unknown): void;
}

/** A clock that moves only when told to: advance(ms) resolves the sleepers that fall due. */
export class ManualClock implements Clock {
  private current: number;
  private readonly origin: number;
  private sleepers: Sleeper[] = [];

  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.current = startMs;
    this.origin = startMs;
  }

  now(): number {
    return this.current;
  }

  monotonic(): number {
    return this.current - this.origin;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const sleeper: Sleeper = { due: this.current + Math.max(0, ms), resolve, reject };
      this.sleepers.push(sleeper);
      signal?.addEventListener(
        'abort',
        () => {
          this.sleepers = this.sleepers.filter((s) => s !== sleeper);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }

  /** Number of pending sleepers (lets a test wait until the code under test is parked). */
  pending(): number {
    return this.sleepers.length;
  }

  /** Moves time forward, waking sleepers in due order and letting their continuations run. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      this.sleepers.sort((a, b) => a.due - b.due);
      const next = this.sleepers[0];
      if (!next || next.due > target) break;
      this.sleepers.shift();
      this.current = next.due;
      next.resolve();
      await flushMicrotasks();
    }
    this.current = target;
    await flushMicrotasks();
  }
}

async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}
