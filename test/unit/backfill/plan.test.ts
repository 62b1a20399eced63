import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { FLAT_PROFILE, DEFAULT_PROFILE } from '../../../src/schedule/time-shape.js';
import { canonicalJson, sha256Hex } from '../../../src/random/hash.js';
import { byStart, placerOfPlan, planTarget, visitsOfPlan, type PlacedVisit, type PlanInput, type VisitFactory } from '../../../src/backfill/plan.js';
import { remainingVisits } from '../../../src/backfill/resume.js';
import { formatCdt } from '../../../src/backfill/calendar.js';
import type { Visit } from '../../../src/journey/visit.js';
import { hex, intBetween } from '../../../src/random/rng.js';

const NOW = DateTime.fromISO('2026-11-26T12:00:00', { zone: 'CET' }).toMillis();

function input(over: Partial<PlanInput> = {}): PlanInput {
  return {
    window: { from: '2026-01-01', to: '2026-01-10' },
    zone: 'CET',
    cutoffMs: NOW,
    seed: 42,
    perDayCap: 100,
    totalCap: 1000,
    profile: DEFAULT_PROFILE,
    maxVisitDurationMs: 15 * 60_000,
    shape: { pageviews: { min: 2, max: 4 } },
    target: { url: 'http://127.0.0.1:8080/matomo.php', siteId: 1 },
    ...over,
  };
}

/** A stand-in for the journey model and the encoder. */
const factory: VisitFactory = {
  build(rng, index): Visit {
    const n = intBetween(rng, 1, 4);
    const id = hex(rng, 16);
    const durationMs = intBetween(rng, 60_000, 15 * 60_000);
    return {
      index,
      visitor: { id, userAgent: 'test' },
      durationMs,
      hits: Array.from({ length: n }, (_, i) => ({ type: 'pageview' as const, atMs: Math.floor((durationMs * i) / n), pauseMs: 0, params: [['url', `https://example.test/${i}`]] as const })),
    };
  },
  encode(visit, startMs) {
    return visit.hits.map((h, i) => ({
      type: h.type,
      visitIndex: visit.index,
      hitIndex: i,
      at: startMs + h.atMs,
      params: [['_id', visit.visitor.id], ...h.params.map(([k, v]) => [k, v] as [string, string]), ['cdt', formatCdt(startMs + h.atMs)]],
      userAgent: visit.visitor.userAgent,
    }));
  },
};

describe('sha256Hex', () => {
  it.each(['', 'abc', 'x'.repeat(55), 'x'.repeat(56), 'x'.repeat(64), 'é'.repeat(100)])('matches node:crypto for %j', (text) => {
    expect(sha256Hex(text)).toBe(createHash('sha256').update(text).digest('hex'));
  });
  it('canonical JSON sorts keys at every level', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: undefined } })).toBe('{"a":{"d":[1,{"e":3,"f":2}]},"b":1}');
  });
});

describe('planTarget', () => {
  it('gives each day the per-day cap', () => {
    const plan = planTarget(input());
    expect(plan.days.map((d) => d.visits)).toEqual(new Array(10).fill(100));
    expect(plan.visits).toBe(1000);
  });

  it('reduces a day to what the total cap leaves and skips the days after it', () => {
    const plan = planTarget(input({ totalCap: 250 }));
    expect(plan.days.map((d) => [d.visits, d.status])).toEqual([
      [100, 'planned'],
      [100, 'planned'],
      [50, 'planned'],
      ...new Array(7).fill([0, 'skipped']),
    ]);
    expect(plan.visits).toBe(250);
  });

  it('gives a cut today too short for a visit nothing', () => {
    const cut = DateTime.fromISO('2026-11-26T00:10:00', { zone: 'CET' }).toMillis();
    const plan = planTarget(input({ window: { from: '2026-11-25', to: '2026-11-26' }, cutoffMs: cut }));
    expect(plan.days.map((d) => [d.visits, d.status])).toEqual([
      [100, 'planned'],
      [0, 'too-short'],
    ]);
  });

  it('keys on what shapes the hits, not on how they are sent', () => {
    const base = planTarget(input()).key;
    expect(planTarget(input()).key).toBe(base);
    expect(planTarget(input({ seed: 43 })).key).not.toBe(base);
    expect(planTarget(input({ shape: { pageviews: { min: 2, max: 5 } } })).key).not.toBe(base);
    expect(planTarget(input({ window: { from: '2026-01-01', to: '2026-01-09' } })).key).not.toBe(base);
    expect(planTarget(input({ target: { url: 'http://127.0.0.1:8080/matomo.php', siteId: 2 } })).key).not.toBe(base);
    expect(planTarget(input({ profile: FLAT_PROFILE })).key).not.toBe(base);
    // A past window does not depend on when it was planned...
    expect(planTarget(input({ cutoffMs: NOW + 86_400_000 })).key).toBe(base);
    // ...a window ending today does (its last day ends at the cut-off).
    const today = input({ window: { from: '2026-11-20', to: '2026-11-26' } });
    expect(planTarget(today).key).not.toBe(planTarget({ ...today, cutoffMs: NOW + 1000 }).key);
    // The settings key ignores the window.
    expect(planTarget(input({ window: { from: '2026-01-05', to: '2026-01-06' } })).settingsKey).toBe(planTarget(input()).settingsKey);
  });
});

describe('visitsOfPlan', () => {
  it("gives a day the same visits whatever the window (seed independence)", () => {
    const one = planTarget(input({ window: { from: '2026-01-05', to: '2026-01-05' } }));
    const ten = planTarget(input({ window: { from: '2026-01-01', to: '2026-01-10' } }));
    const a = [...visitsOfPlan(one, factory)('2026-01-05', [0, 1, 2, 3, 4, 99])];
    const b = [...visitsOfPlan(ten, factory)('2026-01-05', [0, 1, 2, 3, 4, 99])];
    expect(a).toEqual(b);
    // And regenerating a subset gives exactly those visits, as a resume needs.
    const byIndex = new Map(b.map((v) => [v.index, v]));
    const sub = [...visitsOfPlan(ten, factory)('2026-01-05', [3, 99])];
    expect(sub).toEqual([byIndex.get(3), byIndex.get(99)].sort((x, y) => x!.requests[0]!.at - y!.requests[0]!.at));
    // Different days differ.
    const other = [...visitsOfPlan(ten, factory)('2026-01-06', [0])];
    expect(other[0]!.requests[0]!.params).not.toEqual(byIndex.get(0)!.requests[0]!.params);
  });

  it('yields the asked visits in the order of their start, as Matomo would have seen them', () => {
    const plan = planTarget(input({ window: { from: '2026-01-05', to: '2026-01-05' }, perDayCap: 200 }));
    const visits = [...visitsOfPlan(plan, factory)('2026-01-05', Array.from({ length: 200 }, (_, i) => i))];
    const starts = visits.map((v) => v.requests[0]!.at);
    expect(starts).toEqual([...starts].sort((x, y) => x - y));
    // Not index order: the diurnal draw scatters the indices over the day.
    expect(visits.map((v) => v.index)).not.toEqual(visits.map((v) => v.index).sort((x, y) => x - y));
    expect(new Set(visits.map((v) => v.index)).size).toBe(200);
  });

  it('shares of a day placed apart (worker threads) and merged by start give the order of the whole day', () => {
    const plan = planTarget(input({ window: { from: '2026-01-05', to: '2026-01-05' }, perDayCap: 200 }));
    const all = Array.from({ length: 200 }, (_, i) => i);
    const whole = [...visitsOfPlan(plan, factory)('2026-01-05', all)];
    for (const n of [2, 3]) {
      const placer = placerOfPlan(plan, factory);
      const shares = Array.from({ length: n }, (_, w) => [...placer.place('2026-01-05', all.filter((_, k) => k % n === w))]);
      for (const share of shares) expect(share).toEqual([...share].sort(byStart));
      const merged = shares.flat().sort(byStart) as PlacedVisit[];
      expect(merged.map((p) => ({ index: p.index, requests: placer.encode('2026-01-05', p) }))).toEqual(whole);
    }
  });

  it.each([
    { why: 'the default profile', profile: DEFAULT_PROFILE, window: '2026-01-05' },
    { why: 'a flat profile', profile: FLAT_PROFILE, window: '2026-01-05' },
    { why: 'night hours of weight 0 (starts skip them)', profile: DEFAULT_PROFILE.map((w, h) => (h < 6 || h > 21 ? 0 : w)), window: '2026-01-05' },
    { why: 'the spring DST day (23 h)', profile: DEFAULT_PROFILE, window: '2026-03-29' },
    { why: 'the autumn DST day (25 h)', profile: DEFAULT_PROFILE, window: '2026-10-25' },
    { why: 'today, cut at the plan time', profile: DEFAULT_PROFILE, window: '2026-11-26' },
  ])('with a timeline bound, builds a day a window at a time in the order of the whole: $why', ({ profile, window }) => {
    const plan = planTarget(input({ window: { from: window, to: window }, perDayCap: 3000, totalCap: 3000, profile }));
    const day = plan.days[0]!;
    const all = Array.from({ length: day.visits }, (_, i) => i);
    let built = 0;
    let held = 0;
    const counting: VisitFactory = { ...factory, build: (...args) => (built++, factory.build(...args)) };
    const bounded = placerOfPlan(plan, { ...counting, maxTimelineMs: 15 * 60_000 });
    const whole = [...placerOfPlan(plan, factory).place(day.date, all)];
    const got: PlacedVisit[] = [];
    for (const p of bounded.place(day.date, all)) {
      got.push(p);
      held = Math.max(held, built - got.length);
    }
    expect(got.map((p) => [p.index, p.startMs])).toEqual(whole.map((p) => [p.index, p.startMs]));
    expect(got.map((p) => bounded.encode(day.date, p))).toEqual(whole.map((p) => placerOfPlan(plan, factory).encode(day.date, p)));
    // A window of visits is held, not the day.
    expect(held).toBeLessThan(day.visits / 10);
    // A subset is placed the same way (a resume, a worker's share).
    const share = all.filter((i) => i % 3 === 1);
    expect([...bounded.place(day.date, share)].map((p) => p.index)).toEqual(whole.map((p) => p.index).filter((i) => i % 3 === 1));
  });

  it('fails loudly, never out of order, when a visit outlasts the timeline bound', () => {
    const plan = planTarget(input({ window: { from: '2026-01-05', to: '2026-01-05' }, perDayCap: 500 }));
    const all = Array.from({ length: 500 }, (_, i) => i);
    expect(() => [...placerOfPlan(plan, { ...factory, maxTimelineMs: 60_000 }).place('2026-01-05', all)]).toThrow(/past the placement bound of 60000 ms/);
  });

  it('places every hit inside its local day on the DST days', () => {
    const plan = planTarget(input({ window: { from: '2026-03-29', to: '2026-03-29' }, perDayCap: 2000 }));
    const autumn = planTarget(input({ window: { from: '2026-10-25', to: '2026-10-25' }, perDayCap: 2000 }));
    for (const p of [plan, autumn]) {
      const day = p.days[0]!;
      const idx = Array.from({ length: day.visits }, (_, i) => i);
      for (const v of visitsOfPlan(p, factory)(day.date, idx)) {
        for (const r of v.requests) {
          expect(r.at).toBeGreaterThanOrEqual(day.startMs);
          expect(r.at).toBeLessThan(day.endMs);
        }
      }
    }
  });
});

describe('remainingVisits', () => {
  const progress = { acked: new Set([0, 2, 5]), failed: new Set([1]), uncertain: new Set([3]) };
  it('sends what is not acknowledged, failed or uncertain', () => {
    expect(remainingVisits(7, progress, false)).toEqual({ visits: [4, 6], acked: 3, failed: 1, uncertain: 1, uncertainVisits: [3], complete: false });
  });
  it('resends uncertain visits only when asked', () => {
    expect(remainingVisits(7, progress, true).visits).toEqual([3, 4, 6]);
  });
  it('an untouched day sends everything; a fully acknowledged one is complete', () => {
    expect(remainingVisits(3, undefined, false).visits).toEqual([0, 1, 2]);
    expect(remainingVisits(2, { acked: new Set([1, 0]), failed: new Set(), uncertain: new Set() }, false)).toMatchObject({ visits: [], complete: true });
  });
});
