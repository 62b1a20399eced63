import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PROFILE } from '../../../src/schedule/time-shape.js';
import { planTarget, type PlanInput, type VisitsOfDay } from '../../../src/backfill/plan.js';
import { remainingVisits } from '../../../src/backfill/resume.js';
import { Replay, type DeadHit } from '../../../src/backfill/replay.js';
import type { TrackingRequest } from '../../../src/matomo/request.js';
import { seeded } from '../../../src/random/rng.js';
import { openDeadLetters, readDeadLetters, retrySet, takeDeadLetters } from '../../../src/state/dead-letter.js';
import { openJournal, readJournal } from '../../../src/state/journal.js';
import { findOverlaps, listPlans, overlapMessage, planPaths, savePlan } from '../../../src/state/store.js';
import { ManualClock } from '../../../src/time/clock.js';
import type { Outcome, Transport } from '../../../src/transport/transport.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'trafficinator-backfill-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const NOW = Date.UTC(2026, 10, 26, 12);
function input(over: Partial<PlanInput> = {}): PlanInput {
  return {
    window: { from: '2026-01-01', to: '2026-01-03' },
    zone: 'CET',
    cutoffMs: NOW,
    seed: 7,
    perDayCap: 20,
    totalCap: 1000,
    profile: DEFAULT_PROFILE,
    maxVisitDurationMs: 60_000,
    shape: {},
    target: { url: 'http://127.0.0.1:9/matomo.php', siteId: 1 },
    ...over,
  };
}

describe('journal', () => {
  it('reads back acknowledged, failed and uncertain visits per day; last state wins', () => {
    const path = join(tempDir(), 'journal.ndjson');
    const j = openJournal(path);
    j.inFlight('2026-01-01', [0, 1, 2, 3]);
    j.settle('2026-01-01', { acked: [0, 1], failed: [2] });
    j.inFlight('2026-01-01', [4, 5]);
    j.settle('2026-01-01', { acked: [5], released: [4] });
    j.inFlight('2026-01-02', [0]);
    j.settle('2026-01-02', { uncertain: [0] });
    j.inFlight('2026-01-02', [0]); // resent with --resend-uncertain...
    j.settle('2026-01-02', { acked: [0] }); // ...and acknowledged
    j.close();
    const state = readJournal(path);
    const d1 = state.days.get('2026-01-01')!;
    expect([...d1.acked].sort()).toEqual([0, 1, 5]);
    expect([...d1.failed]).toEqual([2]);
    expect([...d1.uncertain]).toEqual([3]); // in flight, never answered
    expect([...state.days.get('2026-01-02')!.acked]).toEqual([0]);
    expect(state.tornTail).toBe(false);
  });

  it('tolerates a line torn by a crash, and cuts it off before appending', () => {
    const path = join(tempDir(), 'journal.ndjson');
    const j = openJournal(path);
    j.inFlight('2026-01-01', [0, 1]);
    j.settle('2026-01-01', { acked: [0, 1] });
    j.close();
    appendFileSync(path, '{"d":"2026-01-01","f":[2,3');
    const torn = readJournal(path);
    expect(torn.tornTail).toBe(true);
    expect(torn.badLines).toBe(0);
    expect([...torn.days.get('2026-01-01')!.acked]).toEqual([0, 1]);
    expect(torn.days.get('2026-01-01')!.uncertain.size).toBe(0);
    const again = openJournal(path);
    again.inFlight('2026-01-01', [2]);
    again.close();
    expect(readFileSync(path, 'utf8').split('\n').filter(Boolean)).toHaveLength(3);
    const after = readJournal(path);
    expect(after.tornTail).toBe(false);
    expect([...after.days.get('2026-01-01')!.uncertain]).toEqual([2]);
  });

  it('keeps a last record that lost only its newline', () => {
    const path = join(tempDir(), 'journal.ndjson');
    writeFileSync(path, '{"d":"x","f":[1]}\n{"d":"x","a":[1]}');
    expect([...readJournal(path).days.get('x')!.acked]).toEqual([1]);
    openJournal(path).close();
    expect(readFileSync(path, 'utf8')).toBe('{"d":"x","f":[1]}\n{"d":"x","a":[1]}\n');
  });
});

describe('state directory', () => {
  it('stores the plan with its key, window, cut-off, seed and target, and no token', () => {
    const dir = tempDir();
    const plan = planTarget(input());
    const paths = savePlan(dir, plan, NOW);
    const stored = JSON.parse(readFileSync(paths.plan, 'utf8'));
    expect(stored).toMatchObject({ stateFormat: 1, cutoff: new Date(NOW).toISOString(), plan: { key: plan.key, seed: 7, window: plan.window, cutoffMs: NOW, target: plan.target } });
    expect(listPlans(dir).plans.map((p) => p.plan.key)).toEqual([plan.key]);
  });

  it('refuses overlapping days for the same target, suggesting --resume or --force', () => {
    const dir = tempDir();
    const first = planTarget(input());
    savePlan(dir, first, NOW);
    const j = openJournal(planPaths(dir, first.key).journal);
    j.inFlight('2026-01-02', [0]);
    j.settle('2026-01-02', { acked: [0] });
    j.close();
    const next = planTarget(input({ window: { from: '2026-01-02', to: '2026-01-05' } }));
    const overlaps = findOverlaps(dir, next);
    expect(overlaps).toEqual([{ key: first.key, window: first.window, days: ['2026-01-02'], complete: false, samePlan: false }]);
    expect(overlapMessage(overlaps, next.target)).toMatch(/2026-01-02 .*--resume/);
    // Another site, or days nobody sent anything for, do not overlap.
    expect(findOverlaps(dir, planTarget(input({ target: { url: 'http://127.0.0.1:9/matomo.php', siteId: 2 } })))).toEqual([]);
    expect(findOverlaps(dir, planTarget(input({ window: { from: '2026-01-03', to: '2026-01-05' } })))).toEqual([]);
    // The same plan again: it is the one to resume.
    expect(findOverlaps(dir, first)[0]!.samePlan).toBe(true);
  });

  it('says --force for a complete plan', () => {
    const dir = tempDir();
    const plan = planTarget(input({ perDayCap: 1, window: { from: '2026-01-01', to: '2026-01-01' } }));
    savePlan(dir, plan, NOW);
    const j = openJournal(planPaths(dir, plan.key).journal);
    j.settle('2026-01-01', { acked: [0] });
    j.close();
    const overlaps = findOverlaps(dir, plan);
    expect(overlaps[0]!.complete).toBe(true);
    expect(overlapMessage(overlaps, plan.target)).toContain('--force');
  });
});

describe('dead letters', () => {
  const hit = (visit: number, h: number, day = '2026-01-01'): DeadHit => ({
    kind: 'hit',
    day,
    visit,
    hit: h,
    type: 'pageview',
    at: new Date(Date.UTC(2026, 0, 1, 10, 0, h)).toISOString(),
    reason: 'HTTP 503 (after 6 attempts)',
    userAgent: 'ua',
    params: [['idsite', '1'], ['h', String(h)]],
  });

  it('round-trips, groups resendable hits per day and visit in order, and takes the file once', () => {
    const path = join(tempDir(), 'dead-letter.ndjson');
    const w = openDeadLetters(path);
    w.write(hit(3, 2));
    w.write(hit(3, 1));
    w.write({ kind: 'batch', day: '2026-01-01', visits: [5, 6], hits: 9, invalid: 2, reason: 'invalid (not named)' });
    w.write(hit(0, 0, '2026-01-02'));
    w.close();
    appendFileSync(path, '{"kind":"hit","da');
    const { records, badLines } = readDeadLetters(path);
    expect(records).toHaveLength(4);
    expect(badLines).toBe(1);
    const set = retrySet(records);
    expect(set.hits).toBe(3);
    expect(set.unresendable).toBe(2);
    expect([...set.days.keys()]).toEqual(['2026-01-01', '2026-01-02']);
    expect(set.days.get('2026-01-01')!.get(3)!.map((r) => r.hitIndex)).toEqual([1, 2]);
    const taken = takeDeadLetters(path);
    expect(taken.records).toHaveLength(4);
    expect(taken.movedTo).toBe(`${path}.retried-1`);
    expect(readDeadLetters(path).records).toEqual([]);
  });
});

/** Visits with 2 hits each; hit identity "day/visit/hit". */
const visitsOfDay: VisitsOfDay = function* (date, indices) {
  for (const index of indices) {
    const requests: TrackingRequest[] = [0, 1].map((h) => ({
      type: 'pageview',
      visitIndex: index,
      hitIndex: h,
      at: 0,
      params: [['id', `${date}/${index}/${h}`]],
      userAgent: 'ua',
    }));
    yield { index, requests };
  }
};

function recordingTransport(received: string[], hangAfter = Infinity, onHang?: () => void): Transport {
  let calls = 0;
  return {
    send(req) {
      calls++;
      if (calls > hangAfter) {
        onHang?.();
        return new Promise<Outcome>(() => {}); // the process "dies" here
      }
      const queries = (JSON.parse(req.body!) as { requests: string[] }).requests;
      for (const q of queries) received.push(decodeURIComponent(q.slice('?id='.length)));
      return Promise.resolve({ kind: 'response', status: 200, headers: {}, body: JSON.stringify({ status: 'success', tracked: queries.length, invalid: 0 }), latencyMs: 1 });
    },
    close: async () => {},
  };
}

describe('crash and resume', () => {
  it('after a crash, resume sends exactly the visits not acknowledged; uncertain ones only when asked', async () => {
    const dir = tempDir();
    const plan = planTarget(input());
    const paths = savePlan(dir, plan, NOW);
    const received: string[] = [];
    const journal = openJournal(paths.journal);
    const dead = openDeadLetters(paths.deadLetter);
    const clock = new ManualClock();
    const days = plan.days.map((d) => ({ date: d.date, visits: Array.from({ length: d.visits }, (_, i) => i), plannedVisits: d.visits }));
    // 3 days x 20 visits x 2 hits, bulk 6 (3 visits a batch, 7 batches a day): the 9th never gets an answer.
    let hung!: () => void;
    const hanging = new Promise<void>((resolve) => (hung = resolve));
    const crashed = new Replay({
      clock, transport: recordingTransport(received, 8, hung), rng: seeded(1), url: 'http://127.0.0.1:9/matomo.php', tokenAuth: 't',
      bulkSize: 6, concurrency: 1, days, visitsOfDay, journal, deadLetter: dead.write,
    });
    void crashed.run();
    await hanging;
    journal.close();
    appendFileSync(paths.journal, '{"d":"2026-01-03","a":[1'); // and a write torn by the kill
    expect(received).toHaveLength(46);

    const state = readJournal(paths.journal);
    expect(state.tornTail).toBe(true);
    const remainder = (resend: boolean) =>
      plan.days.map((d) => ({ date: d.date, plannedVisits: d.visits, ...remainingVisits(d.visits, state.days.get(d.date), resend) }));
    const plain = remainder(false);
    expect(plain.map((d) => [d.acked, d.uncertain, d.visits.length])).toEqual([
      [20, 0, 0], // day 1: complete
      [3, 3, 14], // day 2: one batch acknowledged, one in flight at the crash
      [0, 0, 20],
    ]);

    const resumed = openJournal(paths.journal);
    const result = await new Replay({
      clock, transport: recordingTransport(received), rng: seeded(1), url: 'http://127.0.0.1:9/matomo.php', tokenAuth: 't',
      bulkSize: 6, concurrency: 3, days: plain.filter((d) => d.visits.length), visitsOfDay, journal: resumed, deadLetter: dead.write,
    }).run();
    expect(result.days.every((d) => d.done)).toBe(true);
    // Every planned hit arrived, none twice, except the uncertain visits' hits which never arrived again.
    const all = plan.days.flatMap((d) => Array.from({ length: d.visits * 2 }, (_, k) => `${d.date}/${k >> 1}/${k & 1}`));
    const uncertain = ['2026-01-02/3', '2026-01-02/4', '2026-01-02/5'];
    expect(new Set(received).size).toBe(received.length);
    expect([...received].sort()).toEqual(all.filter((h) => !uncertain.some((u) => h.startsWith(u + '/'))).sort());

    // --resend-uncertain completes the plan.
    const again = readJournal(paths.journal);
    const uncertainLeft = plan.days.map((d) => ({ date: d.date, plannedVisits: d.visits, ...remainingVisits(d.visits, again.days.get(d.date), true) }));
    expect(uncertainLeft.map((d) => d.visits)).toEqual([[], [3, 4, 5], []]);
    await new Replay({
      clock, transport: recordingTransport(received), rng: seeded(1), url: 'http://127.0.0.1:9/matomo.php', tokenAuth: 't',
      bulkSize: 6, concurrency: 3, days: uncertainLeft.filter((d) => d.visits.length), visitsOfDay, journal: resumed, deadLetter: dead.write,
    }).run();
    resumed.close();
    expect([...received].sort()).toEqual(all.sort());
    const final = readJournal(paths.journal);
    expect(plan.days.every((d) => remainingVisits(d.visits, final.days.get(d.date), true).complete)).toBe(true);
  });
});
