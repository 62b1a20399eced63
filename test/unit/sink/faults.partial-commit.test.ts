import { afterEach, describe, expect, it } from 'vitest';
import { decidePartialCommit, FaultPlan, type FaultOptions } from '../../../src/sink/faults.js';
import { startSink, type RunningSink } from '../../../src/sink/index.js';
import type { SinkOptions } from '../../../src/sink/options.js';
import { ManualClock } from '../../../src/time/clock.js';
import { matomoFixture } from '../../helpers/fixtures.js';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const UA = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36' };
const BASE: FaultOptions = { failRate: 0, failStatus: 500, resetRate: 0, seed: 3 };
const sinks: RunningSink[] = [];

async function sink(faults: Partial<FaultOptions>, extra: Partial<SinkOptions> = {}): Promise<RunningSink> {
  const running = await startSink(
    { host: '127.0.0.1', port: 0, timezone: 'CET', currency: 'SEK', token: 'tok', faults: { ...BASE, ...faults }, ...extra },
    new ManualClock(NOW),
  );
  sinks.push(running);
  return running;
}

afterEach(async () => {
  await Promise.all(sinks.splice(0).map((s) => s.stop()));
});

/** Ten visitors with five page views each, on 2026-11-20: a backfill batch of 50 hits. */
function batch(tag: string, visitors = 10, hits = 5): string[] {
  const out: string[] = [];
  for (let v = 0; v < visitors; v++) {
    const id = `${tag}${String(v).padStart(16 - tag.length, '0')}`;
    for (let h = 0; h < hits; h++) {
      out.push(`?idsite=1&rec=1&_id=${id}&url=http%3A%2F%2Fexample.test%2F${h}&pv_id=p${v}${h}&cdt=2026-11-20+10:0${h}:00`);
    }
  }
  return out;
}

async function send(s: RunningSink, requests: string[], token = 'tok'): Promise<Response> {
  return fetch(`${s.url}/matomo.php`, { method: 'POST', headers: UA, body: JSON.stringify({ requests, token_auth: token }) });
}

describe('partial commit: the decision', () => {
  it('is a pure function of content, attempt, size and seed', () => {
    const o = { ...BASE, partialCommitRate: 0.5 };
    const decisions = Array.from({ length: 400 }, (_, i) => decidePartialCommit(o, i * 7919, 0, 50));
    expect(decisions).toEqual(Array.from({ length: 400 }, (_, i) => decidePartialCommit(o, i * 7919, 0, 50)));
    const hit = decisions.filter((d) => d !== undefined).length;
    // 400 draws at 0.5: within 4 standard deviations of 200.
    expect(hit).toBeGreaterThan(160);
    expect(hit).toBeLessThan(240);
    // By default between 1 and size-1 hits are lost, never all: the hit that hit the deadlock is stored.
    const losses = decisions.filter((d) => d !== undefined).map((d) => d.lost);
    expect(Math.min(...losses)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...losses)).toBeLessThanOrEqual(49);
    expect(new Set(decisions.filter(Boolean).map((d) => d!.lost)).size).toBeGreaterThan(10);
    expect(decisions).not.toEqual(Array.from({ length: 400 }, (_, i) => decidePartialCommit({ ...o, seed: 4 }, i * 7919, 0, 50)));
  });

  it('takes a fixed loss, capped below the batch size, and stays off at rate 0 or past the attempts', () => {
    expect(decidePartialCommit({ ...BASE, partialCommitRate: 1, partialCommitLost: 10 }, 1, 0, 50)).toEqual({ lost: 10 });
    expect(decidePartialCommit({ ...BASE, partialCommitRate: 1, partialCommitLost: 0 }, 1, 0, 50)).toEqual({ lost: 0 });
    expect(decidePartialCommit({ ...BASE, partialCommitRate: 1, partialCommitLost: 99 }, 1, 0, 5)).toEqual({ lost: 4 });
    expect(decidePartialCommit({ ...BASE, partialCommitRate: 1 }, 1, 0, 1)).toEqual({ lost: 0 });
    expect(decidePartialCommit({ ...BASE, partialCommitRate: 0 }, 1, 0, 50)).toBeUndefined();
    expect(decidePartialCommit({ ...BASE, partialCommitRate: 1, partialCommitAttempts: 1 }, 1, 1, 50)).toBeUndefined();
    expect(decidePartialCommit({ ...BASE, partialCommitRate: 1, partialCommitAttempts: 2 }, 1, 1, 50)).toBeDefined();
  });

  it('numbers attempts per hit, whatever the order of batches, so a resend of some hits is a later attempt', () => {
    const plan = new FaultPlan({ ...BASE, partialCommitRate: 1, partialCommitAttempts: 1, partialCommitLost: 2 });
    const hits = batch('a1', 2, 3);
    expect(plan.partialCommit('b1', hits)).toEqual({ lost: 2 });
    expect(plan.partialCommit('b2', hits.slice(0, 2))).toBeUndefined();
    expect(plan.partialCommit('b3', batch('b2', 1, 2))).toEqual({ lost: 1 });
    expect(plan.counts).toMatchObject({ partialCommits: 2, lostHits: 3 });
  });

  it('affects the same batches whatever the arrival order', () => {
    const batches = Array.from({ length: 60 }, (_, i) => batch(`c${i.toString(16).padStart(2, '0')}`, 2, 2));
    const outcome = (order: string[][]) => {
      const plan = new FaultPlan({ ...BASE, partialCommitRate: 0.3 });
      const lost = new Map(order.map((b) => [b[0]!, plan.partialCommit(JSON.stringify(b), b)?.lost ?? -1]));
      return { lost, counts: plan.counts };
    };
    const forward = outcome(batches);
    const reversed = outcome([...batches].reverse());
    expect(reversed.counts).toEqual(forward.counts);
    expect(reversed.lost).toEqual(forward.lost);
    expect(forward.counts.partialCommits).toBeGreaterThan(5);
  });
});

describe('partial commit over HTTP', () => {
  it("answers Matomo's recorded 500 and stores only the hits after the lost head", async () => {
    const s = await sink({ partialCommitRate: 1, partialCommitLost: 10 });
    const requests = batch('d1');
    const r = await send(s, requests);
    const recorded = matomoFixture('bulk-partial-commit-500');
    expect(r.status).toBe(recorded.status);
    for (const name of ['content-type', 'access-control-allow-origin', 'access-control-allow-credentials']) {
      expect(r.headers.get(name)).toBe(recorded.headers[name]);
    }
    // The real server stored 40 of 50 (the first two visitors lost) and still said tracked 50.
    expect(await r.text()).toBe(recorded.body);
    const summary = s.snapshot();
    expect(summary.hits).toMatchObject({ received: 50, recorded: 40, duplicates: 0 });
    expect(summary).toMatchObject({ visits: 8, actions: 40, faults: { partialCommits: 1, lostHits: 10 }, statusCodes: { '500': 1 } });
    const api = await fetch(`${s.url}/index.php?module=API&format=JSON&method=Live.getLastVisitsDetails&idSite=1&period=day&date=2026-11-20&filter_limit=-1&token_auth=tok`);
    const ids = ((await api.json()) as Array<{ visitorId: string }>).map((v) => v.visitorId).sort();
    expect(ids).toEqual([...new Set(requests.slice(10).map((q) => /_id=([0-9a-f]{16})/.exec(q)![1]!))].sort());
  });

  it('counts invalid hits in the 500 body too, lists their positions, and never records a lost one', async () => {
    const s = await sink({ partialCommitRate: 1, partialCommitLost: 2 }, { sites: [1] });
    const requests = batch('e1', 1, 4);
    requests[1] = requests[1]!.replace('idsite=1', 'idsite=9');
    const r = await send(s, requests);
    expect(r.status).toBe(500);
    expect(await r.json()).toEqual({ status: 'error', tracked: 3, invalid: 1, invalid_indices: [1] });
    expect(s.snapshot().hits).toMatchObject({ received: 4, recorded: 2, rejected: 0 });
  });

  it('with --partial-commit-attempts 1 a resend of the missing hits is stored and answered 200', async () => {
    const s = await sink({ partialCommitRate: 1, partialCommitLost: 10, partialCommitAttempts: 1 });
    const requests = batch('f1');
    expect((await send(s, requests)).status).toBe(500);
    const resend = await send(s, requests.slice(0, 10));
    expect(resend.status).toBe(200);
    expect(await resend.json()).toEqual({ status: 'success', tracked: 10, invalid: 0, invalid_indices: [] });
    const summary = s.snapshot();
    expect(summary.hits).toMatchObject({ recorded: 50, duplicates: 0 });
    // A fresh batch is a first attempt again.
    expect((await send(s, batch('f2', 1, 2))).status).toBe(500);
    expect(s.snapshot().faults).toMatchObject({ partialCommits: 2, lostHits: 11 });
  });

  it('without an attempts limit a blind resend of the whole batch can fail again and duplicates', async () => {
    const s = await sink({ partialCommitRate: 1, partialCommitLost: 10 });
    const requests = batch('a2');
    await send(s, requests);
    expect((await send(s, requests)).status).toBe(500);
    // Hits 10-49 are stored twice: the duplicates a blind resend makes in the real server.
    expect(s.snapshot().hits).toMatchObject({ recorded: 80, duplicates: 40 });
  });

  it('leaves single hits and the other faults alone', async () => {
    const s = await sink({ partialCommitRate: 1 });
    const single = await fetch(`${s.url}/matomo.php${batch('b3', 1, 1)[0]}&send_image=0&token_auth=tok`, { headers: UA });
    expect(single.status).toBe(204);
    expect(s.snapshot().faults).toEqual({ delayed: 0, failed: 0, reset: 0, partialCommits: 0, lostHits: 0 });
  });
});
