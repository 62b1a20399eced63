import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareReports, renderReportComparison } from '../../../src/backfill/compare-reports.js';
import type { MatomoView } from '../../../src/journey/matomo-view.js';
import { readWindowReports, WINDOW_REPORT_CALLS, windowReportRequests } from '../../../src/matomo/reporting.js';

/**
 * verify --reports against the answers a real Matomo 5.0.2 gave for a 5-day backfill of 1,215
 * visits (seed 42, medium preset, --max-visits-per-day 300, --geo both, UTC), archived.
 */
const names = ['VisitsSummary-get', 'VisitFrequency-get', 'Goals-get-ecommerceOrder', 'Goals-get-ecommerceAbandonedCart', 'DevicesDetection-getType', 'Referrers-getReferrerType', 'UserCountry-getCountry'];
const answers = names.map((n) => JSON.parse(readFileSync(new URL(`../../fixtures/matomo-5.0.2/api-range-${n}.body`, import.meta.url), 'utf8')) as unknown);
const reports = readWindowReports(answers);

/** What inspect --from 2026-11-20 --to 2026-11-24 printed for that window (the plan). */
const plan: MatomoView = {
  visits: 1215,
  actions: 4598,
  bounces: 417,
  bounceRate: 0.3432,
  returningVisits: 247,
  returningShare: 0.2033,
  avgVisitLengthSeconds: 187.69,
  sumVisitLengthSeconds: 226831,
  deviceTypes: { Desktop: 673, Smartphone: 466, Tablet: 76 },
  browsers: {},
  referrerTypes: { search: 379, direct: 332, social: 176, website: 171, campaign: 157 },
  countries: { us: 430, de: 116, gb: 103, ca: 73, au: 69, jp: 60 },
  orders: 50,
  revenue: 5034.89,
  abandonedCarts: 92,
};

describe('verify --reports', () => {
  it('asks for the window as one range, the token in the body', () => {
    const requests = windowReportRequests('http://127.0.0.1/index.php', 3, '2026-11-20', '2026-11-24', 'secret');
    expect(requests).toHaveLength(WINDOW_REPORT_CALLS.length);
    for (const r of requests) {
      expect(r.url).toBe('http://127.0.0.1/index.php');
      expect(r.body).toContain('period=range');
      expect(r.body).toContain('date=2026-11-20%2C2026-11-24');
      expect(r.body).toContain('token_auth=secret');
    }
  });

  it('reads the recorded answers', () => {
    expect(reports).toMatchObject({ visits: 1215, actions: 4598, bounces: 417, sumVisitLength: 226831, returningVisits: 247, orders: 50, revenue: 5034.89, abandonedCarts: 92 });
    expect(reports.deviceTypes).toEqual({ Desktop: 673, Smartphone: 466, Tablet: 76 });
    expect(reports.referrerTypes).toEqual({ search: 379, direct: 332, social: 176, website: 171, campaign: 157 });
    expect(reports.countries.us).toBe(430);
  });

  it('passes when every row is within its tolerance', () => {
    const c = compareReports(plan, reports);
    expect(c.differences).toBe(0);
    expect(renderReportComparison(c)).toContain('every row within its tolerance');
  });

  it.each([
    { why: 'one tablet visit more in the plan', change: { deviceTypes: { Desktop: 673, Smartphone: 466, Tablet: 77 } }, metric: 'device type Tablet' },
    { why: 'a website counted as social', change: { referrerTypes: { search: 379, direct: 332, social: 175, website: 172, campaign: 157 } }, metric: 'referrer type social' },
    { why: 'returning share 3.1 points off', change: { returningVisits: 247 + 38 }, metric: 'returning visits %' },
    { why: 'revenue two cents off', change: { revenue: 5034.91 }, metric: 'revenue' },
  ])('lists a difference: $why', ({ change, metric }) => {
    const c = compareReports({ ...plan, ...change } as MatomoView, reports);
    expect(c.rows.filter((r) => !r.ok).map((r) => r.metric)).toContain(metric);
    expect(renderReportComparison(c)).toMatch(/DIFFERS/);
  });

  it('allows the returning share up to 3 points', () => {
    expect(compareReports({ ...plan, returningVisits: 247 + 36 }, reports).differences).toBe(0); // 23.3 % vs 20.3 %
  });
});
