import pLimit from 'p-limit';
import { TargetError } from '../errors.js';
import { askApi, type ApiClient, type ApiProblem } from '../matomo/api.js';
import { dayHasVisitsRequest, readSiteTimezone, siteRequest } from '../matomo/reporting.js';
import { zonesDiffer } from '../matomo/site-zone.js';
import type { TargetPlan } from './plan.js';

/**
 * What backfill asks Matomo before sending: which days already hold visits, and the site's time
 * zone, through the Reporting API client of matomo/api.ts (askApi: transient answers are retried
 * with backoff, so a briefly overloaded Matomo does not switch a protection off). A check that
 * cannot be made refuses the backfill (the caller exits 2).
 */

/** The days (of `dates`) whose raw log holds any visit of the site; four questions at a time. */
export async function daysHoldingVisits(client: ApiClient, siteId: number | string, dates: readonly string[]): Promise<{ busy: string[] } | ApiProblem> {
  const limit = pLimit(4);
  let problem: ApiProblem | undefined;
  const held = await Promise.all(
    dates.map((date) =>
      limit(async () => {
        if (problem) return false;
        const answer = await askApi(client, dayHasVisitsRequest(client.apiUrl, siteId, date, client.tokenAuth));
        if (!('value' in answer)) return void (problem ??= answer), false;
        if (!Array.isArray(answer.value)) return void (problem ??= { kind: 'no-api', message: 'Live.getLastVisitsDetails did not answer a list' }), false;
        return answer.value.length > 0;
      }),
    ),
  );
  if (problem) return problem;
  return { busy: dates.filter((_, i) => held[i]) };
}

/** The site's time zone as Matomo stores it. */
export async function siteTimezone(client: ApiClient, siteId: number | string): Promise<{ zone: string } | ApiProblem> {
  const answer = await askApi(client, siteRequest(client.apiUrl, siteId, client.tokenAuth));
  if (!('value' in answer)) return answer;
  const zone = readSiteTimezone(answer.value);
  return zone ? { zone } : { kind: 'no-api', message: 'SitesManager.getSiteFromId answered no timezone' };
}

/**
 * Before anything is sent: the site's time zone must cut days like the plan (else a day's visits
 * land on two of Matomo's days), and the days to fill must hold no visits yet (unless `force`;
 * `checkDays` false for --retry-failed). Days the journal holds are not asked about. A check that
 * cannot be made refuses (TargetError, exit 2); it never turns into a warning.
 */
export async function checkBeforeSending(
  client: ApiClient,
  target: { label: string; siteId: number },
  plan: TargetPlan,
  journalDays: ReadonlyMap<string, unknown>,
  o: { force: boolean; checkDays: boolean },
): Promise<void> {
  const zone = await siteTimezone(client, target.siteId);
  if ('kind' in zone) throw new TargetError(problemText("read the site's time zone", client, target, zone));
  const first = plan.days[0];
  const last = plan.days[plan.days.length - 1];
  const mismatch = first && last ? zonesDiffer(zone.zone, plan.zone, first.startMs, last.endMs) : undefined;
  if (mismatch) {
    throw new TargetError(`backfill: ${target.label}: the ${mismatch}: its days would be cut differently; pass --timezone ${zone.zone}. Nothing was sent`);
  }
  if (o.force || !o.checkDays) return;
  const dates = plan.days.filter((d) => d.visits > 0 && !journalDays.has(d.date)).map((d) => d.date);
  if (dates.length === 0) return;
  const check = await daysHoldingVisits(client, target.siteId, dates);
  if ('kind' in check) throw new TargetError(problemText('check whether the days already hold visits', client, target, check));
  if (check.busy.length) {
    throw new TargetError(
      `backfill: ${target.label} already holds visits on ${check.busy.join(', ')} (Matomo's raw logs, Live.getLastVisitsDetails); ` +
        'remove them first (docs: undo a backfilled window) or pass --force, which DUPLICATES data. Nothing was sent',
    );
  }
}

function problemText(what: string, client: ApiClient, target: { label: string }, problem: ApiProblem): string {
  const base = `backfill: cannot ${what} of ${target.label}`;
  if (problem.kind === 'no-api') {
    return `${base}: no Matomo Reporting API answers at ${client.apiUrl} (${problem.message}); for a tracker-only target pass --no-reporting-api (no checks, no reconciliation). Nothing was sent`;
  }
  if (problem.kind === 'refused') return `${base}: Matomo refused (${problem.message}); check --site-id and the token's access. Nothing was sent`;
  if (problem.kind === 'unreachable') return `${base}: ${problem.message}; check --url (is Matomo running there?). Nothing was sent`;
  return `${base}: ${problem.message}; try again when Matomo answers, or pass --no-reporting-api to send without checks. Nothing was sent`;
}
