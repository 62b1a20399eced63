import { describe, expect, it } from 'vitest';
import { planTarget } from '../../../src/backfill/plan.js';
import { FLAT_PROFILE } from '../../../src/schedule/time-shape.js';
import type { DayOutcome } from '../../../src/backfill/replay.js';
import { backfillExitCode, backfillRows } from '../../../src/report/backfill-rows.js';
import { DayKeys } from '../../../src/sink/day-key.js';
import { judgeHit } from '../../../src/sink/judge.js';
import { Ledger } from '../../../src/sink/ledger.js';
import { lookup, parseQuery } from '../../../src/sink/params.js';

const plan = planTarget({
  window: { from: '2026-01-05', to: '2026-01-06' },
  zone: 'CET',
  cutoffMs: Date.UTC(2026, 5, 1),
  seed: 1,
  perDayCap: 10,
  totalCap: 100,
  profile: FLAT_PROFILE,
  maxVisitDurationMs: 3_600_000,
  shape: {},
  target: { url: 'http://127.0.0.1/matomo.php', siteId: 1 },
});

function outcome(date: string, over: Partial<DayOutcome>): DayOutcome {
  return {
    date, plannedVisits: 10, visits: 0, visitsAcked: 0, visitsFailed: 0, visitsUncertain: 0, visitsReleased: 0, hits: 0, sent: 0, resent: 0,
    tracked: 0, invalid: 0, invalidUnnamed: 0, failed: 0, uncertain: 0, unaccounted: 0, reconciled: 0, resentAfterReconcile: 0, possiblyDuplicated: 0, done: true, ...over,
  };
}

describe('backfill rows as the command builds them', () => {
  it.each([
    { why: 'a resumed day keeps the earlier uncertain visits it could not reconcile: uncertain, exit 3', prior: { acked: 6, failed: 0, uncertain: 2 }, o: { visits: 2, visitsAcked: 2, sent: 12, tracked: 12 }, status: 'uncertain', exit: 3 },
    { why: 'resent uncertain visits (prior uncertain passed as 0) complete the day', prior: { acked: 8, failed: 0, uncertain: 0 }, o: { visits: 2, visitsAcked: 2, sent: 12, tracked: 12 }, status: 'complete', exit: 0 },
    { why: 'an answer without counts (204 from a proxy) is uncertain, not complete: exit 3', prior: undefined, o: { visits: 10, visitsAcked: 10, sent: 60, unaccounted: 60 }, status: 'uncertain', exit: 3 },
    { why: 'earlier failed visits keep the day lost until --retry-failed', prior: { acked: 9, failed: 1, uncertain: 0 }, o: undefined, status: 'lost', exit: 3 },
  ])('$why', ({ prior, o, status, exit }) => {
    const priors = new Map(prior ? [['2026-01-05', prior]] : []);
    const rows = backfillRows(plan, o ? [outcome('2026-01-05', o)] : [], priors);
    expect(rows[0]!.status).toBe(status);
    expect(backfillExitCode(rows.slice(0, 1), false)).toBe(exit);
  });
});

describe('sink: a ping may extend a site-search page load', () => {
  it('accepts a ping naming the pv_id of a search, as the journeys send it', () => {
    const ledger = new Ledger(new DayKeys('UTC'));
    const add = (extra: string): string | undefined => {
      const params = lookup(parseQuery(`idsite=1&rec=1&url=http%3A%2F%2Fexample.test%2Fs&_id=0123456789abcdef&${extra}`));
      const v = judgeHit(params, { authenticated: true, remoteAddress: '127.0.0.1', headerUserAgent: 'Mozilla/5.0', now: Date.UTC(2026, 0, 11), sites: undefined });
      if (v.kind !== 'accepted') throw new Error('not accepted');
      return ledger.record(v, params.get('cdt') ?? '');
    };
    expect(add('pv_id=aaaaaa&cdt=2026-01-10+10:00:00')).toBeUndefined();
    expect(add('pv_id=bbbbbb&search=shoes&cdt=2026-01-10+10:01:00')).toBeUndefined();
    expect(add('pv_id=bbbbbb&ping=1&cdt=2026-01-10+10:02:00')).toBeUndefined();
    // a ping naming a page view never seen is still refused
    expect(add('pv_id=zzzzzz&ping=1&cdt=2026-01-10+10:03:00')).toBe('ping-without-pageview');
  });
});
