/**
 * Tracking parameters as the sink reads them: ordered pairs (what --record writes) plus a lookup
 * where the last value of a repeated key wins, as in PHP's $_GET.
 */
export type Pairs = Array<[string, string]>;

/** Parses a query string (no leading `?`) on the hot path: decodes only what needs decoding. */
export function parseQuery(text: string, into: Pairs = []): Pairs {
  let start = text.charCodeAt(0) === 63 /* ? */ ? 1 : 0;
  const end = text.length;
  while (start < end) {
    let amp = text.indexOf('&', start);
    if (amp < 0) amp = end;
    if (amp > start) {
      const eq = text.indexOf('=', start);
      if (eq >= 0 && eq < amp) {
        into.push([decode(text.slice(start, eq)), decode(text.slice(eq + 1, amp))]);
      } else {
        into.push([decode(text.slice(start, amp)), '']);
      }
    }
    start = amp + 1;
  }
  return into;
}

function decode(part: string): string {
  let text = part;
  if (text.indexOf('+') >= 0) text = text.replace(/\+/g, ' ');
  if (text.indexOf('%') < 0) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Last value wins, like PHP. */
export function lookup(pairs: Pairs): Map<string, string> {
  const map = new Map<string, string>();
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i]!;
    map.set(pair[0], pair[1]);
  }
  return map;
}

/** The pairs without token_auth: what --record and the tracking-failure log may show. */
export function withoutToken(pairs: Pairs): Pairs {
  return pairs.filter((pair) => pair[0] !== 'token_auth');
}

/** Re-encodes pairs as a query string (for tracking-failure entries). */
export function encodePairs(pairs: Pairs): string {
  let out = '';
  for (const [key, value] of pairs) {
    if (out) out += '&';
    out += encodeURIComponent(key) + '=' + encodeURIComponent(value).replace(/%20/g, '+');
  }
  return out;
}
