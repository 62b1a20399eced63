import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { planTarget, type TargetPlan } from '../../../src/backfill/plan.js';
import { backfillTargets, planInputOf, profileOf, visitSource } from '../../../src/backfill/setup.js';
import { resolveConfig } from '../../../src/config/resolve.js';
import type { Config } from '../../../src/config/schema.js';
import { dryRunLine } from '../../../src/matomo/dry-run.js';
import { createWorkload } from '../../../src/workload/workload.js';
import { VisitPool, type ThreadHandle } from '../../../src/workers/pool.js';
import { serveThread } from '../../../src/workers/thread.js';
import type { ToWorker } from '../../../src/workers/protocol.js';

const NOW = Date.UTC(2026, 10, 26, 12);

function config(): Config {
  const values = { url: 'http://127.0.0.1:9/matomo.php', siteId: 1, tokenAuth: 't', seed: 7, backfill: { from: '2026-02-02', to: '2026-02-04', maxVisitsPerDay: 120 } };
  const r = resolveConfig([{ kind: 'flags', label: 'flags', values, origins: {} }], { now: NOW });
  if (!r.config) throw new Error(JSON.stringify(r.errors));
  return r.config;
}

/** A "thread" served in this thread over a MessageChannel: the pool's messages, the thread's code. */
function inProcess(posted: ToWorker[]): ThreadHandle {
  const { port1, port2 } = new MessageChannel();
  serveThread(port2);
  return {
    postMessage: (m: ToWorker) => {
      posted.push(m);
      port1.postMessage(m);
    },
    // A port neither fails nor exits: only messages are listened to.
    on: (event: string, listener: (value: never) => void) => (event === 'message' ? port1.on('message', listener as (value: unknown) => void) : port1),
    terminate: () => {
      port1.close();
      port2.close();
    },
  };
}

const pools: VisitPool[] = [];
afterEach(async () => {
  for (const p of pools.splice(0)) await p.close();
});

describe('the worker pool (threads served in-process)', () => {
  const c = config();
  const target = backfillTargets(c)[0]!;
  const plan: TargetPlan = planTarget(planInputOf(c, target, { from: '2026-02-02', to: '2026-02-04' }, NOW, 7, profileOf(c), {}));
  const workload = createWorkload(c, 7);
  const days = plan.days.filter((d) => d.visits > 0).map((d) => ({ date: d.date, indices: Array.from({ length: d.visits }, (_, i) => i) }));

  it.each([1, 2, 3])('%i thread(s) give the visits of one thread, in its order, byte for byte', async (n) => {
    const posted: ToWorker[] = [];
    const pool = new VisitPool(n, () => inProcess(posted));
    pools.push(pool);
    pool.init({ config: c, seed: 7, files: {}, plan, siteId: target.siteId, output: { kind: 'requests' } });
    pool.expect(days);
    const one = visitSource(plan, workload, target.siteId);
    for (const { date, indices } of days) {
      const want = [...one(date, indices)];
      const got = [];
      for await (const v of pool.visitsOfDay(date, indices)) got.push(v);
      expect(got.map((v) => v.index)).toEqual(want.map((v) => v.index));
      expect(got.map((v) => v.requests.map((r) => dryRunLine(r)))).toEqual(want.map((v) => v.requests.map((r) => dryRunLine(r))));
    }
    // Each thread got its share of each day (index k to thread k mod n), and each day once: the next
    // one was started while the one before was read.
    const asked = posted.filter((m): m is Extract<ToWorker, { type: 'day' }> => m.type === 'day');
    expect(asked).toHaveLength(days.length * n);
    for (const { date, indices } of days) {
      const shares = asked.filter((m) => m.date === date).map((m) => m.indices);
      expect(shares.flat().sort((a, b) => a - b)).toEqual(indices);
      for (const [w, share] of shares.entries()) expect(share.every((i) => i % n === w)).toBe(true);
    }
  });

  it('a dry run through the threads prints the lines of one thread', async () => {
    const pool = new VisitPool(2, () => inProcess([]));
    pools.push(pool);
    pool.init({ config: c, seed: 7, files: {}, plan, siteId: target.siteId, output: { kind: 'dry-run', day: true } });
    const { date, indices } = days[0]!;
    let text = '';
    for await (const v of pool.texts(date, indices)) text += v.text;
    let want = '';
    for (const v of visitSource(plan, workload, target.siteId)(date, indices)) for (const r of v.requests) want += dryRunLine(r, { day: date, visit: v.index }) + '\n';
    expect(text).toBe(want);
  });

  it('a thread that fails makes the source throw, with its message', async () => {
    const pool = new VisitPool(2, () => inProcess([]));
    pools.push(pool);
    pool.init({ config: c, seed: 7, files: {}, plan, siteId: target.siteId, output: { kind: 'requests' } });
    const read = async (): Promise<void> => {
      for await (const _ of pool.texts('1999-01-01', [0, 1, 2])) void _;
    };
    await expect(read()).rejects.toThrow(/day 1999-01-01 is not in the plan/);
  });
});
