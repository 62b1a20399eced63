import { between, chance, derive, intBetween, pick, weighted, type Rng } from '../random/rng.js';
import type { EventEntry, Page } from './catalogues.js';
import {
  emitFollower,
  emitPageLoad,
  eventParams,
  queryValue,
  resolveUrl,
  searchParams,
  siteOrigin,
  type BuildVisitInput,
  type CurrentPage,
  type Draft,
  type Follower,
  type Params,
} from './draft.js';
import { funnelOrder, type Funnel, type FunnelStep } from './funnel.js';
import { buildOrder, formatAmount, orderId, orderParams } from './order.js';
import { chainEnd, drawsReturn, type ChainEnd } from './returning.js';
import { classicDevice } from './identity.js';
import { allClassic, resolvePersonas, type PersonaMix, type ResolvedPersona } from './personas.js';
import { browseRealistic, realisticVisitor } from './realistic.js';
import type { JourneySettings, RealismSettings } from './settings.js';
import { offsetsWithin, splitDwell } from './timeline.js';
import type { Visit, VisitTraits } from './visit.js';
import { buildReferrer, buildVisitor } from './visitor.js';

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

const mixes = new WeakMap<JourneySettings, PersonaMix>();

function personaMix(settings: JourneySettings, realism: RealismSettings): PersonaMix {
  let mix = mixes.get(settings);
  if (!mix) mixes.set(settings, (mix = resolvePersonas(settings, realism)));
  return mix;
}

/**
 * The persona of a visit, from a stream of its own: a classic visit then draws exactly what the
 * predecessor's model drew, so in any mix it is byte for byte the visit the classic model builds.
 */
function choosePersona(input: Pick<BuildVisitInput, 'seed' | 'scope' | 'index' | 'settings'>): ResolvedPersona | undefined {
  const realism = input.settings.realism;
  if (allClassic(realism)) return undefined;
  const mix = personaMix(input.settings, realism as RealismSettings);
  const persona = weighted(derive(input.seed, 'persona', input.scope, input.index), mix.personas, (p) => p.share);
  return persona.name === 'classic' ? undefined : persona;
}

function closeVisit(draft: Draft, end: number): number {
  const page = draft.page as CurrentPage;
  const durationMs = Math.round(end);
  draft.hits.push({ type: 'ping', atMs: durationMs, pauseMs: 0, params: [['url', page.url], ['ping', '1'], ['pv_id', page.pvId]] });
  const pause = draft.input.settings.pauseSeconds;
  draft.hits.forEach((hit, i) => {
    // Actions follow their page at once; page loads and the closing ping wait the configured pause.
    if (i > 0 && (hit.type === 'pageview' || hit.type === 'search' || hit.type === 'ping')) {
      hit.pauseMs = Math.round(between(draft.rng, pause.min, pause.max) * 1000);
    }
  });
  return durationMs;
}

function classicVisit(input: BuildVisitInput): Visit {
  const rng = derive(input.seed, 'visit', input.scope, input.index);
  const { visitor, country } = buildVisitor(rng, input.settings, input.catalogues);
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
  const durationMs = closeVisit(draft, end);
  const pageviews = draft.hits.filter((h) => h.type === 'pageview' || h.type === 'search').length;
  const traits: VisitTraits = {
    persona: 'classic',
    bounce: pageviews === 1 && draft.hits.length === 2,
    returning: false,
    loggedIn: false,
    device: classicDevice(visitor.userAgent),
    referrerType: referrer.matomo,
    cart: draft.orders > 0 ? 'ordered' : 'none',
    goals: 0,
  };
  if (country) traits.country = country.code;
  return { index: input.index, visitor, durationMs, hits: draft.hits, traits };
}

function realisticVisit(input: BuildVisitInput, persona: ResolvedPersona): Visit {
  const realism = input.settings.realism as RealismSettings;
  const rng = derive(input.seed, 'visit', input.scope, input.index);
  const returnsAt = returnsAtOf(input.seed, input.settings);
  const { identity, returning } = realisticVisitor(input, realism, persona, returnsAt);
  const referrer = buildReferrer(rng, input.settings, input.catalogues);
  const draft: Draft = { rng, input, referrer, hits: [], orders: 0 };
  const traits: VisitTraits = {
    persona: persona.name,
    bounce: false,
    returning,
    loggedIn: identity.visitor.uid !== undefined,
    device: identity.device,
    referrerType: referrer.matomo,
    cart: 'none',
    goals: 0,
  };
  if (identity.country !== undefined) traits.country = identity.country;
  const funnel = chooseFunnel(rng, input.funnels);
  let end: number;
  if (funnel) {
    // Scripted journeys run as written; a funnel that continues goes on as a classic browse.
    end = runFunnel(draft, funnel);
    if (!funnel.exitAfterCompletion) end = browse(draft, end, false);
    if (draft.orders > 0) traits.cart = 'ordered';
  } else {
    end = browseRealistic(draft, persona, realism, traits);
  }
  const durationMs = closeVisit(draft, end);
  return { index: input.index, visitor: identity.visitor, durationMs, hits: draft.hits, traits };
}

/** Whether visit (scope, index) is a return: its persona's returning chance, drawn for it. */
export function returnsAtOf(seed: string | number, settings: JourneySettings): (scope: string, index: number) => boolean {
  return (scope, index) => {
    const other = choosePersona({ seed, settings, scope, index });
    return other !== undefined && drawsReturn(seed, scope, index, other.returning);
  };
}

/**
 * Who brings visit (scope, index): where its chain of returns ends (returning.ts chainEnd), from the
 * persona and returning draws only, without building the visit. A classic visit is always its own.
 */
export function visitChainEnd(seed: string | number, settings: JourneySettings, scope: string, index: number): ChainEnd {
  const persona = choosePersona({ seed, settings, scope, index });
  if (!persona) return { scope, index };
  const realism = settings.realism as RealismSettings;
  const returning = drawsReturn(seed, scope, index, persona.returning);
  return chainEnd(seed, realism.visitorPool, returnsAtOf(seed, settings), scope, index, returning);
}

/**
 * Builds visit `index` of a run (scope 'run') or of a backfill day (scope 'YYYY-MM-DD'). The visit
 * depends only on (seed, scope, index), the settings and the catalogues: never on timing, on
 * concurrency or on other visits (a returning visitor's identity comes from the seed and its
 * number in the pool). Offsets start at 0 with the first hit; the closing ping is at durationMs.
 */
export function buildVisit(input: BuildVisitInput): Visit {
  const persona = choosePersona(input);
  return persona ? realisticVisit(input, persona) : classicVisit(input);
}
