import { describe, expect, expectTypeOf, it } from 'vitest';
import { memoryIo } from '../../../src/io.js';
import { loadConfig } from '../../../src/config/load.js';
import { presetLayerOf } from '../../../src/config/generate.js';
import { BUILT_IN_PRESETS, PRESET_NAMES } from '../../../src/config/presets.js';
import { PRESET_LAYERS } from '../../../src/config/presets.generated.js';
import type { Config } from '../../../src/config/schema.js';
import type { JourneySettings } from '../../../src/journey/settings.js';

const NOW = Date.UTC(2026, 10, 26, 12);

async function preset(name: string) {
  const io = memoryIo({ argv: [], env: { MATOMO_URL: 'https://m.example.org/matomo.php', MATOMO_TOKEN_AUTH: 't' } });
  return loadConfig(io, { values: {}, preset: name }, { now: NOW });
}

describe('built-in presets', () => {
  it('lists the five presets', () => {
    expect(PRESET_NAMES).toEqual(['light', 'medium', 'heavy', 'extreme', 'smoke']);
  });

  it('has a build-time copy of each preset, and of nothing else', () => {
    expect(Object.keys(PRESET_LAYERS)).toEqual(PRESET_NAMES);
  });

  it.each(PRESET_NAMES)('%s: the build-time copy is what its YAML reads as (values, lines)', (name) => {
    const fromYaml = presetLayerOf(name, BUILT_IN_PRESETS[name]!);
    expect(JSON.parse(PRESET_LAYERS[name]!)).toStrictEqual(JSON.parse(JSON.stringify(fromYaml)));
    expect(fromYaml.errors).toEqual([]);
    expect(Object.keys(fromYaml.layer?.origins ?? {}).length).toBeGreaterThan(10);
  });

  it.each(PRESET_NAMES)('%s validates without errors', async (name) => {
    const r = await preset(name);
    expect(r.errors).toEqual([]);
    // None of them asks for more concurrency than it has.
    expect(r.warnings.filter((w) => w.message.includes('cannot carry'))).toEqual([]);
  });

  it.each([
    { name: 'light', vpd: 1000, conc: 10, pv: [2, 4], pause: [1, 3], dur: [0.5, 3], search: 0.1, direct: 0.4, rand: false, ecom: 0.02, order: 99.99 },
    { name: 'medium', vpd: 10000, conc: 50, pv: [3, 6], pause: [0.5, 2], dur: [1, 8], search: 0.15, direct: 0.3, rand: true, ecom: 0.05, order: 299.99 },
    { name: 'heavy', vpd: 50000, conc: 150, pv: [4, 8], pause: [0.3, 1.5], dur: [2, 12], search: 0.2, direct: 0.25, rand: true, ecom: 0.08, order: 499.99 },
    { name: 'extreme', vpd: 100000, conc: 300, pv: [5, 10], pause: [0.2, 1], dur: [3, 15], search: 0.25, direct: 0.2, rand: true, ecom: 0.1, order: 999.99 },
  ])("$name keeps the predecessor's numbers", async (p) => {
    const c = (await preset(p.name)).config!;
    expect([c.visitsPerDay, c.concurrency]).toEqual([p.vpd, p.conc]);
    expect([c.pageviews.min, c.pageviews.max]).toEqual(p.pv);
    expect([c.pauseSeconds.min, c.pauseSeconds.max]).toEqual(p.pause);
    expect([c.visitDurationMinutes.min, c.visitDurationMinutes.max]).toEqual(p.dur);
    expect([c.probabilities.siteSearch, c.probabilities.directTraffic, c.probabilities.ecommerce]).toEqual([p.search, p.direct, p.ecom]);
    expect(c.countries.randomize).toBe(p.rand);
    expect(c.ecommerce.orderValue).toEqual({ min: 15.99, max: p.order });
    expect([c.ecommerce.currency, c.timezone]).toEqual(['SEK', 'CET']);
  });

  it('smoke needs no token and stops by itself', async () => {
    const io = memoryIo({ argv: [], env: { MATOMO_URL: 'http://127.0.0.1/matomo.php' } });
    const r = await loadConfig(io, { values: {}, preset: 'smoke' }, { now: NOW });
    expect(r.errors).toEqual([]);
    expect(r.config?.maxTotalVisits).toBeGreaterThan(0);
    expect(r.config?.maxTotalVisits).toBeLessThanOrEqual(10);
  });
});

describe('Config fits the journey model', () => {
  it('is assignable to JourneySettings', async () => {
    const config: Config = (await preset('medium')).config!;
    const settings: JourneySettings = config;
    expectTypeOf(config).toExtend<JourneySettings>();
    expect(settings.countries.geo).toBe('ip');
  });
});
