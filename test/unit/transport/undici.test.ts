import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/time/clock.js';
import { splitUrl, UndiciTransport } from '../../../src/transport/undici.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  socket: Socket;
}

const servers: Server[] = [];
const transports: UndiciTransport[] = [];

afterEach(async () => {
  await Promise.all(transports.splice(0).map((t) => t.destroy()));
  await Promise.all(
    servers.splice(0).map((s) => {
      const closed = new Promise<void>((resolve) => s.close(() => resolve()));
      s.closeAllConnections();
      return closed;
    }),
  );
});

async function listen(handler: (req: IncomingMessage, res: ServerResponse, seen: Seen) => void) {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const entry = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, socket: req.socket };
      seen.push(entry);
      handler(req, res, entry);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, seen, base: `http://127.0.0.1:${port}` };
}

function transport(options: Partial<ConstructorParameters<typeof UndiciTransport>[0]> = {}): UndiciTransport {
  const t = new UndiciTransport({ clock: systemClock, connections: 4, ...options });
  transports.push(t);
  return t;
}

const noContent = (_req: IncomingMessage, res: ServerResponse) => {
  res.statusCode = 204;
  res.end();
};

describe('undici transport against a loopback server', () => {
  it('sends GETs with the extra headers and reuses one keep-alive connection', async () => {
    const { seen, base } = await listen(noContent);
    const t = transport({ connections: 1, headers: { Authorization: 'Basic dTpw', 'X-Gateway': 'staging' } });
    for (let i = 0; i < 20; i++) {
      const outcome = await t.send({ method: 'GET', url: `${base}/matomo.php?idsite=1&rec=1&n=${i}`, headers: { 'user-agent': 'UA/1' } });
      expect(outcome).toMatchObject({ kind: 'response', status: 204 });
      expect(outcome.latencyMs).toBeGreaterThanOrEqual(0);
    }
    expect(seen).toHaveLength(20);
    expect(seen[3]).toMatchObject({ method: 'GET', url: '/matomo.php?idsite=1&rec=1&n=3' });
    expect(seen[3]!.headers).toMatchObject({ authorization: 'Basic dTpw', 'x-gateway': 'staging', 'user-agent': 'UA/1' });
    expect(new Set(seen.map((s) => s.socket)).size).toBe(1);
  });

  it('opens at most `connections` sockets per origin', async () => {
    const { seen, base } = await listen(noContent);
    const t = transport({ connections: 3 });
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, (_, i) => t.send({ method: 'GET', url: `${base}/matomo.php?n=${i}`, headers: {} })),
    );
    expect(outcomes.every((o) => o.kind === 'response' && o.status === 204)).toBe(true);
    expect(new Set(seen.map((s) => s.socket)).size).toBeLessThanOrEqual(3);
  });

  it('sends POST form bodies and can capture the answer', async () => {
    const { seen, base } = await listen((_req, res) => {
      res.setHeader('content-type', 'image/gif');
      res.end('GIF89a');
    });
    const t = transport({ captureResponse: true });
    const outcome = await t.send({
      method: 'POST',
      url: `${base}/matomo.php`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'idsite=1&rec=1&token_auth=secret',
    });
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/matomo.php', body: 'idsite=1&rec=1&token_auth=secret' });
    expect(outcome).toMatchObject({ kind: 'response', status: 200, body: 'GIF89a' });
    expect(outcome.kind === 'response' && outcome.headers['content-type']).toBe('image/gif');
  });

  it('classifies a server that never answers as a timeout that may have been processed', async () => {
    const { base } = await listen(() => undefined);
    const outcome = await transport({ headersTimeoutMs: 300 }).send({ method: 'GET', url: `${base}/matomo.php`, headers: {} });
    expect(outcome).toMatchObject({ kind: 'error', errorClass: 'timeout', mayHaveBeenProcessed: true });
  });

  it('classifies a closed port as refused, which provably never reached the server', async () => {
    const { server, base } = await listen(noContent);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    servers.pop();
    const outcome = await transport().send({ method: 'GET', url: `${base}/matomo.php`, headers: {} });
    expect(outcome).toMatchObject({ kind: 'error', errorClass: 'refused', mayHaveBeenProcessed: false });
  });

  it('classifies a dropped connection as reset', async () => {
    const { base } = await listen((req) => req.socket.destroy());
    const outcome = await transport().send({ method: 'GET', url: `${base}/matomo.php`, headers: {} });
    expect(outcome).toMatchObject({ kind: 'error', errorClass: 'reset', mayHaveBeenProcessed: true });
  });

  it('returns an error outcome, not a rejection, when the caller aborts', async () => {
    let arrived: () => void = () => undefined;
    const arrival = new Promise<void>((resolve) => (arrived = resolve));
    const { base } = await listen(() => arrived());
    const controller = new AbortController();
    const pending = transport().send({ method: 'GET', url: `${base}/matomo.php`, headers: {} }, controller.signal);
    await arrival;
    controller.abort(new Error('stop at once'));
    const outcome = await pending;
    expect(outcome).toMatchObject({ kind: 'error', mayHaveBeenProcessed: true });
  });

  it('tunnels through --proxy with CONNECT', async () => {
    const { seen, base } = await listen(noContent);
    const tunnels: string[] = [];
    const proxy = createServer();
    proxy.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
      tunnels.push(req.url ?? '');
      const [host, port] = (req.url ?? '').split(':');
      const upstream = connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    servers.push(proxy);
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const t = transport({ proxy: proxyUrl });
    const outcome = await t.send({ method: 'GET', url: `${base}/matomo.php?idsite=1`, headers: {} });
    expect(outcome).toMatchObject({ kind: 'response', status: 204 });
    expect(tunnels).toEqual([base.replace('http://', '')]);
    expect(seen[0]!.url).toBe('/matomo.php?idsite=1');
  });
});

describe('URLs', () => {
  it('splits URLs without a URL object', () => {
    expect(splitUrl('http://127.0.0.1:8080/matomo.php?a=1')).toEqual({ origin: 'http://127.0.0.1:8080', path: '/matomo.php?a=1' });
    expect(splitUrl('https://m.example.test')).toEqual({ origin: 'https://m.example.test', path: '/' });
    expect(splitUrl('https://m.example.test?x=1')).toEqual({ origin: 'https://m.example.test', path: '/?x=1' });
  });
});
