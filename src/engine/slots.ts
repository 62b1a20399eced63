/**
 * The in-flight bound: visit slots taken and a promise for "all free" (the drain waits on it).
 * A plain counter; taking a slot never awaits.
 */
export class Slots {
  private used = 0;
  private waiters: Array<() => void> = [];

  constructor(readonly size: number) {
    if (!(size >= 1) || !Number.isInteger(size)) throw new RangeError('concurrency must be an integer >= 1');
  }

  get inUse(): number {
    return this.used;
  }

  get full(): boolean {
    return this.used >= this.size;
  }

  take(): void {
    this.used += 1;
  }

  release(): void {
    this.used -= 1;
    if (this.used === 0 && this.waiters.length > 0) {
      const waiters = this.waiters;
      this.waiters = [];
      for (const wake of waiters) wake();
    }
  }

  /** Resolves when no slot is in use. */
  idle(): Promise<void> {
    if (this.used === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
