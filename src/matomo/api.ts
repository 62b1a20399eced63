import type { HttpRequest, Outcome } from '../transport/transport.js';
import { encodeQuery } from './query.js';

/**
 * Matomo's Reporting API, as pure request building and answer parsing. The token always goes in
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
