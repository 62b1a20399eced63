import { describe, expect, it } from 'vitest';
import { configFields } from '../../../src/config/fields.js';
import { FLAG_FIELDS } from '../../../src/config/flags.generated.js';
import { isRunOnly, otherCommandOf, planShapingKeys } from '../../../src/config/scope.js';

describe("each setting's scope and plan shaping (schema metadata)", () => {
  it('every field of the schema declares its scope and whether it shapes a plan', () => {
    for (const field of configFields()) {
      expect(['run', 'backfill', 'both'], field.key).toContain(field.meta.scope);
      expect(typeof field.meta.shapesPlan, field.key).toBe('boolean');
    }
  });

  it('the settings of one top-level key agree on shaping (the whole value is hashed)', () => {
    const byTop = new Map<string, Set<boolean>>();
    for (const f of configFields()) byTop.set(f.path[0]!, (byTop.get(f.path[0]!) ?? new Set()).add(f.meta.shapesPlan));
    for (const [top, values] of byTop) expect(values.size, top).toBe(1);
  });

  // These were hard-coded lists in the command files before issue 13 (NOT_SHAPING, LIVE_ONLY,
  // liveOnly()); a plan's identity and the flags each command accepts must not move.
  it('the settings hashed into a plan are the ones hashed before', () => {
    const notShaping = ['targets', 'run', 'backfill', 'concurrency', 'logLevel', 'seed', 'timezone', 'visitsPerDay', 'autoStopAfterHours', 'maxTotalVisits', 'dailyCap',
      // Issue 16: the plan records its shard beside the settings (backfill/plan.ts), not as a hashed setting.
      'shard',
      // Issue 16: worker threads are an execution detail: a plan is resumed with any --workers.
      'workers'];
    const tops = new Set(configFields().map((f) => f.path[0]!));
    const expected = [...tops].filter((t) => !notShaping.includes(t) && !['url', 'siteId', 'tokenAuth', 'tokenAuthFile'].includes(t));
    expect([...planShapingKeys(configFields())].sort()).toEqual(expected.sort());
  });

  it.each([
    { command: 'run', key: 'backfill.from', other: 'backfill' },
    { command: 'run', key: 'backfill.stateDir', other: 'backfill' },
    { command: 'run', key: 'run.stages', other: undefined },
    { command: 'backfill', key: 'run.rps', other: undefined, why: '--rps paces backfill too' },
    { command: 'backfill', key: 'run.duration', other: 'run' },
    { command: 'backfill', key: 'run.thresholds.maxErrorRate', other: 'run' },
    { command: 'backfill', key: 'maxTotalVisits', other: 'run' },
    { command: 'backfill', key: 'autoStopAfterHours', other: 'run' },
    { command: 'backfill', key: 'dailyCap', other: 'run' },
    { command: 'backfill', key: 'timeShape.followProfile', other: 'run' },
    { command: 'backfill', key: 'visitsPerDay', other: undefined, why: 'a run setting backfill has always accepted' },
    { command: 'backfill', key: 'pageviews.min', other: undefined },
    { command: 'validate', key: 'run.duration', other: undefined },
  ])('$command --$key belongs to $other', ({ command, key, other }) => {
    const field = FLAG_FIELDS.find((f) => f.key === key)!;
    expect(otherCommandOf(command, field.meta)).toBe(other);
  });

  it("every flag's command is the one the former hard-coded rule gave", () => {
    const LIVE_ONLY = new Set(['maxTotalVisits', 'autoStopAfterHours', 'dailyCap', 'timeShape.followProfile']);
    const before = (command: string, key: string): string | undefined => {
      // Issue 16 added --workers outside the backfill group; run takes it too (run --workers).
      if (command === 'run' && key.startsWith('backfill.')) return 'backfill';
      if (command === 'backfill' && (LIVE_ONLY.has(key) || (key.startsWith('run.') && key !== 'run.rps'))) return 'run';
      return undefined;
    };
    for (const command of ['run', 'backfill', 'verify', 'validate']) {
      for (const f of FLAG_FIELDS) expect(otherCommandOf(command, f.meta), `${command} ${f.key}`).toBe(before(command, f.key));
    }
  });

  it.each([
    { path: 'visitsPerDay', runOnly: true },
    { path: 'autoStopAfterHours', runOnly: true },
    { path: 'run.stages', runOnly: true },
    { path: 'run.thresholds.maxP99Ms', runOnly: true },
    { path: 'run.rps', runOnly: false },
    { path: 'run', runOnly: false, why: 'a group with a setting backfill reads' },
    { path: 'backfill', runOnly: false },
    { path: 'backfill.maxVisitsPerDay', runOnly: false },
    { path: 'targets[1].url', runOnly: false },
    { path: 'tokenAuth', runOnly: false },
    { path: 'concurrency', runOnly: false },
  ])('a warning at $path is about the live run only: $runOnly', ({ path, runOnly }) => {
    expect(isRunOnly(configFields(), path)).toBe(runOnly);
  });
});
