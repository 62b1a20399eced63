import { describe, expect, it } from 'vitest';
import { settingsKeyOf } from '../../../src/backfill/plan.js';
import { loadConfig } from '../../../src/config/load.js';
import { memoryIo } from '../../../src/io.js';
import { VERSION } from '../../../src/version.js';
import { backfillTargets, planInputOf, profileOf, shapeOf } from '../../../src/backfill/setup.js';

const NOW = Date.UTC(2026, 10, 26, 12);

/**
 * A stored plan is found again (--resume, verify, undo) only when its settings key is recomputed
 * to the same hash. The key of this representative configuration was computed before the scope and
 * shaping facts moved into the schema (issue 13) and is pinned: if it changes, existing state
 * directories stop resuming.
 */
describe('the settings key of a representative configuration', () => {
  it('is unchanged', async () => {
    const io = memoryIo({ argv: [], files: { 'urls.txt': 'https://shop.test/a A\nhttps://shop.test/b\n' } });
    const resolved = await loadConfig(
      io,
      {
        values: {
          url: 'http://127.0.0.1:8080/matomo.php',
          siteId: 3,
          tokenAuth: 'secret-token',
          seed: 42,
          timezone: 'Europe/Stockholm',
          concurrency: 7,
          visitsPerDay: 1234,
          pageviews: { min: 2, max: 5 },
          urlsFile: 'urls.txt',
          probabilities: { siteSearch: 0.2 },
          realism: { bounceRate: 0.4, personas: { buyer: 0.3 } },
          timeShape: { hours: 'flat', weekdays: [1, 1, 1, 1, 1, 0.5, 0.5] },
          backfill: { from: '2026-01-01', to: '2026-01-03', maxVisitsPerDay: 50, maxVisitsTotal: 120, bulkSize: 10, stateDir: 'st' },
          run: { rps: 5, thresholds: { maxErrorRate: 0.1 } },
        },
      },
      { now: NOW },
    );
    expect(resolved.errors).toEqual([]);
    const config = resolved.config!;
    const shape = await shapeOf(config, VERSION, (path) => io.readFile(path));
    expect(shape['trafficinator']).toBe(VERSION);
    // The version is part of the key on purpose; pin the rest.
    const pinned = { ...shape, trafficinator: 'pinned' };
    const target = backfillTargets(config)[0]!;
    const input = planInputOf(config, target, { from: '2026-01-01', to: '2026-01-03' }, NOW, 42, profileOf(config), pinned);
    expect(settingsKeyOf(input)).toBe('29d4e5b761dd104c0d8fa4a8d0297ecdcb63d82d9d0b934b6fff8ea9001afda3');
  });

  it('is unchanged for the defaults', async () => {
    const io = memoryIo({ argv: [] });
    const resolved = await loadConfig(io, { values: { url: 'http://127.0.0.1:8080/matomo.php', siteId: 1 } }, { now: NOW });
    const config = resolved.config!;
    const shape = await shapeOf(config, 'pinned', (path) => io.readFile(path));
    const target = backfillTargets(config)[0]!;
    const input = planInputOf(config, target, { from: '2026-01-01', to: '2026-01-01' }, NOW, 7, profileOf(config), shape);
    expect(settingsKeyOf(input)).toBe('93b21697fe2f09b62b86eaf51ee94d45154321ba6f0ec10d33789a02954ffcc8');
  });
});
