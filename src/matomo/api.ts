import type { Clock } from '../time/clock.js';
import type { HttpRequest, Outcome, Transport } from '../transport/transport.js';
import { encodeQuery } from './query.js';

/**
 * Matomo's Reporting API: the envelope of every request and answer, and the one client that sends
 * them (the requests and their parsers are in reporting.ts). The token always goes in
 * the POST body: Matomo may require it there, and it stays out of access logs and URLs.
 */
export function apiRequest(
  apiUrl: string,
  method: string,
  params: ReadonlyArray<readonly [string, string]>,
  tokenAuth?: string,
): HttpRequest {
  const body: Array<[string, string]> = [
    ['module', 'API'],
    ['method', method],
    ['format', 'JSON'],
    ...params.map(([k, v]) => [k, v] as [string, string]),
  ];
  if (tokenAuth) body.push(['token_auth', tokenAuth]);
  return {
    method: 'POST',
    url: apiUrl,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: encodeQuery(body),
  };
}

/** `https://host/path/matomo.php` -> `https://host/path/index.php`. */
export function apiUrlFor(trackerUrl: string): string {
  const url = new URL(trackerUrl);
  url.pathname = url.pathname.replace(/[^/]*$/, 'index.php');
  url.search = '';
  url.hash = '';
  return url.toString();
}

export type ApiAnswer =
  | { ok: true; status: number; value: unknown }
  | { ok: false; status?: number; message: string };

/**
 * Reads an API answer. Matomo reports most errors as `{"result":"error","message":...}` with HTTP
 * 200 (unknown site) or 401 (bad token); anything that is not JSON is not a Matomo API.
 */
export function parseApiAnswer(outcome: Outcome): ApiAnswer {
  if (outcome.kind === 'error') return { ok: false, message: `${outcome.errorClass}: ${outcome.message}` };
  let value: unknown;
  try {
    value = JSON.parse(outcome.body);
  } catch {
    return { ok: false, status: outcome.status, message: `HTTP ${outcome.status}, not a JSON answer from Matomo's API` };
  }
  if (isErrorObject(value)) return { ok: false, status: outcome.status, message: value.message };
  if (outcome.status < 200 || outcome.status >= 300) {
    return { ok: false, status: outcome.status, message: `HTTP ${outcome.status}` };
  }
  return { ok: true, status: outcome.status, value };
}

function isErrorObject(value: unknown): value is { result: 'error'; message: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { result?: unknown }).result === 'error' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

/**
 * The one client of the Reporting API: a transport, the API's URL and token, and how long to wait
 * between tries. askApi retries transient answers (timeouts, resets, 5xx, 429; by default after 1,
 * 2, 4 and 8 s) for the checks that must not give up on a briefly overloaded Matomo; answerOnce
 * asks once, for the reads that report a failure instead.
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

export type ApiProblem =
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
export function failureOf(outcome: Outcome, message: string): Exclude<ApiProblem, { kind: 'unavailable' }> {
  if (outcome.kind === 'error') return { kind: 'unreachable', message };
  try {
    JSON.parse(outcome.body);
    return { kind: 'refused', message };
  } catch {
    return { kind: 'no-api', message };
  }
}

/** Sends an API request, retrying transient failures; the last answer, and how it failed. */
export async function askApi(client: ApiClient, request: HttpRequest): Promise<{ value: unknown } | ApiProblem> {
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

/** One request, one answer: no retry (the caller reports what failed). */
export async function answerOnce(client: Pick<ApiClient, 'transport'>, request: HttpRequest): Promise<ApiAnswer> {
  return parseApiAnswer(await client.transport.send(request));
}
