import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/io.js';
import { loadConfig, type FlagsLayer } from '../../../src/config/load.js';

const NOW = Date.UTC(2026, 10, 26, 12);

/** Each source sets concurrency; the test removes the higher ones one by one. */
const files = {
  'plan.yaml': 'concurrency: 21\n',
  'old.env': 'CONCURRENCY=22\n',
};

async function load(flags: FlagsLayer, env: Record<string, string> = {}) {
  const io = memoryIo({ argv: [], env: { MATOMO_URL: 'http://127.0.0.1/matomo.php', ...env }, files });
  return loadConfig(io, flags, { now: NOW });
}

describe('precedence: defaults < preset < --config < --env-file < environment < flags', () => {
  it('defaults apply when nothing is given', async () => {
    const r = await load({ values: {} });
    expect(r.config?.concurrency).toBe(50);
    expect(r.sources['concurrency']).toBeUndefined();
  });

  it('a preset overrides the defaults', async () => {
    const r = await load({ values: {}, preset: 'light' });
    expect(r.config?.concurrency).toBe(10);
    expect(r.sources['concurrency']).toBe('preset light line 4');
  });

  it('--config overrides the preset', async () => {
    const r = await load({ values: {}, preset: 'light', configFile: 'plan.yaml' });
    expect(r.config?.concurrency).toBe(21);
    // Settings the file does not name still come from the preset.
    expect(r.config?.visitsPerDay).toBe(1000);
    expect(r.sources['concurrency']).toBe('config plan.yaml line 1');
  });

  it('--env-file overrides --config', async () => {
    const r = await load({ values: {}, preset: 'light', configFile: 'plan.yaml', envFile: 'old.env' });
    expect(r.config?.concurrency).toBe(22);
    expect(r.sources['concurrency']).toBe('env file old.env (CONCURRENCY)');
  });

  it('the process environment overrides --env-file', async () => {
    const r = await load({ values: {}, preset: 'light', configFile: 'plan.yaml', envFile: 'old.env' }, { CONCURRENCY: '23' });
    expect(r.config?.concurrency).toBe(23);
    expect(r.sources['concurrency']).toBe('environment (CONCURRENCY)');
  });

  it('flags override everything', async () => {
    const r = await load(
      { values: { concurrency: 24 }, origins: { concurrency: 'flag --concurrency' }, preset: 'light', configFile: 'plan.yaml', envFile: 'old.env' },
      { CONCURRENCY: '23' },
    );
    expect(r.config?.concurrency).toBe(24);
    expect(r.sources['concurrency']).toBe('flag --concurrency');
  });

  it('merges nested objects key by key across layers', async () => {
    const r = await load({ values: { pageviews: { max: 9 } }, preset: 'light' });
    expect(r.config?.pageviews).toEqual({ min: 2, max: 9 });
  });
});
