// The per-hit path made cheaper for `--rps max` (docs/performance.md): each shortcut must send
// exactly the bytes the plain path sends.
import { getEventListeners } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/io.js';
import { PACED_MAX_CONNECTIONS, poolConnections, runPlan } from '../../../src/engine/run-plan.js';
import { loadConfig } from '../../../src/config/load.js';
import type { Config } from '../../../src/config/schema.js';
import { startLive } from '../../../src/engine/live.js';
import { RunState } from '../../../src/engine/run-state.js';
import type { VisitSource } from '../../../src/engine/visit-source.js';
import { workloadSource } from '../../../src/engine/workload-source.js';
import { encodeVisit, hitEncoder } from '../../../src/matomo/encode.js';
import { splitTracker, toHttpRequest } from '../../../src/matomo/http.js';
import { encodeComponent, encodeQuery } from '../../../src/matomo/query.js';
import { RunMetrics } from '../../../src/report/metrics.js';
import { maxPacer } from '../../../src/schedule/pacer.js';
import { ManualClock, systemClock } from '../../../src/time/clock.js';
import { MemoryTransport } from '../../../src/transport/memory.js';
import { UndiciTransport } from '../../../src/transport/undici.js';
import { createWorkload } from '../../../src/workload/workload.js';

const NOW = Date.UTC(2026, 5, 1, 12);

async function config(values: Record<string, unknown>, preset = 'medium'): Promise<Config> {
  const r = await loadConfig(memoryIo({ argv: [] }), { values: { url: 'http://127.0.0.1:1/matomo.php', ...values }, preset }, { now: NOW });
  if (!r.config || r.errors.length > 0) throw new Error(JSON.stringify(r.errors));
  return r.config;
}

describe('encodeComponent: encodeURIComponent without a new string when nothing needs escaping', () => {
  it.each([
    { why: 'unreserved characters pass as they are', text: "AZaz09-_.!~*'()" },
    { why: 'empty', text: '' },
    { why: 'space, slash, colon and ampersand are escaped', text: 'a b/c:d&e=f?g#h' },
    { why: 'plus and percent are escaped', text: '1+1=2 100%' },
    { why: 'non-ASCII is UTF-8 percent-encoded', text: 'Ünïcødé – €5 日本' },
    { why: 'an emoji (a surrogate pair)', text: 'ok 👍' },
    { why: 'Latin-1 above 127', text: '\u00e9\u00ff' },
    { why: 'a user agent', text: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)' },
  ])('$why', ({ text }) => {
    expect(encodeComponent(text)).toBe(encodeURIComponent(text));
  });

  it('returns the same string object when nothing is escaped', () => {
    const text = 'abc-123';
    expect(Object.is(encodeComponent(text), text)).toBe(true);
  });

  it('throws like encodeURIComponent on a lone surrogate', () => {
    expect(() => encodeComponent('a\ud800')).toThrow(URIError);
  });

  it('every character below 256 encodes as encodeURIComponent does', () => {
    for (let code = 0; code < 256; code++) {
      const text = `x${String.fromCharCode(code)}y`;
      expect(encodeComponent(text), `char ${code}`).toBe(encodeURIComponent(text));
    }
    expect(encodeQuery([['a b', 'c&d'], ['e', 'f']])).toBe('a%20b=c%26d&e=f');
  });
});

describe('hitEncoder: one hit at a time, the same bytes as encodeVisit', () => {
  it('equals encodeVisit hit by hit over many visits of the medium preset (realism on)', async () => {
    const workload = createWorkload(await config({ countries: { randomize: true, geo: 'both' }, tokenAuth: 'tok' }), 'hot-path');
    for (let i = 0; i < 200; i++) {
      const visit = workload.visit('run', i);
      const whole = encodeVisit(visit, { siteId: 3, startAt: NOW, timezone: 'CET' });
      const one = hitEncoder(visit, { siteId: 3, startAt: NOW, timezone: 'CET' });
      const hits = visit.hits.map((_, j) => one(j));
      // Its query (the visit's shared parts encoded once) is the one encodeQuery makes of its params.
      for (const hit of hits) expect(hit.query).toBe(encodeQuery(hit.params));
      expect(hits.map(({ query: _query, ...rest }) => rest)).toEqual(whole);
      expect(whole.every((request) => request.query === undefined)).toBe(true);
      expect(() => one(visit.hits.length)).toThrow(RangeError);
    }
  });

  it("workloadSource's hitRequests(start)(j) equals requests(start)[j], GET and token POST alike", async () => {
    for (const values of [{ countries: { randomize: false } }, { countries: { randomize: true, geo: 'ip' }, tokenAuth: 'tok' }]) {
      const c = await config(values);
      const source = workloadSource(createWorkload(c, 9), [
        { trackerUrl: 'http://127.0.0.1:1/matomo.php', ...(c.targets[0]?.tokenAuth ? { tokenAuth: 'tok' } : {}) },
      ]);
      for (let i = 0; i < 50; i++) {
        const visit = source.plan(i)!;
        const all = visit.requests(NOW);
        const lazy = visit.hitRequests!(NOW);
        expect(all.map((_, j) => lazy(j))).toEqual(all);
      }
    }
  });
});

describe('toHttpRequest: origin and path already split for the transport', () => {
  const hit = (params: Array<[string, string]>) => ({ type: 'pageview' as const, visitIndex: 0, hitIndex: 0, at: 0, params, userAgent: 'ua' });

  it.each([
    { why: 'a plain tracker URL', tracker: 'http://127.0.0.1:8080/matomo.php' },
    { why: 'a tracker URL with a query of its own', tracker: 'https://m.example.test/matomo.php?debug=0' },
    { why: 'a deeper path', tracker: 'https://m.example.test/analytics/matomo.php' },
  ])('GET: origin + path is the URL ($why)', ({ tracker }) => {
    const req = toHttpRequest(hit([['idsite', '1'], ['url', 'https://x.test/a b']]), { trackerUrl: tracker });
    expect(req.method).toBe('GET');
    expect(req.origin! + req.path!).toBe(req.url);
  });

  it('POST with a token: origin + path is the tracker URL, the parameters in the body', () => {
    const req = toHttpRequest(hit([['idsite', '1'], ['cip', '192.0.2.1']]), { trackerUrl: 'http://127.0.0.1:8080/matomo.php', tokenAuth: 't' });
    expect(req.method).toBe('POST');
    expect(req.origin! + req.path!).toBe('http://127.0.0.1:8080/matomo.php');
  });

  it('splitTracker agrees for several URLs in turn (its one-entry memo is keyed by the URL)', () => {
    expect(splitTracker('http://a.test:1/x.php')).toEqual({ origin: 'http://a.test:1', path: '/x.php' });
    expect(splitTracker('http://b.test/y.php?q=1')).toEqual({ origin: 'http://b.test', path: '/y.php?q=1' });
    expect(splitTracker('http://b.test?q=1')).toEqual({ origin: 'http://b.test', path: '/?q=1' });
    expect(splitTracker('http://a.test:1')).toEqual({ origin: 'http://a.test:1', path: '/' });
    expect(splitTracker('http://a.test:1/x.php')).toEqual({ origin: 'http://a.test:1', path: '/x.php' });
  });
});

describe('UndiciTransport: a request with origin and path set goes where its URL says', () => {
  it('sends to origin + path, and parses the URL when they are absent', async () => {
    const seen: string[] = [];
    const server = createServer((req: IncomingMessage, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.statusCode = 204;
      res.end();
    });
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const transport = new UndiciTransport({ clock: systemClock, connections: 2 });
    try {
      const split = toHttpRequest(hit(), { trackerUrl: `${origin}/matomo.php` });
      expect(split.path).toBeDefined();
      const a = await transport.send(split);
      const b = await transport.send({ method: 'GET', url: `${origin}/matomo.php?idsite=2`, headers: {} });
      expect(a.kind === 'response' && a.status).toBe(204);
      expect(b.kind === 'response' && b.status).toBe(204);
      expect(seen).toEqual(['GET /matomo.php?idsite=1&rec=1', 'GET /matomo.php?idsite=2']);
    } finally {
      await transport.close();
      await new Promise((done) => server.close(done));
    }
  });

  function hit() {
    return {
      type: 'pageview' as const,
      visitIndex: 0,
      hitIndex: 0,
      at: 0,
      params: [
        ['idsite', '1'],
        ['rec', '1'],
      ] as Array<[string, string]>,
      userAgent: 'ua',
    };
  }
});

describe('the engine builds each hit just before sending it when the source can', () => {
  it('uses hitRequests(start)(j) in hit order, once per hit, never the eager requests()', async () => {
    const clock = new ManualClock();
    const built: string[] = [];
    const source: VisitSource = {
      plan: (index) => ({
        target: 0,
        hitTypes: ['pageview', 'event', 'pageview'],
        pausesMs: [0, 0, 0],
        requests: () => {
          throw new Error('the eager form must not be used');
        },
        hitRequests: (start) => (j) => {
          built.push(`${index}.${j}`);
          return { method: 'GET', url: `http://127.0.0.1/matomo.php?v=${index}&h=${j}&at=${start}`, headers: {} };
        },
      }),
    };
    const transport = new MemoryTransport({ clock });
    const run = startLive({ clock, transport, source, pacer: maxPacer, concurrency: 1, metrics: new RunMetrics(['t']), stop: { maxVisits: 2 } });
    const summary = await run.done;
    expect(summary.hits.ok).toBe(6);
    expect(built).toEqual(['0.0', '0.1', '0.2', '1.0', '1.1', '1.2']);
    expect(transport.requests.map((r) => r.url)).toEqual(built.map((b) => {
      const [v, h] = b.split('.');
      return `http://127.0.0.1/matomo.php?v=${v}&h=${h}&at=${clock.now()}`;
    }));
  });
});

describe('UndiciTransport without captureResponse: the status only, the body dropped as it arrives', () => {
  it('reports each status, drains a large chunked body and keeps using one keep-alive socket', async () => {
    const sockets = new Set<unknown>();
    const server = createServer((req, res) => {
      sockets.add(req.socket);
      const code = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('code'));
      res.statusCode = code;
      if (code === 200) {
        // Several chunks, more than one socket read.
        for (let i = 0; i < 64; i++) res.write('x'.repeat(4096));
      }
      res.end(code === 500 ? 'boom' : undefined);
    });
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const transport = new UndiciTransport({ clock: systemClock, connections: 1 });
    try {
      const statuses: number[] = [];
      for (const code of [204, 200, 500, 404, 204]) {
        const outcome = await transport.send({ method: 'GET', url: `${origin}/matomo.php?code=${code}`, headers: {} });
        if (outcome.kind !== 'response') throw new Error(outcome.message);
        expect(outcome.body).toBe('');
        expect(outcome.latencyMs).toBeGreaterThanOrEqual(0);
        statuses.push(outcome.status);
      }
      expect(statuses).toEqual([204, 200, 500, 404, 204]);
      expect(sockets.size).toBe(1);
    } finally {
      await transport.close();
      await new Promise((done) => server.close(done));
    }
  });

  it('classifies a refused connection as an outcome, and rejects (never throws) on an origin undici refuses', async () => {
    const transport = new UndiciTransport({ clock: systemClock, connections: 1 });
    try {
      const refused = await transport.send({ method: 'GET', url: 'http://127.0.0.1:9/matomo.php', headers: {} });
      expect(refused).toMatchObject({ kind: 'error', errorClass: 'refused', mayHaveBeenProcessed: false });
      let sent: Promise<unknown> | undefined;
      expect(() => (sent = transport.send({ method: 'GET', url: 'ftp://127.0.0.1:9/x', origin: 'ftp://127.0.0.1:9', path: '/x', headers: {} }))).not.toThrow();
      await expect(sent).rejects.toThrow();
    } finally {
      await transport.close();
    }
  });
});

describe("RunState.pause: visits' pauses with one listener on the run's stop-at-once signal", () => {
  function state(clock: ManualClock): RunState {
    const source: VisitSource = { plan: () => undefined };
    return new RunState(clock, new MemoryTransport({ clock }), source, maxPacer, new RunMetrics(['t']), {}, 10);
  }

  it('wakes every pause when it falls due, with a single abort listener however many pause', async () => {
    const clock = new ManualClock();
    const run = state(clock);
    const woke: number[] = [];
    const pauses = Array.from({ length: 500 }, (_, i) => run.pause(100 + i).then(() => woke.push(i)));
    expect(getEventListeners(run.hard.signal, 'abort')).toHaveLength(1);
    await clock.advance(349);
    expect(woke).toHaveLength(250);
    await clock.advance(1000);
    await Promise.all(pauses);
    expect(woke).toEqual([...Array(500).keys()]);
  });

  it('ends every pause under way with the reason when the run stops at once, and refuses new ones', async () => {
    const clock = new ManualClock();
    const run = state(clock);
    const pauses = Array.from({ length: 20 }, () => run.pause(60_000));
    run.abortAll('interrupted-twice');
    for (const pause of pauses) await expect(pause).rejects.toThrow('stop at once: interrupted-twice');
    await expect(run.pause(10)).rejects.toThrow('stop at once');
    expect(clock.pending()).toBe(0);
  });
});

describe('poolConnections: connections per target', () => {
  it.each([
    { why: '--rps max: one request in flight per visit slot', values: { run: { rps: 'max' } }, concurrency: 1000, expected: 1000 },
    { why: 'a paced run under the cap keeps its concurrency', values: { run: { rps: 50 } }, concurrency: 100, expected: 100 },
    { why: 'a paced run with thousands of pausing visits is capped', values: { run: { rps: 5000 } }, concurrency: 10_000, expected: PACED_MAX_CONNECTIONS },
    { why: 'visits per day are paced too', values: {}, concurrency: 5000, expected: PACED_MAX_CONNECTIONS },
  ])('$why', async ({ values, concurrency, expected }) => {
    const c = await config({ countries: { randomize: false }, ...values }, 'smoke');
    expect(poolConnections(runPlan(c, 1), concurrency)).toBe(expected);
  });
});
