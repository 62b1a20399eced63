import type { BackfillSummary } from '../backfill-summary.js';
import type { ChartSpec, Section } from './spec.js';

/** backfill: per target, planned against tracked per day, the hits not tracked, and hits per hour of the day. */
export function backfillSections(s: BackfillSummary, name: string): Section[] {
  return s.targets.map((t, i) => {
    const days = t.days.map((d) => d.date);
    const planned: ChartSpec = {
      id: `backfill-days-${i}`,
      title: 'Planned against tracked, per day',
      note: 'Hits the plan generated for each day against the hits Matomo reported as tracked.',
      labels: days,
      xTitle: 'day',
      yTitle: 'hits',
      datasets: [
        { label: 'planned hits', data: t.days.map((d) => d.hits), kind: 'bar', color: '#56B4E9' },
        { label: 'tracked', data: t.days.map((d) => d.tracked), kind: 'bar', color: '#009E73' },
      ],
    };
    const lostAny = t.days.some((d) => d.invalid + d.failed + d.uncertain > 0);
    const lost: ChartSpec = {
      id: `backfill-lost-${i}`,
      title: 'Invalid, failed and uncertain hits, per day',
      note: 'Hits Matomo called invalid, hits that failed, and hits whose fate is unknown.',
      labels: days,
      xTitle: 'day',
      yTitle: 'hits',
      datasets: [
        { label: 'invalid', data: t.days.map((d) => d.invalid), kind: 'bar', stack: 'lost', color: '#E69F00' },
        { label: 'failed', data: t.days.map((d) => d.failed), kind: 'bar', stack: 'lost', color: '#D55E00' },
        { label: 'uncertain', data: t.days.map((d) => d.uncertain), kind: 'bar', stack: 'lost', color: '#CC79A7' },
      ],
    };
    const byHour = t.plannedByHour;
    const hours: ChartSpec | undefined = byHour && {
      id: `backfill-hours-${i}`,
      title: 'Hits per hour of the day',
      note: `The plan's hits by the local hour of their time stamp (${t.zone}) and visits by the hour they start, summed over the window: the daily profile at work.`,
      labels: byHour.hits.map((_, h) => `${String(h).padStart(2, '0')}:00`),
      xTitle: `hour of the day (${t.zone})`,
      yTitle: 'hits',
      y2Title: 'visits',
      // The line first: Chart.js draws the first dataset on top, so the bars do not hide it.
      datasets: [
        { label: 'visits started', data: byHour.visits, kind: 'line', right: true, color: '#D55E00' },
        { label: 'hits', data: byHour.hits, kind: 'bar', color: '#56B4E9' },
      ],
    };
    const totals = t.totals as unknown as Record<string, number>;
    return {
      heading: `Backfill${name ? ` · ${name}` : ''}: ${t.url} site ${t.siteId}, ${t.window.from} to ${t.window.to}`,
      blocks: [
        {
          kind: 'figures',
          figures: [
            { label: 'planned visits', value: int(totals.plannedVisits ?? 0) },
            { label: 'hits sent', value: int(totals.sent ?? 0) },
            { label: 'tracked', value: int(totals.tracked ?? 0), tone: 'ok' },
            { label: 'invalid', value: int(totals.invalid ?? 0), tone: (totals.invalid ?? 0) > 0 ? 'bad' : 'ok' },
            { label: 'failed', value: int(totals.failed ?? 0), tone: (totals.failed ?? 0) > 0 ? 'bad' : 'ok' },
            { label: 'uncertain', value: int(totals.uncertain ?? 0), tone: (totals.uncertain ?? 0) > 0 ? 'bad' : 'ok' },
            { label: 'hits/s', value: int(s.hitsPerSecond) },
            { label: 'zone, seed', value: `${t.zone}, ${[...new Set(t.plans.map((p) => p.seed))].join(', ')}` },
            // A merge: which plans (shards) the counts add up.
            ...(t.plans.length > 1 ? [plansOf(t.plans)] : []),
          ],
        },
        { kind: 'chart', chart: planned },
        // An empty chart says less than a sentence: drawn only when a day lost a hit.
        lostAny ? { kind: 'chart', chart: lost } : { kind: 'text', text: `Invalid, failed and uncertain hits: none. Every hit sent on the ${t.days.length} day(s) was tracked.` },
        hours
          ? { kind: 'chart', chart: hours }
          : { kind: 'text', text: `Hits per hour of the day: not in this summary (written by trafficinator ${s.trafficinator}; backfill summaries record them from version 3 on).` },
      ],
    };
  });
}

/** The figure naming a merge's plans: the shards when every plan is one, else how many plans. */
function plansOf(plans: BackfillSummary['targets'][number]['plans']): { label: string; value: string } {
  const shards = plans.filter((p) => p.shard).map((p) => `${p.shard!.index}/${p.shard!.count}`);
  return shards.length === plans.length ? { label: 'shards merged', value: shards.join(', ') } : { label: 'plans merged', value: String(plans.length) };
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
