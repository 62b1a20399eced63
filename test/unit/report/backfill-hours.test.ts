import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { planTarget } from '../../../src/backfill/plan.js';
import { plannedVisits } from '../../../src/backfill/predict.js';
import type { Visit } from '../../../src/journey/visit.js';
import { plannedByHour } from '../../../src/report/backfill-hours.js';
import { DEFAULT_PROFILE } from '../../../src/schedule/time-shape.js';

/** Visits of two hits, the second 37 minutes after the first (so some cross an hour). */
const build = (): Visit => ({ index: 0, durationMs: 40 * 60_000, hits: [{ atMs: 0 }, { atMs: 37 * 60_000 }] }) as unknown as Visit;

const planIn = (zone: string) =>
  planTarget({
    // 2026-03-29: the clocks go forward in CET (02:00 does not exist).
    window: { from: '2026-03-28', to: '2026-03-30' },
    zone,
    cutoffMs: Date.UTC(2026, 10, 26),
    seed: 'hours',
    perDayCap: 40,
    totalCap: 1000,
    profile: DEFAULT_PROFILE,
    maxVisitDurationMs: 41 * 60_000,
    shape: {},
    target: { url: 'http://127.0.0.1:9/matomo.php', siteId: 1 },
  });

describe('hits and visits per hour of the local day', () => {
  it.each(['CET', 'Asia/Kolkata', 'UTC'])('%s: every planned hit and visit counted once, in its local hour', (zone) => {
    const plan = planIn(zone);
    const counts = plannedByHour(plan, build);
    expect(counts.hits).toHaveLength(24);
    expect(counts.visits).toHaveLength(24);
    expect(counts.visits.reduce((a, b) => a + b, 0)).toBe(plan.visits);
    expect(counts.hits.reduce((a, b) => a + b, 0)).toBe(2 * plan.visits);
    // The same counts, the slow way: one zone look-up per hit.
    const hits = new Array<number>(24).fill(0);
    const visits = new Array<number>(24).fill(0);
    const hour = (ms: number): number => DateTime.fromMillis(ms, { zone }).hour;
    for (const p of plannedVisits(plan, build)) {
      visits[hour(p.startMs)]! += 1;
      hits[hour(p.startMs)]! += 1;
      hits[hour(p.startMs + 37 * 60_000)]! += 1;
    }
    expect(counts).toEqual({ hits, visits });
    // The default profile makes nights quieter than afternoons.
    expect(counts.visits[3]!).toBeLessThan(counts.visits[14]!);
  });
});
