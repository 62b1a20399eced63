import { describe, expect, it } from 'vitest';
import { MAX_GET_URL_LENGTH, needsToken, toHttpRequest } from '../../../src/matomo/http.js';
import { decodeQuery } from '../../../src/matomo/query.js';
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
