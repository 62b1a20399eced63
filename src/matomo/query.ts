/** Matomo's tracker reads PHP-style query strings: keys and values percent-encoded, `&`-joined. */
export function encodeQuery(params: ReadonlyArray<readonly [string, string]>): string {
  let out = '';
  for (let i = 0; i < params.length; i++) {
    const pair = params[i] as readonly [string, string];
    if (i > 0) out += '&';
    out += encodeComponent(pair[0]) + '=' + encodeComponent(pair[1]);
  }
  return out;
}

/**
 * encodeURIComponent, returning the string itself when no character needs escaping (most
 * tracking values: ids, numbers, pf_* timings, rand): no new string per parameter on the hot path.
 */
export function encodeComponent(text: string): string {
  for (let i = 0; i < text.length; i++) {
    if (UNRESERVED[text.charCodeAt(i)] !== 1) return encodeURIComponent(text);
  }
  return text;
}

/** 1 for the characters encodeURIComponent leaves alone: A-Z a-z 0-9 - _ . ! ~ * ' ( ). */
const UNRESERVED = (() => {
  const table = new Uint8Array(128);
  const safe = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~*'()";
  for (let i = 0; i < safe.length; i++) table[safe.charCodeAt(i)] = 1;
  return table;
})();

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
