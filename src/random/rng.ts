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
  return seeded([String(seed), ...path.map(String)].join('\u001f'));
}

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
