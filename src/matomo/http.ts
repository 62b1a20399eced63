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
  const prepared = preparedOf(endpoint);
  let headers: Record<string, string>;
  if (prepared.headers) {
    headers = { ...prepared.headers };
    headers['user-agent'] = request.userAgent;
  } else {
    headers = { 'user-agent': request.userAgent };
  }
  const query = flat(request.query ?? encodeQuery(request.params));
  if (prepared.token !== undefined) {
    headers['content-type'] = FORM;
    return { method: 'POST', url: endpoint.trackerUrl, origin: prepared.origin, path: prepared.path, headers, body: query ? `${query}&${prepared.token}` : prepared.token };
  }
  const url = prepared.getPrefix + query;
  if (url.length <= MAX_GET_URL_LENGTH) return { method: 'GET', url, origin: prepared.origin, path: prepared.pathPrefix + query, headers };
  headers['content-type'] = FORM;
  return { method: 'POST', url: endpoint.trackerUrl, origin: prepared.origin, path: prepared.path, headers, body: query };
}

/** What every request to one endpoint shares, worked out once instead of per hit. */
interface PreparedEndpoint {
  /** What it was prepared from (an endpoint object changed since is prepared again). */
  from: { trackerUrl: string; tokenAuth: string | undefined; headers: Record<string, string> | undefined };
  /** --header values, names lowercased; undefined when there are none. */
  headers: Record<string, string> | undefined;
  origin: string;
  path: string;
  /** The tracker URL and the separator before a query (`?`, or `&` when it has one). */
  getPrefix: string;
  /** The path and that separator. */
  pathPrefix: string;
  /** `token_auth=…` encoded, for endpoints that carry one. */
  token: string | undefined;
}

/** Keyed by the endpoint object: a run hands the same endpoint (per target) to every hit. */
const prepared = new WeakMap<TrackerEndpoint, PreparedEndpoint>();

function preparedOf(endpoint: TrackerEndpoint): PreparedEndpoint {
  let p = prepared.get(endpoint);
  if (p === undefined || p.from.trackerUrl !== endpoint.trackerUrl || p.from.tokenAuth !== endpoint.tokenAuth || p.from.headers !== endpoint.headers) {
    p = prepare(endpoint);
    prepared.set(endpoint, p);
  }
  return p;
}

function prepare(endpoint: TrackerEndpoint): PreparedEndpoint {
  let headers: Record<string, string> | undefined;
  if (endpoint.headers) {
    for (const [name, value] of Object.entries(endpoint.headers)) (headers ??= {})[name.toLowerCase()] = value;
  }
  const { origin, path } = splitTracker(endpoint.trackerUrl);
  const separator = endpoint.trackerUrl.includes('?') ? '&' : '?';
  const withToken = endpoint.tokenAuth !== undefined && endpoint.tokenAuth !== '';
  return {
    from: { trackerUrl: endpoint.trackerUrl, tokenAuth: endpoint.tokenAuth, headers: endpoint.headers },
    headers,
    origin,
    path,
    getPrefix: endpoint.trackerUrl + separator,
    pathPrefix: path + separator,
    token: withToken ? encodeQuery([['token_auth', endpoint.tokenAuth as string]]) : undefined,
  };
}

/**
 * The query as one flat string. `+=` builds a rope of ~100 pieces that V8 joins only when the
 * string is written; a run builds a visit's requests when it starts, so every rope would survive
 * young-generation collections (each piece copied each time) until its hit is sent. Converting
 * the string to a number flattens it in place (the trick of the flatstr package); the number is
 * thrown away.
 */
function flat(text: string): string {
  void Number(text);
  return text;
}

/** The last tracker split, reused: a run sends every hit of a target to the same URL. */
let lastTracker: { url: string; origin: string; path: string } | undefined;

/**
 * `http://host:port/path?q` -> origin and path (for the transport, which then parses nothing per
 * hit). A URL without a path gets `/`.
 */
export function splitTracker(url: string): { origin: string; path: string } {
  if (lastTracker?.url === url) return { origin: lastTracker.origin, path: lastTracker.path };
  const scheme = url.indexOf('://');
  const slash = scheme < 0 ? -1 : url.indexOf('/', scheme + 3);
  let origin: string;
  let path: string;
  if (slash >= 0) {
    origin = url.slice(0, slash);
    path = url.slice(slash);
  } else {
    const query = url.indexOf('?', scheme + 3);
    origin = query < 0 ? url : url.slice(0, query);
    path = query < 0 ? '/' : '/' + url.slice(query);
  }
  lastTracker = { url, origin, path };
  return { origin, path };
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
