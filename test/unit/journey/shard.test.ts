import { describe, expect, it } from 'vitest';
import { buildVisit } from '../../../src/journey/journey.js';
import { ownsVisit, shardOfVisit } from '../../../src/journey/shard.js';
import type { Visit } from '../../../src/journey/visit.js';
import { builtin, mediumSettings } from '../../helpers/journey-helpers.js';
import { realSettings } from '../../helpers/realism-helpers.js';

/**
 * Deterministic shards by visitor: every visit has exactly one shard, and a visitor (Matomo's key:
 * the uid when sent, else _id) never has visits in two shards, for run pools and backfill chains.
 */
const settings = realSettings({ returningShare: 0.5, visitorPool: 9 });
const keyOf = (v: Visit): string => v.visitor.uid ?? v.visitor.id;
const days = ['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06'];

function visitsOf(scope: string, n: number): Array<{ scope: string; index: number; visit: Visit }> {
  return Array.from({ length: n }, (_, index) => ({ scope, index, visit: buildVisit({ seed: 3, scope, index, settings, catalogues: builtin }) }));
}

describe('shardOfVisit', () => {
  it('keeps every visitor of a run (pool identities) and of a backfill (chains back along the index) in one shard, for n = 2, 3, 5', () => {
    const all = [...visitsOf('run', 300), ...days.flatMap((d) => visitsOf(d, 60))];
    const returning = all.filter((v) => v.visit.traits?.returning).length;
    expect(returning).toBeGreaterThan(60);
    for (const n of [2, 3, 5]) {
      const owner = new Map<string, number>();
      const sizes = new Array<number>(n).fill(0);
      for (const v of all) {
        const shard = shardOfVisit(3, settings, v.scope, v.index, n);
        expect(shard).toBeGreaterThanOrEqual(0);
        expect(shard).toBeLessThan(n);
        sizes[shard]! += 1;
        const key = keyOf(v.visit);
        expect(owner.get(key) ?? shard, `visitor ${key} in two shards`).toBe(shard);
        owner.set(key, shard);
      }
      // Each shard gets a real share (not all on one).
      for (const size of sizes) expect(size).toBeGreaterThan(all.length / n / 3);
    }
  });

  it('a shard owns exactly the visits of its index; n = 1 and no shard own everything', () => {
    for (let i = 0; i < 50; i++) {
      const shard = shardOfVisit(3, settings, 'run', i, 4);
      const owners = [0, 1, 2, 3].filter((index) => ownsVisit({ index, count: 4 }, 3, settings, 'run', i));
      expect(owners).toEqual([shard]);
      expect(ownsVisit({ index: 0, count: 1 }, 3, settings, 'run', i)).toBe(true);
      expect(ownsVisit(undefined, 3, settings, 'run', i)).toBe(true);
    }
  });

  it('classic visits (no realism) go by their index', () => {
    const classic = mediumSettings();
    for (let i = 0; i < 20; i++) expect(shardOfVisit(3, classic, '2026-03-02', i, 3)).toBe(i % 3);
  });
});
