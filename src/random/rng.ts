import seedrandom from 'seedrandom';

/**
 * The only source of chance in trafficinator. Everything random takes an Rng argument, so a seed
 * reproduces a run; nothing else in src/ calls Math.random.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
}

/** A seeded generator (Alea: fast, good quality, identical across platforms). */
export function seeded(seed: string | number): Rng {
  const prng = seedrandom.alea(String(seed));
  return { next: () => prng() };
}

/**
 * A child generator whose stream depends only on the parent seed and the given path, e.g.
 * derive(seed, 'visit', 42) or derive(seed, 'day', '2026-01-01', 7). This is what makes visit i
 * independent of visits 0..i-1 and of timing.
 */
export function derive(seed: string | number, ...path: Array<string | number>): Rng {
  let text = String(seed);
  for (let i = 0; i < path.length; i++) text += '\u001f' + String(path[i]);
  return new Alea(text);
}

/**
 * seedrandom's Alea (lib/alea.js), number for number, as one small object: a run seeds several
 * streams per visit, and seedrandom builds each from a constructor, a mash closure and four
 * closures more (~3 µs and ~600 bytes a stream at full rate). `seeded` keeps seedrandom itself;
 * test/unit/random/rng.test.ts holds the two to the same numbers.
 */
class Alea implements Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private c = 1;

  constructor(seed: string) {
    // Alea mashes ' ' three times before the seed, always from the same start: done once, below.
    let n = SPACE.n;
    let s0 = SPACE.s0;
    let s1 = SPACE.s1;
    let s2 = SPACE.s2;
    n = mash(n, seed);
    s0 -= (n >>> 0) * 2.3283064365386963e-10;
    if (s0 < 0) s0 += 1;
    n = mash(n, seed);
    s1 -= (n >>> 0) * 2.3283064365386963e-10;
    if (s1 < 0) s1 += 1;
    n = mash(n, seed);
    s2 -= (n >>> 0) * 2.3283064365386963e-10;
    if (s2 < 0) s2 += 1;
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
  }

  next(): number {
    const t = 2091639 * this.s0 + this.c * 2.3283064365386963e-10; // 2^-32
    this.s0 = this.s1;
    this.s1 = this.s2;
    return (this.s2 = t - (this.c = t | 0));
  }
}

/** Alea's Mash: the state `n` after mashing `data` (its result is `(n >>> 0) * 2^-32`). */
function mash(n: number, data: string): number {
  for (let i = 0; i < data.length; i++) {
    n += data.charCodeAt(i);
    let h = 0.02519603282416938 * n;
    n = h >>> 0;
    h -= n;
    h *= n;
    n = h >>> 0;
    h -= n;
    n += h * 0x100000000; // 2^32
  }
  return n;
}

/** Mash's state and Alea's s0, s1, s2 after the three ' ' every Alea starts with. */
const SPACE = (() => {
  let n = 0xefc8249d;
  n = mash(n, ' ');
  const s0 = (n >>> 0) * 2.3283064365386963e-10;
  n = mash(n, ' ');
  const s1 = (n >>> 0) * 2.3283064365386963e-10;
  n = mash(n, ' ');
  const s2 = (n >>> 0) * 2.3283064365386963e-10;
  return { n, s0, s1, s2 };
})();

/** A fresh seed for runs without --seed; printed so the run can be reproduced. */
export function randomSeed(): number {
  // The one sanctioned use: a seed must come from somewhere when the user gives none.
  // eslint-disable-next-line no-restricted-properties
  return Math.floor(Math.random() * 2 ** 31);
}

/** Integer in [min, max], both inclusive. */
export function intBetween(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng.next() * (max - min + 1));
}

/** Real number in [min, max). */
export function between(rng: Rng, min: number, max: number): number {
  return min + rng.next() * (max - min);
}

/** True with probability p. */
export function chance(rng: Rng, p: number): boolean {
  return rng.next() < p;
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  if (items.length === 0) throw new Error('pick from an empty list');
  return items[Math.floor(rng.next() * items.length)] as T;
}

/** Picks an item with probability proportional to its weight (weights >= 0, sum > 0). */
export function weighted<T>(rng: Rng, items: readonly T[], weightOf: (item: T) => number): T {
  let total = 0;
  for (const item of items) total += weightOf(item);
  if (!(total > 0)) throw new Error('weighted pick needs a positive total weight');
  let point = rng.next() * total;
  for (const item of items) {
    point -= weightOf(item);
    if (point < 0) return item;
  }
  return items[items.length - 1] as T;
}

/** Exponentially distributed with the given mean (Poisson arrival gaps). */
export function exponential(rng: Rng, mean: number): number {
  return -Math.log(1 - rng.next()) * mean;
}

/** `length` lowercase hex characters. */
export function hex(rng: Rng, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += Math.floor(rng.next() * 16).toString(16);
  return out;
}
