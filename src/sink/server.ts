import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UsageError } from '../errors.js';
import type { Clock } from '../time/clock.js';
import {
  BULK_JSON_TYPE,
  API_JSON_TYPE,
  GIF_TYPE,
  HTML_TYPE,
  TRACKER_GIF,
  TRACKER_PAGE,
} from './answers.js';
import { answerApi } from './api.js';
import { DayKeys } from './day-key.js';
import { CapacityModel } from './capacity.js';
import { FaultPlan } from './faults.js';
import { judgeHit, type HitContext } from './judge.js';
import { Ledger } from './ledger.js';
import type { SinkOptions } from './options.js';
import { encodePairs, lookup, parseQuery, withoutToken, type Pairs } from './params.js';
import type { Recorder } from './recorder.js';

const MAX_BODY = 32 * 1024 * 1024;
const NO_STORE_HTML = { 'content-type': HTML_TYPE, 'cache-control': 'no-store' };
const GIF_HEADERS = { 'content-type': GIF_TYPE, 'cache-control': 'no-store' };
const BULK_HEADERS = {
  'content-type': BULK_JSON_TYPE,
  'access-control-allow-origin': '*',
  'access-control-allow-credentials': 'true',
};

/** Counters of the HTTP side: requests by kind, hits seen, status codes sent. */
export interface Traffic {
  tracker: number;
  bulk: number;
  api: number;
  other: number;
  hitsReceived: number;
  statusCodes: Map<number, number>;
}

export interface SinkServerDeps {
  clock: Clock;
  recorder?: Recorder;
}

/**
 * The sink's HTTP side on node:http: routes requests, answers like Matomo 5.0.2, injects faults.
 * All judging and counting happens synchronously per request, so counts never race.
 */
export class SinkServer {
  readonly days: DayKeys;
  readonly ledger: Ledger;
  readonly faults: FaultPlan;
  readonly capacity: CapacityModel | undefined;
  readonly traffic: Traffic = { tracker: 0, bulk: 0, api: 0, other: 0, hitsReceived: 0, statusCodes: new Map() };
  private readonly server: Server;
  private readonly sites: ReadonlySet<number> | undefined;
  private baseUrl = '';

  constructor(
    readonly options: SinkOptions,
    private readonly deps: SinkServerDeps,
  ) {
    this.days = new DayKeys(options.timezone);
    this.ledger = new Ledger(this.days);
    this.faults = new FaultPlan(options.faults);
    this.capacity = options.capacity ? new CapacityModel(options.capacity) : undefined;
    this.sites = options.sites ? new Set(options.sites) : undefined;
    this.server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => this.handle(req, res));
  }

  get url(): string {
    return this.baseUrl;
  }

  /** Listens and resolves with the base URL; a busy port or bad host is a UsageError. */
  listen(): Promise<string> {
    const { host, port } = this.options;
    return new Promise((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException): void => {
        const why =
          error.code === 'EADDRINUSE'
            ? `port ${port} on ${host} is busy: choose another --port, or 0 for a free one`
            : `cannot listen on ${host}:${port} (${error.code ?? error.message}): check --host and --port`;
        reject(new UsageError(why));
      };
      this.server.once('error', onError);
      this.server.listen(port, host.replace(/^\[|\]$/g, ''), () => {
        this.server.off('error', onError);
        const address = this.server.address() as AddressInfo;
        const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
        this.baseUrl = `http://${shown}:${address.port}`;
        resolve(this.baseUrl);
      });
    });
  }

  /** Stops accepting, then ends the open connections (keep-alive clients included). */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
      setImmediate(() => this.server.closeAllConnections());
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '/';
    if (req.method === 'POST') {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_BODY) chunks.push(chunk);
      });
      req.on('end', () => {
        if (size > MAX_BODY) return this.send(res, 413, NO_STORE_HTML, 'Request body too large\n');
        this.route(req, res, url, Buffer.concat(chunks).toString('utf8'));
      });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return this.send(res, 405, { 'content-type': 'text/plain', allow: 'GET, POST' }, 'Method not allowed\n');
    }
    this.route(req, res, url, '');
  }

  private route(req: IncomingMessage, res: ServerResponse, url: string, body: string): void {
    if (this.capacity && isTrackerPath(url)) {
      const decision = this.capacity.admit(this.deps.clock.monotonic(), body && isBulk(body) ? bulkSize(body) : 1);
      if (decision.kind === 'full') {
        const headers = { 'content-type': HTML_TYPE, 'retry-after': '1' };
        return this.send(res, 503, headers, 'Over capacity: the sink queue is full (--capacity)\n');
      }
      this.deps.clock.sleep(decision.delayMs).then(
        () => this.faulty(req, res, url, body),
        () => req.socket.destroy(),
      );
      return;
    }
    this.faulty(req, res, url, body);
  }

  private faulty(req: IncomingMessage, res: ServerResponse, url: string, body: string): void {
    if (this.faults.active) {
      const decision = this.faults.decide(req.method ?? 'GET', url, body);
      if (decision.action === 'reset') {
        req.socket.destroy();
        return;
      }
      if (decision.delayMs > 0) {
        this.deps.clock.sleep(decision.delayMs).then(
          () => this.answer(req, res, url, body, decision.action === 'fail'),
          () => req.socket.destroy(),
        );
        return;
      }
      if (decision.action === 'fail') return this.answer(req, res, url, body, true);
    }
    this.answer(req, res, url, body, false);
  }

  private answer(req: IncomingMessage, res: ServerResponse, url: string, body: string, fail: boolean): void {
    if (fail) {
      const status = this.options.faults.failStatus;
      const headers: Record<string, string> = { 'content-type': HTML_TYPE };
      if (status !== 500) headers['retry-after'] = '1';
      return this.send(res, status, headers, `Fault injected by trafficinator sink (HTTP ${status})\n`);
    }
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const query = q < 0 ? '' : url.slice(q + 1);
    if (path.endsWith('/matomo.php') || path.endsWith('/piwik.php')) {
      return this.tracker(req, res, query, body);
    }
    if (path === '/' || path.endsWith('/index.php')) return this.api(req, res, query, body);
    this.traffic.other += 1;
    this.send(res, 404, { 'content-type': 'text/plain' }, 'Not found: the sink serves /matomo.php and /index.php\n');
  }

  private tracker(req: IncomingMessage, res: ServerResponse, query: string, body: string): void {
    if (body && isBulk(body)) return this.bulk(req, res, body);
    this.traffic.tracker += 1;
    const pairs = parseQuery(query);
    const bodyPairs = body ? parseQuery(body) : [];
    if (pairs.length === 0 && bodyPairs.length === 0) return this.send(res, 200, { 'content-type': HTML_TYPE }, TRACKER_PAGE);
    // PHP's $_GET + $_POST: the query string wins a repeated key.
    const params = lookup(bodyPairs.concat(pairs));
    const all = bodyPairs.length ? pairs.concat(bodyPairs) : pairs;
    const ok = this.hit(all, params, this.context(req, params.get('token_auth')));
    if (!ok) return this.send(res, 400, NO_STORE_HTML, TRACKER_PAGE);
    if (params.get('send_image') === '0') return this.send(res, 204, NO_STORE_HTML, undefined, 'No Response');
    this.send(res, 200, GIF_HEADERS, TRACKER_GIF);
  }

  private bulk(req: IncomingMessage, res: ServerResponse, body: string): void {
    this.traffic.bulk += 1;
    let parsed: { requests?: unknown; token_auth?: unknown };
    try {
      parsed = JSON.parse(body) as typeof parsed;
    } catch {
      return this.send(res, 400, NO_STORE_HTML, TRACKER_PAGE);
    }
    const requests = Array.isArray(parsed.requests) ? (parsed.requests as unknown[]) : [];
    const batchToken = typeof parsed.token_auth === 'string' ? parsed.token_auth : undefined;
    const partial = this.faults.partialCommit(body, requests.map(entryText));
    let tracked = 0;
    const invalid: number[] = [];
    for (let i = 0; i < requests.length; i++) {
      const pairs = toPairs(requests[i]);
      const params = lookup(pairs);
      const ctx = this.context(req, batchToken ?? params.get('token_auth'));
      const ok = partial && i < partial.lost ? this.lostHit(params, ctx) : this.hit(pairs, params, ctx);
      if (ok) tracked += 1;
      else invalid.push(i);
    }
    // A partial commit still counts every hit it tracked before the failed commit (not what it kept).
    const answer: Record<string, unknown> = { status: partial ? 'error' : 'success', tracked, invalid: invalid.length };
    // Matomo lists the failing positions only to a caller whose token it accepts.
    if (this.tokenAccepted(batchToken)) answer.invalid_indices = invalid;
    this.send(res, partial ? 500 : 200, BULK_HEADERS, JSON.stringify(answer));
  }

  /** A hit tracked and then rolled back by a partial commit: judged for the counts, never recorded. */
  private lostHit(params: Map<string, string>, ctx: HitContext): boolean {
    this.traffic.hitsReceived += 1;
    return judgeHit(params, ctx).kind !== 'rejected';
  }

  private tokenAccepted(token: string | undefined): boolean {
    if (!token) return false;
    return this.options.token === undefined || token === this.options.token;
  }

  private context(req: IncomingMessage, token: string | undefined): HitContext {
    return {
      authenticated: this.tokenAccepted(token),
      remoteAddress: req.socket.remoteAddress ?? '',
      headerUserAgent: req.headers['user-agent'] ?? '',
      now: this.deps.clock.now(),
      sites: this.sites,
    };
  }

  /** Judges and counts one hit; false when Matomo would call it invalid. */
  private hit(pairs: Pairs, params: Map<string, string>, ctx: HitContext): boolean {
    this.traffic.hitsReceived += 1;
    const verdict = judgeHit(params, ctx);
    if (verdict.kind === 'excluded') {
      this.ledger.exclude(verdict.reason);
      return true;
    }
    let reason = verdict.kind === 'rejected' ? verdict.reason : undefined;
    if (verdict.kind === 'accepted') {
      reason = this.ledger.record(verdict, params.get('cdt') ?? '');
      if (reason === undefined) {
        this.deps.recorder?.write(verdict.type, verdict.at, pairs);
        return true;
      }
    }
    this.ledger.reject(reason!);
    this.ledger.noteFailure({
      idsite: verdict.site,
      reason: reason!,
      firstAt: ctx.now,
      requestUrl: encodePairs(withoutToken(pairs)),
      url: params.get('url') ?? '',
    });
    return false;
  }

  private api(req: IncomingMessage, res: ServerResponse, query: string, body: string): void {
    const pairs = parseQuery(query);
    const isForm = body !== '' && !(req.headers['content-type'] ?? '').includes('json');
    const params = lookup(isForm ? pairs.concat(parseQuery(body)) : pairs);
    if (params.get('module') !== 'API') {
      this.traffic.other += 1;
      return this.send(res, 200, { 'content-type': HTML_TYPE }, 'trafficinator sink: only the Reporting API (index.php?module=API) is served here\n');
    }
    this.traffic.api += 1;
    const answer = answerApi(params, {
      ledger: this.ledger,
      days: this.days,
      now: this.deps.clock.now(),
      token: this.options.token,
      sites: this.options.sites,
      timezone: this.options.timezone,
      currency: this.options.currency,
    });
    this.send(res, answer.status, { 'content-type': API_JSON_TYPE }, answer.body);
  }

  private send(
    res: ServerResponse,
    status: number,
    headers: Record<string, string>,
    body: string | Buffer | undefined,
    message?: string,
  ): void {
    const codes = this.traffic.statusCodes;
    codes.set(status, (codes.get(status) ?? 0) + 1);
    if (message) res.writeHead(status, message, headers);
    else res.writeHead(status, headers);
    res.end(body);
  }
}

function isTrackerPath(url: string): boolean {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  return path.endsWith('/matomo.php') || path.endsWith('/piwik.php');
}

/** Hits in a bulk body, for the capacity model (a body that does not parse counts as one). */
function bulkSize(body: string): number {
  try {
    const parsed = JSON.parse(body) as { requests?: unknown };
    return Array.isArray(parsed.requests) ? parsed.requests.length : 1;
  } catch {
    return 1;
  }
}

function isBulk(body: string): boolean {
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) continue;
    return c === 123; // '{'
  }
  return false;
}

/** A bulk entry as text, for telling hits apart across attempts. */
function entryText(entry: unknown): string {
  return typeof entry === 'string' ? entry : JSON.stringify(entry) ?? '';
}

/** A bulk entry: a query string (`?idsite=1&...`, or a whole URL) or an object of parameters. */
function toPairs(entry: unknown): Pairs {
  if (typeof entry === 'string') {
    const q = entry.indexOf('?');
    return parseQuery(q < 0 ? entry : entry.slice(q + 1));
  }
  if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
    return Object.entries(entry as Record<string, unknown>).map(([k, v]) => [k, String(v)] as [string, string]);
  }
  return [];
}
