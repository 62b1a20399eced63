import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { parseFunnelFile } from '../../../src/journey/funnel.js';
import { buildVisit } from '../../../src/journey/journey.js';
import { dryRunLine } from '../../../src/matomo/dry-run.js';
import { encodeVisit } from '../../../src/matomo/encode.js';
import { builtin, mediumSettings } from '../../helpers/journey-helpers.js';

/**
 * What `run --dry-run --seed 1 --max-visits 40 --now 2026-03-29T01:04:00Z` prints for the medium
 * preset with countries (geo both), orders raised to 20 % and examples/funnels.yaml, byte for byte. The anchor sits just
 * after the CET->CEST change, so h/m/s cross it. After a deliberate change, regenerate with
 * `UPDATE_GOLDEN=1 npx vitest run test/unit/journey/journey.golden.test.ts` and say why in the commit.
 */
const golden = new URL('../../golden/journey-run-dry-run.ndjson', import.meta.url);

function render(): string {
  const funnels = parseFunnelFile(readFileSync(new URL('../../../examples/funnels.yaml', import.meta.url), 'utf8'), 'funnels.yaml');
  const base = mediumSettings();
  const settings = mediumSettings({ countries: { randomize: true, geo: 'both' }, probabilities: { ...base.probabilities, ecommerce: 0.2 } });
  const anchor = Date.parse('2026-03-29T01:04:00Z');
  let text = '';
  for (let index = 0; index < 40; index++) {
    const visit = buildVisit({ seed: 1, scope: 'run', index, settings, catalogues: builtin, funnels });
    for (const r of encodeVisit(visit, { siteId: 1, startAt: anchor - visit.durationMs, timezone: 'CET' })) text += dryRunLine(r) + '\n';
  }
  return text;
}

it('renders the committed dry-run NDJSON byte for byte', () => {
  const text = render();
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, text);
  expect(existsSync(golden), 'golden file missing: run with UPDATE_GOLDEN=1').toBe(true);
  expect(text === readFileSync(golden, 'utf8')).toBe(true);
  // The fixture exercises every hit type the issue lists.
  const types = new Set(text.split('\n').filter(Boolean).map((l) => JSON.parse(l).type));
  expect([...types].sort()).toEqual(['download', 'ecommerce', 'event', 'outlink', 'pageview', 'ping', 'search']);
  // ... and both enabled example funnels (the checkout cart page, the documentation search).
  expect(text).toContain('"url": "https://example.test/checkout/cart"');
  expect(text).toContain('"search": "api token"');
});
