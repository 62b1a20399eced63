import { describe, expect, it } from 'vitest';
import { envToLayer, parseEnvFile } from '../../../src/config/env.js';
import { resolveConfig } from '../../../src/config/resolve.js';
import type { Config } from '../../../src/config/schema.js';

const NOW = Date.UTC(2026, 10, 26, 12);

function fromEnv(env: Record<string, string>, strict = true) {
  const r = envToLayer(env, { kind: 'env-file', label: 'env file .env', strict });
  const resolved = resolveConfig([r.layer], { now: NOW, errors: r.errors, warnings: r.warnings });
  return { ...r, resolved };
}

describe("the predecessor's environment names", () => {
  it.each([
    { name: 'MATOMO_URL', value: 'https://m.example.org/matomo.php', pick: (c: Config) => c.targets[0]?.url, want: 'https://m.example.org/matomo.php' },
    { name: 'MATOMO_SITE_ID', value: '7', pick: (c: Config) => c.targets[0]?.siteIds, want: { from: 7, to: 7 } },
    { name: 'MATOMO_TOKEN_AUTH', value: 'abc', pick: (c: Config) => c.targets[0]?.tokenAuth, want: 'abc' },
    { name: 'TARGET_VISITS_PER_DAY', value: '1234', pick: (c: Config) => c.visitsPerDay, want: 1234 },
    { name: 'PAGEVIEWS_MIN', value: '2', pick: (c: Config) => c.pageviews.min, want: 2 },
    { name: 'PAGEVIEWS_MAX', value: '9', pick: (c: Config) => c.pageviews.max, want: 9 },
    { name: 'CONCURRENCY', value: '77', pick: (c: Config) => c.concurrency, want: 77 },
    { name: 'PAUSE_BETWEEN_PVS_MIN', value: '0', pick: (c: Config) => c.pauseSeconds.min, want: 0 },
    { name: 'PAUSE_BETWEEN_PVS_MAX', value: '4.5', pick: (c: Config) => c.pauseSeconds.max, want: 4.5 },
    { name: 'AUTO_STOP_AFTER_HOURS', value: '3', pick: (c: Config) => c.autoStopAfterHours, want: 3 },
    { name: 'MAX_TOTAL_VISITS', value: '500', pick: (c: Config) => c.maxTotalVisits, want: 500 },
    { name: 'SITESEARCH_PROBABILITY', value: '0.5', pick: (c: Config) => c.probabilities.siteSearch, want: 0.5 },
    { name: 'OUTLINKS_PROBABILITY', value: '0.4', pick: (c: Config) => c.probabilities.outlinks, want: 0.4 },
    { name: 'DOWNLOADS_PROBABILITY', value: '0.3', pick: (c: Config) => c.probabilities.downloads, want: 0.3 },
    { name: 'CLICK_EVENTS_PROBABILITY', value: '0.2', pick: (c: Config) => c.probabilities.clickEvents, want: 0.2 },
    { name: 'RANDOM_EVENTS_PROBABILITY', value: '0.1', pick: (c: Config) => c.probabilities.randomEvents, want: 0.1 },
    { name: 'DIRECT_TRAFFIC_PROBABILITY', value: '0.6', pick: (c: Config) => c.probabilities.directTraffic, want: 0.6 },
    { name: 'ECOMMERCE_PROBABILITY', value: '0.07', pick: (c: Config) => c.probabilities.ecommerce, want: 0.07 },
    { name: 'RANDOMIZE_VISITOR_COUNTRIES', value: 'false', pick: (c: Config) => c.countries.randomize, want: false },
    { name: 'ECOMMERCE_ORDER_VALUE_MIN', value: '1.5', pick: (c: Config) => c.ecommerce.orderValue.min, want: 1.5 },
    { name: 'ECOMMERCE_ORDER_VALUE_MAX', value: '500', pick: (c: Config) => c.ecommerce.orderValue.max, want: 500 },
    { name: 'ECOMMERCE_ITEMS_MIN', value: '2', pick: (c: Config) => c.ecommerce.items.min, want: 2 },
    { name: 'ECOMMERCE_ITEMS_MAX', value: '3', pick: (c: Config) => c.ecommerce.items.max, want: 3 },
    { name: 'ECOMMERCE_TAX_RATE', value: '0.25', pick: (c: Config) => c.ecommerce.taxRate, want: 0.25 },
    { name: 'ECOMMERCE_SHIPPING_RATES', value: '0, 4.5,10', pick: (c: Config) => c.ecommerce.shippingRates, want: [0, 4.5, 10] },
    { name: 'ECOMMERCE_CURRENCY', value: 'EUR', pick: (c: Config) => c.ecommerce.currency, want: 'EUR' },
    { name: 'VISIT_DURATION_MIN', value: '0.5', pick: (c: Config) => c.visitDurationMinutes.min, want: 0.5 },
    { name: 'VISIT_DURATION_MAX', value: '9', pick: (c: Config) => c.visitDurationMinutes.max, want: 9 },
    { name: 'TIMEZONE', value: 'Europe/Stockholm', pick: (c: Config) => c.timezone, want: 'Europe/Stockholm' },
    { name: 'URLS_FILE', value: 'urls.txt', pick: (c: Config) => c.urlsFile, want: 'urls.txt' },
    { name: 'FUNNEL_CONFIG_PATH', value: 'f.json', pick: (c: Config) => c.funnelsFile, want: 'f.json' },
    { name: 'LOG_LEVEL', value: 'WARNING', pick: (c: Config) => c.logLevel, want: 'warn' },
    { name: 'BACKFILL_START_DATE', value: '2026-01-01', pick: (c: Config) => c.backfill.from, want: '2026-01-01' },
    { name: 'BACKFILL_END_DATE', value: '2026-01-02', pick: (c: Config) => c.backfill.to, want: '2026-01-02' },
    { name: 'BACKFILL_DAYS_BACK', value: '10', pick: (c: Config) => c.backfill.daysBack, want: 10 },
    { name: 'BACKFILL_DURATION_DAYS', value: '5', pick: (c: Config) => c.backfill.durationDays, want: 5 },
    { name: 'BACKFILL_MAX_VISITS_PER_DAY', value: '300', pick: (c: Config) => c.backfill.maxVisitsPerDay, want: 300 },
    { name: 'BACKFILL_MAX_VISITS_TOTAL', value: '3000', pick: (c: Config) => c.backfill.maxVisitsTotal, want: 3000 },
    // The predecessor's unit is kept: visits per second, not requests.
    { name: 'BACKFILL_RPS_LIMIT', value: '12.5', pick: (c: Config) => c.backfill.rpsLimit, want: 12.5 },
    { name: 'BACKFILL_SEED', value: '42', pick: (c: Config) => c.seed, want: 42 },
  ])('$name=$value', ({ name, value, pick, want }) => {
    const env: Record<string, string> = { MATOMO_URL: 'http://127.0.0.1/matomo.php', [name]: value };
    const { resolved } = fromEnv(env);
    expect(resolved.config).toBeDefined();
    expect(pick(resolved.config as Config)).toEqual(want);
    expect(Object.values(resolved.sources)).toContain(`env file .env (${name})`);
  });

  it('warns about env-file keys that mean nothing here, and suggests near names', () => {
    const { warnings, errors } = fromEnv({ AUTO_START: 'true', BACKFILL_RUN_ONCE: 'true', CONCURENCY: '5' });
    expect(errors).toEqual([]);
    expect(warnings.map((w) => w.path)).toEqual(['AUTO_START', 'BACKFILL_RUN_ONCE', 'CONCURENCY']);
    expect(warnings[2]?.hint).toContain('did you mean CONCURRENCY?');
  });

  it('ignores unrelated names in the process environment', () => {
    const r = envToLayer({ PATH: '/bin', HOME: '/root', CONCURRENCY: '3' }, { kind: 'environment', label: 'environment', strict: false });
    expect(r.warnings).toEqual([]);
    expect(r.layer.values).toEqual({ concurrency: 3 });
  });

  it('treats empty values as unset and reports values that are not numbers', () => {
    const r = envToLayer({ MATOMO_TOKEN_AUTH: '', TARGET_VISITS_PER_DAY: 'lots' }, { kind: 'environment', label: 'environment', strict: false });
    expect(r.layer.values).toEqual({});
    expect(r.errors).toEqual([{ path: 'visitsPerDay', message: '"lots" is not a number', hint: 'from TARGET_VISITS_PER_DAY in environment' }]);
  });

  it.each([
    { why: 'a generic name with a value that is not a number', env: { CONCURRENCY: 'lots' }, name: 'CONCURRENCY' },
    { why: 'a generic name with a value outside our enum', env: { LOG_LEVEL: 'verbose' }, name: 'LOG_LEVEL' },
    { why: 'a generic name with a zone that does not exist', env: { TIMEZONE: 'Mars/Olympus' }, name: 'TIMEZONE' },
  ])('ignores $why with a warning that names it (issue 14), never an error', ({ env, name }) => {
    const r = envToLayer(env, { kind: 'environment', label: 'environment', strict: false });
    expect(r.errors).toEqual([]);
    expect(r.layer.values).toEqual({});
    expect(r.applied).toEqual([]);
    expect(r.warnings.map((w) => w.path)).toEqual([name]);
    expect(JSON.stringify(r.warnings)).not.toContain(Object.values(env)[0]);
  });

  it('reads the TRAFFICINATOR_ name of every setting, over the predecessor name; tooling names are not settings', () => {
    const r = envToLayer(
      { CONCURRENCY: '3', TRAFFICINATOR_CONCURRENCY: '9', TRAFFICINATOR_RUN_THRESHOLDS_MAX_ERROR_RATE: '0.2', TRAFFICINATOR_BIN: 'x', TRAFFICINATOR_NOPE: '1' },
      { kind: 'environment', label: 'environment', strict: false },
    );
    expect(r.layer.values).toEqual({ concurrency: 9, run: { thresholds: { maxErrorRate: 0.2 } } });
    expect(r.applied).toEqual(['CONCURRENCY', 'TRAFFICINATOR_CONCURRENCY', 'TRAFFICINATOR_RUN_THRESHOLDS_MAX_ERROR_RATE']);
    expect(r.warnings.map((w) => w.path)).toEqual(['TRAFFICINATOR_NOPE']);
  });
});

describe('parseEnvFile', () => {
  it('reads export, quotes, comments and blank lines', () => {
    const text = '# preset\nexport A=1\nB="two words"\nC=\'x # y\'\nD=plain # trailing\n\nE=\n';
    expect(parseEnvFile(text)).toEqual({ env: { A: '1', B: 'two words', C: 'x # y', D: 'plain', E: '' }, errors: [] });
  });

  it('names the line that is not KEY=VALUE', () => {
    expect(parseEnvFile('A=1\nnonsense\n').errors).toEqual([{ line: 2, message: 'not a KEY=VALUE line' }]);
  });
});
