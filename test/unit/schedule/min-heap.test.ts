import { describe, expect, it } from 'vitest';
import { seeded } from '../../../src/random/rng.js';
import { MinHeap } from '../../../src/schedule/min-heap.js';

function drain<T>(heap: MinHeap<T>): T[] {
  const out: T[] = [];
  while (heap.size > 0) out.push(heap.pop() as T);
  return out;
}

describe('MinHeap', () => {
  it('pops numbers in ascending order, duplicates included, pushes and pops interleaved', () => {
    const rng = seeded('heap');
    const heap = new MinHeap();
    const all: number[] = [];
    const popped: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const v = Math.floor(rng.next() * 300);
      heap.push(v);
      all.push(v);
      if (i % 3 === 2) popped.push(heap.pop() as number);
    }
    const rest = drain(heap);
    expect(rest).toEqual([...rest].sort((a, b) => a - b));
    expect([...popped, ...rest].sort((a, b) => a - b)).toEqual(all.sort((a, b) => a - b));
    expect(heap.pop()).toBeUndefined();
    expect(heap.peek()).toBeUndefined();
  });

  it('orders by its comparator: start, then index, like a sort', () => {
    const rng = seeded('placed');
    const byStart = (a: { startMs: number; index: number }, b: { startMs: number; index: number }) => a.startMs - b.startMs || a.index - b.index;
    const items = Array.from({ length: 1500 }, (_, index) => ({ index, startMs: Math.floor(rng.next() * 100) }));
    const heap = new MinHeap(byStart);
    for (const item of items) heap.push(item);
    expect(heap.peek()).toEqual([...items].sort(byStart)[0]);
    expect(drain(heap)).toEqual([...items].sort(byStart));
  });
});
