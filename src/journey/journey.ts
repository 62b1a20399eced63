import { between, chance, derive, intBetween, pick, type Rng } from '../random/rng.js';
import { originOf, type Catalogues, type EventEntry, type Page } from './catalogues.js';
import { funnelOrder, type Funnel, type FunnelStep } from './funnel.js';
import { buildOrder, formatAmount, orderId, orderParams } from './order.js';
import type { JourneySettings } from './settings.js';
import { offsetsWithin, splitDwell } from './timeline.js';
import type { HitType, PlannedHit, Visit } from './visit.js';
import { buildReferrer, buildVisitor, type Referrer } from './visitor.js';

/** 'run' for a live run; the local date `YYYY-MM-DD` for a backfill day. */
export type VisitScope = string;

export interface BuildVisitInput {
  seed: string | number;
  /** 'run', or the backfill day `YYYY-MM-DD` (visits are then numbered within the day). */
  scope: VisitScope;
  /** The visit's position in the run or day. */
  index: number;
  settings: JourneySettings;
  catalogues: Catalogues;
  /** Funnels as parsed from the file (any order; disabled ones are skipped). */
  funnels?: readonly Funnel[];
}

type Params = Array<[string, string]>;

interface CurrentPage {
  url: string;
  origin: string;
  pvId: string;
}

/** A hit that follows its page load (same url and pv_id): event, outlink, download or order. */
interface Follower {
  type: HitType;
  params: Params;
}

/** Mutable state while one visit is assembled; discarded afterwards. */
interface Draft {
  rng: Rng;
  input: BuildVisitInput;
  referrer: Referrer;
  hits: PlannedHit[];
  page?: CurrentPage;
  orders: number;
}

const pvAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Matomo's page view id: 6 characters, new for every page load. */
function pvId(rng: Rng): string {
  let out = '';
  for (let i = 0; i < 6; i++) out += pvAlphabet.charAt(Math.floor(rng.next() * pvAlphabet.length));
  return out;
}

function queryValue(text: string): string {
  return encodeURIComponent(text).replace(/%20/g, '+');
}

function resolveUrl(origin: string, target: string): string {
  if (/^https?:\/\//i.test(target)) return target;
  return origin + (target.startsWith('/') ? target : '/' + target);
}

function siteOrigin(draft: Draft): string {
  return draft.page?.origin ?? `https://${draft.input.settings.pageHost}`;
}

/** Emits a page load (pageview or site search): new pv_id, urlref chain, new_visit on the first. */
function emitPageLoad(draft: Draft, type: 'pageview' | 'search', url: string, atMs: number, own: Params): void {
  const first = draft.hits.length === 0;
  const id = pvId(draft.rng);
  const params: Params = [['url', url], ...own];
  const ref = first ? draft.referrer.url : draft.page?.url;
  if (ref !== undefined) params.push(['urlref', ref]);
  if (first) params.push(['new_visit', '1']);
  params.push(['pv_id', id]);
  draft.hits.push({ type, atMs: Math.round(atMs), pauseMs: 0, params });
  draft.page = { url, origin: originOf(url) ?? siteOrigin(draft), pvId: id };
}

function emitFollower(draft: Draft, follower: Follower, atMs: number): void {
  const page = draft.page as CurrentPage;
  const params: Params = [['url', page.url], ...follower.params, ['pv_id', page.pvId]];
  draft.hits.push({ type: follower.type, atMs: Math.round(atMs), pauseMs: 0, params });
}

function eventParams(event: { category: string; action: string; name?: string; value?: number }): Params {
  const params: Params = [
    ['e_c', event.category],
    ['e_a', event.action],
  ];
  if (event.name !== undefined) params.push(['e_n', event.name]);
  if (event.value !== undefined) params.push(['e_v', String(event.value)]);
  return params;
}

function searchParams(rng: Rng, catalogues: Catalogues, origin: string): { url: string; params: Params } {
  const keyword = pick(rng, catalogues.searchTerms);
  const params: Params = [['search', keyword]];
  if (chance(rng, 0.3)) params.push(['search_cat', pick(rng, catalogues.searchCategories)]);
  params.push(['search_count', String(intBetween(rng, 0, 25))]);
  return { url: `${origin}/search?q=${queryValue(keyword)}`, params };
}

function nextOrder(draft: Draft): Follower {
  const { seed, scope, index, settings, catalogues } = draft.input;
  const order = buildOrder(draft.rng, settings.ecommerce, catalogues.products, catalogues.itemCountWeights);
  const id = orderId(seed, scope, index, draft.orders++);
  return { type: 'ecommerce', params: orderParams(order, id) };
}

interface PagePlan {
  kind: 'pageview' | 'search';
  page?: Page;
  followers: Follower[];
}

function pickPage(rng: Rng, pages: readonly Page[], previous: Page | undefined): Page {
  const index = Math.floor(rng.next() * pages.length);
  const page = pages[index] as Page;
  return page === previous && pages.length > 1 ? (pages[(index + 1) % pages.length] as Page) : page;
}

/**
 * Ordinary browsing: n pageviews (exactly the configured count), an optional site search page,
 * actions on pages other than the visit's first, an optional order after the last pageview, all
 * laid on dwell segments that fill the drawn visit duration. Returns the time the part ends.
 */
function browse(draft: Draft, startMs: number, visitStart: boolean): number {
  const { rng, input } = draft;
  const { settings, catalogues } = input;
  const p = settings.probabilities;
  const n = intBetween(rng, settings.pageviews.min, settings.pageviews.max);
  const durationMs = between(rng, settings.visitDurationMinutes.min, settings.visitDurationMinutes.max) * 60_000;
  const views: PagePlan[] = [];
  let previous: Page | undefined;
  for (let i = 0; i < n; i++) {
    previous = pickPage(rng, catalogues.pages, previous);
    views.push({ kind: 'pageview', page: previous, followers: [] });
  }
  // Actions never land on the visit's first pageview: one-pageview visits get none.
  const firstEligible = visitStart ? 1 : 0;
  const onRandomPage = (follower: Follower): void => {
    if (n > firstEligible) (views[intBetween(rng, firstEligible, n - 1)] as PagePlan).followers.push(follower);
  };
  if (chance(rng, p.clickEvents)) onRandomPage({ type: 'event', params: eventParams(pick(rng, catalogues.clickEvents)) });
  if (chance(rng, p.randomEvents)) onRandomPage({ type: 'event', params: eventParams(pick(rng, catalogues.randomEvents) as EventEntry) });
  if (draft.orders === 0 && chance(rng, p.ecommerce)) (views[n - 1] as PagePlan).followers.push(nextOrder(draft));
  if (chance(rng, p.downloads)) onRandomPage({ type: 'download', params: [['download', pick(rng, catalogues.downloads)]] });
  if (chance(rng, p.outlinks)) onRandomPage({ type: 'outlink', params: [['link', pick(rng, catalogues.outlinks)]] });
  const loads = views.slice();
  if (chance(rng, p.siteSearch)) loads.splice(intBetween(rng, 1, n), 0, { kind: 'search', followers: [] });
  const segments = splitDwell(rng, durationMs, loads.length);
  let t = startMs;
  loads.forEach((load, k) => {
    if (load.kind === 'search') {
      const search = searchParams(rng, catalogues, siteOrigin(draft));
      emitPageLoad(draft, 'search', search.url, t, search.params);
    } else {
      const page = load.page as Page;
      emitPageLoad(draft, 'pageview', page.url, t, page.title === undefined ? [] : [['action_name', page.title]]);
      // Downloads are relative to the page's own origin.
      for (const f of load.followers) if (f.type === 'download') f.params = [['download', resolveUrl(page.origin, f.params[0]?.[1] ?? '/')]];
    }
    const segment = segments[k] as number;
    const offsets = offsetsWithin(rng, segment, load.followers.length);
    load.followers.forEach((f, i) => emitFollower(draft, f, t + (offsets[i] as number)));
    t += segment;
  });
  return t;
}

function funnelOrderFollower(draft: Draft, step: Extract<FunnelStep, { type: 'ecommerce' }>): Follower {
  if (step.revenue === undefined) return nextOrder(draft);
  const { seed, scope, index } = draft.input;
  const revenue = Math.round(step.revenue * 100);
  const tax = Math.round((step.tax ?? 0) * 100);
  const shipping = Math.round((step.shipping ?? 0) * 100);
  const subtotal = step.subtotal === undefined ? Math.max(0, revenue - tax - shipping) : Math.round(step.subtotal * 100);
  return {
    type: 'ecommerce',
    params: [
      ['idgoal', '0'],
      ['ec_id', orderId(seed, scope, index, draft.orders++)],
      ['revenue', formatAmount(revenue)],
      ['ec_st', formatAmount(subtotal)],
      ['ec_tx', formatAmount(tax)],
      ['ec_sh', formatAmount(shipping)],
    ],
  };
}

/** A scripted journey: each step at its time, then its own delay. Returns the end time. */
function runFunnel(draft: Draft, funnel: Funnel): number {
  const { rng } = draft;
  let t = 0;
  for (const step of funnel.steps) {
    const delay = between(rng, step.delayMs.min, step.delayMs.max);
    switch (step.type) {
      case 'pageview': {
        const url = resolveUrl(siteOrigin(draft), step.url);
        emitPageLoad(draft, 'pageview', url, t, step.title === undefined ? [] : [['action_name', step.title]]);
        break;
      }
      case 'site_search': {
        const own: Params = [['search', step.keyword]];
        if (step.category !== undefined) own.push(['search_cat', step.category]);
        own.push(['search_count', String(step.results ?? intBetween(rng, 0, 25))]);
        const url = step.url === undefined ? `${siteOrigin(draft)}/search?q=${queryValue(step.keyword)}` : resolveUrl(siteOrigin(draft), step.url);
        emitPageLoad(draft, 'search', url, t, own);
        break;
      }
      case 'event':
        emitFollower(draft, { type: 'event', params: eventParams(step) }, t);
        break;
      case 'outlink':
        emitFollower(draft, { type: 'outlink', params: [['link', step.targetUrl]] }, t);
        break;
      case 'download':
        emitFollower(draft, { type: 'download', params: [['download', resolveUrl(siteOrigin(draft), step.targetUrl)]] }, t);
        break;
      case 'ecommerce':
        emitFollower(draft, funnelOrderFollower(draft, step), t);
        break;
    }
    t += delay;
  }
  return t;
}

const orderedFunnels = new WeakMap<readonly Funnel[], Funnel[]>();

function chooseFunnel(rng: Rng, funnels: readonly Funnel[] | undefined): Funnel | undefined {
  if (!funnels || funnels.length === 0) return undefined;
  let ordered = orderedFunnels.get(funnels);
  if (!ordered) orderedFunnels.set(funnels, (ordered = funnelOrder(funnels)));
  for (const funnel of ordered) if (chance(rng, funnel.probability)) return funnel;
  return undefined;
}

/**
 * Builds visit `index` of a run (scope 'run') or of a backfill day (scope 'YYYY-MM-DD'). The visit
 * depends only on (seed, scope, index), the settings and the catalogues: never on timing, on
 * concurrency or on other visits. Offsets start at 0 with the first hit; the closing ping is at
 * durationMs.
 */
export function buildVisit(input: BuildVisitInput): Visit {
  const rng = derive(input.seed, 'visit', input.scope, input.index);
  const { visitor } = buildVisitor(rng, input.settings, input.catalogues);
  const referrer = buildReferrer(rng, input.settings, input.catalogues);
  const draft: Draft = { rng, input, referrer, hits: [], orders: 0 };
  const funnel = chooseFunnel(rng, input.funnels);
  let end: number;
  if (funnel) {
    end = runFunnel(draft, funnel);
    if (!funnel.exitAfterCompletion) end = browse(draft, end, false);
  } else {
    end = browse(draft, 0, true);
  }
  const page = draft.page as CurrentPage;
  const durationMs = Math.round(end);
  draft.hits.push({ type: 'ping', atMs: durationMs, pauseMs: 0, params: [['url', page.url], ['ping', '1'], ['pv_id', page.pvId]] });
  const pause = input.settings.pauseSeconds;
  draft.hits.forEach((hit, i) => {
    // Actions follow their page at once; page loads and the closing ping wait the configured pause.
    if (i > 0 && (hit.type === 'pageview' || hit.type === 'search' || hit.type === 'ping')) {
      hit.pauseMs = Math.round(between(rng, pause.min, pause.max) * 1000);
    }
  });
  return { index: input.index, visitor, durationMs, hits: draft.hits };
}
