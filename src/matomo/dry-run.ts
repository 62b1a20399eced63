import { formatIsoSeconds } from './local-time.js';
import type { TrackingRequest } from './request.js';

export interface DryRunExtra {
  /** Target name, when a run has several targets. */
  target?: string;
  /** Backfill: the local date of the visit's day. */
  day?: string;
  /** Visit number to print (backfill: within the day); defaults to request.visitIndex. */
  visit?: number;
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON must escape
const needsEscape = /["\\\u0000-\u001f\u2028\u2029\ud800-\udfff]/;

function quote(text: string): string {
  return needsEscape.test(text) ? JSON.stringify(text) : '"' + text + '"';
}

// Long values (user agent, urls, visitor id, address, language) repeat on every hit of a visit:
// quote each once. Bounded, so a long run never grows it.
const quoted = new Map<string, string>();

/** JSON string literal; the common case (nothing to escape) skips JSON.stringify. */
function q(text: string): string {
  if (text.length < 24) return quote(text);
  let out = quoted.get(text);
  if (out === undefined) {
    if (quoted.size >= 4096) quoted.clear();
    quoted.set(text, (out = quote(text)));
  }
  return out;
}

/**
 * One NDJSON line (no trailing newline) for a request in a dry run:
 * {"target": .., "day": .., "visit": 0, "hit": 0, "type": "pageview", "at": "<cdt as ISO-8601 UTC>",
 *  "ua": "...", "params": {...every parameter as a string, in send order...}}
 * target and day only when given; token_auth never appears, even if a caller added it.
 */
export function dryRunLine(request: TrackingRequest, extra: DryRunExtra = {}): string {
  let line = '{';
  if (extra.target !== undefined) line += `"target": ${q(extra.target)}, `;
  if (extra.day !== undefined) line += `"day": ${q(extra.day)}, `;
  line += `"visit": ${extra.visit ?? request.visitIndex}, "hit": ${request.hitIndex}, "type": ${q(request.type)}, `;
  line += `"at": "${formatIsoSeconds(request.at)}", "ua": ${q(request.userAgent)}, "params": {`;
  let first = true;
  for (const [key, value] of request.params) {
    if (key === 'token_auth') continue;
    line += (first ? '' : ', ') + q(key) + ': ' + q(value);
    first = false;
  }
  return line + '}}';
}
