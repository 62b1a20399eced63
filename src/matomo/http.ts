import type { HttpRequest } from '../transport/transport.js';
import { encodeQuery } from './query.js';
import type { TrackingRequest } from './request.js';

/** Matomo (and the proxies in front of it) may refuse longer request lines; POST beyond this. */
export const MAX_GET_URL_LENGTH = 2000;

export interface TrackerEndpoint {
  /** The tracker URL, e.g. https://matomo.example.test/matomo.php. */
  trackerUrl: string;
  /** Added as token_auth to hits that need it; such hits go as POST so it stays out of access logs. */
  tokenAuth?: string;
  /** --header values for every request (basic auth, gateway keys). */
  headers?: Record<string, string>;
}

const FORM = 'application/x-www-form-urlencoded';

/**
 * One tracking request on the wire: GET with the parameters in the query string, or POST with a
 * form body when it carries token_auth or the URL would exceed 2,000 characters. The visit's user
 * agent goes in the User-Agent header as well (Matomo reads `ua` first, proxies log the header).
 */
export function toHttpRequest(request: TrackingRequest, endpoint: TrackerEndpoint): HttpRequest {
  const headers: Record<string, string> = {};
  if (endpoint.headers) for (const [name, value] of Object.entries(endpoint.headers)) headers[name.toLowerCase()] = value;
  headers['user-agent'] = request.userAgent;
  const query = encodeQuery(request.params);
  if (endpoint.tokenAuth !== undefined && endpoint.tokenAuth !== '') {
    headers['content-type'] = FORM;
    const token = encodeQuery([['token_auth', endpoint.tokenAuth]]);
    return { method: 'POST', url: endpoint.trackerUrl, headers, body: query ? `${query}&${token}` : token };
  }
  const separator = endpoint.trackerUrl.includes('?') ? '&' : '?';
  const url = endpoint.trackerUrl + separator + query;
  if (url.length <= MAX_GET_URL_LENGTH) return { method: 'GET', url, headers };
  headers['content-type'] = FORM;
  return { method: 'POST', url: endpoint.trackerUrl, headers, body: query };
}

/**
 * Parameters Matomo accepts only with a token_auth that may write to the site (it answers 400
 * otherwise). The run adds the token to hits carrying one of them, and to no other.
 */
const TOKEN_PARAMS = new Set(['cip', 'country', 'region', 'city', 'lat', 'long']);

export function needsToken(request: TrackingRequest): boolean {
  for (const [name] of request.params) if (TOKEN_PARAMS.has(name)) return true;
  return false;
}
