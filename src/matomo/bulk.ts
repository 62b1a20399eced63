import type { TrackingRequest } from './request.js';

/**
 * Matomo's bulk tracking: POST `{"requests": ["?idsite=1&...", ...], "token_auth": "..."}` to
 * matomo.php. The answer `{"status","tracked","invalid"[,"invalid_indices"]}` is the only proof of
 * what Matomo did with the hits, and `send_image=0` in a bulk request suppresses it (Matomo then
 * answers 204 with no body), so that parameter is stripped here whatever the encoder put in.
 */

/** One request's `?query` as the bulk wants it: percent-encoded, send_image dropped. */
export function bulkQuery(params: ReadonlyArray<readonly [string, string]>): string {
  let out = '?';
  for (let i = 0; i < params.length; i++) {
    const pair = params[i] as readonly [string, string];
    const key = pair[0];
    if (key === 'send_image') continue;
    if (out.length > 1) out += '&';
    out += encodeURIComponent(key) + '=' + encodeURIComponent(pair[1]);
  }
  return out;
}

/**
 * The bulk body. Built by plain concatenation: percent-encoded text holds no `"` or `\`, so each
 * query is a valid JSON string as it is; only the token goes through JSON.stringify. A request
 * whose bulk query a worker thread made already gives it as it is.
 */
export function bulkBody(requests: readonly TrackingRequest[], tokenAuth: string | undefined): string {
  let out = '{"requests":[';
  for (let i = 0; i < requests.length; i++) {
    if (i > 0) out += ',';
    const req = requests[i] as TrackingRequest;
    out += '"' + (req.bulkQuery ?? bulkQuery(req.params)) + '"';
  }
  out += ']';
  if (tokenAuth) out += ',"token_auth":' + JSON.stringify(tokenAuth);
  return out + '}';
}

/** A single hit as a POST form body (keeps the token out of URLs and access logs). */
export function singleHitBody(request: TrackingRequest, tokenAuth: string | undefined): string {
  let out = '';
  for (const [key, value] of request.params) {
    if (out) out += '&';
    out += encodeURIComponent(key) + '=' + encodeURIComponent(value);
  }
  if (tokenAuth) out += (out ? '&' : '') + 'token_auth=' + encodeURIComponent(tokenAuth);
  return out;
}

export interface BulkAnswer {
  status: string;
  tracked: number;
  invalid: number;
  /** Positions (0-based, in the batch) of the invalid hits; only given to a super-user token. */
  invalidIndices?: number[];
  /** Hits the answer accounts for neither as tracked nor as invalid. */
  unaccounted: number;
}

export type BulkParse = { ok: true; answer: BulkAnswer } | { ok: false; message: string };

/** Reads a 2xx bulk answer for a batch of `sent` hits. */
export function parseBulkAnswer(body: string, sent: number): BulkParse {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { ok: false, message: body.trim() ? 'the bulk answer is not JSON' : 'the bulk answer is empty (send_image=0 in the request?)' };
  }
  if (typeof value !== 'object' || value === null) return { ok: false, message: 'the bulk answer is not a JSON object' };
  const v = value as Record<string, unknown>;
  const status = typeof v.status === 'string' ? v.status : 'unknown';
  const tracked = toCount(v.tracked);
  const invalid = toCount(v.invalid);
  if (tracked === undefined) return { ok: false, message: `the bulk answer has no "tracked" count (status ${status})` };
  const answer: BulkAnswer = { status, tracked, invalid: invalid ?? 0, unaccounted: 0 };
  if (Array.isArray(v.invalid_indices)) {
    const indices = v.invalid_indices.filter((i): i is number => Number.isInteger(i) && i >= 0 && i < sent);
    answer.invalidIndices = [...new Set(indices)].sort((a, b) => a - b);
  }
  answer.unaccounted = Math.max(0, sent - answer.tracked - answer.invalid);
  return { ok: true, answer };
}

function toCount(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined;
}
