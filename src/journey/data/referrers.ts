/**
 * Referrer sources. The predecessor's split (search engines 35, social 15, referral sites 20,
 * direct the rest) is kept as weights among the non-direct visits; the direct share is its own
 * probability. Search URLs are built from an engine template and a query, so Matomo's Search
 * Engines and Keywords reports fill with believable rows.
 *
 * Each URL carries the channel Matomo 5.0.2 files it under (`matomo`), from its public search
 * engine and social network lists (matomo/searchengine-and-social-list) and checked against a real
 * Matomo's Live API (test/fixtures/matomo-5.0.2/live-referrers.json). The lists keep the
 * predecessor's picks, so where the two disagree the label says what Matomo reports: GitHub, Stack
 * Overflow and SourceForge are social networks to Matomo, and www.facebook.com is a search engine.
 */
/** Matomo's referrer types (Live `referrerType`); a campaign overrides any of them. */
export type MatomoReferrerType = 'direct' | 'search' | 'social' | 'website' | 'campaign';

export interface ReferrerEntry {
  url: string;
  matomo: 'search' | 'social' | 'website';
}

export interface SearchEngineEntry {
  /** URL up to the query value, which is appended URL-encoded with `+` for spaces. */
  prefix: string;
  weight: number;
}

export const referrerWeights = { search: 35, social: 15, referral: 20 } as const;

export const searchEngines: readonly SearchEngineEntry[] = [
  { prefix: 'https://www.google.com/search?q=', weight: 70 },
  { prefix: 'https://www.bing.com/search?q=', weight: 12 },
  { prefix: 'https://duckduckgo.com/?q=', weight: 8 },
  { prefix: 'https://search.yahoo.com/search?p=', weight: 4 },
  { prefix: 'https://www.ecosia.org/search?q=', weight: 3 },
  { prefix: 'https://yandex.com/search/?text=', weight: 3 },
];

export const searchQueries: readonly string[] = [
  'matomo analytics',
  'web analytics tool',
  'open source analytics',
  'google analytics alternative',
  'privacy analytics',
  'matomo tracking',
  'web statistics',
  'gdpr compliant analytics',
  'self hosted analytics',
  'website tracking software',
  'best laptop for developers',
  'wireless headphones review',
  'how to configure reverse proxy',
  'api documentation example',
  'product comparison hardware',
  'support ticket status',
  'company careers remote',
  'smart watch battery life',
  'cloud consulting services',
  'developer community forum',
];

export const socialReferrers: readonly ReferrerEntry[] = [
  { url: 'https://t.co/', matomo: 'social' },
  { url: 'https://www.linkedin.com/feed/', matomo: 'social' },
  { url: 'https://www.facebook.com/', matomo: 'search' },
  { url: 'https://l.facebook.com/', matomo: 'social' },
  { url: 'https://www.reddit.com/r/webdev/', matomo: 'social' },
  { url: 'https://www.reddit.com/r/selfhosted/', matomo: 'social' },
  { url: 'https://news.ycombinator.com/item?id=38712345', matomo: 'social' },
  { url: 'https://www.youtube.com/', matomo: 'social' },
  { url: 'https://www.instagram.com/', matomo: 'social' },
  { url: 'https://mastodon.social/', matomo: 'social' },
];

export const referralSites: readonly ReferrerEntry[] = [
  { url: 'https://alternativeto.net/software/google-analytics/', matomo: 'website' },
  { url: 'https://www.capterra.com/web-analytics-software/', matomo: 'website' },
  { url: 'https://www.g2.com/categories/digital-analytics', matomo: 'website' },
  { url: 'https://sourceforge.net/directory/analytics/', matomo: 'social' },
  { url: 'https://www.softwaresuggest.com/web-analytics-software', matomo: 'website' },
  { url: 'https://blog.hubspot.com/marketing/web-analytics-tools', matomo: 'website' },
  { url: 'https://moz.com/blog/', matomo: 'website' },
  { url: 'https://searchengineland.com/library/analytics', matomo: 'website' },
  { url: 'https://techcrunch.com/category/startups/', matomo: 'website' },
  { url: 'https://www.digitaltrends.com/computing/', matomo: 'website' },
  { url: 'https://stackoverflow.com/questions/tagged/analytics', matomo: 'social' },
  { url: 'https://github.com/topics/web-analytics', matomo: 'social' },
  { url: 'https://dev.to/t/analytics', matomo: 'website' },
  { url: 'https://medium.com/tag/analytics', matomo: 'website' },
  { url: 'https://www.producthunt.com/topics/analytics', matomo: 'website' },
];
