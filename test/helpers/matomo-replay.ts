import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeQuery } from '../../src/matomo/query.js';
import { matomoFixture, type RecordedAnswer } from './fixtures.js';

/**
 * A node:http server on 127.0.0.1 that answers like the recorded Matomo 5.0.2: the bare tracker
 * GET and the Reporting API calls validate makes. Options bend the recorded site to test warnings.
 */
export interface ReplayOptions {
  token?: string;
  /** Fields replacing those of the recorded site 1. */
  site?: Record<string, unknown>;
  /** Answer hasSuperUserAccess with false and getUsersPlusRole with this role. */
  role?: string;
  /** Never answer (the socket stays open): for timeouts. */
  hang?: boolean;
  /** Tracker answers with this instead of Matomo's page. */
  trackerBody?: string;
}

export interface Replay {
  url: string;
  requests: Array<{ method: string; path: string; params: Record<string, string> }>;
  close(): Promise<void>;
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (text += d));
    req.on('end', () => resolve(text));
  });
}

export async function startReplay(options: ReplayOptions = {}): Promise<Replay> {
  const token = options.token ?? 'good-token';
  const requests: Replay['requests'] = [];
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const params = Object.fromEntries(decodeQuery(req.method === 'POST' ? await body(req) : url.search));
    requests.push({ method: req.method ?? '', path: url.pathname, params });
    if (options.hang) return;
    const send = (answer: RecordedAnswer, text = answer.body): void => {
      res.writeHead(answer.status, { 'content-type': answer.headers['content-type'] ?? 'text/plain' });
      res.end(text);
    };
    if (url.pathname === '/matomo.php') {
      const bare = matomoFixture('tracker-bare-get');
      return send(bare, options.trackerBody ?? bare.body);
    }
    if (url.pathname !== '/index.php') {
      res.writeHead(404).end('not found');
      return;
    }
    if (params['token_auth'] !== token) return send(matomoFixture('api-bad-token'));
    switch (params['method']) {
      case 'API.getMatomoVersion':
        return send(matomoFixture('api-getMatomoVersion'));
      case 'SitesManager.getSiteFromId': {
        if (params['idSite'] !== '1') return send(matomoFixture('api-getSiteFromId-unknown'));
        const site = matomoFixture('api-getSiteFromId');
        return send(site, JSON.stringify({ ...(JSON.parse(site.body) as object), ...options.site }));
      }
      case 'SitesManager.getSiteUrlsFromId':
        return send(matomoFixture('api-getMatomoVersion'), JSON.stringify(['http://example.test']));
      case 'UsersManager.hasSuperUserAccess':
        if (options.role) return send(matomoFixture('api-hasSuperUserAccess'), '{"value":false}');
        return send(matomoFixture('api-hasSuperUserAccess'));
      case 'UsersManager.getUsersPlusRole':
        return send(matomoFixture('api-getSitesAccessFromUser'), JSON.stringify([{ login: 'u', role: options.role }]));
      default:
        return send(matomoFixture('api-getTokenUser'));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/matomo.php`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port with nothing listening (connection refused). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
