import pLimit from 'p-limit';
import { TargetError } from '../errors.js';
import { apiRequest, parseApiAnswer, type ApiAnswer } from '../matomo/api.js';
import { readSiteTimezone, siteRequest } from '../matomo/reporting.js';
import { zonesDiffer } from '../matomo/site-zone.js';
import type { Clock } from '../time/clock.js';
import type { HttpRequest, Outcome, Transport } from '../transport/transport.js';
import type { TargetPlan } from './plan.js';

/**
 * What backfill asks Matomo before sending: which days already hold visits, and the site's time
 * zone. A check that cannot be made refuses the backfill (the caller exits 2): a briefly
 * overloaded Matomo must not switch a protection off, so transient answers (network errors, 5xx,
 * 429) are retried with backoff first.
 */
export interface ApiClient {
  transport: Transport;
  clock: Clock;
  apiUrl: string;
  tokenAuth?: string;
  /** Waits between tries; the default is 1, 2, 4 and 8 s. */
  backoffMs?: readonly number[];
  signal?: AbortSignal;
}

export type CheckProblem =
  /** Nothing answers like Matomo's Reporting API there (HTML, 404, not JSON): a tracker-only proxy. */
  | { kind: 'no-api'; message: string }
  /** Matomo answered with an error that will not go away (bad token, unknown site, no access). */
  | { kind: 'refused'; message: string }
  /** Still a timeout, 5xx or 429 after every retry. */
  | { kind: 'unavailable'; message: string }
  /** Nothing listens there, or the name does not resolve. */
  | { kind: 'unreachable'; message: string };

const DEFAULT_BACKOFF = [1000, 2000, 4000, 8000];

/** Worth asking again: a busy server (5xx, 429) or a request cut short; not a refusal or DNS. */
function transient(outcome: Outcome, answer: ApiAnswer & { ok: false }): boolean {
  if (outcome.kind === 'error') return outcome.errorClass === 'timeout' || outcome.errorClass === 'reset';
  return answer.status !== undefined && (answer.status >= 500 || answer.status === 429);
}

/**
 * What a failed API answer says about the target: nothing listens (a network error), Matomo refused
 * (a JSON error object), or no Reporting API is there at all (anything not JSON: a tracker-only proxy).
 */
export function failureOf(outcome: Outcome, message: string): Exclude<CheckProblem, { kind: 'unavailable' }> {
  if (outcome.kind === 'error') return { kind: 'unreachable', message };
  try {
    JSON.parse(outcome.body);
    return { kind: 'refused', message };
  } catch {
    return { kind: 'no-api', message };
  }
}

/** Sends an API request, retrying transient failures; the last answer, and how it failed. */
export async function askApi(client: ApiClient, request: HttpRequest): Promise<{ value: unknown } | CheckProblem> {
  const waits = client.backoffMs ?? DEFAULT_BACKOFF;
  for (let attempt = 0; ; attempt++) {
    const outcome = await client.transport.send(request);
    const answer = parseApiAnswer(outcome);
    if (answer.ok) return { value: answer.value };
    if (!transient(outcome, answer)) return failureOf(outcome, answer.message);
    const wait = waits[attempt];
    if (wait === undefined) return { kind: 'unavailable', message: `${answer.message} (after ${attempt + 1} tries)` };
    await client.clock.sleep(wait, client.signal);
  }
}

/** The days (of `dates`) whose raw log holds any visit of the site; four questions at a time. */
export async function daysHoldingVisits(client: ApiClient, siteId: number | string, dates: readonly string[]): Promise<{ busy: string[] } | CheckProblem> {
  const limit = pLimit(4);
  let problem: CheckProblem | undefined;
  const held = await Promise.all(
    dates.map((date) =>
      limit(async () => {
        if (problem) return false;
        const request = apiRequest(
          client.apiUrl,
          'Live.getLastVisitsDetails',
          [['idSite', String(siteId)], ['period', 'day'], ['date', date], ['filter_limit', '1'], ['doNotFetchActions', '1']],
          client.tokenAuth,
        );
        const answer = await askApi(client, request);
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
export async function siteTimezone(client: ApiClient, siteId: number | string): Promise<{ zone: string } | CheckProblem> {
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

function problemText(what: string, client: ApiClient, target: { label: string }, problem: CheckProblem): string {
  const base = `backfill: cannot ${what} of ${target.label}`;
  if (problem.kind === 'no-api') {
    return `${base}: no Matomo Reporting API answers at ${client.apiUrl} (${problem.message}); for a tracker-only target pass --no-reporting-api (no checks, no reconciliation). Nothing was sent`;
  }
  if (problem.kind === 'refused') return `${base}: Matomo refused (${problem.message}); check --site-id and the token's access. Nothing was sent`;
  if (problem.kind === 'unreachable') return `${base}: ${problem.message}; check --url (is Matomo running there?). Nothing was sent`;
  return `${base}: ${problem.message}; try again when Matomo answers, or pass --no-reporting-api to send without checks. Nothing was sent`;
}
