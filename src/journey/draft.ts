import { chance, intBetween, pick, type Rng } from '../random/rng.js';
import { originOf, type Catalogues } from './catalogues.js';
import type { Funnel } from './funnel.js';
import type { JourneySettings } from './settings.js';
import type { HitType, PlannedHit } from './visit.js';
import type { Referrer } from './visitor.js';

/**
 * The mutable state of one visit while it is assembled, and the emitters both the classic and the
 * realistic journeys use, so page loads and the hits that follow them are encoded one way.
 */
export type Params = Array<[string, string]>;

/** 'run' for a live run; the local date `YYYY-MM-DD` for a backfill day. */
type VisitScope = string;

/** What a visit is built from: the lowest helper owns it, so journey.ts depends on draft.ts and not back. */
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

export interface CurrentPage {
  url: string;
  origin: string;
  pvId: string;
}

/** A hit that follows its page load (same url and pv_id): event, outlink, download, cart, goal or order. */
export interface Follower {
  type: HitType;
  params: Params;
}

export interface Draft {
  rng: Rng;
  input: BuildVisitInput;
  referrer: Referrer;
  hits: PlannedHit[];
  page?: CurrentPage;
  orders: number;
}

const pvAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Matomo's page view id: 6 characters, new for every page load. */
export function pvId(rng: Rng): string {
  let out = '';
  for (let i = 0; i < 6; i++) out += pvAlphabet.charAt(Math.floor(rng.next() * pvAlphabet.length));
  return out;
}

export function queryValue(text: string): string {
  return encodeURIComponent(text).replace(/%20/g, '+');
}

export function resolveUrl(origin: string, target: string): string {
  if (/^https?:\/\//i.test(target)) return target;
  return origin + (target.startsWith('/') ? target : '/' + target);
}

export function siteOrigin(draft: Draft): string {
  return draft.page?.origin ?? `https://${draft.input.settings.pageHost}`;
}

/** Emits a page load (pageview or site search): new pv_id, urlref chain, new_visit on the first. */
export function emitPageLoad(draft: Draft, type: 'pageview' | 'search', url: string, atMs: number, own: Params): void {
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

export function emitFollower(draft: Draft, follower: Follower, atMs: number): void {
  const page = draft.page as CurrentPage;
  const params: Params = [['url', page.url], ...follower.params, ['pv_id', page.pvId]];
  draft.hits.push({ type: follower.type, atMs: Math.round(atMs), pauseMs: 0, params });
}

export function eventParams(event: { category: string; action: string; name?: string; value?: number }): Params {
  const params: Params = [
    ['e_c', event.category],
    ['e_a', event.action],
  ];
  if (event.name !== undefined) params.push(['e_n', event.name]);
  if (event.value !== undefined) params.push(['e_v', String(event.value)]);
  return params;
}

export function searchParams(rng: Rng, catalogues: Catalogues, origin: string): { url: string; params: Params } {
  const keyword = pick(rng, catalogues.searchTerms);
  const params: Params = [['search', keyword]];
  if (chance(rng, 0.3)) params.push(['search_cat', pick(rng, catalogues.searchCategories)]);
  params.push(['search_count', String(intBetween(rng, 0, 25))]);
  return { url: `${origin}/search?q=${queryValue(keyword)}`, params };
}
