import { describe, expect, it } from 'vitest';
import type { BackfillSummary } from '../../../../src/report/backfill-summary.js';
import { backfillSections } from '../../../../src/report/html/backfill.js';
import type { Block } from '../../../../src/report/html/spec.js';

const day = (date: string, hits: number, lost: { invalid?: number; failed?: number; uncertain?: number } = {}) => ({
  date, hits, tracked: hits - (lost.invalid ?? 0) - (lost.failed ?? 0) - (lost.uncertain ?? 0), invalid: lost.invalid ?? 0, failed: lost.failed ?? 0, uncertain: lost.uncertain ?? 0,
});

function summary(version: number, days: ReturnType<typeof day>[], hours?: { hits: number[]; visits: number[] }): BackfillSummary {
  return {
    version, command: 'backfill', trafficinator: '0.1.0', startedAt: '2026-11-26T00:00:00.000Z', elapsedMs: 1000, hitsPerSecond: 10, interrupted: false, exitCode: 0,
    settings: { bulkSize: 100, concurrency: 4, rateLimit: null, reconcile: true, resume: false },
    targets: [{ url: 'http://x/matomo.php', siteId: '1', window: { from: '2026-01-01', to: '2026-01-02' }, zone: 'CET', plans: [{ planKey: 'k', window: { from: '2026-01-01', to: '2026-01-02' }, cutoff: '', seed: '1' }], days, totals: {}, ...(hours ? { plannedByHour: hours } : {}) }],
  } as unknown as BackfillSummary;
}

const charts = (blocks: Block[]) => blocks.flatMap((b) => (b.kind === 'chart' ? [b.chart] : []));
const texts = (blocks: Block[]) => blocks.flatMap((b) => (b.kind === 'text' ? [b.text] : []));

describe('the backfill page', () => {
  it('draws planned against tracked per day, the hits not tracked, and hits per hour', () => {
    const hours = { hits: Array.from({ length: 24 }, (_, h) => h * 2), visits: Array.from({ length: 24 }, (_, h) => h) };
    const [section] = backfillSections(summary(3, [day('2026-01-01', 10), day('2026-01-02', 12, { invalid: 1, uncertain: 2 })], hours), '');
    const drawn = charts(section!.blocks);
    expect(drawn.map((c) => c.title)).toEqual(['Planned against tracked, per day', 'Invalid, failed and uncertain hits, per day', 'Hits per hour of the day']);
    expect(drawn[0]!.datasets.map((d) => d.data)).toEqual([[10, 12], [10, 9]]);
    expect(drawn[1]!.datasets.map((d) => [d.label, d.data])).toEqual([['invalid', [0, 1]], ['failed', [0, 0]], ['uncertain', [0, 2]]]);
    expect(drawn[2]!.labels).toHaveLength(24);
    expect(drawn[2]!.labels[9]).toBe('09:00');
    expect(drawn[2]!.datasets.map((d) => [d.label, d.data])).toEqual([['visits started', hours.visits], ['hits', hours.hits]]);
  });

  it('says in a sentence that no hit was lost, and that an older summary has no hours', () => {
    const [section] = backfillSections(summary(2, [day('2026-01-01', 10)]), 'old.json');
    expect(charts(section!.blocks).map((c) => c.title)).toEqual(['Planned against tracked, per day']);
    expect(texts(section!.blocks)).toEqual([
      'Invalid, failed and uncertain hits: none. Every hit sent on the 1 day(s) was tracked.',
      "Hits per hour of the day: not in this summary (written by trafficinator 0.1.0; backfill summaries record them from version 3 on).",
    ]);
  });
});
