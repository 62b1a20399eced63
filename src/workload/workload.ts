import { shardOfVisit } from '../journey/shard.js';
import type { Config, ConfigIssue } from '../config/schema.js';
import { TrafficError } from '../errors.js';
import { loadCatalogues, type Catalogues } from '../journey/catalogues.js';
import { itemCountWeights as builtInItemWeights, products as builtInProducts } from '../journey/data/predecessor.js';
import { FunnelFileError, parseFunnelFile, type Funnel } from '../journey/funnel.js';
import { buildVisit } from '../journey/journey.js';
import { ecommerceProblem } from '../journey/order.js';
import { timelineProblem } from '../journey/timeline.js';
import type { Visit } from '../journey/visit.js';
import { encodeVisit, hitEncoder } from '../matomo/encode.js';
import type { TrackingRequest } from '../matomo/request.js';
import { derive, weighted } from '../random/rng.js';

/**
 * The workload of a run or backfill: the configuration, its catalogues and funnels, and the seed,
 * turned into visits and requests. Pure: the files' texts come in as strings (cli/workload.ts
 * reads them). Both commands share it, so a dry run, a run and a backfill encode byte for byte
 * the same way.
 */
export interface WorkloadFiles {
  urlsText?: string;
  funnelsText?: string;
}

/** Where one visit goes: the index in config.targets and the site id inside its range. */
export interface Placement {
  target: number;
  siteId: number;
}

export interface Workload {
  readonly config: Config;
  readonly seed: string | number;
  readonly catalogues: Catalogues;
  readonly funnels: readonly Funnel[];
  /** Visit `index` of a scope ('run', or a backfill day 'YYYY-MM-DD'); depends on nothing else. */
  visit(scope: string, index: number): Visit;
  /** The shard of `count` that sends visit `index` of a scope (journey/shard.ts). */
  shardOf(scope: string, index: number, count: number): number;
  /** Target and site of a live run's visit `index`, by target weight (seeded per visit). */
  placeRunVisit(index: number): Placement;
  /** The visit's hits as requests, its first hit at `startAt` (epoch ms) on the simulated timeline. */
  encode(visit: Visit, siteId: number, startAt: number): TrackingRequest[];
  /** `encode` one hit at a time: `encoder(...)(j)` equals `encode(...)[j]`. */
  encoder(visit: Visit, siteId: number, startAt: number): (hitIndex: number) => TrackingRequest;
}

export function createWorkload(config: Config, seed: string | number, files: WorkloadFiles = {}): Workload {
  const load = (): Catalogues =>
    loadCatalogues({
      pageHost: config.pageHost,
      ...(files.urlsText !== undefined ? { urlsText: files.urlsText, urlsFile: config.urlsFile ?? 'URL file' } : {}),
    });
  // A URL file is parsed now (its errors are the caller's to report); the built-in pages (2,000,
  // each slugified: ~4 % of validate's start-up) wait for the first visit, which validate never builds.
  let catalogues = files.urlsText === undefined ? undefined : load();
  const cataloguesOf = (): Catalogues => (catalogues ??= load());
  const funnels =
    files.funnelsText !== undefined ? parseFunnelFile(files.funnelsText, config.funnelsFile ?? 'funnels file') : [];
  const targets = config.targets.map((target, index) => ({ index, weight: target.weight, sites: target.siteIds }));
  const single = targets.length === 1 && targets[0]!.sites.from === targets[0]!.sites.to;

  return {
    config,
    seed,
    get catalogues() {
      return cataloguesOf();
    },
    funnels,
    visit: (scope, index) => buildVisit({ seed, scope, index, settings: config, catalogues: cataloguesOf(), funnels }),
    shardOf: (scope, index, count) => shardOfVisit(seed, config, scope, index, count),
    placeRunVisit(index) {
      if (single) return { target: 0, siteId: targets[0]!.sites.from };
      const rng = derive(seed, 'placement', index);
      const target = weighted(rng, targets, (t) => t.weight);
      const span = target.sites.to - target.sites.from + 1;
      return { target: target.index, siteId: target.sites.from + Math.floor(rng.next() * span) };
    },
    encode: (visit, siteId, startAt) => encodeVisit(visit, { siteId, startAt, timezone: config.timezone }),
    encoder: (visit, siteId, startAt) => hitEncoder(visit, { siteId, startAt, timezone: config.timezone }),
  };
}

/**
 * Journey rules that need the catalogues: a timeline that would force a 30-minute gap (Matomo
 * would split the visit) and order bounds the product catalogue cannot meet.
 */
export function workloadProblems(config: Config, catalogues: Pick<Catalogues, 'products' | 'itemCountWeights'>): ConfigIssue[] {
  const problems: ConfigIssue[] = [];
  const timeline = timelineProblem(config);
  if (timeline) {
    problems.push({
      path: 'visitDurationMinutes.max',
      message: timeline,
      hint: 'Matomo ends a visit after 30 idle minutes; lower --visit-duration-max or raise --pageviews-min',
    });
  }
  if (config.probabilities.ecommerce > 0 && !provenOrders(config.ecommerce, catalogues)) {
    const order = ecommerceProblem(config.ecommerce, catalogues.products, catalogues.itemCountWeights);
    if (order) problems.push({ path: 'ecommerce.orderValue', message: order, hint: 'widen the order value range' });
  }
  return problems;
}

/**
 * Order settings (value range, item counts, tax rate, shipping rates) whose orders the built-in
 * product catalogue is known to meet: the defaults' and the presets'. Probing them (200 orders)
 * was ~5 % of `validate`'s start-up; test/unit/workload/workload.test.ts proves each entry with
 * the probe itself, so the answer is the probe's.
 */
export const PROVEN_ORDER_SETTINGS: ReadonlySet<string> = new Set([
  '[15.99,99.99,1,5,0.1,[0,5.99,9.99,15.99]]',
  '[15.99,299.99,1,5,0.1,[0,5.99,9.99,15.99]]',
  '[15.99,499.99,1,5,0.1,[0,5.99,9.99,15.99]]',
  '[15.99,999.99,1,5,0.1,[0,5.99,9.99,15.99]]',
]);

const BUILT_IN_ORDER_DATA = { products: builtInProducts, itemCountWeights: builtInItemWeights };

/** Everything of the settings that building an order reads (journey/order.ts buildOrder). */
export function orderSettingsKey(e: Config['ecommerce']): string {
  return JSON.stringify([e.orderValue.min, e.orderValue.max, e.items.min, e.items.max, e.taxRate, e.shippingRates]);
}

function provenOrders(e: Config['ecommerce'], catalogues: Pick<Catalogues, 'products' | 'itemCountWeights'>): boolean {
  return catalogues.products === builtInProducts && catalogues.itemCountWeights === builtInItemWeights && PROVEN_ORDER_SETTINGS.has(orderSettingsKey(e));
}

/**
 * The workload from the files' texts, or every problem as configuration issues (validate lists
 * them all): a funnel file's problems, a URL file that does not parse, then the journey rules.
 */
export function checkedWorkload(config: Config, seed: string | number, files: WorkloadFiles): { workload?: Workload; issues: ConfigIssue[] } {
  let workload: Workload;
  try {
    workload = createWorkload(config, seed, files);
  } catch (error) {
    if (error instanceof FunnelFileError) {
      return { issues: error.problems.map((message) => ({ path: 'funnelsFile', message })) };
    }
    if (error instanceof TrafficError) return { issues: [{ path: 'urlsFile', message: error.message }] };
    throw error;
  }
  // Orders draw on the built-in products whatever the pages: no need to build the pages for this.
  const issues = workloadProblems(config, files.urlsText === undefined ? BUILT_IN_ORDER_DATA : workload.catalogues);
  return issues.length > 0 ? { issues } : { workload, issues };
}
