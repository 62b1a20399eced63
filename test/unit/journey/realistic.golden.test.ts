import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { buildVisit } from '../../../src/journey/journey.js';
import { dryRunLine } from '../../../src/matomo/dry-run.js';
import { encodeVisit } from '../../../src/matomo/encode.js';
import { builtin } from '../../helpers/journey-helpers.js';
import { realSettings } from '../../helpers/realism-helpers.js';

/**
 * What the realism model sends for seed 1, 60 visits of the medium preset with the presets'
 * realism section (countries as cip and country, a page goal), byte for byte. The classic golden
 * (journey.golden.test.ts) stays unchanged: classic visits are the predecessor's shape. After a
 * deliberate change, regenerate with `UPDATE_GOLDEN=1 npx vitest run test/unit/journey/realistic.golden.test.ts`.
 */
const golden = new URL('../../golden/realism-run-dry-run.ndjson', import.meta.url);

function render(): string {
  const settings = realSettings({ goals: [{ id: 1, probability: 1, page: '/checkout/confirmation', revenue: 12.5 }] }, { countries: { randomize: true, geo: 'both' } });
  const anchor = Date.parse('2026-03-29T01:04:00Z');
  let text = '';
  for (let index = 0; index < 60; index++) {
    const visit = buildVisit({ seed: 1, scope: 'run', index, settings, catalogues: builtin });
    for (const r of encodeVisit(visit, { siteId: 1, startAt: anchor - visit.durationMs, timezone: 'CET' })) text += dryRunLine(r) + '\n';
  }
  return text;
}

it('renders the committed realism dry-run NDJSON byte for byte', () => {
  const text = render();
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, text);
  expect(existsSync(golden), 'golden file missing: run with UPDATE_GOLDEN=1').toBe(true);
  expect(text === readFileSync(golden, 'utf8')).toBe(true);
  const lines = text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; params: Record<string, string> });
  const types = new Set(lines.map((l) => l.type));
  for (const t of ['pageview', 'ping', 'cart', 'event']) expect(types).toContain(t);
  expect(lines.some((l) => l.params['pf_srv'] !== undefined)).toBe(true);
  expect(lines.some((l) => (l.params['url'] ?? '').includes('mtm_campaign='))).toBe(true);
});
