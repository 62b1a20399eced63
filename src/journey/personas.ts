import type { JourneySettings, PersonaName, RealismSettings } from './settings.js';

/**
 * Journey templates of the realism model. Each persona has a bounce propensity, a part of the
 * configured pageview range, section affinities and habits (multipliers of the configured feature
 * probabilities). Propensities and multipliers are relative: `resolvePersonas` scales them so that,
 * over the persona mix, the configured numbers remain the averages (docs/journeys.md, realism).
 */
export interface PersonaProfile {
  name: PersonaName;
  /** Relative bounce propensity (casual bounces most). */
  bounce: number;
  /** Part of the configured pageview range [min, max] the persona's non-bounce visits use (0..1). */
  pageviews: readonly [from: number, to: number];
  /** Relative weight of each site section (first URL path segment); unlisted sections weigh 1. */
  sections: Readonly<Record<string, number>>;
  /** Multipliers of the configured probabilities. */
  habits: Readonly<Record<Feature, number>>;
  /** Chance that a page after the landing page is a product detail page (outside a cart). */
  productViews: number;
  /** Always a returning identity from the pool. */
  returning: boolean;
}

export type Feature = 'siteSearch' | 'outlinks' | 'downloads' | 'clickEvents' | 'randomEvents' | 'ecommerce';
export const FEATURES: readonly Feature[] = ['siteSearch', 'outlinks', 'downloads', 'clickEvents', 'randomEvents', 'ecommerce'];
export const PERSONAS: readonly PersonaName[] = ['casual', 'researcher', 'buyer', 'returning', 'classic'];

export const personaProfiles: Readonly<Record<Exclude<PersonaName, 'classic'>, PersonaProfile>> = {
  casual: {
    name: 'casual',
    bounce: 1.6,
    pageviews: [0, 0.34],
    sections: { blog: 4, news: 4, company: 2, community: 2, products: 1.5 },
    habits: { siteSearch: 0.35, outlinks: 1.3, downloads: 0.3, clickEvents: 0.8, randomEvents: 1, ecommerce: 0.15 },
    productViews: 0.05,
    returning: false,
  },
  researcher: {
    name: 'researcher',
    bounce: 0.45,
    pageviews: [0.5, 1],
    sections: { documentation: 5, blog: 3, support: 3, resources: 3, solutions: 1.5 },
    habits: { siteSearch: 2.4, outlinks: 1.2, downloads: 2.6, clickEvents: 1.3, randomEvents: 1.1, ecommerce: 0.2 },
    productViews: 0.05,
    returning: false,
  },
  buyer: {
    name: 'buyer',
    bounce: 0.5,
    pageviews: [0.3, 0.9],
    sections: { products: 6, services: 2, solutions: 2, support: 1.5 },
    habits: { siteSearch: 1.1, outlinks: 0.4, downloads: 0.4, clickEvents: 1, randomEvents: 0.9, ecommerce: 5 },
    productViews: 0.45,
    returning: false,
  },
  returning: {
    name: 'returning',
    bounce: 0.8,
    pageviews: [0, 1],
    sections: { products: 2.5, documentation: 2, support: 2.5, community: 1.5 },
    habits: { siteSearch: 1, outlinks: 0.8, downloads: 1, clickEvents: 1, randomEvents: 1, ecommerce: 2.5 },
    productViews: 0.2,
    returning: true,
  },
};

/** A persona with its absolute numbers for the current settings. */
export interface ResolvedPersona {
  name: PersonaName;
  /** Share of all visits (weights normalised). */
  share: number;
  profile?: PersonaProfile;
  bounce: number;
  pageviews: { min: number; max: number };
  probabilities: Record<Feature, number>;
  /** Chance a non-bounce visit fills a cart (orders are carts not abandoned). */
  cart: number;
  /** Chance the visit comes from a pool identity. */
  returning: number;
}

export interface PersonaMix {
  personas: readonly ResolvedPersona[];
}

const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);

/**
 * Absolute per-persona numbers such that, over the personas other than classic, the configured
 * bounce rate and returning share are met and the feature probabilities average the configured
 * ones over non-bounce visits (the pageview range is theirs too). Classic keeps the configured
 * probabilities unchanged and never bounces or returns, as the predecessor's model.
 * Clamping at 1 (an extreme configuration) lowers an average; `inspect` shows the outcome.
 */
export function resolvePersonas(settings: JourneySettings, realism: RealismSettings): PersonaMix {
  const total = PERSONAS.reduce((s, n) => s + Math.max(0, realism.personas[n] ?? 0), 0);
  const shareOf = (n: PersonaName): number => (total > 0 ? Math.max(0, realism.personas[n] ?? 0) / total : n === 'classic' ? 1 : 0);
  const real = PERSONAS.filter((n): n is Exclude<PersonaName, 'classic'> => n !== 'classic' && shareOf(n) > 0);
  const realMass = real.reduce((s, n) => s + shareOf(n), 0);
  const w = (n: PersonaName): number => (realMass > 0 ? shareOf(n) / realMass : 0);

  const meanBounce = real.reduce((s, n) => s + w(n) * personaProfiles[n].bounce, 0);
  const bounce = (n: Exclude<PersonaName, 'classic'>): number => (meanBounce > 0 ? clamp01((realism.bounceRate * personaProfiles[n].bounce) / meanBounce) : 0);
  // Non-bounce mass of each persona: the probabilities average over these visits.
  const live = (n: Exclude<PersonaName, 'classic'>): number => w(n) * (1 - bounce(n));
  const liveMass = real.reduce((s, n) => s + live(n), 0);
  const p = settings.probabilities;
  const abandon = clamp01(realism.abandonedCartRate);

  const fixedReturning = real.filter((n) => personaProfiles[n].returning).reduce((s, n) => s + w(n), 0);
  const others = 1 - fixedReturning;
  const returningOthers = others > 0 ? clamp01((realism.returningShare - fixedReturning) / others) : 0;

  const personas: ResolvedPersona[] = [];
  for (const name of PERSONAS) {
    const share = shareOf(name);
    if (share <= 0) continue;
    const { min, max } = settings.pageviews;
    if (name === 'classic') {
      const probabilities = { siteSearch: p.siteSearch, outlinks: p.outlinks, downloads: p.downloads, clickEvents: p.clickEvents, randomEvents: p.randomEvents, ecommerce: p.ecommerce };
      personas.push({ name, share, bounce: 0, pageviews: { min, max }, probabilities, cart: 0, returning: 0 });
      continue;
    }
    const profile = personaProfiles[name];
    const probabilities = {} as Record<Feature, number>;
    for (const f of FEATURES) {
      const mean = liveMass > 0 ? real.reduce((s, n) => s + live(n) * personaProfiles[n].habits[f], 0) / liveMass : 1;
      probabilities[f] = mean > 0 ? clamp01((p[f] * profile.habits[f]) / mean) : 0;
    }
    const span = max - min;
    const pageviews = { min: min + Math.round(profile.pageviews[0] * span), max: min + Math.round(profile.pageviews[1] * span) };
    // Orders are the carts that are not abandoned: cart x (1 - abandon) = the order probability.
    const cart = abandon < 1 ? clamp01(probabilities.ecommerce / (1 - abandon)) : probabilities.ecommerce;
    personas.push({ name, share, profile, bounce: bounce(name), pageviews, probabilities, cart, returning: profile.returning ? 1 : returningOthers });
  }
  return { personas };
}

/** True when the settings make every visit a classic one (the predecessor's shape). */
export function allClassic(realism: RealismSettings | undefined): boolean {
  if (!realism) return true;
  return PERSONAS.every((n) => n === 'classic' || !(realism.personas[n] > 0)) ;
}
