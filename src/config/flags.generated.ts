// Generated from src/config/schema.ts by `npm run docs:config`. Do not edit by hand.
// The CLI registers its flags from this table so that it need not load the schema (zod) to start.
import type { FieldMeta } from './schema.js';

export interface FlagField {
  key: string;
  path: string[];
  meta: FieldMeta;
}

/* eslint-disable */
export const FLAG_FIELDS: readonly FlagField[] = [
  { key: "url", path: ["url"], meta: {"description":"Matomo tracker URL (…/matomo.php); one target","kind":"string","flag":"url","env":"MATOMO_URL"} },
  { key: "siteId", path: ["siteId"], meta: {"description":"Site id, or a range `1-500`; one target (default 1)","kind":"site-ids","flag":"site-id","env":"MATOMO_SITE_ID"} },
  { key: "tokenAuth", path: ["tokenAuth"], meta: {"description":"token_auth with write access (prefer the file or the environment)","kind":"string","flag":"token-auth","env":"MATOMO_TOKEN_AUTH"} },
  { key: "tokenAuthFile", path: ["tokenAuthFile"], meta: {"description":"File holding the token_auth","kind":"string","flag":"token-auth-file"} },
  { key: "visitsPerDay", path: ["visitsPerDay"], meta: {"description":"Target visits per day","kind":"int","flag":"visits-per-day","env":"TARGET_VISITS_PER_DAY"} },
  { key: "pageviews.min", path: ["pageviews","min"], meta: {"description":"Minimum pageviews per visit","kind":"int","flag":"pageviews-min","env":"PAGEVIEWS_MIN"} },
  { key: "pageviews.max", path: ["pageviews","max"], meta: {"description":"Maximum pageviews per visit","kind":"int","flag":"pageviews-max","env":"PAGEVIEWS_MAX"} },
  { key: "concurrency", path: ["concurrency"], meta: {"description":"Visits in flight at most","kind":"int","flag":"concurrency","env":"CONCURRENCY"} },
  { key: "pauseSeconds.min", path: ["pauseSeconds","min"], meta: {"description":"Minimum real pause between pageviews","kind":"number","flag":"pause-min","env":"PAUSE_BETWEEN_PVS_MIN","unit":"s"} },
  { key: "pauseSeconds.max", path: ["pauseSeconds","max"], meta: {"description":"Maximum real pause between pageviews","kind":"number","flag":"pause-max","env":"PAUSE_BETWEEN_PVS_MAX","unit":"s"} },
  { key: "visitDurationMinutes.min", path: ["visitDurationMinutes","min"], meta: {"description":"Minimum simulated visit duration (cdt timeline)","kind":"number","flag":"visit-duration-min","env":"VISIT_DURATION_MIN","unit":"min"} },
  { key: "visitDurationMinutes.max", path: ["visitDurationMinutes","max"], meta: {"description":"Maximum simulated visit duration (cdt timeline)","kind":"number","flag":"visit-duration-max","env":"VISIT_DURATION_MAX","unit":"min"} },
  { key: "autoStopAfterHours", path: ["autoStopAfterHours"], meta: {"description":"Stop a live run after this many hours (0: never)","kind":"number","flag":"auto-stop-after-hours","env":"AUTO_STOP_AFTER_HOURS","unit":"h"} },
  { key: "maxTotalVisits", path: ["maxTotalVisits"], meta: {"description":"Stop a live run after this many visits (0: no limit)","kind":"int","flag":"max-total-visits","env":"MAX_TOTAL_VISITS"} },
  { key: "dailyCap", path: ["dailyCap"], meta: {"description":"Visits per local calendar day (in `timezone`) at most (0: no cap)","kind":"int","flag":"daily-cap"} },
  { key: "probabilities.siteSearch", path: ["probabilities","siteSearch"], meta: {"description":"Chance a visit searches the site","kind":"number","flag":"site-search-probability","env":"SITESEARCH_PROBABILITY"} },
  { key: "probabilities.outlinks", path: ["probabilities","outlinks"], meta: {"description":"Chance a visit follows an outlink","kind":"number","flag":"outlinks-probability","env":"OUTLINKS_PROBABILITY"} },
  { key: "probabilities.downloads", path: ["probabilities","downloads"], meta: {"description":"Chance a visit downloads a file","kind":"number","flag":"downloads-probability","env":"DOWNLOADS_PROBABILITY"} },
  { key: "probabilities.clickEvents", path: ["probabilities","clickEvents"], meta: {"description":"Chance a visit sends click events","kind":"number","flag":"click-events-probability","env":"CLICK_EVENTS_PROBABILITY"} },
  { key: "probabilities.randomEvents", path: ["probabilities","randomEvents"], meta: {"description":"Chance a visit sends other events","kind":"number","flag":"random-events-probability","env":"RANDOM_EVENTS_PROBABILITY"} },
  { key: "probabilities.directTraffic", path: ["probabilities","directTraffic"], meta: {"description":"Chance a visit has no referrer","kind":"number","flag":"direct-traffic-probability","env":"DIRECT_TRAFFIC_PROBABILITY"} },
  { key: "probabilities.ecommerce", path: ["probabilities","ecommerce"], meta: {"description":"Chance a visit places an order","kind":"number","flag":"ecommerce-probability","env":"ECOMMERCE_PROBABILITY"} },
  { key: "countries.randomize", path: ["countries","randomize"], meta: {"description":"Spread visitors over countries (needs a token)","kind":"bool","flag":"randomize-countries","env":"RANDOMIZE_VISITOR_COUNTRIES"} },
  { key: "countries.geo", path: ["countries","geo"], meta: {"description":"How the country is sent: visitor IP (`cip`), `country`, or both","kind":"enum","flag":"geo"} },
  { key: "ecommerce.orderValue.min", path: ["ecommerce","orderValue","min"], meta: {"description":"Minimum order value","kind":"number","flag":"order-value-min","env":"ECOMMERCE_ORDER_VALUE_MIN"} },
  { key: "ecommerce.orderValue.max", path: ["ecommerce","orderValue","max"], meta: {"description":"Maximum order value","kind":"number","flag":"order-value-max","env":"ECOMMERCE_ORDER_VALUE_MAX"} },
  { key: "ecommerce.items.min", path: ["ecommerce","items","min"], meta: {"description":"Minimum items per order","kind":"int","flag":"order-items-min","env":"ECOMMERCE_ITEMS_MIN"} },
  { key: "ecommerce.items.max", path: ["ecommerce","items","max"], meta: {"description":"Maximum items per order","kind":"int","flag":"order-items-max","env":"ECOMMERCE_ITEMS_MAX"} },
  { key: "ecommerce.taxRate", path: ["ecommerce","taxRate"], meta: {"description":"Tax rate of orders","kind":"number","flag":"tax-rate","env":"ECOMMERCE_TAX_RATE"} },
  { key: "ecommerce.shippingRates", path: ["ecommerce","shippingRates"], meta: {"description":"Shipping amounts picked from (comma-separated on the command line)","kind":"numbers","flag":"shipping-rates","env":"ECOMMERCE_SHIPPING_RATES"} },
  { key: "ecommerce.currency", path: ["ecommerce","currency"], meta: {"description":"Currency (ISO 4217); compared with the site's, never sent","kind":"string","flag":"currency","env":"ECOMMERCE_CURRENCY"} },
  { key: "timezone", path: ["timezone"], meta: {"description":"IANA zone of visitor local time, daily cap and backfill days","kind":"string","flag":"timezone","env":"TIMEZONE"} },
  { key: "pageHost", path: ["pageHost"], meta: {"description":"Host of the built-in URL catalogue","kind":"string","flag":"page-host"} },
  { key: "urlsFile", path: ["urlsFile"], meta: {"description":"URL catalogue file (`URL [title]` per line) replacing the built-in one","kind":"string","flag":"urls-file","env":"URLS_FILE"} },
  { key: "funnelsFile", path: ["funnelsFile"], meta: {"description":"Funnels file (JSON or YAML list of funnels)","kind":"string","flag":"funnels-file","env":"FUNNEL_CONFIG_PATH"} },
  { key: "seed", path: ["seed"], meta: {"description":"Seed: the same seed and settings give the same visits","kind":"seed","flag":"seed","env":"BACKFILL_SEED"} },
  { key: "logLevel", path: ["logLevel"], meta: {"description":"Log detail","kind":"enum","flag":"log-level","env":"LOG_LEVEL"} },
  { key: "backfill.from", path: ["backfill","from"], meta: {"description":"First day to fill (inclusive, site-local)","kind":"date","flag":"from","env":"BACKFILL_START_DATE"} },
  { key: "backfill.to", path: ["backfill","to"], meta: {"description":"Last day to fill (inclusive, site-local)","kind":"date","flag":"to","env":"BACKFILL_END_DATE"} },
  { key: "backfill.daysBack", path: ["backfill","daysBack"], meta: {"description":"Relative window: start this many days before today","kind":"int","flag":"days-back","env":"BACKFILL_DAYS_BACK"} },
  { key: "backfill.durationDays", path: ["backfill","durationDays"], meta: {"description":"Relative window: number of days from the start","kind":"int","flag":"duration-days","env":"BACKFILL_DURATION_DAYS"} },
  { key: "backfill.maxVisitsPerDay", path: ["backfill","maxVisitsPerDay"], meta: {"description":"Visits per backfilled day at most","kind":"int","flag":"max-visits-per-day","env":"BACKFILL_MAX_VISITS_PER_DAY"} },
  { key: "backfill.maxVisitsTotal", path: ["backfill","maxVisitsTotal"], meta: {"description":"Visits over the whole backfill at most","kind":"int","flag":"max-visits-total","env":"BACKFILL_MAX_VISITS_TOTAL"} },
  { key: "backfill.rpsLimit", path: ["backfill","rpsLimit"], meta: {"description":"Backfill pace limit (the predecessor unit: visits per second)","kind":"number","flag":"rps-limit","env":"BACKFILL_RPS_LIMIT","unit":"visits/s"} },
  { key: "backfill.bulkSize", path: ["backfill","bulkSize"], meta: {"description":"Hits per bulk tracking request","kind":"int","flag":"bulk-size"} },
  { key: "backfill.stateDir", path: ["backfill","stateDir"], meta: {"description":"Where backfill keeps its resumable progress","kind":"string","flag":"state-dir"} },
  { key: "run.rps", path: ["run","rps"], meta: {"description":"Live run: hits per second to hold, or `max` (overrides visitsPerDay pacing)","kind":"rps","flag":"rps","unit":"hits/s"} },
  { key: "run.arrivals", path: ["run","arrivals"], meta: {"description":"Live run: evenly spaced or Poisson (random) visit arrivals","kind":"enum","flag":"arrivals"} },
  { key: "run.stages", path: ["run","stages"], meta: {"description":"Live run: ramp through targets, e.g. `2m:10,5m:50` on the command line","kind":"stages","flag":"stages"} },
  { key: "run.duration", path: ["run","duration"], meta: {"description":"Live run: stop after this long (e.g. 10m)","kind":"duration","flag":"duration"} },
  { key: "run.grace", path: ["run","grace"], meta: {"description":"Live run: time given to visits in flight after the end","kind":"duration","flag":"grace"} },
  { key: "run.thresholds.maxErrorRate", path: ["run","thresholds","maxErrorRate"], meta: {"description":"Fail (exit 3) when the share of failed hits exceeds this","kind":"number","flag":"max-error-rate"} },
  { key: "run.thresholds.maxP99Ms", path: ["run","thresholds","maxP99Ms"], meta: {"description":"Fail (exit 3) when the p99 latency exceeds this","kind":"number","flag":"max-p99-ms","unit":"ms"} },
  { key: "run.thresholds.minRateRatio", path: ["run","thresholds","minRateRatio"], meta: {"description":"Fail (exit 3) when the achieved rate is below this share of the target rate","kind":"number","flag":"min-rate-ratio"} },
  { key: "run.thresholds.maxDropped", path: ["run","thresholds","maxDropped"], meta: {"description":"Fail (exit 3) when more arrivals than this were dropped","kind":"int","flag":"max-dropped"} },
];
