import { describe, expect, it } from 'vitest';
import { MAX_GET_URL_LENGTH, needsToken, toHttpRequest, type TrackerEndpoint } from '../../../src/matomo/http.js';
import { decodeQuery, encodeQuery } from '../../../src/matomo/query.js';
import type { HttpRequest } from '../../../src/transport/transport.js';
import type { TrackingRequest } from '../../../src/matomo/request.js';

const hit = (params: Array<[string, string]>): TrackingRequest => ({
  type: 'pageview',
  visitIndex: 0,
  hitIndex: 0,
  at: 0,
  params,
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0',
});
const tracker = 'https://matomo.example.test/matomo.php';
const basic: Array<[string, string]> = [
  ['idsite', '1'],
  ['rec', '1'],
  ['url', 'https://example.test/a b?x=1&y=2'],
  ['_id', '0123456789abcdef'],
];

describe('toHttpRequest', () => {
  it('sends a hit without token as GET with the query string and the visit’s User-Agent', () => {
    const req = toHttpRequest(hit(basic), { trackerUrl: tracker, headers: { 'X-Gateway': 'k' } });
    expect(req.method).toBe('GET');
    expect(req.body).toBeUndefined();
    expect(req.url.startsWith(`${tracker}?idsite=1&rec=1&url=`)).toBe(true);
    expect(decodeQuery(req.url.slice(req.url.indexOf('?')))).toEqual(basic);
    expect(req.headers).toEqual({ 'x-gateway': 'k', 'user-agent': hit(basic).userAgent });
  });

  it('sends a hit with token_auth as a POST form so the token stays out of access logs', () => {
    const req = toHttpRequest(hit([...basic, ['cip', '192.0.2.7']]), { trackerUrl: tracker, tokenAuth: 's3cret' });
    expect(req.method).toBe('POST');
    expect(req.url).toBe(tracker);
    expect(req.url).not.toContain('s3cret');
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(decodeQuery(req.body!)).toEqual([...basic, ['cip', '192.0.2.7'], ['token_auth', 's3cret']]);
  });

  it.each([
    { why: 'exactly 2,000 characters still fits a GET', extra: 0, method: 'GET' },
    { why: 'one character more goes as POST', extra: 1, method: 'POST' },
  ])('$why', ({ extra, method }) => {
    const fixed = `${tracker}?idsite=1&action_name=`.length;
    const name = 'x'.repeat(MAX_GET_URL_LENGTH - fixed + extra);
    const req = toHttpRequest(hit([['idsite', '1'], ['action_name', name]]), { trackerUrl: tracker });
    expect(req.method).toBe(method);
    if (method === 'POST') {
      expect(req.url).toBe(tracker);
      expect(req.body).toBe(`idsite=1&action_name=${name}`);
    } else {
      expect(req.url.length).toBe(MAX_GET_URL_LENGTH);
    }
  });

  it('appends to a tracker URL that already has a query', () => {
    expect(toHttpRequest(hit([['idsite', '1']]), { trackerUrl: `${tracker}?debug=0` }).url).toBe(`${tracker}?debug=0&idsite=1`);
  });

  it('knows which parameters need a token', () => {
    expect(needsToken(hit(basic))).toBe(false);
    expect(needsToken(hit([...basic, ['country', 'se']]))).toBe(true);
    expect(needsToken(hit([...basic, ['cip', '192.0.2.1']]))).toBe(true);
  });
});

/** The per-hit form toHttpRequest had before it prepared each endpoint once: the reference. */
function referenceHttpRequest(request: TrackingRequest, endpoint: TrackerEndpoint): HttpRequest {
  const headers: Record<string, string> = {};
  if (endpoint.headers) for (const [name, value] of Object.entries(endpoint.headers)) headers[name.toLowerCase()] = value;
  headers['user-agent'] = request.userAgent;
  const query = encodeQuery(request.params);
  const scheme = endpoint.trackerUrl.indexOf('://');
  const slash = endpoint.trackerUrl.indexOf('/', scheme + 3);
  const tracker = slash < 0
    ? { origin: endpoint.trackerUrl.split('?')[0]!, path: endpoint.trackerUrl.includes('?') ? '/' + endpoint.trackerUrl.slice(endpoint.trackerUrl.indexOf('?')) : '/' }
    : { origin: endpoint.trackerUrl.slice(0, slash), path: endpoint.trackerUrl.slice(slash) };
  if (endpoint.tokenAuth !== undefined && endpoint.tokenAuth !== '') {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    const token = encodeQuery([['token_auth', endpoint.tokenAuth]]);
    return { method: 'POST', url: endpoint.trackerUrl, ...tracker, headers, body: query ? `${query}&${token}` : token };
  }
  const separator = endpoint.trackerUrl.includes('?') ? '&' : '?';
  const url = endpoint.trackerUrl + separator + query;
  if (url.length <= MAX_GET_URL_LENGTH) return { method: 'GET', url, origin: tracker.origin, path: tracker.path + separator + query, headers };
  headers['content-type'] = 'application/x-www-form-urlencoded';
  return { method: 'POST', url: endpoint.trackerUrl, ...tracker, headers, body: query };
}

describe('toHttpRequest with an endpoint prepared once', () => {
  const long: Array<[string, string]> = [...basic, ['action_name', 'x'.repeat(MAX_GET_URL_LENGTH)]];
  const endpoints: Array<{ why: string; endpoint: TrackerEndpoint }> = [
    { why: 'a plain tracker URL', endpoint: { trackerUrl: tracker } },
    { why: 'a tracker URL with a query', endpoint: { trackerUrl: `${tracker}?debug=0` } },
    { why: 'a host without a path', endpoint: { trackerUrl: 'http://127.0.0.1:8080' } },
    { why: 'a host and a query without a path', endpoint: { trackerUrl: 'http://127.0.0.1:8080?a=1' } },
    { why: '--header values (names lowercased, the visit’s User-Agent wins)', endpoint: { trackerUrl: tracker, headers: { 'X-Key': 'k', 'User-Agent': 'curl' } } },
    { why: 'a token (POST)', endpoint: { trackerUrl: tracker, tokenAuth: 's3cret&=' } },
    { why: 'an empty token (GET)', endpoint: { trackerUrl: tracker, tokenAuth: '' } },
  ];
  it.each(endpoints)('builds what the per-hit form built: $why', ({ endpoint }) => {
    for (const params of [basic, long, []]) {
      // Twice: the second request uses the prepared endpoint.
      expect(toHttpRequest(hit(params), endpoint)).toStrictEqual(referenceHttpRequest(hit(params), endpoint));
      expect(toHttpRequest(hit(params), endpoint)).toStrictEqual(referenceHttpRequest(hit(params), endpoint));
    }
  });

  it('prepares an endpoint object again when it was changed', () => {
    const endpoint: TrackerEndpoint = { trackerUrl: tracker };
    expect(toHttpRequest(hit(basic), endpoint).method).toBe('GET');
    endpoint.tokenAuth = 't';
    expect(toHttpRequest(hit(basic), endpoint).method).toBe('POST');
    endpoint.trackerUrl = 'http://127.0.0.1:9/matomo.php';
    expect(toHttpRequest(hit(basic), endpoint).origin).toBe('http://127.0.0.1:9');
    endpoint.headers = { 'X-A': 'b' };
    expect(toHttpRequest(hit(basic), endpoint).headers['x-a']).toBe('b');
  });
});
