import pLimit from 'p-limit';
import { apiRequest, parseApiAnswer, type ApiAnswer } from '../matomo/api.js';
import { readSiteTimezone, siteRequest } from '../matomo/reporting.js';
import type { Clock } from '../time/clock.js';
import type { HttpRequest, Outcome, Transport } from '../transport/transport.js';

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
