// Benchmark entry (bundled by scripts/bench-journeys.mjs): generates, encodes and renders N visits
// as dry-run NDJSON to /dev/null (or argv[3]), then prints visits/s and peak RSS on stdout.
import { closeSync, openSync, writeSync } from 'node:fs';
import { loadCatalogues } from '../src/journey/catalogues.js';
import { buildVisit } from '../src/journey/journey.js';
import type { JourneySettings } from '../src/journey/settings.js';
import { dryRunLine } from '../src/matomo/dry-run.js';
import { encodeVisit } from '../src/matomo/encode.js';

const count = Number(process.argv[2] ?? 100_000);
const out = openSync(process.argv[3] ?? '/dev/null', 'w');

// The predecessor's "medium" preset with countries on: a typical run.
const settings: JourneySettings = {
  pageviews: { min: 3, max: 6 },
  visitDurationMinutes: { min: 1, max: 8 },
  pauseSeconds: { min: 0.5, max: 2 },
  probabilities: { siteSearch: 0.15, outlinks: 0.1, downloads: 0.08, clickEvents: 0.25, randomEvents: 0.12, directTraffic: 0.3, ecommerce: 0.05 },
  countries: { randomize: true, geo: 'both' },
  ecommerce: { orderValue: { min: 15.99, max: 299.99 }, items: { min: 1, max: 5 }, taxRate: 0.1, shippingRates: [0, 5.99, 9.99, 15.99], currency: 'SEK' },
  timezone: 'CET',
  pageHost: 'example.test',
};
// The presets' realism section (the default since issue 8); BENCH_MODEL=classic measures the
// predecessor's flat shape alone.
if (process.env['BENCH_MODEL'] !== 'classic') {
  settings.realism = {
    personas: { casual: 0.45, researcher: 0.25, buyer: 0.15, returning: 0.15, classic: 0 },
    bounceRate: 0.35,
    returningShare: 0.3,
    visitorPool: 5000,
    loggedInShare: 0.25,
    campaignShare: 0.12,
    abandonedCartRate: 0.7,
    discountShare: 0.2,
    pageTimings: true,
  };
}
const catalogues = loadCatalogues({ pageHost: settings.pageHost });
const anchor = Date.UTC(2026, 2, 29, 12, 0, 0);

const started = performance.now();
let hits = 0;
let buffer = '';
for (let index = 0; index < count; index++) {
  const visit = buildVisit({ seed: 42, scope: 'run', index, settings, catalogues });
  // As `run` does: the timeline ends when the visit starts sending (one visit per 10 ms here).
  const requests = encodeVisit(visit, { siteId: 1, startAt: anchor + index * 10 - visit.durationMs, timezone: settings.timezone });
  for (const request of requests) buffer += dryRunLine(request) + '\n';
  hits += requests.length;
  if (buffer.length > 1 << 16) {
    writeSync(out, buffer);
    buffer = '';
  }
}
writeSync(out, buffer);
closeSync(out);
const seconds = (performance.now() - started) / 1000;
const rssMb = process.resourceUsage().maxRSS / 1024;
console.log(
  `[${settings.realism ? 'realism' : 'classic'}] ${count} visits, ${hits} hits in ${seconds.toFixed(2)} s: ${Math.round(count / seconds)} visits/s, ` +
    `${Math.round(hits / seconds)} hits/s, peak RSS ${rssMb.toFixed(0)} MB (node ${process.versions.node})`,
);
