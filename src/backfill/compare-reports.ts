import type { MatomoView } from '../journey/matomo-view.js';
import type { WindowReports } from '../matomo/reporting.js';

/**
 * `verify --reports`: the window's plan (what Matomo will show, matomo-view.ts, with the returning
 * forecast) against Matomo's archived reports. Counts the plan fixes per hit must be equal; the
 * returning share may differ by `returningPoints` percentage points (the forecast assumes the
 * window went in time order into a site without earlier visits of these visitors).
 */
export interface ReportRow {
  metric: string;
  planned: number;
  matomo: number;
  /** Largest difference allowed, in the metric's unit (points for a share). */
  tolerance: number;
  ok: boolean;
}

export interface ReportComparison {
  rows: ReportRow[];
  differences: number;
}

export const RETURNING_POINTS = 3;
/** Countries compared: the plan's largest ones. */
export const TOP_COUNTRIES = 5;

const DEVICE_TYPES = ['Desktop', 'Smartphone', 'Tablet'];
const REFERRER_TYPES = ['direct', 'search', 'website', 'social', 'campaign'];

function row(metric: string, planned: number, matomo: number, tolerance = 0): ReportRow {
  const diff = Math.abs(planned - matomo);
  return { metric, planned, matomo, tolerance, ok: diff <= tolerance + 1e-9 };
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

export function compareReports(plan: MatomoView, matomo: WindowReports, returningPoints = RETURNING_POINTS): ReportComparison {
  const share = (n: number, of: number): number => round1((100 * n) / Math.max(1, of));
  const rows: ReportRow[] = [
    row('visits', plan.visits, matomo.visits),
    row('actions', plan.actions, matomo.actions),
    row('bounces', plan.bounces, matomo.bounces),
    row('visit length, s in all', plan.sumVisitLengthSeconds, matomo.sumVisitLength),
    row('returning visits %', share(plan.returningVisits, plan.visits), share(matomo.returningVisits, matomo.visits), returningPoints),
    row('orders', plan.orders, matomo.orders),
    row('revenue', plan.revenue, matomo.revenue, 0.01),
    row('abandoned carts', plan.abandonedCarts, matomo.abandonedCarts),
  ];
  const devices = new Set([...DEVICE_TYPES, ...Object.keys(plan.deviceTypes), ...Object.keys(matomo.deviceTypes)]);
  for (const type of devices) rows.push(row(`device type ${type}`, plan.deviceTypes[type] ?? 0, matomo.deviceTypes[type] ?? 0));
  const referrers = new Set([...REFERRER_TYPES, ...Object.keys(plan.referrerTypes), ...Object.keys(matomo.referrerTypes)]);
  for (const type of referrers) rows.push(row(`referrer type ${type}`, plan.referrerTypes[type] ?? 0, matomo.referrerTypes[type] ?? 0));
  for (const code of Object.keys(plan.countries).slice(0, TOP_COUNTRIES)) {
    rows.push(row(`country ${code}`, plan.countries[code] ?? 0, matomo.countries[code] ?? 0));
  }
  return { rows, differences: rows.filter((r) => !r.ok).length };
}

/** The comparison as text: every row, differences marked. */
export function renderReportComparison(c: ReportComparison): string {
  const width = Math.max(...c.rows.map((r) => r.metric.length));
  const lines = [`${'report'.padEnd(width)}  ${'plan'.padStart(10)}  ${'Matomo'.padStart(10)}  tolerance  status`];
  for (const r of c.rows) {
    lines.push(`${r.metric.padEnd(width)}  ${String(r.planned).padStart(10)}  ${String(r.matomo).padStart(10)}  ${String(r.tolerance).padStart(9)}  ${r.ok ? 'ok' : 'DIFFERS'}`);
  }
  lines.push(c.differences === 0 ? 'reports: every row within its tolerance' : `reports: ${c.differences} row(s) beyond their tolerance`);
  return lines.join('\n') + '\n';
}
