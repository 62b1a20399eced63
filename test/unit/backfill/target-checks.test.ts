import { describe, expect, it } from 'vitest';
import { findDuplicates, renderDuplicates } from '../../../src/backfill/duplicates.js';
import { daysHoldingVisits, siteTimezone } from '../../../src/backfill/target-checks.js';
import type { ApiClient } from '../../../src/matomo/api.js';
import { ManualClock } from '../../../src/time/clock.js';
import type { Outcome, Transport } from '../../../src/transport/transport.js';
import { matomoFixture } from '../../helpers/fixtures.js';

function client(answers: Array<Outcome | ((body: URLSearchParams) => Outcome)>, clock = new ManualClock()): ApiClient & { asked: URLSearchParams[]; clock: ManualClock } {
  const asked: URLSearchParams[] = [];
  const transport: Transport = {
    async send(r) {
      const body = new URLSearchParams(r.body);
      asked.push(body);
      const a = answers[Math.min(asked.length - 1, answers.length - 1)]!;
      return typeof a === 'function' ? a(body) : a;
    },
    async close() {},
  };
  return { transport, clock, apiUrl: 'http://127.0.0.1:1/index.php', tokenAuth: 'secret', asked };
}
const response = (status: number, body: string): Outcome => ({ kind: 'response', status, headers: {}, body, latencyMs: 1 });
const error = (errorClass: 'refused' | 'timeout' | 'dns' | 'reset'): Outcome => ({ kind: 'error', errorClass, message: `${errorClass}!`, latencyMs: 1, mayHaveBeenProcessed: errorClass !== 'refused' });

/** Runs a check, advancing the manual clock whenever it waits. */
async function settle<T>(clock: ManualClock, p: Promise<T>): Promise<T> {
  let done = false;
  void p.finally(() => (done = true));
  for (let i = 0; i < 1000 && !done; i++) await clock.advance(500);
  return p;
}

describe('site time zone check', () => {
  it('reads the zone from the real getSiteFromId answer', async () => {
    const f = matomoFixture('api-site-timezone');
    const c = client([response(f.status, f.body)]);
    expect(await siteTimezone(c, 2)).toEqual({ zone: 'Europe/Stockholm' });
    expect(c.asked[0]!.get('method')).toBe('SitesManager.getSiteFromId');
    expect(c.asked[0]!.get('token_auth')).toBe('secret');
  });

  it('retries a busy Matomo (5xx, timeouts) with backoff, then says it cannot check', async () => {
    const c = client([response(503, ''), error('timeout'), response(502, 'bad gateway')]);
    const result = await settle(c.clock, siteTimezone(c, 2));
    expect(result).toEqual({ kind: 'unavailable', message: expect.stringContaining('after 5 tries') });
    expect(c.asked).toHaveLength(5);
    // 1 + 2 + 4 + 8 s of backoff before giving up.
    expect(c.clock.now()).toBeGreaterThanOrEqual(15_000);
  });

  it('does not retry what will not change: refused connections, error objects, pages that are no API', async () => {
    for (const [answer, kind] of [
      [error('refused'), 'unreachable'],
      [error('dns'), 'unreachable'],
      [response(200, '{"result":"error","message":"no access"}'), 'refused'],
      [response(404, '<html>not found</html>'), 'no-api'],
    ] as const) {
      const c = client([answer]);
      expect((await siteTimezone(c, 2)) as { kind: string }).toMatchObject({ kind });
      expect(c.asked).toHaveLength(1);
    }
  });
});

describe('existing-data check', () => {
  it('names the days whose raw log holds a visit, and survives one 503', async () => {
    let first = true;
    const c = client([
      (body) => {
        if (first) {
          first = false;
          return response(503, '');
        }
        return response(200, body.get('date') === '2026-01-02' ? '[{"idVisit":1,"visitorId":"0123456789abcdef"}]' : '[]');
      },
    ]);
    const result = await settle(c.clock, daysHoldingVisits(c, 1, ['2026-01-01', '2026-01-02', '2026-01-03']));
    expect(result).toEqual({ busy: ['2026-01-02'] });
  });

  it('refuses when the answer is not a list of visits', async () => {
    const c = client([response(200, '{"value":1}')]);
    expect(await daysHoldingVisits(c, 1, ['2026-01-01'])).toMatchObject({ kind: 'no-api' });
  });
});

describe('duplicates', () => {
  const t = (hms: string): number => Date.parse(`2026-01-05T${hms}Z`) / 1000;
  const planned = new Map([
    ['aaaaaaaaaaaaaaaa', { visits: [0], actions: 3 }],
    ['bbbbbbbbbbbbbbbb', { visits: [1, 4], actions: 4 }],
    ['cccccccccccccccc', { visits: [2], actions: 2 }],
  ]);

  it('names visitors recorded with more visits or more actions than planned, and leaves other traffic alone', () => {
    const rows = [
      { idVisit: 10, visitorId: 'aaaaaaaaaaaaaaaa', firstActionTimestamp: t('08:00:00'), actions: 3 },
      { idVisit: 11, visitorId: 'aaaaaaaaaaaaaaaa', firstActionTimestamp: t('08:00:00'), actions: 1 }, // a resent copy
      { idVisit: 12, visitorId: 'bbbbbbbbbbbbbbbb', firstActionTimestamp: t('09:00:00'), actions: 2 },
      { idVisit: 13, visitorId: 'bbbbbbbbbbbbbbbb', firstActionTimestamp: t('15:00:00'), actions: 2 }, // as planned
      { idVisit: 14, visitorId: 'cccccccccccccccc', firstActionTimestamp: t('10:00:00'), actions: 4 }, // merged repeat
      { idVisit: 15, visitorId: 'dddddddddddddddd', firstActionTimestamp: t('11:00:00'), actions: 1 }, // not ours
    ];
    const day = findDuplicates('2026-01-05', planned, rows, 'Europe/Stockholm');
    expect(day.damaged.map((d) => [d.visitorId, d.visits.map((v) => v.idVisit), d.actions])).toEqual([
      ['aaaaaaaaaaaaaaaa', [10, 11], 4],
      ['cccccccccccccccc', [14], 4],
    ]);
    expect(day.damaged[0]!.visits[0]!.localTime).toBe('09:00:00');
    expect(day.unknownVisits).toBe(1);
    const text = renderDuplicates([day]);
    expect(text).toContain('2026-01-05: 2 visitor(s) recorded more than planned');
    expect(text).toMatch(/aaaaaaaaaaaaaaaa {2}1\/2 +3\/4 +09:00:00 3a #10, 09:00:00 1a #11/);
    expect(text).toContain('1 visit(s) of visitors this plan does not hold (other traffic): left alone');
  });

  it('says nothing about a day that holds what was planned', () => {
    const day = findDuplicates('2026-01-05', planned, [{ idVisit: 1, visitorId: 'aaaaaaaaaaaaaaaa', firstActionTimestamp: t('08:00:00'), actions: 3 }], 'UTC');
    expect(day.damaged).toEqual([]);
    expect(renderDuplicates([day])).toBe('');
  });
});
