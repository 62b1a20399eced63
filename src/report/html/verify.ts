import type { VerifyDay } from '../../backfill/verify.js';
import type { ChartSpec, Section } from './spec.js';

/** `verify --json` output: what the report reads of it. */
export interface VerifyDoc {
  command: 'verify';
  targets: Array<{ target: string; window: { from: string; to: string }; zone: string; days: VerifyDay[]; problem?: string }>;
}

/** verify: planned against what Matomo reports, per day, in the raw logs and in VisitsSummary. */
export function verifySections(doc: VerifyDoc, name: string): Section[] {
  return doc.targets.map((t, i) => {
    const days = t.days.map((d) => d.date);
    const archived = (d: VerifyDay, key: 'visits' | 'actions'): number | null => (d.archive?.state === 'archived' ? d.archive[key] : null);
    const chart = (key: 'visits' | 'actions'): ChartSpec => ({
      id: `verify-${key}-${i}`,
      title: `Planned ${key} against what Matomo reports, per day`,
      note: `The plan, the raw logs (Live API) and the archived VisitsSummary report${t.days.some((d) => d.archive?.state !== 'archived') ? ' (a missing bar: the day is not archived yet)' : ''}.`,
      labels: days,
      xTitle: 'day',
      yTitle: key,
      datasets: [
        { label: 'planned', data: t.days.map((d) => d.planned[key] ?? null), kind: 'bar', color: '#56B4E9' },
        { label: 'raw logs', data: t.days.map((d) => d.raw?.[key] ?? null), kind: 'bar', color: '#009E73' },
        { label: 'VisitsSummary', data: t.days.map((d) => archived(d, key)), kind: 'bar', color: '#E69F00' },
      ],
    });
    const matched = t.days.filter((d) => d.status === 'match').length;
    return {
      heading: `Verify${name ? ` · ${name}` : ''}: ${t.target}, ${t.window.from} to ${t.window.to} (${t.zone})`,
      blocks: [
        {
          kind: 'figures',
          figures: [
            { label: 'days matching the plan', value: `${matched} / ${t.days.length}`, tone: matched === t.days.length ? 'ok' : 'bad' },
            { label: 'planned visits', value: int(t.days.reduce((n, d) => n + d.planned.visits, 0)) },
            { label: 'visits in the raw logs', value: int(t.days.reduce((n, d) => n + (d.raw?.visits ?? 0), 0)) },
          ],
        },
        ...(t.problem ? [{ kind: 'text' as const, text: `Matomo's Reporting API did not answer (${t.problem}): days it could not count are "unknown".` }] : []),
        { kind: 'chart', chart: chart('visits') },
        { kind: 'chart', chart: chart('actions') },
        {
          kind: 'table',
          table: {
            caption: 'Per day',
            head: ['day', 'status', 'notes'],
            rows: t.days.map((d) => [d.date, d.status === 'match' ? '✓ match' : `✗ ${d.status}`, d.notes.join('; ')]),
          },
        },
      ],
    };
  });
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
