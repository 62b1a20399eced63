import { suggestTrackerUrl } from './tracker-url.js';
import { littlesLaw } from './littles-law.js';
import { IANAZone } from 'luxon';
import type { Sources } from './layers.js';
import type { Config, ConfigIssue } from './schema.js';
import { formatPath } from './paths.js';
import { parseMetric } from './threshold-syntax.js';
import { backfillWindow, todayIn } from './window.js';

/**
 * Cross-field rules, run after the schema parsed: every rule runs and every problem is reported
 * (changesets' rules.ts). Errors stop a command; warnings are printed and the command goes on.
 */
export interface RuleContext {
  config: Config;
  now: number;
  sources: Sources;
  /** True when the target came from url/siteId/tokenAuth rather than a `targets` list. */
  singleTarget: boolean;
  /** The command resolving: `run` ignores a backfill window set in an env file or YAML. */
  command?: string;
  error(issue: ConfigIssue): void;
  warn(issue: ConfigIssue): void;
}

type Rule = (ctx: RuleContext) => void;

const MAX_WINDOW_DAYS = 180;

function targetPath(ctx: RuleContext, index: number, key: string): string {
  if (ctx.singleTarget) return key === 'siteIds' ? 'siteId' : key;
  return `targets[${index}].${key === 'siteIds' ? 'siteId' : key}`;
}

const minMaxPairs: Rule = ({ config, error }) => {
  const pairs: Array<[string, { min: number; max: number }]> = [
    ['pageviews', config.pageviews],
    ['pauseSeconds', config.pauseSeconds],
    ['visitDurationMinutes', config.visitDurationMinutes],
    ['ecommerce.orderValue', config.ecommerce.orderValue],
    ['ecommerce.items', config.ecommerce.items],
  ];
  for (const [path, { min, max }] of pairs) {
    if (min > max) error({ path: `${path}.min`, message: `${min} is above max ${max}`, hint: 'min must be <= max' });
  }
};

const targets: Rule = (ctx) => {
  const { config, error } = ctx;
  if (config.targets.length === 0) {
    error({
      path: 'url',
      message: 'no Matomo target',
      hint: 'give --url https://HOST/matomo.php (or MATOMO_URL, or a targets list in a config file)',
    });
  }
  config.targets.forEach((target, i) => {
    let url: URL | undefined;
    try {
      url = new URL(target.url);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
      error({
        path: targetPath(ctx, i, 'url'),
        message: `"${target.url}" is not an http(s) URL with a host`,
        hint: 'e.g. https://matomo.example.org/matomo.php',
      });
      return;
    }
    const suggestion = suggestTrackerUrl(target.url);
    if (suggestion) {
      ctx.warn({
        path: targetPath(ctx, i, 'url'),
        message: `"${target.url}" is not the tracker endpoint (hits go to …/matomo.php)`,
        hint: `did you mean ${suggestion}?`,
      });
    }
  });
};

/**
 * Zones every ICU knows: the default (CET) and UTC are valid without asking ICU, whose first
 * time-zone lookup costs a command tens of milliseconds of start-up (its zone data loads).
 */
const ALWAYS_VALID_ZONES = new Set(['CET', 'UTC']);

function isValidZone(zone: string): boolean {
  return ALWAYS_VALID_ZONES.has(zone) || IANAZone.isValidZone(zone);
}

const timezone: Rule = ({ config, error }) => {
  if (!isValidZone(config.timezone)) {
    error({ path: 'timezone', message: `"${config.timezone}" is not an IANA time zone`, hint: 'e.g. CET, Europe/Stockholm, UTC' });
  }
};

const window: Rule = ({ config, now, error, warn }) => {
  if (!isValidZone(config.timezone)) return;
  const result = backfillWindow(config, now);
  if (result.kind === 'invalid') {
    for (const problem of result.problems) error(problem);
    return;
  }
  if (result.kind === 'none') return;
  const { from, to, days } = result.window;
  const today = todayIn(config.timezone, now);
  if (from > to) {
    error({ path: 'backfill.from', message: `${from} is after ${to}`, hint: 'the window starts on or before its end' });
    return;
  }
  if (to > today) {
    error({
      path: 'backfill.to',
      message: `${to} is in the future (today is ${today} in ${config.timezone})`,
      hint: 'Matomo would record future hits at its own "now"; end on or before today',
    });
  }
  if (days > MAX_WINDOW_DAYS) {
    error({ path: 'backfill', message: `window of ${days} days is longer than ${MAX_WINDOW_DAYS}`, hint: 'split it into several runs' });
  } else if (days > 90) {
    warn({ path: 'backfill', message: `long window: ${days} days`, hint: 'the Python Trafficinator warned above 90 days; archiving will take a while' });
  }
};

const backfillCaps: Rule = ({ config, error, warn }) => {
  const b = config.backfill;
  if (b.maxVisitsTotal < b.maxVisitsPerDay) {
    error({
      path: 'backfill.maxVisitsTotal',
      message: `${b.maxVisitsTotal} is below the per-day cap ${b.maxVisitsPerDay}`,
      hint: 'the total cap must be >= maxVisitsPerDay',
    });
  }
  if (b.maxVisitsPerDay > 10_000) {
    warn({ path: 'backfill.maxVisitsPerDay', message: `${b.maxVisitsPerDay} is above the Python Trafficinator's bound of 10000` });
  } else if (b.maxVisitsPerDay > 8000) {
    warn({ path: 'backfill.maxVisitsPerDay', message: `high per-day cap: ${b.maxVisitsPerDay}`, hint: 'the Python Trafficinator warned above 8000' });
  }
  if (b.maxVisitsTotal > 10_000_000) {
    warn({ path: 'backfill.maxVisitsTotal', message: `${b.maxVisitsTotal} is above the Python Trafficinator's bound of 10000000` });
  }
  if (b.rpsLimit !== undefined) {
    if (b.rpsLimit > 500) {
      warn({ path: 'backfill.rpsLimit', message: `${b.rpsLimit} visits/s is above the Python Trafficinator's bound of 500` });
    } else if (b.rpsLimit > 100) {
      warn({ path: 'backfill.rpsLimit', message: `high rate limit: ${b.rpsLimit} visits/s`, hint: 'the Python Trafficinator warned above 100' });
    }
  }
  for (const key of ['daysBack', 'durationDays'] as const) {
    const value = b[key];
    if (value !== undefined && value > 365) {
      warn({ path: `backfill.${key}`, message: `${value} is above the Python Trafficinator's bound of 365` });
    }
  }
};

/** Matomo refuses `cip`/`country` and `cdt` older than 24 h without a token: say so before sending. */
const tokenNeeded: Rule = (ctx) => {
  const { config, now } = ctx;
  // The predecessor's .env files mix live and backfill settings: a live run sends no old cdt.
  const backfilling = ctx.command !== 'run' && backfillWindow(config, now).kind !== 'none';
  const reasons = [
    config.countries.randomize ? 'countries are randomized (Matomo refuses cip/country without a token)' : undefined,
    backfilling ? 'a backfill window is set (Matomo refuses cdt older than 24 h without a token)' : undefined,
  ].filter((r): r is string => r !== undefined);
  if (reasons.length === 0) return;
  config.targets.forEach((target, i) => {
    if (target.tokenAuth) return;
    ctx.error({
      path: targetPath(ctx, i, 'tokenAuth'),
      message: `missing: a token_auth with write access is required because ${reasons.join(' and ')}`,
      hint: config.countries.randomize && !backfilling
        ? 'set MATOMO_TOKEN_AUTH or --token-auth-file, or --no-randomize-countries'
        : 'set MATOMO_TOKEN_AUTH or --token-auth-file',
    });
  });
};

const tokenExposure: Rule = (ctx) => {
  const { config, sources, warn } = ctx;
  if ((sources['tokenAuth'] ?? '').startsWith('flag')) {
    warn({
      path: 'tokenAuth',
      message: 'token given as a flag value: other users can read it in the process list',
      hint: 'use --token-auth-file or MATOMO_TOKEN_AUTH',
    });
  }
  config.targets.forEach((target, i) => {
    if (!target.tokenAuth) return;
    let url: URL;
    try {
      url = new URL(target.url);
    } catch {
      return;
    }
    if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
      warn({
        path: targetPath(ctx, i, 'url'),
        message: `plain http to ${url.hostname} with a token: the token crosses the network unencrypted`,
        hint: 'use https',
      });
    }
  });
};

export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

const liveBounds: Rule = ({ config, warn }) => {
  const old: Array<[string, number, number]> = [
    ['visitsPerDay', config.visitsPerDay, 1_000_000],
    ['pageviews.max', config.pageviews.max, 100],
    ['concurrency', config.concurrency, 500],
    ['pauseSeconds.max', config.pauseSeconds.max, 60],
    ['visitDurationMinutes.max', config.visitDurationMinutes.max, 120],
    ['autoStopAfterHours', config.autoStopAfterHours, 168],
    ['maxTotalVisits', config.maxTotalVisits, 10_000_000],
  ];
  for (const [path, value, bound] of old) {
    if (value > bound) warn({ path, message: `${value} is above the Python Trafficinator's bound of ${bound}`, hint: 'allowed here; make sure it is meant' });
  }
  if (config.concurrency > 200 && config.concurrency <= 500) {
    warn({ path: 'concurrency', message: `high concurrency: ${config.concurrency}`, hint: 'the Python Trafficinator warned above 200' });
  }
  if (config.visitsPerDay > 500_000 && config.visitsPerDay <= 1_000_000) {
    warn({ path: 'visitsPerDay', message: `high rate: ${config.visitsPerDay} visits/day`, hint: 'the Python Trafficinator warned above 500000' });
  }
  if (config.autoStopAfterHours === 0 && config.maxTotalVisits === 0 && config.run.durationMs === undefined) {
    warn({
      path: 'autoStopAfterHours',
      message: 'no auto-stop: a live run goes on until interrupted',
      hint: 'set --auto-stop-after-hours, --max-visits or --duration',
    });
  }
  // The 30-minute gap rule needs the journey model's timeline: see workload/workload.ts.
};

const run: Rule = ({ config, error }) => {
  if (config.run.stages && config.run.rps !== undefined) {
    error({ path: 'run.stages', message: 'give either run.rps or run.stages, not both', hint: 'stages set the rate over time' });
  }
};

/**
 * A threshold tagged `target:` names a target by its index in `targets` (0-based) or by its URL;
 * two targets sharing a URL are told apart by index only. Backfill ignores thresholds.
 */
const thresholdTargets: Rule = ({ config, command, error }) => {
  if (command === 'backfill' || config.targets.length === 0) return;
  const urls = config.targets.map((t) => t.url);
  for (const [metric, entries] of Object.entries(config.run.thresholds.checks ?? {})) {
    const selector = parseMetric(metric);
    const ref = selector.ok ? selector.value.target : undefined;
    if (ref === undefined || entries.length === 0) continue;
    const path = formatPath(['run', 'thresholds', 'checks', metric]);
    if (/^\d+$/.test(ref)) {
      if (Number(ref) >= urls.length) {
        error({ path, message: `no target ${ref}: there ${urls.length === 1 ? 'is 1 target' : `are ${urls.length} targets`}`, hint: `name one by index 0-${urls.length - 1} or by its URL` });
      }
    } else if (!urls.includes(ref)) {
      error({ path, message: `no target ${ref}`, hint: `name one by index 0-${urls.length - 1} or by its URL (${urls.join(', ')})` });
    } else if (urls.indexOf(ref) !== urls.lastIndexOf(ref)) {
      error({ path, message: `several targets have the URL ${ref}`, hint: 'name the one you mean by its index in targets (0-based)' });
    }
  }
};

/**
 * Little's law: visits in flight = arrival rate x visit length. Below that, the predecessor quietly
 * delivered a fraction of its target (57 % in one measured case); say it before the run.
 */
const concurrencyForRate: Rule = ({ config, warn }) => {
  // With --rps or stages the rate is not visitsPerDay: `run` checks those against the model at start.
  if (config.run.rps !== undefined || config.run.stages !== undefined) return;
  const perSecond = config.visitsPerDay / 86_400;
  const meanPageviews = (config.pageviews.min + config.pageviews.max) / 2;
  const meanPause = (config.pauseSeconds.min + config.pauseSeconds.max) / 2;
  const visitSeconds = Math.max(0, meanPageviews - 1) * meanPause;
  const law = littlesLaw(perSecond, visitSeconds * 1000);
  if (law.inFlight > config.concurrency) {
    warn({
      path: 'concurrency',
      message:
        `${config.concurrency} cannot carry ${config.visitsPerDay} visits/day: ` +
        `${round(perSecond)} visits/s x ${round(visitSeconds)} s per visit needs at least ${law.needed} visits in flight`,
      hint: `set --concurrency ${Math.ceil(law.inFlight * 1.2)} or more (server latency adds to each visit)`,
    });
  }
};

function round(n: number): string {
  return n >= 10 ? n.toFixed(0) : n >= 1 ? n.toFixed(1) : n.toPrecision(2);
}

export const RULES: readonly Rule[] = [
  minMaxPairs,
  targets,
  timezone,
  window,
  backfillCaps,
  tokenNeeded,
  tokenExposure,
  liveBounds,
  run,
  thresholdTargets,
  concurrencyForRate,
];

export function checkRules(
  config: Config,
  options: { now: number; sources: Sources; singleTarget: boolean; command?: string },
): { errors: ConfigIssue[]; warnings: ConfigIssue[] } {
  const errors: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];
  const ctx: RuleContext = {
    config,
    ...options,
    error: (issue) => void errors.push(issue),
    warn: (issue) => void warnings.push(issue),
  };
  for (const rule of RULES) rule(ctx);
  return { errors, warnings };
}
