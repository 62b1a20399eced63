import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/io.js';
import { loadConfig, type FlagsLayer } from '../../../src/config/load.js';

const NOW = Date.UTC(2026, 10, 26, 12);

async function load(flags: Partial<FlagsLayer>, files: Record<string, string> = {}, env: Record<string, string> = {}) {
  const io = memoryIo({ argv: [], env, files });
  return loadConfig(io, { values: {}, ...flags }, { now: NOW });
}

describe('loading files', () => {
  it('unknown YAML keys are errors with a suggestion and a line', async () => {
    const r = await load({ configFile: 'p.yaml' }, { 'p.yaml': 'url: http://127.0.0.1/matomo.php\npageviews:\n  mni: 2\nconcurency: 3\ncountries: { randomize: false }\n' });
    expect(r.errors).toEqual([
      { path: 'pageviews.mni', message: 'unknown key', hint: 'did you mean "min"?; p.yaml line 3' },
      { path: 'concurency', message: 'unknown key', hint: 'did you mean "concurrency"?; p.yaml line 4' },
    ]);
  });

  it('invalid YAML is one error with its line and column', async () => {
    const r = await load({ configFile: 'bad.yaml' }, { 'bad.yaml': 'a: 1\nb: [1, 2\n' });
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]?.message).toMatch(/^invalid YAML at bad\.yaml:\d+:\d+: /);
    expect(r.config).toBeUndefined();
  });

  it('a YAML file that is not a mapping', async () => {
    const r = await load({ configFile: 'l.yaml' }, { 'l.yaml': '- 1\n- 2\n' });
    expect(r.errors[0]?.message).toBe('l.yaml must hold a mapping of settings (key: value)');
  });

  it('an unreadable file is one error naming it', async () => {
    const r = await load({ configFile: 'missing.yaml' });
    expect(r.errors).toEqual([{ path: 'config', message: 'cannot read missing.yaml: no such file' }]);
  });

  it('an unknown preset suggests the near one and lists the built-ins', async () => {
    const r = await load({ preset: 'heavvy' });
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]?.message).toBe('unknown preset "heavvy"');
    expect(r.errors[0]?.hint).toContain('did you mean heavy?');
    expect(r.errors[0]?.hint).toContain('light, medium, heavy, extreme, smoke');
  });

  it('a preset may be a YAML file path', async () => {
    const r = await load({ preset: './mine.yaml' }, { './mine.yaml': 'concurrency: 7\nurl: http://127.0.0.1/matomo.php\ncountries: { randomize: false }\n' });
    expect(r.errors).toEqual([]);
    expect(r.config?.concurrency).toBe(7);
    expect(r.sources['concurrency']).toBe('preset ./mine.yaml line 1');
  });

  it('a wrong type in a file names the field and its line', async () => {
    const r = await load({ configFile: 'p.yaml' }, { 'p.yaml': 'url: http://127.0.0.1/matomo.php\nvisitsPerDay: lots\n' });
    expect(r.errors).toContainEqual({ path: 'visitsPerDay', message: 'expected number, got string "lots"', hint: 'from config p.yaml line 2' });
  });

  it('reads tokenAuthFile into tokenAuth (trimmed), for one target and for a list', async () => {
    const one = await load({ values: { url: 'http://127.0.0.1/matomo.php', tokenAuthFile: 'tok' } }, { tok: 'secret\n' });
    expect(one.errors).toEqual([]);
    expect(one.config?.targets).toEqual([{ url: 'http://127.0.0.1/matomo.php', siteIds: { from: 1, to: 1 }, tokenAuth: 'secret', weight: 1 }]);
    const list = await load(
      { configFile: 't.yaml' },
      {
        't.yaml': 'targets:\n  - { url: "http://127.0.0.1/matomo.php", siteId: "1-500", tokenAuthFile: tok, weight: 3 }\n  - { url: "http://127.0.0.2/matomo.php", siteId: 2, tokenAuth: other }\n',
        tok: 'secret',
      },
    );
    expect(list.errors).toEqual([]);
    expect(list.config?.targets).toEqual([
      { url: 'http://127.0.0.1/matomo.php', siteIds: { from: 1, to: 500 }, tokenAuth: 'secret', weight: 3 },
      { url: 'http://127.0.0.2/matomo.php', siteIds: { from: 2, to: 2 }, tokenAuth: 'other', weight: 1 },
    ]);
  });

  it('a missing token file, and a token given twice, are errors', async () => {
    const missing = await load({ values: { url: 'http://127.0.0.1/matomo.php', tokenAuthFile: 'nope', countries: { randomize: false } } });
    expect(missing.errors).toContainEqual({ path: 'tokenAuthFile', message: 'cannot read nope: no such file' });
    const twice = await load({ values: { url: 'http://127.0.0.1/matomo.php', tokenAuth: 'a', tokenAuthFile: 'tok' } }, { tok: 'b' });
    expect(twice.errors).toContainEqual({ path: 'tokenAuth', message: 'given both as a value and as a file', hint: 'keep one of tokenAuth and tokenAuthFile' });
  });

  it('the funnels and URL files must be readable', async () => {
    const r = await load({ values: { url: 'http://127.0.0.1/matomo.php', countries: { randomize: false }, funnelsFile: 'f.json', urlsFile: 'u.txt' } }, { 'u.txt': 'https://example.test/\n' });
    expect(r.errors).toEqual([{ path: 'funnelsFile', message: 'cannot read f.json: no such file' }]);
  });

  it('durations and stages become milliseconds', async () => {
    const r = await load({ configFile: 'r.yaml' }, {
      'r.yaml': 'url: http://127.0.0.1/matomo.php\ncountries: { randomize: false }\nrun:\n  duration: 10m\n  grace: 1500ms\n  stages:\n    - { duration: 2m, target: 10 }\n    - { duration: 90s, target: 0 }\n',
    });
    expect(r.errors).toEqual([]);
    expect(r.config?.run).toMatchObject({ durationMs: 600_000, graceMs: 1500, stages: [{ durationMs: 120_000, target: 10 }, { durationMs: 90_000, target: 0 }] });
  });
});
