import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { derive, seeded } from '../../../src/random/rng.js';

// derive() seeds its own Alea instead of seedrandom's (cheaper per stream, docs/performance.md):
// it must give seedrandom's numbers exactly, or every seeded run and golden file would change.
describe('derive: the same numbers as seedrandom.alea of the joined path', () => {
  const draws = (next: () => number, n: number) => Array.from({ length: n }, () => next());

  it.each([
    { why: 'a run seed and a visit path', seed: 'bench', path: ['visit', 'run', 42] },
    { why: 'a numeric seed, a backfill day', seed: 7, path: ['day', '2026-03-29', 1234] },
    { why: 'no path at all', seed: 'x', path: [] },
    { why: 'an empty seed', seed: '', path: [''] },
    { why: 'non-ASCII and astral characters', seed: 'zürich-日本-👍', path: ['persona', 'run', 0] },
    { why: 'a long seed', seed: 'a'.repeat(500), path: ['order', 'run', 9, 3] },
  ])('$why', ({ seed, path }) => {
    const again = seedrandom.alea([String(seed), ...path.map(String)].join('\u001f'));
    const rng = derive(seed, ...path);
    const ours = draws(() => rng.next(), 2000);
    const theirs = draws(() => again(), 2000);
    for (let i = 0; i < ours.length; i++) expect(Object.is(ours[i], theirs[i]), `draw ${i}`).toBe(true);
  });

  it('over many visit indexes, as a run derives them', () => {
    for (let index = 0; index < 3000; index++) {
      const a = derive('seed-1', 'visit', 'run', index);
      const b = seeded(['seed-1', 'visit', 'run', index].join('\u001f'));
      for (let k = 0; k < 5; k++) expect(a.next()).toBe(b.next());
    }
  });
});
