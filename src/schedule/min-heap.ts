/**
 * A binary min-heap in `compare` order (numbers ascending by default: the pacer's due times in
 * ms; placed visits by start in backfill/plan.ts); no per-push allocation beyond array growth.
 */
export class MinHeap<T = number> {
  private readonly items: T[] = [];

  constructor(private readonly compare: (a: T, b: T) => number = ascending as (a: T, b: T) => number) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(value: T): void {
    const items = this.items;
    let i = items.length;
    items.push(value);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent] as T;
      if (this.compare(p, value) <= 0) break;
      items[i] = p;
      i = parent;
    }
    items[i] = value;
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    let i = 0;
    const n = items.length;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && this.compare(items[right] as T, items[left] as T) < 0) child = right;
      if (this.compare(items[child] as T, last) >= 0) break;
      items[i] = items[child] as T;
      i = child;
    }
    items[i] = last;
    return top;
  }
}

function ascending(a: number, b: number): number {
  return a - b;
}
