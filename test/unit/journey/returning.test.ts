import { describe, expect, it } from 'vitest';
import { forecastReturning, visitorKey, type PlannedVisit } from '../../../src/backfill/predict.js';
import { buildVisit } from '../../../src/journey/journey.js';
import { countReturning, referentOf } from '../../../src/journey/returning.js';
import type { Visit } from '../../../src/journey/visit.js';
import { builtin } from '../../helpers/journey-helpers.js';
import { realSettings } from '../../helpers/realism-helpers.js';

/**
 * Returning visitors as Matomo counts them: a return in a backfill is the visitor of an earlier
 * day's visit of the same plan, so Matomo (which only knows visitors it already holds) counts it.
 */
const settings = realSettings();
const visit = (scope: string, index: number): Visit => buildVisit({ seed: 11, scope, index, settings, catalogues: builtin });

/** A window of `days` days from 2026-03-02 (a Monday), `perDay` visits each, started in index order. */
function window(days: number, perDay: number): PlannedVisit[] {
  const out: PlannedVisit[] = [];
  for (let d = 0; d < days; d++) {
    const date = new Date(Date.UTC(2026, 2, 2 + d)).toISOString().slice(0, 10);
    for (let i = 0; i < perDay; i++) out.push({ date, index: i, startMs: Date.UTC(2026, 2, 2 + d) + i * 60_000, visit: visit(date, i) });
  }
  return out;
}

describe('returning visitors (backfill)', () => {
  it('refers a return to the visit of the same index 1-3 days earlier', () => {
    for (let i = 0; i < 500; i++) {
      const ref = referentOf(11, '2026-03-10', i)!;
      expect(['2026-03-09', '2026-03-08', '2026-03-07']).toContain(ref.scope);
      expect(ref.index).toBe(i);
      expect(referentOf(11, '2026-03-10', i)).toEqual(ref); // seeded
    }
    expect(referentOf(11, 'run', 5)).toBeUndefined();
  });

  it('gives a return the visitor (id, uid, device) of the earlier visit it refers to', () => {
    let checked = 0;
    for (let i = 0; i < 400 && checked < 40; i++) {
      const v = visit('2026-03-10', i);
      if (!v.traits!.returning) continue;
      let ref = referentOf(11, '2026-03-10', i)!;
      let earlier = visit(ref.scope, ref.index);
      while (earlier.traits!.returning) {
        ref = referentOf(11, ref.scope, ref.index)!;
        earlier = visit(ref.scope, ref.index);
      }
      expect(v.visitor).toEqual(earlier.visitor);
      checked++;
    }
    expect(checked).toBe(40);
  });

  it('keeps first-time visitors apart: no two of them share an id', () => {
    const ids = window(3, 300).filter((p) => !p.visit.traits!.returning).map((p) => visitorKey(p.visit));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('brings a visitor at most once a day', () => {
    const planned = window(6, 300);
    for (const date of new Set(planned.map((p) => p.date))) {
      const keys = planned.filter((p) => p.date === date).map((p) => visitorKey(p.visit));
      expect(new Set(keys).size).toBe(keys.length);
    }
  });

  it('counts as Matomo does: a visit is returning when an earlier one has its visitor', () => {
    expect(countReturning([{ key: 'a', startMs: 3 }, { key: 'b', startMs: 1 }, { key: 'a', startMs: 2 }, { key: 'b', startMs: 4 }])).toEqual({ visits: 4, returning: 2 });
  });

  it('has no returns on the first day of a fresh window, those of first-day visitors on the second, then holds the configured share within 5 points', () => {
    const forecast = forecastReturning(window(10, 400));
    const shares = forecast.days.map((d) => d.share);
    expect(shares[0]).toBe(0); // a visitor comes at most once a day: nothing to recognise yet
    // The second day: exactly its visits by a visitor of the first day.
    const first = new Set([...Array(400).keys()].map((i) => visitorKey(visit('2026-03-02', i))));
    const again = [...Array(400).keys()].filter((i) => first.has(visitorKey(visit('2026-03-03', i))));
    expect(again.length).toBeGreaterThan(60);
    expect(forecast.days[1]!.returning).toBe(again.length);
    const steady = forecast.days.slice(3).reduce((s, d) => s + d.returning, 0) / forecast.days.slice(3).reduce((s, d) => s + d.visits, 0);
    expect(Math.abs(steady - 0.3), `steady share ${steady}`).toBeLessThanOrEqual(0.05);
  });
});
