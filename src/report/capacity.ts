import type { ThresholdBreach, Thresholds } from './summary.js';

/** Whose limit a bad step hit: the target's (Matomo) or the generator's own. */
export type Bound = 'target' | 'generator';

/** How the search ended (capacity/search.ts decides it). */
export type SearchEnd =
  /** A good step and a bad one, within the resolution. */
  | 'knee'
  /** The very first step broke the limits: the knee is below the start. */
  | 'below-start'
  /** Every step up to --max-rate held. */
  | 'max-rate'
  /** --max-steps ran out before the resolution was reached. */
  | 'max-steps';


/**
 * What `capacity` reports, as text and as --summary-json (docs/schema/capacity-summary.schema.json).
 * Rates are in `unit`; each step also carries hits/s, so steps of either unit compare.
 */
export const CAPACITY_SUMMARY_VERSION = 1;

export interface CapacityStep {
  index: number;
  phase: 'ramp' | 'bisect';
  /** The step's target in `unit`. */
  rate: number;
  targetHitsPerSecond: number;
  achievedHitsPerSecond: number;
  durationMs: number;
  hitsSent: number;
  errorRate: number;
  errors: Record<string, number>;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  dropped: number;
  scheduleLagP99Ms: number | null;
  /** CPU seconds of the generator per wall second during the step. */
  cpuCores: number;
  ok: boolean;
  bound: Bound | null;
  why: string | null;
  breaches: ThresholdBreach[];
}

export interface CapacitySummary {
  command: 'capacity';
  version: typeof CAPACITY_SUMMARY_VERSION;
  seed: string | number | null;
  startedAt: string;
  unit: 'hits-per-second' | 'visits-per-day';
  stepDurationMs: number;
  limits: Thresholds;
  search: { start: number; factor: number; increment: number | null; resolution: number; maxRate: number; maxSteps: number };
  /** Mean hits per visit of the journey mix (turns hits/s into visits/day). */
  hitsPerVisit: number;
  /** Why the search ended; 'interrupted' on Ctrl-C. */
  end: SearchEnd | 'interrupted';
  /** The highest sustainable rate found (the last good step), or null when no step held. */
  knee: { rate: number; hitsPerSecond: number; visitsPerDay: number } | null;
  /** The lowest rate that broke the limits, or null when none did. */
  firstBad: { rate: number; hitsPerSecond: number } | null;
  /** Whose limit the first bad step hit. */
  bound: Bound | null;
  why: string | null;
  steps: CapacityStep[];
}

const UNIT_TEXT = { 'hits-per-second': 'hits/s', 'visits-per-day': 'visits/day' } as const;

/** The step table and the verdict, as the terminal shows them. */
export function renderCapacityText(s: CapacitySummary): string {
  const unit = UNIT_TEXT[s.unit];
  const header = ['step', 'phase', `target ${unit}`, 'achieved hits/s', 'p50 ms', 'p99 ms', 'errors', 'dropped', 'lag p99', 'cpu', 'verdict'];
  const rows = s.steps.map((step) => [
    String(step.index + 1),
    step.phase,
    fmt(step.rate),
    fmt(step.achievedHitsPerSecond),
    fmt(step.latencyMs.p50),
    fmt(step.latencyMs.p99),
    `${(step.errorRate * 100).toFixed(2)}%`,
    String(step.dropped),
    step.scheduleLagP99Ms === null ? '-' : `${fmt(step.scheduleLagP99Ms)} ms`,
    step.cpuCores.toFixed(2),
    step.ok ? 'ok' : `BAD (${step.bound})`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i < 2 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  const out = ['', 'Capacity steps', line(header), ...rows.map(line), ''];
  out.push(...verdictLines(s, unit));
  return out.join('\n') + '\n';
}

function verdictLines(s: CapacitySummary, unit: string): string[] {
  const lines: string[] = [];
  const perVisit = `at ${s.hitsPerVisit.toFixed(2)} hits per visit for this journey mix`;
  if (s.knee) {
    lines.push(
      `Highest sustainable rate: ${fmt(s.knee.hitsPerSecond)} hits/s = ${Math.round(s.knee.visitsPerDay).toLocaleString('en-US')} visits/day (${perVisit})`,
    );
  }
  switch (s.end) {
    case 'knee':
      lines.push(`The knee lies between ${fmt(s.knee!.rate)} and ${fmt(s.firstBad!.rate)} ${unit} (resolution ${(s.search.resolution * 100).toFixed(0)}%).`);
      break;
    case 'below-start':
      lines.push(`The first step (${fmt(s.search.start)} ${unit}) already broke the limits: start lower (--start).`);
      break;
    case 'max-rate':
      lines.push(`No knee up to --max-rate ${fmt(s.search.maxRate)} ${unit}: every step held.`);
      break;
    case 'max-steps':
      lines.push(`--max-steps ${s.search.maxSteps} ran out before the resolution was reached.`);
      break;
    case 'interrupted':
      lines.push(`Interrupted after ${s.steps.length} step(s): the figures above are what was measured.`);
      break;
  }
  if (s.bound === 'target') lines.push(`Limit: the target's (Matomo's): ${s.why}.`);
  if (s.bound === 'generator') {
    lines.push(`Limit: the generator's own, not Matomo's: ${s.why}. Matomo may take more; run the generator on another machine or several.`);
  }
  return lines;
}

function fmt(value: number): string {
  if (value >= 100) return Math.round(value).toLocaleString('en-US');
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}
