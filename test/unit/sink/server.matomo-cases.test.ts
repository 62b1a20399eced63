import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startSink, type RunningSink } from '../../../src/sink/index.js';
import { ManualClock } from '../../../src/time/clock.js';
import { matomoFixture } from '../../helpers/fixtures.js';

/**
 * The sink against what a real Matomo 5.0.2 answered to the same requests
 * (scripts/record-matomo-realism.mjs): tools and bots told apart by Matomo's device detector, and
 * repeated order ids refused.
 */
const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);
const CDT = '2026-11-29 11:59:00';
const TOKEN = 'REDACTED_TOKEN';
const sinks: RunningSink[] = [];

afterEach(async () => {
  await Promise.all(sinks.splice(0).map((s) => s.stop()));
});

async function sink(): Promise<RunningSink> {
  const running = await startSink(
    { host: '127.0.0.1', port: 0, timezone: 'UTC', currency: 'SEK', token: TOKEN, faults: { failRate: 0, failStatus: 500, resetRate: 0, seed: 0 } },
    new ManualClock(NOW),
  );
  sinks.push(running);
  return running;
}

let visitors = 0;
function hit(extra: Record<string, string> = {}): string {
  visitors += 1;
  const id = `c${visitors.toString(16).padStart(15, '0')}`;
  return new URLSearchParams({ idsite: '1', rec: '1', url: 'https://shop.example.com/realism', send_image: '0', new_visit: '1', cdt: CDT, _id: id, ...extra }).toString();
}

const order = (ecId: string): string =>
  hit({ idgoal: '0', ec_id: ecId, revenue: '12.50', ec_st: '10.00', ec_tx: '2.50', ec_items: '[["SKU-1","Thing","Stuff",10,1]]' });

const single = (s: RunningSink, query: string, userAgent: string): Promise<Response> =>
  fetch(`${s.url}/matomo.php`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': userAgent }, body: `${query}&token_auth=${TOKEN}` });

const bulk = (s: RunningSink, queries: string[]): Promise<Response> =>
  fetch(`${s.url}/matomo.php`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ requests: queries.map((q) => `?${q}`), token_auth: TOKEN }) });

async function expectLike(response: Response, fixture: string): Promise<void> {
  const recorded = matomoFixture(fixture);
  expect(response.status).toBe(recorded.status);
  expect(response.headers.get('content-type')).toBe(recorded.headers['content-type']);
  expect(await response.text()).toBe(recorded.body);
}

interface UaCase {
  ua: string;
  recorded: boolean;
}
const uaCases = (JSON.parse(readFileSync(new URL('../../fixtures/matomo-5.0.2/ua-cases.json', import.meta.url), 'utf8')) as { cases: UaCase[] }).cases;

describe('sink: user agents judged by Matomo\'s device detector', () => {
  it('answers a hit with curl\'s User-Agent and no ua like Matomo, and records it', async () => {
    const s = await sink();
    await expectLike(await single(s, hit(), 'curl/8.5.0'), 'tracker-ua-curl-204');
    expect(s.server.ledger.recorded).toBe(1);
    expect(s.server.ledger.excluded.size).toBe(0);
  });

  it.each(uaCases)('records $ua: $recorded, as Matomo did', async ({ ua, recorded }) => {
    const s = await sink();
    const response = await single(s, hit(), ua);
    expect(response.status).toBe(204);
    expect(s.server.ledger.recorded).toBe(recorded ? 1 : 0);
    expect(s.server.ledger.excluded.get('bot-user-agent') ?? 0).toBe(recorded ? 0 : 1);
  });

  it('covers both outcomes in the recorded cases', () => {
    expect(uaCases.filter((c) => c.recorded).length).toBeGreaterThan(3);
    expect(uaCases.filter((c) => !c.recorded).length).toBeGreaterThan(3);
  });
});

describe('sink: a repeated order id', () => {
  it('in a single hit gets the 400 Matomo answered, and adds no revenue', async () => {
    const s = await sink();
    expect((await single(s, order('O-1'), 'Mozilla/5.0')).status).toBe(204);
    await expectLike(await single(s, order('O-1'), 'Mozilla/5.0'), 'tracker-order-repeated');
    const day = s.server.ledger.sites.get(1)!.days.get('2026-11-29')!;
    expect(day.revenue).toBe(12.5);
    expect(s.server.ledger.rejected.get('order-repeated')).toBe(1);
  });

  it('already recorded is invalid in a bulk, named in invalid_indices', async () => {
    const s = await sink();
    await single(s, order('O-2'), 'Mozilla/5.0');
    await expectLike(await bulk(s, [hit(), order('O-2')]), 'bulk-order-repeated');
  });

  it('twice in one bulk: the second is invalid', async () => {
    const s = await sink();
    await expectLike(await bulk(s, [order('O-3'), order('O-3')]), 'bulk-order-twice');
  });
});
