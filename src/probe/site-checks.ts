import { DateTime } from 'luxon';
import type { Config, ConfigIssue } from '../config/schema.js';
import { backfillWindow } from '../config/window.js';
import { zonesDiffer } from '../matomo/site-zone.js';

/** The fields of SitesManager.getSiteFromId that the plan is compared with (Matomo 5). */
export interface MatomoSite {
  idsite: number | string;
  name?: string;
  main_url?: string;
  timezone?: string;
  currency?: string;
  ecommerce?: number | string;
  sitesearch?: number | string;
  exclude_unknown_urls?: number | string;
  excluded_ips?: string;
  excluded_user_agents?: string;
}

/** The instants the plan covers: the backfill window, or the live run from now. */
function span(config: Config, now: number): { start: number; end: number } {
  const result = backfillWindow(config, now);
  if (result.kind === 'window') {
    const start = DateTime.fromISO(result.window.from, { zone: config.timezone }).toMillis();
    const end = DateTime.fromISO(result.window.to, { zone: config.timezone }).plus({ days: 1 }).toMillis();
    return { start, end };
  }
  const hours = config.run.durationMs !== undefined
    ? config.run.durationMs / 3_600_000
    : config.autoStopAfterHours > 0
      ? config.autoStopAfterHours
      : 24 * 7;
  return { start: now, end: now + Math.min(hours, 24 * 400) * 3_600_000 };
}

/**
 * Compares UTC offsets hour by hour over the dates concerned, not zone names: CET and
 * Europe/Stockholm agree, CET and Europe/London do not.
 */
export function timezoneMismatch(config: Config, siteZoneName: string, now: number): string | undefined {
  const { start, end } = span(config, now);
  return zonesDiffer(siteZoneName, config.timezone, start, end);
}

const SAMPLE_USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
];

function flag(value: number | string | undefined): boolean {
  return value !== undefined && String(value) !== '0' && String(value) !== '';
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/** Where the site's settings differ from what the configuration will send: warnings. */
export function compareSite(
  config: Config,
  site: MatomoSite,
  options: { now: number; path: string; siteUrls?: string[] },
): ConfigIssue[] {
  const warnings: ConfigIssue[] = [];
  const at = `${options.path} (site ${site.idsite})`;
  if (site.timezone) {
    const mismatch = timezoneMismatch(config, site.timezone, options.now);
    if (mismatch) {
      warnings.push({
        path: 'timezone',
        message: `${mismatch}: visits would land on other local hours and days in reports`,
        hint: `${at}; set --timezone ${site.timezone}`,
      });
    }
  }
  if (site.currency && site.currency !== config.ecommerce.currency) {
    warnings.push({
      path: 'ecommerce.currency',
      message: `site currency is ${site.currency}, the configuration plans ${config.ecommerce.currency}`,
      hint: `${at}; set --currency ${site.currency} or change the site`,
    });
  }
  if (!flag(site.ecommerce) && config.probabilities.ecommerce > 0) {
    warnings.push({
      path: 'probabilities.ecommerce',
      message: 'ecommerce is off for the site: orders will not show in reports',
      hint: `${at}; turn ecommerce on in the site settings, or --ecommerce-probability 0`,
    });
  }
  if (!flag(site.sitesearch) && config.probabilities.siteSearch > 0) {
    warnings.push({
      path: 'probabilities.siteSearch',
      message: 'site search tracking is off for the site: searches will show as pageviews',
      hint: `${at}; turn site search on, or --site-search-probability 0`,
    });
  }
  if (flag(site.exclude_unknown_urls) && !config.urlsFile) {
    const hosts = [site.main_url, ...(options.siteUrls ?? [])].map((u) => (u ? hostOf(u) : undefined));
    if (!hosts.includes(config.pageHost.toLowerCase())) {
      const main = site.main_url ? hostOf(site.main_url) : undefined;
      warnings.push({
        path: 'pageHost',
        message: `the site excludes unknown URLs and ${config.pageHost} is not one of its URLs: every hit would be dropped`,
        hint: `${at}; ${main ? `set --page-host ${main}` : "add the page host to the site's URLs"}`,
      });
    }
  }
  const excludedIps = (site.excluded_ips ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (excludedIps.length > 0) {
    warnings.push({
      path: 'countries',
      message: `the site excludes IPs ${excludedIps.join(', ')}: visits from those addresses are dropped`,
      hint: `${at}; ${config.countries.randomize ? 'generated visitor IPs inside them would be lost' : 'make sure they do not cover this machine'}`,
    });
  }
  const excludedAgents = (site.excluded_user_agents ?? '').split(/[,\n]/).map((s) => s.trim()).filter(Boolean);
  const covering = excludedAgents.filter((pattern) =>
    SAMPLE_USER_AGENTS.some((ua) => ua.toLowerCase().includes(pattern.toLowerCase())),
  );
  if (covering.length > 0) {
    warnings.push({
      path: 'targets',
      message: `the site excludes user agents matching ${covering.join(', ')}, which covers generated browsers: those visits are dropped`,
      hint: `${at}; remove them from the site's excluded user agents`,
    });
  }
  return warnings;
}
