import { describe, expect, it } from 'vitest';
import { settingsKeyOf } from '../../../src/backfill/plan.js';
import { loadConfig } from '../../../src/config/load.js';
import { memoryIo } from '../../../src/io.js';
import { VERSION } from '../../../src/version.js';
import { backfillTargets, findStoredPlan, maxTimelineMs, planInputOf, profileOf, shapeOf, visitSource } from '../../../src/backfill/setup.js';
import { placerOfPlan, planTarget } from '../../../src/backfill/plan.js';
import { createWorkload } from '../../../src/workload/workload.js';

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

describe('findStoredPlan', () => {
  it('finds the newest stored plan of the target whose settings match, and names the others', async () => {
    const io = memoryIo({ argv: [] });
    const load = async (values: Record<string, unknown>) => (await loadConfig(io, { values: { url: 'http://127.0.0.1:8080/matomo.php', siteId: 1, ...values } }, { now: NOW })).config!;
    const config = await load({});
    const target = backfillTargets(config)[0]!;
    const shape = await shapeOf(config, 'v', (path) => io.readFile(path));
    const planOf = async (c: typeof config, window: { from: string; to: string }, seed: number) =>
      planTarget(planInputOf(c, target, window, NOW, seed, profileOf(c), await shapeOf(c, 'v', (path) => io.readFile(path))));
    const jan = { from: '2026-01-01', to: '2026-01-02' };
    const older = { createdAt: '2026-11-01T00:00:00Z', plan: await planOf(config, jan, 1) };
    const newer = { createdAt: '2026-11-02T00:00:00Z', plan: await planOf(config, jan, 2) };
    const other = { createdAt: '2026-11-03T00:00:00Z', plan: await planOf(await load({ pageviews: { min: 1, max: 2 } }), jan, 3) };
    const stored = [older, other, newer];
    // Without --seed the newest matching plan wins; the one with other journey settings is named.
    expect(findStoredPlan(stored, config, target, { ...jan, absolute: true }, profileOf(config), shape)).toEqual({ kind: 'found', stored: newer });
    // With --seed, only that seed's plan.
    expect(findStoredPlan(stored, { ...config, seed: 1 }, target, { ...jan, absolute: true }, profileOf(config), shape)).toEqual({ kind: 'found', stored: older });
    // Another absolute window: none, nothing mismatched.
    expect(findStoredPlan(stored, config, target, { from: '2026-02-01', to: '2026-02-02', absolute: true }, profileOf(config), shape)).toEqual({ kind: 'none', mismatched: [] });
    // Only the plan with other settings: none, and it is named.
    expect(findStoredPlan([other], config, target, { ...jan, absolute: true }, profileOf(config), shape)).toEqual({ kind: 'none', mismatched: [other] });
  });
});

describe('visitSource', () => {
  it('sends the visits of the real journey model in the order of the whole day, funnels and bounces included', async () => {
    // Funnels of about an hour (longer than any browse), one that continues as a browse; the
    // default realism (bounces, personas).
    const funnels = [
      '- {name: Long, probability: 0.2, exit_after_completion: false, steps: [',
      '   {type: pageview, url: /a, delay_seconds_min: 1200, delay_seconds_max: 1700},',
      '   {type: pageview, url: /b, delay_seconds_min: 1200, delay_seconds_max: 1700}]}',
      '- {name: Short, probability: 0.3, steps: [{type: pageview, url: /c, delay_seconds_min: 1, delay_seconds_max: 5}]}',
    ].join('\n');
    const io = memoryIo({ argv: [], files: { 'f.yaml': funnels } });
    const values = { url: 'http://127.0.0.1:8080/matomo.php', siteId: 1, seed: 5, funnelsFile: 'f.yaml', backfill: { from: '2026-03-29', to: '2026-03-29', maxVisitsPerDay: 800 } };
    const config = (await loadConfig(io, { values }, { now: NOW })).config!;
    const workload = createWorkload(config, 5, { funnelsText: funnels });
    const target = backfillTargets(config)[0]!;
    const plan = planTarget(planInputOf(config, target, { from: '2026-03-29', to: '2026-03-29' }, NOW, 5, profileOf(config), {}));
    const day = plan.days[0]!;
    const all = Array.from({ length: day.visits }, (_, i) => i);
    // The whole day built, then sorted: what the placer did before it held a window.
    const whole = placerOfPlan(plan, { build: (_rng, index, d) => workload.visit(d.date, index), encode: (visit, startMs) => workload.encode(visit, target.siteId, startMs) });
    const want = [...whole.place(day.date, all)].map((p) => ({ index: p.index, requests: whole.encode(day.date, p) }));
    expect(want.some((v) => v.requests.at(-1)!.at - v.requests[0]!.at > 40 * 60_000)).toBe(true);
    expect([...visitSource(plan, workload, target.siteId)(day.date, all)]).toEqual(want);
    expect(maxTimelineMs(workload)).toBe(config.visitDurationMinutes.max * 60_000 + 3_400_000 + 300_000);
  });
});
