import { describe, expect, it } from 'vitest';
import type { DayDuplicates } from '../../../src/backfill/duplicates.js';
import { repairDuplicates } from '../../../src/backfill/repair.js';
import { TargetError } from '../../../src/errors.js';
import type { ApiClient } from '../../../src/matomo/api.js';
import type { VisitRow } from '../../../src/matomo/reporting.js';
import { ManualClock } from '../../../src/time/clock.js';
import type { Outcome } from '../../../src/transport/transport.js';

const ok: Outcome = { kind: 'response', status: 200, headers: {}, body: '{"result":"success"}', latencyMs: 1 };
const refused: Outcome = { kind: 'response', status: 200, headers: {}, body: '{"result":"error","message":"no access"}', latencyMs: 1 };

function client(answer: (method: string) => Outcome): ApiClient & { methods: string[] } {
  const methods: string[] = [];
  return {
    transport: {
      async send(r) {
        const method = new URLSearchParams(r.body).get('method')!;
        methods.push(method);
        return answer(method);
      },
      async close() {},
    },
    clock: new ManualClock(),
    apiUrl: 'http://127.0.0.1:1/index.php',
    tokenAuth: 'secret',
    methods,
  };
}

/** A day with `n` damaged visitors, each with two recorded visits and planned visit i. */
function day(date: string, n: number, firstId: number): DayDuplicates {
  const row = (idVisit: number) => ({ idVisit, localTime: '10:00:00' }) as VisitRow & { localTime: string };
  return {
    date,
    unknownVisits: 0,
    damaged: Array.from({ length: n }, (_, i) => ({
      visitorId: `v${firstId + i}`,
      planned: { visits: [n - i], actions: 1 },
      visits: [row(firstId + 2 * i), row(firstId + 2 * i + 1)],
      actions: 2,
    })),
  };
}

describe('repairDuplicates', () => {
  it('deletes 100 visits at a time, then releases the planned visits, then invalidates the days', async () => {
    const c = client(() => ok);
    const order: string[] = [];
    const done = await repairDuplicates(c, { siteId: 3 }, [day('2026-01-05', 60, 1000), day('2026-01-06', 0, 0)], (released) => {
      order.push(`release after ${c.methods.length} calls`);
      expect(released).toEqual([{ date: '2026-01-05', visits: Array.from({ length: 60 }, (_, i) => i + 1) }]);
    });
    // 120 visits: two deletions, then the release, then one invalidation of the damaged day only.
    expect(c.methods).toEqual(['PrivacyManager.deleteDataSubjects', 'PrivacyManager.deleteDataSubjects', 'CoreAdminHome.invalidateArchivedReports']);
    expect(order).toEqual(['release after 2 calls']);
    expect(done).toEqual({ visits: 120, visitors: 60, dates: ['2026-01-05'] });
  });

  it('releases nothing when Matomo refuses a deletion (the journal stays as it was)', async () => {
    const c = client((method) => (method === 'PrivacyManager.deleteDataSubjects' ? refused : ok));
    let released = false;
    const run = repairDuplicates(c, { siteId: 3 }, [day('2026-01-05', 2, 1)], () => (released = true));
    await expect(run).rejects.toThrow(TargetError);
    await expect(run).rejects.toThrow('verify --repair: Matomo did not delete visits (no access; it needs a super-user token): 0 of 4 deleted');
    expect(released).toBe(false);
  });

  it('says why invalidating failed, after releasing', async () => {
    const c = client((method) => (method === 'CoreAdminHome.invalidateArchivedReports' ? refused : ok));
    const done = await repairDuplicates(c, { siteId: 3 }, [day('2026-01-05', 1, 1)], () => undefined);
    expect(done.invalidateProblem).toBe('no access');
  });
});
