/**
 * Referrer sources. The predecessor's split (search engines 35, social 15, referral sites 20,
 * direct the rest) is kept as weights among the non-direct visits; the direct share is its own
 * probability. Search URLs are built from an engine template and a query, so Matomo's Search
 * Engines and Keywords reports fill with believable rows.
 */
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

export const socialReferrers: readonly string[] = [
  'https://t.co/',
  'https://www.linkedin.com/feed/',
  'https://www.facebook.com/',
  'https://l.facebook.com/',
  'https://www.reddit.com/r/webdev/',
  'https://www.reddit.com/r/selfhosted/',
  'https://news.ycombinator.com/item?id=38712345',
  'https://www.youtube.com/',
  'https://www.instagram.com/',
  'https://mastodon.social/',
];

export const referralSites: readonly string[] = [
  'https://alternativeto.net/software/google-analytics/',
  'https://www.capterra.com/web-analytics-software/',
  'https://www.g2.com/categories/digital-analytics',
  'https://sourceforge.net/directory/analytics/',
  'https://www.softwaresuggest.com/web-analytics-software',
  'https://blog.hubspot.com/marketing/web-analytics-tools',
  'https://moz.com/blog/',
  'https://searchengineland.com/library/analytics',
  'https://techcrunch.com/category/startups/',
  'https://www.digitaltrends.com/computing/',
  'https://stackoverflow.com/questions/tagged/analytics',
  'https://github.com/topics/web-analytics',
  'https://dev.to/t/analytics',
  'https://medium.com/tag/analytics',
  'https://www.producthunt.com/topics/analytics',
];
