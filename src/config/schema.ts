import { z } from 'zod';
import { parseDuration } from './duration.js';
import { checkThresholdList } from './threshold-syntax.js';

/**
 * The one configuration schema. Every setting is a leaf with its description, flag and (for the
 * predecessor's settings) environment name beside it, so flags, environment mapping and the README
 * reference are all derived from here (fields.ts walks it).
 *
 * Bounds here are wide (ours); the predecessor's tighter bounds are warnings in rules.ts.
 */

/** How a leaf is written on the command line and in environment variables. */
export type FieldKind =
  | 'int'
  | 'number'
  | 'bool'
  | 'string'
  | 'enum'
  | 'numbers'
  | 'duration'
  | 'date'
  | 'site-ids'
  | 'seed'
  | 'rps'
  | 'stages'
  | 'targets'
  /** k6-style thresholds: a map of metric to expressions in a file; `METRIC:EXPRESSION[:abort]` on the command line. */
  | 'thresholds'
  /** A list of mappings only a configuration file can give (campaigns, goals). */
  | 'list';

export interface FieldMeta {
  description: string;
  kind: FieldKind;
  /** Long flag without the dashes; none for settings only a file can give (targets). */
  flag?: string;
  /** The predecessor's environment variable name. */
  env?: string;
  /** Unit shown in the reference (e.g. "visits/s"). */
  unit?: string;
  /**
   * The commands that read the setting: `run` (the live run), `backfill` (backfill, and verify and
   * undo of its plans) or `both`. A flag of the other command's scope is refused with a hint naming
   * it (cli/config-options.ts), and backfill does not show warnings about `run` settings.
   */
  scope: FieldScope;
  /**
   * Part of the settings that shape a visit's hits: hashed into a backfill plan's settings key, so
   * a plan made with another value is another plan and --resume never regenerates different hits
   * (backfill/setup.ts shapeOf). The plan's own inputs (seed, timezone, caps, window, target, the
   * time shape's profiles) enter the key by name in backfill/plan.ts, not through this flag. The
   * settings of one top-level key all agree (the key's whole value is hashed).
   */
  shapesPlan: boolean;
  /**
   * A `run` setting whose flag backfill accepts (and ignores) rather than refuses: `backfill
   * --visits-per-day` always was accepted, and stays so.
   */
  lenientFlag?: true;
}

export type FieldScope = 'run' | 'backfill' | 'both';

function leaf<T extends z.ZodType>(schema: T, meta: FieldMeta): T {
  // Registered on the schema itself: `.meta()` would make a clone of each leaf for nothing.
  z.globalRegistry.add(schema, { ...meta });
  return schema;
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date written YYYY-MM-DD (2026-02-30 is refused). */
export const DateSchema = z.string().refine(
  (text) => {
    if (!isoDate.test(text)) return false;
    const [y, m, d] = text.split('-').map(Number) as [number, number, number];
    const date = new Date(Date.UTC(y, m - 1, d));
    return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  },
  { message: 'must be a date written YYYY-MM-DD' },
);

export const DurationSchema = z.string().transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration (write e.g. 1500ms, 90s, 10m, 2h)` });
    return z.NEVER;
  }
  return ms;
});

/** `3` or `"1-500"` (an inclusive range of site ids, spread evenly). */
export const SiteIdSchema = z
  .union([z.number().int().min(1), z.string()])
  .transform((value, ctx): { from: number; to: number } => {
    if (typeof value === 'number') return { from: value, to: value };
    const match = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(value);
    const from = Number(match?.[1]);
    const to = match?.[2] === undefined ? from : Number(match[2]);
    if (!match || from < 1 || to < from) {
      ctx.addIssue({ code: 'custom', message: `"${value}" is not a site id or range (write 3 or 1-500)` });
      return z.NEVER;
    }
    return { from, to };
  });

const TargetSchema = z
  .object({
    url: z.string(),
    siteId: SiteIdSchema,
    tokenAuth: z.string().min(1).optional(),
    /** Read into tokenAuth by load.ts before parsing; never survives into the Config. */
    tokenAuthFile: z.string().optional(),
    weight: z.number().positive().max(1e6).default(1),
  })
  .transform(({ siteId, tokenAuthFile: _file, ...rest }) => ({ ...rest, siteIds: siteId }));

function range(
  what: string,
  bounds: { min: number; max: number; int?: boolean },
  defaults: { min: number; max: number },
  names: { flag: string; env: string; unit?: string },
) {
  const num = () => {
    const n = bounds.int ? z.number().int() : z.number();
    return n.min(bounds.min).max(bounds.max);
  };
  const kind: FieldKind = bounds.int ? 'int' : 'number';
  const unit = names.unit ? { unit: names.unit } : {};
  return z
    .object({
      min: leaf(num().default(defaults.min), {
        description: `Minimum ${what}`,
        kind,
        flag: `${names.flag}-min`,
        env: `${names.env}_MIN`,
        scope: 'both',
        shapesPlan: true,
        ...unit,
      }),
      max: leaf(num().default(defaults.max), {
        description: `Maximum ${what}`,
        kind,
        flag: `${names.flag}-max`,
        env: `${names.env}_MAX`,
        scope: 'both',
        shapesPlan: true,
        ...unit,
      }),
    })
    .prefault({});
}

function probability(description: string, def: number, flag: string, env: string) {
  return leaf(z.number().min(0).max(1).default(def), { description, kind: 'number', flag, env, scope: 'both', shapesPlan: true });
}

/** One expression of a user threshold: k6's string, or its object with abortOnFail. */
const ThresholdEntrySchema = z.union([
  z.string(),
  z.strictObject({
    threshold: z.string(),
    abortOnFail: z.boolean().optional(),
    /** Written as a duration (`10s`); checked by checkThresholdList, kept as text. */
    delayAbortEval: z.string().optional(),
  }),
]);

const ThresholdsSchema = z
  .object({
    maxErrorRate: leaf(z.number().min(0).max(1).default(0.05), {
      description: 'Fail (exit 3) when the share of failed hits exceeds this (1: never)',
      kind: 'number',
      flag: 'max-error-rate',
      scope: 'run',
      shapesPlan: false,
    }),
    maxP99Ms: leaf(z.number().positive().optional(), {
      description: 'Fail (exit 3) when the p99 latency exceeds this',
      kind: 'number',
      flag: 'max-p99-ms',
      unit: 'ms',
      scope: 'run',
      shapesPlan: false,
    }),
    minRateRatio: leaf(z.number().min(0).max(1).default(0.95), {
      description: 'Fail (exit 3) when the achieved rate is below this share of the planned rate (0: never; not checked with --rps max)',
      kind: 'number',
      flag: 'min-rate-ratio',
      scope: 'run',
      shapesPlan: false,
    }),
    maxDropped: leaf(z.number().int().min(0).optional(), {
      description: 'Fail (exit 3) when more arrivals than this were dropped',
      kind: 'int',
      flag: 'max-dropped',
      scope: 'run',
      shapesPlan: false,
    }),
    checks: leaf(
      z
        .record(z.string(), z.array(ThresholdEntrySchema).min(1))
        .superRefine((checks, ctx) => {
          for (const [metric, entries] of Object.entries(checks)) {
            for (const problem of checkThresholdList(metric, entries)) {
              // The path names the metric (and the entry): the message need not repeat it.
              const message = problem.message.replace(/^threshold metric "[^"]*": /, '');
              ctx.addIssue({ code: 'custom', path: problem.index === undefined ? [metric] : [metric, problem.index], message });
            }
          }
        })
        .optional(),
      {
        description:
          'Your own thresholds, k6-style: `METRIC:EXPRESSION[:abort[=DELAY]]`, e.g. `latency{type:pageview}:p(99)<500`, repeatable; in a file a map of metric to expressions (docs/thresholds.md)',
        kind: 'thresholds',
        flag: 'threshold',
        scope: 'run',
        shapesPlan: false,
      },
    ),
  })
  .prefault({});

const StageSchema = z
  .object({ duration: DurationSchema, target: z.number().min(0).max(1e6) })
  .transform(({ duration, target }) => ({ durationMs: duration, target }));

const RunSchema = z
  .object({
    rps: leaf(z.union([z.number().positive().max(1e6), z.literal('max')]).optional(), {
      description: 'Live run: hits per second to hold, or `max` (overrides visitsPerDay pacing); backfill: tracking requests per second at most (a bulk batch counts as its hits)',
      kind: 'rps',
      flag: 'rps',
      scope: 'both',
      shapesPlan: false,
      unit: 'hits/s',
    }),
    arrivals: leaf(z.enum(['constant', 'poisson']).default('constant'), {
      description: 'Live run: evenly spaced or Poisson (random) visit arrivals',
      kind: 'enum',
      flag: 'arrivals',
      scope: 'run',
      shapesPlan: false,
    }),
    stages: leaf(z.array(StageSchema).min(1).optional(), {
      description: 'Live run: ramp through targets, e.g. `2m:10,5m:50` on the command line',
      kind: 'stages',
      flag: 'stages',
      scope: 'run',
      shapesPlan: false,
    }),
    stagesUnit: leaf(z.enum(['hits-per-second', 'visits-per-day']).default('hits-per-second'), {
      description: 'Live run: unit of the stage targets',
      kind: 'enum',
      flag: 'stages-unit',
      scope: 'run',
      shapesPlan: false,
    }),
    duration: leaf(DurationSchema.optional(), {
      description: 'Live run: stop after this long (e.g. 10m)',
      kind: 'duration',
      flag: 'duration',
      scope: 'run',
      shapesPlan: false,
    }),
    grace: leaf(DurationSchema.prefault('10s'), {
      description: 'Live run: time given to visits in flight after the end',
      kind: 'duration',
      flag: 'grace',
      scope: 'run',
      shapesPlan: false,
    }),
    thresholds: ThresholdsSchema,
  })
  .prefault({})
  .transform(({ duration, grace, ...rest }) => ({
    ...rest,
    ...(duration === undefined ? {} : { durationMs: duration }),
    graceMs: grace,
  }));

function share(description: string, def: number, flag: string) {
  return leaf(z.number().min(0).max(1).default(def), { description, kind: 'number', flag, scope: 'both', shapesPlan: true });
}

function personaWeight(name: string, def: number, what: string) {
  return leaf(z.number().min(0).max(1e6).default(def), {
    description: `Weight of the ${name} persona (${what})`,
    kind: 'number',
    flag: `persona-${name}`,
    scope: 'both',
    shapesPlan: true,
  });
}

const CampaignSchema = z.object({
  name: z.string().min(1),
  source: z.string().min(1),
  medium: z.string().min(1),
  weight: z.number().positive().max(1e6).default(1),
  keywords: z.array(z.string().min(1)).optional(),
  contents: z.array(z.string().min(1)).optional(),
});

const GoalSchema = z
  .object({
    id: z.number().int().min(1),
    probability: z.number().min(0).max(1).default(1),
    page: z.string().min(1).optional(),
    event: z.string().min(1).optional(),
    revenue: z.number().min(0).max(1e9).optional(),
  })
  .refine((g) => g.page !== undefined || g.event !== undefined, { message: 'a goal needs a page (URL substring) or an event (category)' });

const RealismSchema = z
  .object({
    personas: z
      .object({
        casual: personaWeight('casual', 0.45, '1-2 pages, bounces most, blog and news'),
        researcher: personaWeight('researcher', 0.25, 'many pages in docs, blog, support; searches, downloads'),
        buyer: personaWeight('buyer', 0.15, 'product pages, carts, orders'),
        returning: personaWeight('returning', 0.15, 'a returning customer from the visitor pool'),
        classic: personaWeight('classic', 0, "the Python Trafficinator's flat journey, unchanged"),
      })
      .prefault({})
      .refine((p) => Object.values(p).some((w) => w > 0), { message: 'at least one persona needs a weight above 0' }),
    bounceRate: share('Share of single-pageview visits (personas other than classic)', 0.35, 'bounce-rate'),
    returningShare: share('Share of visits by a returning visitor from the pool', 0.3, 'returning-share'),
    visitorPool: leaf(z.number().int().min(1).max(1e9).default(5000), {
      description: 'Identities in the seeded pool of returning visitors',
      kind: 'int',
      flag: 'visitor-pool',
      scope: 'both',
      shapesPlan: true,
    }),
    loggedInShare: share('Share of visitor identities that log in (a stable `uid` on each of their visits)', 0.25, 'logged-in-share'),
    campaignShare: share('Share of landing pages with campaign parameters (mtm_*)', 0.12, 'campaign-share'),
    campaigns: leaf(z.array(CampaignSchema).optional(), {
      description: 'Campaign mix: list of {name, source, medium, weight, keywords, contents}; default: built-in mix',
      kind: 'list',
      scope: 'both',
      shapesPlan: true,
    }),
    abandonedCartRate: share('Share of carts abandoned (never ordered)', 0.7, 'abandoned-cart-rate'),
    discountShare: share('Share of orders with a coupon discount (ec_dt, 5-20 % of the subtotal)', 0.2, 'discount-share'),
    goals: leaf(z.array(GoalSchema).optional(), {
      description: 'Manual goal conversions: list of {id, probability, page or event, revenue}',
      kind: 'list',
      scope: 'both',
      shapesPlan: true,
    }),
    pageTimings: leaf(z.boolean().default(true), {
      description: 'Send page performance timings (pf_net … pf_onl) on pageviews',
      kind: 'bool',
      flag: 'page-timings',
      scope: 'both',
      shapesPlan: true,
    }),
  })
  .prefault({});

function weights(count: number, what: string) {
  return z
    .array(z.number().min(0).max(1e6))
    .length(count, { message: `needs ${count} weights (${what})` })
    .refine((xs) => xs.some((x) => x > 0), { message: 'weights must not all be 0' });
}

const TimeShapeSchema = z
  .object({
    hours: leaf(
      z.preprocess(
        // On the command line: `default`, `flat`, or "w0,...,w23".
        (v) => (typeof v === 'string' && v.includes(',') ? v.split(',').map((x) => Number(x.trim())) : v),
        z.union([z.enum(['default', 'flat']), weights(24, 'one per local hour 0-23')]),
      ).optional(),
      {
        description:
          'Hour-of-day profile of visit starts (backfill) and of the rate (run --follow-profile): `default`, `flat`, or 24 weights for local hours 0-23',
        kind: 'string',
        flag: 'hour-profile',
        scope: 'both',
        shapesPlan: true,
      },
    ),
    weekdays: leaf(weights(7, 'Monday to Sunday').optional(), {
      description: 'Day-of-week profile: 7 relative weights Monday..Sunday (default 1,1,0.97,0.95,0.85,0.58,0.62)',
      kind: 'numbers',
      flag: 'weekday-profile',
      scope: 'both',
      shapesPlan: true,
    }),
    followProfile: leaf(z.boolean().default(false), {
      description: 'Live run: modulate the rate by the hour and weekday profile (mean rate unchanged)',
      kind: 'bool',
      flag: 'follow-profile',
      scope: 'run',
      shapesPlan: true,
    }),
  })
  .prefault({});

const BackfillSchema = z
  .object({
    from: leaf(DateSchema.optional(), {
      description: 'First day to fill (inclusive, site-local)',
      kind: 'date',
      flag: 'from',
      scope: 'backfill',
      shapesPlan: false,
      env: 'BACKFILL_START_DATE',
    }),
    to: leaf(DateSchema.optional(), {
      description: 'Last day to fill (inclusive, site-local)',
      kind: 'date',
      flag: 'to',
      scope: 'backfill',
      shapesPlan: false,
      env: 'BACKFILL_END_DATE',
    }),
    daysBack: leaf(z.number().int().min(1).max(3650).optional(), {
      description: 'Relative window: start this many days before today',
      kind: 'int',
      flag: 'days-back',
      scope: 'backfill',
      shapesPlan: false,
      env: 'BACKFILL_DAYS_BACK',
    }),
    durationDays: leaf(z.number().int().min(1).max(3650).optional(), {
      description: 'Relative window: number of days from the start',
      kind: 'int',
      flag: 'duration-days',
      scope: 'backfill',
      shapesPlan: false,
      env: 'BACKFILL_DURATION_DAYS',
    }),
    maxVisitsPerDay: leaf(z.number().int().min(1).max(1e8).default(2000), {
      description: 'Visits per backfilled day at most',
      kind: 'int',
      flag: 'max-visits-per-day',
      scope: 'backfill',
      shapesPlan: false,
      env: 'BACKFILL_MAX_VISITS_PER_DAY',
    }),
    maxVisitsTotal: leaf(z.number().int().min(1).max(1e11).default(200000), {
      description: 'Visits over the whole backfill at most',
      kind: 'int',
      flag: 'max-visits-total',
      scope: 'backfill',
      shapesPlan: false,
      env: 'BACKFILL_MAX_VISITS_TOTAL',
    }),
    rpsLimit: leaf(z.number().positive().max(1e6).optional(), {
      description: "Backfill pace limit (the Python Trafficinator's unit: visits per second)",
      kind: 'number',
      flag: 'rps-limit',
      scope: 'backfill',
      shapesPlan: false,
      env: 'BACKFILL_RPS_LIMIT',
      unit: 'visits/s',
    }),
    bulkSize: leaf(z.number().int().min(1).max(10000).default(100), {
      description: 'Hits per bulk tracking request',
      kind: 'int',
      flag: 'bulk-size',
      scope: 'backfill',
      shapesPlan: false,
    }),
    stateDir: leaf(z.string().min(1).default('.trafficinator'), {
      description: 'Where backfill keeps its resumable progress',
      kind: 'string',
      flag: 'state-dir',
      scope: 'backfill',
      shapesPlan: false,
    }),
  })
  .prefault({});

/** `i/n` or `auto/n` (config/shard.ts reads it). */
const SHARD_PATTERN = /^(\d{1,6}|auto)\/\d{1,6}$/;

function shardInRange(text: string): boolean {
  const [i, n] = text.split('/') as [string, string];
  return Number(n) >= 1 && (i === 'auto' || Number(i) < Number(n));
}

export const ConfigSchema = z
  .object({
    url: leaf(z.string().optional(), {
      description: 'Matomo tracker URL (…/matomo.php); one target',
      kind: 'string',
      flag: 'url',
      scope: 'both',
      shapesPlan: false,
      env: 'MATOMO_URL',
    }),
    siteId: leaf(SiteIdSchema.optional(), {
      description: 'Site id, or a range `1-500`; one target (default 1)',
      kind: 'site-ids',
      flag: 'site-id',
      scope: 'both',
      shapesPlan: false,
      env: 'MATOMO_SITE_ID',
    }),
    tokenAuth: leaf(z.string().min(1).optional(), {
      description: 'token_auth with write access (prefer the file or the environment)',
      kind: 'string',
      flag: 'token-auth',
      scope: 'both',
      shapesPlan: false,
      env: 'MATOMO_TOKEN_AUTH',
    }),
    tokenAuthFile: leaf(z.string().optional(), {
      description: 'File holding the token_auth',
      kind: 'string',
      flag: 'token-auth-file',
      scope: 'both',
      shapesPlan: false,
    }),
    targets: leaf(z.array(TargetSchema).optional(), {
      description: 'Several targets: list of {url, siteId, tokenAuth or tokenAuthFile, weight}',
      kind: 'targets',
      scope: 'both',
      shapesPlan: false,
    }),
    visitsPerDay: leaf(z.number().int().min(1).max(1e9).default(20000), {
      description: 'Target visits per day',
      kind: 'int',
      flag: 'visits-per-day',
      scope: 'run',
      shapesPlan: false,
      lenientFlag: true,
      env: 'TARGET_VISITS_PER_DAY',
    }),
    pageviews: range('pageviews per visit', { min: 1, max: 1000, int: true }, { min: 3, max: 6 }, {
      flag: 'pageviews',
      env: 'PAGEVIEWS',
    }),
    concurrency: leaf(z.number().int().min(1).max(100000).default(50), {
      description: 'Visits in flight at most',
      kind: 'int',
      flag: 'concurrency',
      scope: 'both',
      shapesPlan: false,
      env: 'CONCURRENCY',
    }),
    pauseSeconds: range('real pause between pageviews', { min: 0, max: 1800 }, { min: 0.5, max: 2 }, {
      flag: 'pause',
      env: 'PAUSE_BETWEEN_PVS',
      unit: 's',
    }),
    visitDurationMinutes: range(
      'simulated visit duration (cdt timeline)',
      { min: 0.1, max: 1440 },
      { min: 1, max: 8 },
      { flag: 'visit-duration', env: 'VISIT_DURATION', unit: 'min' },
    ),
    autoStopAfterHours: leaf(z.number().min(0).max(8760).default(0), {
      description: 'Stop a live run after this many hours (0: never)',
      kind: 'number',
      flag: 'auto-stop-after-hours',
      scope: 'run',
      shapesPlan: false,
      env: 'AUTO_STOP_AFTER_HOURS',
      unit: 'h',
    }),
    maxTotalVisits: leaf(z.number().int().min(0).max(1e12).default(0), {
      description: 'Stop a live run after this many visits started (0: no limit)',
      kind: 'int',
      flag: 'max-visits',
      scope: 'run',
      shapesPlan: false,
      env: 'MAX_TOTAL_VISITS',
    }),
    dailyCap: leaf(z.number().int().min(0).max(1e12).default(0), {
      description: 'Visits per local calendar day (in `timezone`) at most (0: no cap)',
      kind: 'int',
      flag: 'daily-cap',
      scope: 'run',
      shapesPlan: false,
    }),
    probabilities: z
      .object({
        siteSearch: probability('Chance a visit searches the site', 0.15, 'site-search-probability', 'SITESEARCH_PROBABILITY'),
        outlinks: probability('Chance a visit follows an outlink', 0.1, 'outlinks-probability', 'OUTLINKS_PROBABILITY'),
        downloads: probability('Chance a visit downloads a file', 0.08, 'downloads-probability', 'DOWNLOADS_PROBABILITY'),
        clickEvents: probability('Chance a visit sends click events', 0.25, 'click-events-probability', 'CLICK_EVENTS_PROBABILITY'),
        randomEvents: probability('Chance a visit sends other events', 0.12, 'random-events-probability', 'RANDOM_EVENTS_PROBABILITY'),
        directTraffic: probability('Chance a visit has no referrer', 0.3, 'direct-traffic-probability', 'DIRECT_TRAFFIC_PROBABILITY'),
        ecommerce: probability('Chance a visit places an order', 0.05, 'ecommerce-probability', 'ECOMMERCE_PROBABILITY'),
      })
      .prefault({}),
    countries: z
      .object({
        randomize: leaf(z.boolean().default(true), {
          description: 'Spread visitors over countries (needs a token)',
          kind: 'bool',
          flag: 'randomize-countries',
          scope: 'both',
          shapesPlan: true,
          env: 'RANDOMIZE_VISITOR_COUNTRIES',
        }),
        geo: leaf(z.enum(['ip', 'country', 'both']).default('ip'), {
          description: 'How the country is sent: visitor IP (`cip`), `country`, or both',
          kind: 'enum',
          flag: 'geo',
          scope: 'both',
          shapesPlan: true,
        }),
      })
      .prefault({}),
    ecommerce: z
      .object({
        orderValue: range('order value', { min: 0.01, max: 1e9 }, { min: 15.99, max: 299.99 }, {
          flag: 'order-value',
          env: 'ECOMMERCE_ORDER_VALUE',
        }),
        items: range('items per order', { min: 1, max: 1000, int: true }, { min: 1, max: 5 }, {
          flag: 'order-items',
          env: 'ECOMMERCE_ITEMS',
        }),
        taxRate: leaf(z.number().min(0).max(1).default(0.1), {
          description: 'Tax rate of orders',
          kind: 'number',
          flag: 'tax-rate',
          scope: 'both',
          shapesPlan: true,
          env: 'ECOMMERCE_TAX_RATE',
        }),
        shippingRates: leaf(z.array(z.number().min(0).max(1e9)).min(1).default([0, 5.99, 9.99, 15.99]), {
          description: 'Shipping amounts picked from (comma-separated on the command line)',
          kind: 'numbers',
          flag: 'shipping-rates',
          scope: 'both',
          shapesPlan: true,
          env: 'ECOMMERCE_SHIPPING_RATES',
        }),
        currency: leaf(
          z
            .string()
            .regex(/^[A-Z]{3}$/, { message: 'must be three uppercase letters (ISO 4217, e.g. SEK)' })
            .default('SEK'),
          {
            description: "Currency (ISO 4217); compared with the site's, never sent",
            kind: 'string',
            flag: 'currency',
            scope: 'both',
            shapesPlan: true,
            env: 'ECOMMERCE_CURRENCY',
          },
        ),
      })
      .prefault({}),
    timezone: leaf(z.string().min(1).default('CET'), {
      description: 'IANA zone of visitor local time, daily cap and backfill days',
      kind: 'string',
      flag: 'timezone',
      scope: 'both',
      shapesPlan: false,
      env: 'TIMEZONE',
    }),
    pageHost: leaf(z.string().min(1).default('example.test'), {
      description: 'Host of the built-in URL catalogue',
      kind: 'string',
      flag: 'page-host',
      scope: 'both',
      shapesPlan: true,
    }),
    urlsFile: leaf(z.string().min(1).optional(), {
      description: 'URL catalogue file (`URL [title]` per line) replacing the built-in one',
      kind: 'string',
      flag: 'urls-file',
      scope: 'both',
      shapesPlan: true,
      env: 'URLS_FILE',
    }),
    funnelsFile: leaf(z.string().min(1).optional(), {
      description: 'Funnels file (JSON or YAML list of funnels)',
      kind: 'string',
      flag: 'funnels-file',
      scope: 'both',
      shapesPlan: true,
      env: 'FUNNEL_CONFIG_PATH',
    }),
    seed: leaf(z.union([z.number().int().min(0), z.string().min(1)]).optional(), {
      description: 'Seed: the same seed and settings give the same visits',
      kind: 'seed',
      flag: 'seed',
      scope: 'both',
      shapesPlan: false,
      env: 'BACKFILL_SEED',
    }),
    shard: leaf(
      z
        .string()
        .regex(SHARD_PATTERN, 'expected i/n (0 <= i < n, e.g. 0/4) or auto/n (the index from JOB_COMPLETION_INDEX)')
        .refine(shardInRange, 'the index i of i/n must be below n, and n at least 1')
        .optional(),
      {
        description: 'Send only this shard of the visits: i/n (0-based) or auto/n (i from JOB_COMPLETION_INDEX)',
        kind: 'string',
        flag: 'shard',
        scope: 'both',
        // Not a hit-shaping setting: the plan records its shard beside the key (backfill/plan.ts).
        shapesPlan: false,
      },
    ),
    workers: leaf(z.number().int().min(1).max(64).optional(), {
      description:
        'Worker threads. Backfill: they generate and encode the hits, the main thread sends; unset, the cores available to the process (a container CPU limit counts), at most 8. Run: each sends its share of the visits; unset, 1 (docs/run.md)',
      kind: 'int',
      flag: 'workers',
      scope: 'both',
      // An execution detail: a plan made with any number of workers is resumed with any other.
      shapesPlan: false,
    }),
    logLevel: leaf(z.enum(['debug', 'info', 'warn', 'error']).default('info'), {
      description: 'Log detail',
      kind: 'enum',
      flag: 'log-level',
      scope: 'both',
      shapesPlan: false,
      env: 'LOG_LEVEL',
    }),
    realism: RealismSchema,
    timeShape: TimeShapeSchema,
    backfill: BackfillSchema,
    run: RunSchema,
  })
  // The single-target keys are folded into `targets` before parsing (resolve.ts); drop them here.
  .transform(({ url: _u, siteId: _s, tokenAuth: _t, tokenAuthFile: _f, targets, ...rest }) => ({
    targets: targets ?? [],
    ...rest,
  }));

/** What users write (YAML, presets). */
export type ConfigInput = z.input<typeof ConfigSchema>;
/** What the program consumes. */
export type Config = z.output<typeof ConfigSchema>;
export type Target = Config['targets'][number];
export type RunSettings = Config['run'];
export type BackfillSettings = Config['backfill'];

export interface ConfigIssue {
  /** Dotted path of the field, e.g. `pageviews.min` or `targets[1].url`. */
  path: string;
  message: string;
  hint?: string;
}
