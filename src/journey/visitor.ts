import { chance, hex, pick, weighted, type Rng } from '../random/rng.js';
import type { Catalogues, CountryCatalogue } from './catalogues.js';
import type { MatomoReferrerType } from './data/referrers.js';
import { randomAddress } from './ip.js';
import type { JourneySettings } from './settings.js';
import type { Visitor } from './visit.js';

export type ReferrerKind = 'direct' | 'search' | 'social' | 'referral';

export interface Referrer {
  kind: ReferrerKind;
  /** Sent as `urlref` on the first pageview; absent for direct traffic. */
  url?: string;
  /** The channel Matomo files the URL under (a campaign on the landing page overrides it). */
  matomo: MatomoReferrerType;
}

/**
 * Who visits: a fresh 16-hex `_id`, a user agent and, when countries are randomized, a country by
 * weight with an address inside that country's ranges. `ip` and `country` are set only when the geo
 * mode sends them, so the encoder sends exactly what the visitor carries; `lang` follows the
 * country whenever one was drawn.
 */
export function buildVisitor(rng: Rng, settings: JourneySettings, catalogues: Catalogues): { visitor: Visitor; country?: CountryCatalogue } {
  const visitor: Visitor = { id: hex(rng, 16), userAgent: pick(rng, catalogues.userAgents) };
  if (!settings.countries.randomize) return { visitor };
  const country = weighted(rng, catalogues.countries, (c) => c.weight);
  const ip = randomAddress(rng, pick(rng, country.cidrs));
  visitor.lang = country.lang;
  const geo = settings.countries.geo;
  if (geo === 'ip' || geo === 'both') visitor.ip = ip;
  if (geo === 'country' || geo === 'both') visitor.country = country.code;
  return { visitor, country };
}

function queryValue(text: string): string {
  return encodeURIComponent(text).replace(/%20/g, '+');
}

/**
 * Direct with its own probability; otherwise search engines, social and referral sites by their
 * weights (35 : 15 : 20 by default), with realistic URLs (search URLs carry the query).
 */
export function buildReferrer(rng: Rng, settings: JourneySettings, catalogues: Catalogues): Referrer {
  if (chance(rng, settings.probabilities.directTraffic)) return { kind: 'direct', matomo: 'direct' };
  const { weights, searchEngines, searchQueries, social, referral } = catalogues.referrers;
  const kinds = ['search', 'social', 'referral'] as const;
  const kind = weighted(rng, kinds, (k) => weights[k]);
  if (kind === 'search') {
    const engine = weighted(rng, searchEngines, (e) => e.weight);
    return { kind, url: engine.prefix + queryValue(pick(rng, searchQueries)), matomo: 'search' };
  }
  const entry = pick(rng, kind === 'social' ? social : referral);
  return { kind, url: entry.url, matomo: entry.matomo };
}
