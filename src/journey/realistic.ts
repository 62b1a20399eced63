import { between, chance, derive, intBetween, pick, weighted, type Rng } from '../random/rng.js';
import type { EventEntry, Page, ProductEntry } from './catalogues.js';
import { defaultCampaigns, type CampaignEntry } from './data/campaigns.js';
import {
  emitFollower,
  emitPageLoad,
  eventParams,
  queryValue,
  resolveUrl,
  searchParams,
  siteOrigin,
  type Draft,
  type Follower,
  type Params,
} from './draft.js';
import type { Identity } from './identity.js';
import { buildOrder, formatAmount, orderId, orderParams, withDiscount, type OrderLine } from './order.js';
import { pageTimings } from './performance.js';
import { drawsReturn, visitorAt } from './returning.js';
import type { PersonaProfile, ResolvedPersona } from './personas.js';
import type { RealismSettings } from './settings.js';
import { offsetsWithin, splitDwell } from './timeline.js';
import type { VisitTraits } from './visit.js';

/** A bounce lasts this long on the simulated timeline: the reader's time on the one page. */
const BOUNCE_MS = { min: 4_000, max: 75_000 };

interface Load {
  kind: 'pageview' | 'search';
  url: string;
  own: Params;
  followers: Follower[];
  product?: ProductEntry;
}

// ---- pages by section, weighted by persona affinity ------------------------------------------

interface Sampler {
  groups: ReadonlyArray<readonly Page[]>;
  weights: readonly number[];
}

const samplers = new WeakMap<readonly Page[], Map<string, Sampler>>();

function sectionOf(page: Page): string {
  const path = page.url.slice(page.origin.length);
  const match = /^\/([^/?#]+)/.exec(path);
  return match?.[1] ?? '';
}

function samplerFor(pages: readonly Page[], profile: PersonaProfile): Sampler {
  let byPersona = samplers.get(pages);
  if (!byPersona) samplers.set(pages, (byPersona = new Map()));
  let sampler = byPersona.get(profile.name);
  if (!sampler) {
    const bySection = new Map<string, Page[]>();
    for (const page of pages) {
      const key = sectionOf(page);
      let list = bySection.get(key);
      if (!list) bySection.set(key, (list = []));
      list.push(page);
    }
    const groups = [...bySection.values()];
    // A section's weight is its size times the persona's affinity, so unlisted sections keep
    // their natural share and a user URL file without these sections is sampled uniformly.
    const weights = [...bySection.entries()].map(([key, list]) => list.length * (profile.sections[key] ?? 1));
    sampler = { groups, weights };
    byPersona.set(profile.name, sampler);
  }
  return sampler;
}

function pickAffine(rng: Rng, sampler: Sampler, previous: Page | undefined): Page {
  let total = 0;
  for (const w of sampler.weights) total += w;
  let point = rng.next() * total;
  let group = sampler.groups[sampler.groups.length - 1] as readonly Page[];
  for (let i = 0; i < sampler.groups.length; i++) {
    point -= sampler.weights[i] as number;
    if (point < 0) {
      group = sampler.groups[i] as readonly Page[];
      break;
    }
  }
  const index = Math.floor(rng.next() * group.length);
  const page = group[index] as Page;
  return page === previous && group.length > 1 ? (group[(index + 1) % group.length] as Page) : page;
}

// ---- products, carts and orders -----------------------------------------------------------------

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** A product detail page: its own URL and title, and Matomo's product view parameters. */
function productLoad(origin: string, product: ProductEntry): Load {
  return {
    kind: 'pageview',
    url: `${origin}/shop/${slug(product.category)}/${slug(product.name)}`,
    own: [
      ['action_name', `${product.name} | Shop`],
      ['_pkc', product.category],
      ['_pks', product.sku],
      ['_pkn', product.name],
      ['_pkp', formatAmount(product.priceCents)],
    ],
    followers: [],
    product,
  };
}

function itemsJson(lines: readonly OrderLine[]): string {
  let items = '[';
  lines.forEach((line, i) => {
    const p = line.product;
    if (i > 0) items += ',';
    items += `[${JSON.stringify(p.sku)},${JSON.stringify(p.name)},${JSON.stringify(p.category)},${formatAmount(p.priceCents)},${line.quantity}]`;
  });
  return items + ']';
}

/** A cart update: the whole cart so far (`ec_items`) and its value, `idgoal=0` and no `ec_id`. */
function cartFollower(lines: readonly OrderLine[]): Follower {
  let total = 0;
  for (const line of lines) total += line.product.priceCents * line.quantity;
  return { type: 'cart', params: [['idgoal', '0'], ['ec_items', itemsJson(lines)], ['revenue', formatAmount(total)]] };
}

// ---- campaigns ------------------------------------------------------------------------------

function campaignQuery(rng: Rng, campaigns: readonly CampaignEntry[]): { name: string; query: string } {
  const c = weighted(rng, campaigns, (x) => x.weight);
  let query = `mtm_campaign=${queryValue(c.name)}&mtm_source=${queryValue(c.source)}&mtm_medium=${queryValue(c.medium)}`;
  if (c.keywords && c.keywords.length > 0) query += `&mtm_kwd=${queryValue(pick(rng, c.keywords))}`;
  if (c.contents && c.contents.length > 0) query += `&mtm_content=${queryValue(pick(rng, c.contents))}`;
  return { name: c.name, query };
}

// ---- the visit ------------------------------------------------------------------------------

/**
 * Who visits: a returning visitor (the visitor of an earlier visit of the plan, see returning.ts)
 * or a first-time one. `returnsAt` tells whether another visit of the plan is a return.
 */
export function realisticVisitor(
  input: Draft['input'],
  realism: RealismSettings,
  persona: ResolvedPersona,
  returnsAt: (scope: string, index: number) => boolean,
): { identity: Identity; returning: boolean } {
  const { seed, scope, index, settings, catalogues } = input;
  const returning = drawsReturn(seed, scope, index, persona.returning);
  const identity = visitorAt({ seed, settings, catalogues, realism, returnsAt }, scope, index, returning);
  return { identity, returning };
}

/**
 * A visit of a persona other than classic. Bounces are one pageview (and the closing ping); other
 * visits have exactly n pageviews with n in the persona's part of the configured range, plus the
 * same actions as the classic model (never on the landing page), product views, an optional cart
 * (updates after product pages; ordered or abandoned), goals and page timings. Returns the end time.
 */
export function browseRealistic(draft: Draft, persona: ResolvedPersona, realism: RealismSettings, traits: VisitTraits): number {
  const { rng, input } = draft;
  const { settings, catalogues } = input;
  const profile = persona.profile as PersonaProfile;
  const sampler = samplerFor(catalogues.pages, profile);
  const origin = siteOrigin(draft);
  const p = persona.probabilities;

  const bounce = chance(rng, persona.bounce);
  traits.bounce = bounce;
  const n = bounce ? 1 : intBetween(rng, persona.pageviews.min, persona.pageviews.max);
  const durationMs = bounce ? between(rng, BOUNCE_MS.min, BOUNCE_MS.max) : between(rng, settings.visitDurationMinutes.min, settings.visitDurationMinutes.max) * 60_000;

  const views: Load[] = [];
  let previous: Page | undefined;
  for (let i = 0; i < n; i++) {
    if (i > 0 && chance(rng, profile.productViews)) {
      views.push(productLoad(origin, pick(rng, catalogues.products)));
      continue;
    }
    previous = pickAffine(rng, sampler, previous);
    views.push({ kind: 'pageview', url: previous.url, own: previous.title === undefined ? [] : [['action_name', previous.title]], followers: [] });
  }

  if (!bounce) {
    planCart(draft, views, persona, realism, traits);
    const onRandomPage = (follower: Follower): void => {
      if (n > 1) (views[intBetween(rng, 1, n - 1)] as Load).followers.push(follower);
    };
    if (chance(rng, p.clickEvents)) onRandomPage({ type: 'event', params: eventParams(pick(rng, catalogues.clickEvents)) });
    if (chance(rng, p.randomEvents)) onRandomPage({ type: 'event', params: eventParams(pick(rng, catalogues.randomEvents) as EventEntry) });
    if (chance(rng, p.downloads)) onRandomPage({ type: 'download', params: [['download', pick(rng, catalogues.downloads)]] });
    if (chance(rng, p.outlinks)) onRandomPage({ type: 'outlink', params: [['link', pick(rng, catalogues.outlinks)]] });
    traits.goals = planGoals(rng, views, realism);
  }

  // Campaign parameters ride on the landing page's URL, where Matomo reads them.
  const campaigns = realism.campaigns && realism.campaigns.length > 0 ? realism.campaigns : defaultCampaigns;
  if (chance(rng, realism.campaignShare)) {
    const campaign = campaignQuery(rng, campaigns);
    const landing = views[0] as Load;
    landing.url += (landing.url.includes('?') ? '&' : '?') + campaign.query;
    traits.campaign = campaign.name;
    traits.referrerType = 'campaign';
  }

  const loads = views.slice();
  // Site search is a page load of its own, never before the landing page nor after a checkout.
  if (!bounce && chance(rng, p.siteSearch)) loads.splice(intBetween(rng, 1, traits.cart === 'ordered' ? n - 1 : n), 0, { kind: 'search', url: '', own: [], followers: [] });

  const segments = splitDwell(rng, durationMs, loads.length);
  let t = 0;
  loads.forEach((load, k) => {
    if (load.kind === 'search') {
      const search = searchParams(rng, catalogues, siteOrigin(draft));
      emitPageLoad(draft, 'search', search.url, t, search.params);
    } else {
      const own = realism.pageTimings ? [...load.own, ...pageTimings(rng, traits.device, k === 0)] : load.own;
      emitPageLoad(draft, 'pageview', load.url, t, own);
      for (const f of load.followers) if (f.type === 'download') f.params = [['download', resolveUrl(origin, f.params[0]?.[1] ?? '/')]];
    }
    const segment = segments[k] as number;
    const offsets = offsetsWithin(rng, segment, load.followers.length);
    load.followers.forEach((f, i) => emitFollower(draft, f, t + (offsets[i] as number)));
    t += segment;
  });
  return t;
}

/**
 * A cart: its items are those of an order drawn within the configured bounds (so an order, when
 * placed, carries exactly the cart's items); each item is added after its product page, never on
 * the landing page. A placed order ends on the checkout confirmation page, its own hit after it.
 */
function planCart(draft: Draft, views: Load[], persona: ResolvedPersona, realism: RealismSettings, traits: VisitTraits): void {
  const { rng, input } = draft;
  const n = views.length;
  if (n < 2 || !chance(rng, persona.cart)) return;
  const ordered = !chance(rng, realism.abandonedCartRate);
  let order = buildOrder(rng, input.settings.ecommerce, input.catalogues.products, input.catalogues.itemCountWeights);
  // The coupon draws from a stream of its own: the rest of the visit is the same with or without it.
  const coupon = derive(input.seed, 'discount', input.scope, input.index, draft.orders);
  if (ordered && chance(coupon, realism.discountShare)) order = withDiscount(coupon, order, input.settings.ecommerce);
  const checkout = ordered && n >= 3;
  const lastSlot = checkout ? n - 2 : n - 1;
  const origin = siteOrigin(draft);
  const lines: OrderLine[] = [];
  order.lines.forEach((line, i) => {
    // One product page per item while pages last; further items join the cart on the last one.
    const slot = Math.min(1 + i, lastSlot);
    if (slot === 1 + i) views[slot] = productLoad(origin, line.product);
    lines.push(line);
    (views[slot] as Load).followers.push(cartFollower(lines.slice()));
  });
  traits.cart = ordered ? 'ordered' : 'abandoned';
  if (!ordered) return;
  if (checkout) views[n - 1] = { kind: 'pageview', url: `${origin}/checkout/confirmation`, own: [['action_name', 'Order confirmation | Shop']], followers: [] };
  const { seed, scope, index } = input;
  (views[n - 1] as Load).followers.push({ type: 'ecommerce', params: orderParams(order, orderId(seed, scope, index, draft.orders++)) });
}

/** Goal conversions: once per visit per goal, on a matching page (not the landing) or after a matching event. */
function planGoals(rng: Rng, views: Load[], realism: RealismSettings): number {
  let count = 0;
  for (const goal of realism.goals ?? []) {
    let slot = -1;
    let after = -1;
    for (let i = 1; i < views.length && slot < 0; i++) {
      const view = views[i] as Load;
      if (goal.page !== undefined && view.url.includes(goal.page)) slot = i;
      if (goal.event !== undefined) {
        const at = view.followers.findIndex((f) => f.type === 'event' && f.params[0]?.[1] === goal.event);
        if (at >= 0) [slot, after] = [i, at];
      }
    }
    if (slot < 0 || !chance(rng, goal.probability)) continue;
    const params: Params = [['idgoal', String(goal.id)]];
    if (goal.revenue !== undefined) params.push(['revenue', formatAmount(Math.round(goal.revenue * 100))]);
    const followers = (views[slot] as Load).followers;
    followers.splice(after >= 0 ? after + 1 : followers.length, 0, { type: 'goal', params });
    count++;
  }
  return count;
}


