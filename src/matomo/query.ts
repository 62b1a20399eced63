/** Matomo's tracker reads PHP-style query strings: keys and values percent-encoded, `&`-joined. */
export function encodeQuery(params: ReadonlyArray<readonly [string, string]>): string {
  let out = '';
  for (const [key, value] of params) {
    if (out) out += '&';
    out += encodeURIComponent(key) + '=' + encodeURIComponent(value);
  }
  return out;
}

/** Parses a query string (with or without a leading `?`) into ordered pairs. */
export function decodeQuery(query: string): Array<[string, string]> {
  const text = query.startsWith('?') ? query.slice(1) : query;
  const pairs: Array<[string, string]> = [];
  if (!text) return pairs;
  for (const part of text.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    pairs.push([decodeComponent(key), decodeComponent(value)]);
  }
  return pairs;
}

function decodeComponent(text: string): string {
  const plus = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(plus);
  } catch {
    return plus;
  }
}
