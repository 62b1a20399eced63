import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PROFILE } from '../../../src/schedule/time-shape.js';
import { planTarget, type VisitsOfDay } from '../../../src/backfill/plan.js';
import { renderVerify, verify } from '../../../src/backfill/verify.js';
import { liveVisitsRequest, readLivePage, readTrackingFailures, readVisitsSummary } from '../../../src/matomo/reporting.js';
import { Replay, type DayOutcome } from '../../../src/backfill/replay.js';
import { decodeQuery } from '../../../src/matomo/query.js';
import { seeded } from '../../../src/random/rng.js';
import { backfillExitCode, incompleteReason, backfillRows, totalsOf } from '../../../src/report/backfill-rows.js';
import { BACKFILL_SUMMARY_VERSION, backfillSummary, readBackfillSummary, redactUrl } from '../../../src/report/backfill-summary.js';
import { renderBackfillText } from '../../../src/report/backfill-text.js';
import { ManualClock } from '../../../src/time/clock.js';
import type { Outcome } from '../../../src/transport/transport.js';
import { matomoFixture } from '../../helpers/fixtures.js';

const schema = JSON.parse(readFileSync(new URL('../../../docs/schema/backfill-summary.schema.json', import.meta.url), 'utf8'));

const plan = planTarget({
  window: { from: '2026-01-01', to: '2026-01-04' },
  zone: 'CET',
  cutoffMs: Date.UTC(2026, 10, 26),
  seed: 'report',
  perDayCap: 12,
  totalCap: 30,
  profile: DEFAULT_PROFILE,
  maxVisitDurationMs: 60_000,
  shape: {},
  target: { url: 'http://user:pw@127.0.0.1:9/matomo.php', siteId: 1 },
});

const visitsOfDay: VisitsOfDay = function* (date, indices) {
  for (const index of indices) {
    yield {
      index,
      requests: [0, 1].map((h) => ({ type: 'pageview' as const, visitIndex: index, hitIndex: h, at: 0, params: [['id', `${date}/${index}/${h}`]] as Array<[string, string]>, userAgent: 'ua' })),
    };
  }
};

/** A real replay (batches of 4 visits): day 2's 2nd and 3rd batches time out; each batch of day 3 has one unnamed invalid hit. */
async function realRun(): Promise<DayOutcome[]> {
  let calls = 0;
  const replay = new Replay({
    clock: new ManualClock(),
    transport: {
      async send(req): Promise<Outcome> {
        calls++;
        const queries = (JSON.parse(req.body!) as { requests: string[] }).requests;
        const day = decodeQuery(queries[0]!)[0]![1].slice(0, 10);
        if (day === '2026-01-02' && calls % 2 === 0) return { kind: 'error', errorClass: 'timeout', message: 't', latencyMs: 1, mayHaveBeenProcessed: true };
        const invalid = day === '2026-01-03' ? 1 : 0;
        return { kind: 'response', status: 200, headers: {}, body: JSON.stringify({ status: 'success', tracked: queries.length - invalid, invalid }), latencyMs: 1 };
      },
      close: async () => {},
    },
    rng: seeded(1),
    url: 'http://127.0.0.1:9/matomo.php',
    tokenAuth: 'secret-token',
    bulkSize: 8,
    concurrency: 1,
    days: plan.days.filter((d) => d.visits > 0).map((d) => ({ date: d.date, visits: Array.from({ length: d.visits }, (_, i) => i), plannedVisits: d.visits })),
    visitsOfDay,
    journal: { inFlight() {}, settle() {} },
    deadLetter() {},
  });
  return (await replay.run()).days;
}

describe('backfill report', () => {
  it('rows, totals, statuses and exit code from a real replay', async () => {
    const rows = backfillRows(plan, await realRun());
    expect(rows.map((r) => [r.date, r.plannedVisits, r.status])).toEqual([
      ['2026-01-01', 12, 'complete'],
      ['2026-01-02', 12, 'uncertain'],
      ['2026-01-03', 6, 'lost'],
      ['2026-01-04', 0, 'skipped'],
    ]);
    const t = totalsOf(rows);
    expect(t.plannedVisits).toBe(30);
    expect(t.sent).toBe(60);
    expect(t.tracked + t.invalid + t.uncertain + t.failed + t.unaccounted).toBe(t.sent);
    expect(backfillExitCode(rows, false)).toBe(3);
    expect(backfillExitCode(rows, true)).toBe(130);
    expect(backfillExitCode(rows.slice(0, 2), false)).toBe(3); // uncertain is not done: exit 3
    expect(backfillExitCode(rows.slice(0, 1), false)).toBe(0);
    expect(incompleteReason(rows.slice(0, 2))).toBe('backfill incomplete: 1 day(s) with uncertain visits (2026-01-02): --resume reconciles them');
    expect(incompleteReason(rows.slice(0, 1))).toBeUndefined();
    const text = renderBackfillText({ plan, rows, elapsedMs: 2000, interrupted: false, verifyCommand: 'trafficinator verify --state-dir .trafficinator --plan 0123456789ab' });
    expect(text).toMatch(/^2026-01-03 +6 +12 +12 +10 +2 +0 +0 +lost$/m);
    expect(text).toMatch(/^total +30 /m);
    expect(text).toContain('warning: 8 visit(s) uncertain');
    // Each uncertain visit is named with the reason (here: a timeout, and no reconciler).
    expect(text).toMatch(/warning: 2026-01-02: visit\(s\) (\d+, ){7}\d+ uncertain: timeout: t/);
    expect(rows[1]!.uncertainVisits).toEqual({ reason: 'timeout: t', visits: expect.any(Array) });
    expect(rows[1]!.uncertainVisits!.visits).toHaveLength(8);
    expect(text).not.toContain('user:pw');
    expect(text).toContain('not named by Matomo');
    expect(text).toContain('core:archive');
    expect(text).toContain('Check what Matomo recorded (token as for the backfill): trafficinator verify --state-dir .trafficinator --plan 0123456789ab\n');
  });

  it('writes a summary JSON that its schema accepts, without credentials', async () => {
    const rows = backfillRows(plan, await realRun());
    const summaryInput = (r: typeof rows) => ({
      version: '0.1.0',
      startedAtMs: Date.UTC(2026, 10, 26),
      elapsedMs: 1500,
      interrupted: false,
      exitCode: backfillExitCode(r, false),
      settings: { bulkSize: 8, concurrency: 1, rateLimit: null, reconcile: true, resume: false },
    });
    const summary = backfillSummary({ ...summaryInput(rows), targets: [{ plan, rows, plannedByHour: { hits: new Array<number>(24).fill(2), visits: new Array<number>(24).fill(1) } }] });
    const ajv = new Ajv({ allErrors: true, strict: true });
    const validate = ajv.compile(schema);
    const json = JSON.parse(JSON.stringify(summary));
    const valid = validate(json);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(JSON.stringify(summary)).not.toMatch(/secret|user:pw/);
    // The schema is strict: an unknown field fails.
    expect(validate({ ...json, extra: 1 })).toBe(false);
    // Version 4 names the target's plans (one here, unsharded); a target without them is not version 4.
    expect(summary.version).toBe(4);
    expect(summary.targets[0]!.plans).toEqual([{ planKey: plan.key, window: plan.window, cutoff: new Date(plan.cutoffMs).toISOString(), seed: String(plan.seed) }]);
    expect(validate({ ...json, targets: [{ ...json.targets[0], plans: undefined }] })).toBe(false);
    expect(validate({ ...json, targets: [{ ...json.targets[0], planKey: plan.key }] })).toBe(false);
    // A shard's summary says which shard it sent.
    const sharded = backfillSummary({ ...summaryInput(rows), targets: [{ plan: { ...plan, shard: { index: 1, count: 2 } }, rows }] });
    expect(sharded.targets[0]!.plans[0]!.shard).toEqual({ index: 1, count: 2 });
    expect(validate(JSON.parse(JSON.stringify(sharded))), JSON.stringify(validate.errors)).toBe(true);
    expect(redactUrl('https://a:b@host/matomo.php')).toBe('https://host/matomo.php');
  });
});

describe('verify', () => {
  const live = readLivePage(JSON.parse(matomoFixture('api-live-lastVisits').body));
  it('counts raw visits and actions from Live.getLastVisitsDetails', () => {
    expect(live).toEqual({ visits: 1, actions: 2, rows: 1 });
    const req = liveVisitsRequest('http://127.0.0.1:9/index.php', 1, '2026-11-23', 0, 'tok');
    expect(Object.fromEntries(decodeQuery(req.body!))).toMatchObject({ method: 'Live.getLastVisitsDetails', idSite: '1', date: '2026-11-23', period: 'day', token_auth: 'tok' });
  });

  it('tells an unarchived day from an archived one (recorded answers)', () => {
    const notArchived = JSON.parse(matomoFixture('api-visitsSummary-not-archived').body);
    const archived = JSON.parse(matomoFixture('api-visitsSummary-archived').body);
    expect(readVisitsSummary(notArchived, 1)).toEqual({ state: 'not-archived' });
    expect(readVisitsSummary(notArchived, 0)).toEqual({ state: 'empty' });
    expect(readVisitsSummary(archived, 1)).toEqual({ state: 'archived', visits: 1, actions: 2 });
    expect(readVisitsSummary([], 3)).toEqual({ state: 'not-archived' });
  });

  it('lists the site\'s tracking failures', () => {
    const failures = readTrackingFailures(JSON.parse(matomoFixture('api-trackingFailures').body), 1);
    expect(failures).toEqual([{ siteId: 1, date: '2026-11-26 01:11:59', problem: 'Request was not authenticated but authentication was required.', url: 'http://example.test/a' }]);
  });

  it('exits 0 when every day matches, 3 otherwise', () => {
    const archived = readVisitsSummary(JSON.parse(matomoFixture('api-visitsSummary-archived').body), 1);
    const good = verify([
      { date: '2026-11-23', planned: { visits: 1, actions: 2 }, raw: live, archive: archived },
      { date: '2026-11-24', planned: { visits: 0 }, raw: { visits: 0, actions: 0 }, archive: { state: 'empty' } },
    ]);
    expect(good.exitCode).toBe(0);
    expect(renderVerify(good)).toContain('All 2 day(s) match the plan.');
    const bad = verify([
      { date: '2026-11-23', planned: { visits: 2 }, raw: live, archive: { state: 'not-archived' } },
      { date: '2026-11-24', planned: { visits: 1 }, raw: { visits: 2, actions: 4 } },
      { date: '2026-11-25', planned: { visits: 1 } },
      { date: '2026-11-26', planned: { visits: 1 }, raw: { visits: 1, actions: 1 }, archive: { state: 'archived', visits: 3, actions: 9 } },
    ]);
    expect(bad.exitCode).toBe(3);
    expect(bad.days.map((d) => d.status)).toEqual(['missing', 'extra', 'unknown', 'stale-archive']);
    expect(bad.notArchived).toEqual(['2026-11-23']);
    const text = renderVerify(bad);
    expect(text).toContain('not archived yet (run core:archive)');
    expect(text).toContain('4 of 4 day(s) do not match');
  });
});

describe('backfill summary versions', () => {
  it('reads a version 1 summary as the current form: no reconciliation, counts 0', () => {
    const v1 = {
      version: 1, command: 'backfill', trafficinator: '0.1.0', startedAt: '2026-11-26T00:00:00.000Z', elapsedMs: 10, hitsPerSecond: 1, interrupted: false, exitCode: 0,
      settings: { bulkSize: 100, concurrency: 50, rateLimit: null, retryAmbiguous: true, resume: false },
      targets: [{ url: 'http://x/matomo.php', siteId: '1', planKey: 'k', window: { from: '2026-01-01', to: '2026-01-01' }, zone: 'CET', cutoff: '2026-11-26T00:00:00.000Z', seed: '1', days: [{ date: '2026-01-01', sent: 3 }], totals: { sent: 3 } }],
    };
    const read = readBackfillSummary(v1);
    expect(read.version).toBe(BACKFILL_SUMMARY_VERSION);
    expect(read.settings).toEqual({ bulkSize: 100, concurrency: 50, rateLimit: null, reconcile: false, resume: false });
    expect(read.targets[0]!.days[0]).toMatchObject({ sent: 3, reconciled: 0, resentAfterReconcile: 0 });
    expect(read.targets[0]!.totals).toMatchObject({ sent: 3, reconciled: 0 });
    expect(readBackfillSummary(JSON.parse(JSON.stringify(read)))).toEqual(read);
    expect(() => readBackfillSummary({ ...v1, version: 9 })).toThrow(/version 9 is not one this version reads/);
    const v1Schema = JSON.parse(readFileSync(new URL('../../../docs/schema/backfill-summary.v1.schema.json', import.meta.url), 'utf8'));
    expect(new Ajv({ strict: true }).compile(v1Schema)({ ...v1, targets: [] })).toBe(true);
  });

  it('reads a version 2 summary as version 4, without the hours', () => {
    const v2 = {
      version: 2, command: 'backfill', trafficinator: '0.1.0', startedAt: '2026-11-26T00:00:00.000Z', elapsedMs: 10, hitsPerSecond: 1, interrupted: false, exitCode: 0,
      settings: { bulkSize: 100, concurrency: 4, rateLimit: null, reconcile: true, resume: false },
      targets: [],
    };
    const read = readBackfillSummary(v2);
    expect(read).toEqual({ ...v2, version: 4 });
    const v2Schema = JSON.parse(readFileSync(new URL('../../../docs/schema/backfill-summary.v2.schema.json', import.meta.url), 'utf8'));
    expect(new Ajv({ strict: true }).compile(v2Schema)(v2)).toBe(true);
    expect(() => readBackfillSummary({ ...v2, version: 5 })).toThrow('backfill summary version 5 is not one this version reads (1, 2, 3, 4)');
  });

  it('reads a version 3 summary as version 4: its one plan key, cut-off and seed become a list of one plan', () => {
    const day = { date: '2026-01-01', plannedVisits: 1, hits: 2, priorVisits: 0, visitsAcked: 1, visitsFailed: 0, visitsUncertain: 0, sent: 2, resent: 0, tracked: 2, invalid: 0, invalidUnnamed: 0, failed: 0, uncertain: 0, unaccounted: 0, reconciled: 0, resentAfterReconcile: 0, possiblyDuplicated: 0 };
    const { date: _date, ...counts } = day;
    const target = {
      url: 'http://x/matomo.php', siteId: '1', planKey: 'a'.repeat(64), window: { from: '2026-01-01', to: '2026-01-01' }, zone: 'CET', cutoff: '2026-11-26T00:00:00.000Z', seed: '7',
      days: [{ ...day, status: 'complete' }], totals: { ...counts, days: 1, complete: 1 }, plannedByHour: { hits: new Array<number>(24).fill(0), visits: new Array<number>(24).fill(0) },
    };
    const v3 = {
      version: 3, command: 'backfill', trafficinator: '0.1.0', startedAt: '2026-11-26T00:00:00.000Z', elapsedMs: 10, hitsPerSecond: 1, interrupted: false, exitCode: 0,
      settings: { bulkSize: 100, concurrency: 4, rateLimit: null, reconcile: true, resume: false },
      targets: [target],
    };
    const v3Schema = JSON.parse(readFileSync(new URL('../../../docs/schema/backfill-summary.v3.schema.json', import.meta.url), 'utf8'));
    expect(new Ajv({ strict: true }).compile(v3Schema)(v3)).toBe(true);
    const read = readBackfillSummary(v3);
    const { planKey: _k, cutoff: _c, seed: _s, ...rest } = target;
    expect(read).toEqual({ ...v3, version: 4, targets: [{ ...rest, plans: [{ planKey: 'a'.repeat(64), window: target.window, cutoff: target.cutoff, seed: '7' }] }] });
    const validate = new Ajv({ strict: true, allErrors: true }).compile(schema);
    expect(validate(read), JSON.stringify(validate.errors)).toBe(true);
    expect(readBackfillSummary(JSON.parse(JSON.stringify(read)))).toEqual(read);
  });
});
