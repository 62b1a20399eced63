import { UsageError } from '../errors.js';
import { countries, type CountryEntry } from './data/countries.js';
import * as predecessor from './data/predecessor.js';
import type { EventEntry, ProductEntry } from './data/predecessor.js';
import * as referrers from './data/referrers.js';
import { pageTopics, sections } from './data/site-pages.js';
import { parseCidr, type Cidr } from './ip.js';

export type { CountryEntry, EventEntry, ProductEntry };

/** One page of the URL catalogue. `origin` (scheme://host[:port]) resolves relative download paths. */
export interface Page {
  url: string;
  /** Sent as `action_name`; without it Matomo names the page after its URL. */
  title?: string;
  origin: string;
}

export interface CountryCatalogue extends CountryEntry {
  cidrs: readonly Cidr[];
}

/** Everything the journey model picks from. Built once per run; read-only afterwards. */
export interface Catalogues {
  pages: readonly Page[];
  userAgents: readonly string[];
  searchTerms: readonly string[];
  searchCategories: readonly string[];
  outlinks: readonly string[];
  downloads: readonly string[];
  clickEvents: readonly EventEntry[];
  randomEvents: readonly EventEntry[];
  products: readonly ProductEntry[];
  itemCountWeights: readonly number[];
  countries: readonly CountryCatalogue[];
  referrers: {
    weights: { search: number; social: number; referral: number };
    searchEngines: readonly referrers.SearchEngineEntry[];
    searchQueries: readonly string[];
    social: readonly referrers.ReferrerEntry[];
    referral: readonly referrers.ReferrerEntry[];
  };
}

const upperWords = new Set(['faq', 'api']);

function label(slug: string): string {
  return slug
    .split('-')
    .map((word) => (upperWords.has(word) ? word.toUpperCase() : word.charAt(0).toUpperCase() + word.slice(1)))
    .join(' ');
}

function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** The built-in catalogue: https://HOST/<section>/<subsection>/<page-slug>, titled "<Topic> | <Section>". */
export function builtinPages(pageHost: string): Page[] {
  const origin = `https://${pageHost}`;
  const pages: Page[] = [];
  for (const section of sections) {
    for (const sub of section.subsections) {
      const subName = label(sub);
      for (const topic of pageTopics) {
        const heading = topic.replace('{}', subName);
        pages.push({
          url: `${origin}/${section.slug}/${sub}/${slugify(heading)}`,
          title: `${heading} | ${section.name}`,
          origin,
        });
      }
    }
  }
  return pages;
}

const originPattern = /^(https?:\/\/[^/?#\s]+)/i;

/** scheme://host[:port] of an absolute http(s) URL, or undefined. */
export function originOf(url: string): string | undefined {
  return originPattern.exec(url)?.[1];
}

/**
 * Parses a URL catalogue file: one `URL [title]` per line; blank lines and lines starting with `#`
 * are skipped. Errors name the file and line.
 */
export function parseUrlFile(text: string, fileName: string): Page[] {
  const pages: Page[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const space = line.search(/\s/);
    const url = space < 0 ? line : line.slice(0, space);
    const title = space < 0 ? '' : line.slice(space).trim();
    const origin = originOf(url);
    if (!origin || !URL.canParse(url)) {
      throw new UsageError(`${fileName}:${i + 1}: "${url}" is not an http(s) URL with a host (expected "URL [title]")`);
    }
    pages.push(title ? { url, title, origin } : { url, origin });
  });
  if (pages.length === 0) throw new UsageError(`${fileName}: no URLs found (expected one "URL [title]" per line)`);
  return pages;
}

export interface CatalogueOptions {
  /** Host of the built-in URL catalogue. */
  pageHost: string;
  /** Text of a user URL file; replaces the built-in pages. */
  urlsText?: string;
  /** Name of that file, for error messages. */
  urlsFile?: string;
}

const countryCatalogue: readonly CountryCatalogue[] = countries.map((c) => ({ ...c, cidrs: c.ranges.map(parseCidr) }));

/** The catalogues for a run: built-in data plus the built-in or user URL catalogue. */
export function loadCatalogues(options: CatalogueOptions): Catalogues {
  const pages =
    options.urlsText === undefined
      ? builtinPages(options.pageHost)
      : parseUrlFile(options.urlsText, options.urlsFile ?? 'URL file');
  return {
    pages,
    userAgents: predecessor.userAgents,
    searchTerms: predecessor.searchTerms,
    searchCategories: predecessor.searchCategories,
    outlinks: predecessor.outlinks,
    downloads: predecessor.downloads,
    clickEvents: predecessor.clickEvents,
    randomEvents: predecessor.randomEvents,
    products: predecessor.products,
    itemCountWeights: predecessor.itemCountWeights,
    countries: countryCatalogue,
    referrers: {
      weights: { ...referrers.referrerWeights },
      searchEngines: referrers.searchEngines,
      searchQueries: referrers.searchQueries,
      social: referrers.socialReferrers,
      referral: referrers.referralSites,
    },
  };
}
