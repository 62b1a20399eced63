import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/io.js';
import { concurrencyNeeded, concurrencyWarning, dryRunSchedule, runPlan, sampleVisits, stopConditions } from '../../../src/engine/run-plan.js';
import { loadConfig } from '../../../src/config/load.js';
import type { Config } from '../../../src/config/schema.js';
import { createWorkload } from '../../../src/workload/workload.js';

const NOW = Date.UTC(2026, 5, 1, 12);

async function config(values: Record<string, unknown>, preset = 'smoke'): Promise<Config> {
  const r = await loadConfig(memoryIo({ argv: [] }), { values: { url: 'http://127.0.0.1:1/matomo.php', ...values }, preset }, { now: NOW });
  if (!r.config || r.errors.length > 0) throw new Error(JSON.stringify(r.errors));
  return r.config;
}

describe('runPlan: the schedule from the configuration', () => {
  it.each([
    { why: 'visits per day: the predecessor unit', values: {}, unit: 'visits', peak: 1 },
    { why: '--rps N paces hits', values: { run: { rps: 40 } }, unit: 'hits', peak: 40 },
    { why: '--rps max has no schedule', values: { run: { rps: 'max' } }, unit: 'max', peak: undefined },
    {
      why: 'stages default to hits/s',
      values: { run: { stages: [{ duration: '10s', target: 20 }, { duration: '10s', target: 5 }] } },
      unit: 'hits',
      peak: 20,
    },
    {
      why: 'stages in visits/day are scaled to visits/s',
      values: { run: { stagesUnit: 'visits-per-day', stages: [{ duration: '10s', target: 172800 }] } },
      unit: 'visits',
      peak: 2,
    },
  ])('$why', async ({ values, unit, peak }) => {
    const plan = runPlan(await config(values), 1);
    expect(plan.unit).toBe(unit);
    expect(plan.peakPerSecond).toBe(peak);
  });

  it('ends a stages schedule with the last stage, and a Poisson schedule is the same for the same seed', async () => {
    const staged = runPlan(await config({ run: { stages: [{ duration: '10s', target: 20 }] } }), 1);
    expect(staged.pacer.kind === 'paced' && staged.pacer.shape.endMs).toBe(10_000);
    const dues = async (seed: number): Promise<number[]> => {
      const plan = runPlan(await config({ run: { arrivals: 'poisson' } }), seed);
      if (plan.pacer.kind !== 'paced') throw new Error('paced expected');
      const out: number[] = [];
      for (let i = 0; i < 5; i++) {
        out.push(plan.pacer.next()!);
        plan.pacer.commit([0]);
      }
      return out;
    };
    expect(await dues(3)).toEqual(await dues(3));
    expect(await dues(3)).not.toEqual(await dues(4));
  });

  it('maps the stop settings (0 means unset) and the daily cap to its zone', async () => {
    // The preset's stop group (5 visits or 1 minute) holds until a higher layer sets any of it...
    expect(stopConditions(await config({ run: {} }))).toEqual({ durationMs: 60_000, maxVisits: 5 });
    // ...then that layer replaces the whole group: maxTotalVisits 0 (no limit) also drops the 1 minute.
    expect(stopConditions(await config({ maxTotalVisits: 0, run: {} }))).toEqual({});
    expect(stopConditions(await config({ run: { duration: '2m' } }))).toEqual({ durationMs: 120_000 });
    expect(
      stopConditions(await config({ maxTotalVisits: 9, autoStopAfterHours: 0.5, dailyCap: 100, timezone: 'UTC', run: { duration: '2m' } })),
    ).toEqual({ durationMs: 120_000, autoStopMs: 1_800_000, maxVisits: 9, dailyCap: { cap: 100, timezone: 'UTC' } });
  });

  it("computes the concurrency Little's law asks for from the model's visits", async () => {
    const c = await config({ visitsPerDay: 864000, pauseSeconds: { min: 1, max: 1 } });
    const workload = createWorkload(c, 1);
    const sample = sampleVisits(workload, 50);
    const check = concurrencyNeeded(runPlan(c, 1), sample, 10)!;
    const meanMs = sample.reduce((n, v) => n + v.pausesMs + v.hits * 10, 0) / sample.length;
    expect(check.visitsPerSecond).toBe(10);
    expect(check.meanVisitMs).toBeCloseTo(meanMs, 6);
    expect(check.needed).toBe(Math.ceil((10 * meanMs) / 1000));
  });

  it.each([
    { why: '--rps N: hits/s over the mean hits per visit', values: { run: { rps: 40 } }, perSecond: (hits: number) => 40 / hits },
    {
      why: 'stages: the peak stage',
      values: { run: { stages: [{ duration: '10s', target: 20 }, { duration: '10s', target: 60 }] } },
      perSecond: (hits: number) => 60 / hits,
    },
  ])("applies Little's law to $why too", async ({ values, perSecond }) => {
    const c = await config(values);
    const sample = sampleVisits(createWorkload(c, 1), 50);
    const hits = sample.reduce((n, v) => n + v.hits, 0) / sample.length;
    const check = concurrencyNeeded(runPlan(c, 1), sample, 10)!;
    expect(check.visitsPerSecond).toBeCloseTo(perSecond(hits), 9);
    expect(check.needed).toBeGreaterThanOrEqual(1);
    expect(check.needed).toBe(Math.ceil(check.inFlight));
  });

  it("has no Little's law for --rps max", async () => {
    const c = await config({ run: { rps: 'max' } });
    expect(concurrencyNeeded(runPlan(c, 1), sampleVisits(createWorkload(c, 1), 10), 10)).toBeUndefined();
  });
});

describe('the run warnings and the dry-run bound', () => {
  it.each([
    { why: 'visits per day', values: { visitsPerDay: 864_000 }, rate: '864,000 visits/day' },
    { why: '--rps N', values: { run: { rps: 500 } }, rate: '500 hits/s' },
    { why: 'stages', values: { run: { stages: [{ duration: '10s', target: 500 }] } }, rate: 'stages 500 hits/s' },
  ])("warns when the concurrency is below Little's law: $why", async ({ values, rate }) => {
    const c = await config({ ...values, concurrency: 1, pauseSeconds: { min: 1, max: 1 } });
    const warning = concurrencyWarning(c, runPlan(c, 1), sampleVisits(createWorkload(c, 1), 50), 10);
    expect(warning).toMatch(new RegExp(`^--concurrency 1 is too low for ${rate}: .* needs \\d+ visits in flight`));
  });

  it('says nothing when the concurrency is enough, or for --rps max', async () => {
    const enough = await config({ visitsPerDay: 86_400, concurrency: 1000 });
    expect(concurrencyWarning(enough, runPlan(enough, 1), sampleVisits(createWorkload(enough, 1), 50), 10)).toBeUndefined();
    const max = await config({ run: { rps: 'max' }, concurrency: 1 });
    expect(concurrencyWarning(max, runPlan(max, 1), sampleVisits(createWorkload(max, 1), 50), 10)).toBeUndefined();
  });

  it('needs a bound for a dry run, and stops a duration-bounded one where the schedule does', async () => {
    const open = await config({ maxTotalVisits: 0, autoStopAfterHours: 0 });
    expect(() => dryRunSchedule(runPlan(open, 1))).toThrow(/needs a bound/);
    // 1 visit/s for 3 s: visits due at 0, 1 and 2 s start; the one due at 3 s does not.
    const timed = await config({ visitsPerDay: 86_400, maxTotalVisits: 0, autoStopAfterHours: 0, run: { duration: '3s' } });
    const schedule = dryRunSchedule(runPlan(timed, 1));
    expect(schedule.maxVisits).toBeUndefined();
    expect([0, 1, 2, 3].map(() => schedule.starts([0]))).toEqual([true, true, true, false]);
  });
});
