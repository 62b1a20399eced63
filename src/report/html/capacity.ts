import type { CapacitySummary } from '../capacity.js';
import type { ChartSpec, Section } from './spec.js';

/** capacity: the rate-latency-error curve with the knee marked, achieved against target, every step. */
export function capacitySections(s: CapacitySummary, name: string): Section[] {
  const steps = [...s.steps].sort((a, b) => a.targetHitsPerSecond - b.targetHitsPerSecond);
  const rates = steps.map((st) => st.targetHitsPerSecond);
  const knee = s.knee;
  const curve: ChartSpec = {
    id: 'capacity-curve',
    title: 'Rate, latency and errors',
    note: knee ? `The knee (dashed line, ▲): ${knee.hitsPerSecond} hits/s, the highest step that kept every limit.` : 'No step kept the limits: no knee.',
    labels: rates,
    numericX: true,
    xTitle: 'target hits/s',
    yTitle: 'latency ms',
    y2Title: 'error rate %',
    ...(knee ? { markX: { value: knee.hitsPerSecond, label: `knee ${knee.hitsPerSecond} hits/s` } } : {}),
    datasets: [
      { label: 'p50 ms', data: steps.map((st) => st.latencyMs.p50) },
      { label: 'p99 ms', data: steps.map((st) => st.latencyMs.p99) },
      { label: 'errors %', data: steps.map((st) => round(st.errorRate * 100)), right: true, color: '#D55E00', dashed: true },
      { label: 'knee (p99)', data: steps.map((st) => (knee && st.targetHitsPerSecond === knee.hitsPerSecond && st.ok ? st.latencyMs.p99 : null)), pointsOnly: true, color: '#CC79A7' },
    ],
  };
  const achieved: ChartSpec = {
    id: 'capacity-achieved',
    title: 'Achieved against target',
    note: 'Where the achieved rate leaves the diagonal, the target (or the generator) stopped keeping up.',
    labels: rates,
    numericX: true,
    xTitle: 'target hits/s',
    yTitle: 'hits/s',
    datasets: [
      { label: 'achieved hits/s', data: steps.map((st) => st.achievedHitsPerSecond) },
      { label: 'target', data: rates, dashed: true, color: '#999999' },
    ],
  };
  const verdict = knee
    ? `Highest sustainable rate: ${knee.hitsPerSecond} hits/s = ${Math.round(knee.visitsPerDay).toLocaleString('en-US')} visits/day at ${s.hitsPerVisit} hits per visit.`
    : 'No sustainable rate was found.';
  const whose = s.bound === 'target' ? `The limit was the target's (Matomo's): ${s.why}.` : s.bound === 'generator' ? `The limit was the generator's own, not Matomo's: ${s.why}.` : '';
  return [
    {
      heading: name ? `Capacity · ${name}` : 'Capacity',
      blocks: [
        {
          kind: 'figures',
          figures: [
            { label: 'highest sustainable hits/s', value: knee ? String(knee.hitsPerSecond) : '–', tone: knee ? 'ok' : 'bad' },
            { label: 'as visits/day', value: knee ? Math.round(knee.visitsPerDay).toLocaleString('en-US') : '–' },
            { label: 'first bad hits/s', value: s.firstBad ? String(s.firstBad.hitsPerSecond) : '–' },
            { label: 'whose limit', value: s.bound ?? '–' },
            { label: 'steps', value: String(s.steps.length) },
            { label: 'search ended', value: s.end },
          ],
        },
        { kind: 'text', text: `${verdict} ${whose}` },
        { kind: 'chart', chart: curve },
        { kind: 'chart', chart: achieved },
        {
          kind: 'table',
          table: {
            caption: 'Every step, in the order run',
            head: ['step', 'phase', 'target hits/s', 'achieved hits/s', 'p50 ms', 'p99 ms', 'errors', 'dropped', 'cpu cores', 'verdict'],
            rows: s.steps.map((st) => [st.index + 1, st.phase, st.targetHitsPerSecond, st.achievedHitsPerSecond, st.latencyMs.p50, st.latencyMs.p99, `${(st.errorRate * 100).toFixed(2)}%`, st.dropped, st.cpuCores, st.ok ? '✓ ok' : `✗ bad (${st.bound})`]),
            numeric: [0, 2, 3, 4, 5, 6, 7, 8],
          },
        },
      ],
    },
  ];
}

const round = (n: number): number => Math.round(n * 100) / 100;
