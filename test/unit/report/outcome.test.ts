import { describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config/schema.js';
import { droppedWarning, runExitCode } from '../../../src/report/outcome.js';
import type { RunSummary } from '../../../src/report/summary.js';

/** Only the fields the outcome reads. */
const summary = (over: { stopReason?: string; held?: boolean; dropped?: number }): RunSummary =>
  ({
    stopReason: over.stopReason ?? 'duration',
    thresholds: [{ ok: over.held ?? true }],
    visits: { dropped: over.dropped ?? 0 },
  }) as unknown as RunSummary;

describe('what a finished run means', () => {
  it.each([
    { why: 'every threshold held', s: {}, edge: false, code: 0 },
    { why: 'a threshold breached', s: { held: false }, edge: false, code: 3 },
    { why: 'interrupted, seen at the edge (wins over a breach)', s: { held: false }, edge: true, code: 130 },
    { why: 'interrupted, as the stop reason', s: { stopReason: 'interrupted' }, edge: false, code: 130 },
    { why: 'interrupted twice', s: { stopReason: 'interrupted-twice' }, edge: false, code: 130 },
  ])('exits $code when $why', ({ s, edge, code }) => {
    expect(runExitCode(summary(s), edge)).toBe(code);
  });

  it('warns about dropped arrivals only when there were some', () => {
    const config = { concurrency: 4 } as Config;
    expect(droppedWarning(config, summary({}))).toBeUndefined();
    expect(droppedWarning(config, summary({ dropped: 7 }))).toBe(
      '7 visit arrival(s) dropped: every one of the 4 visit slots was busy (raise --concurrency, or the target is too slow for this rate)',
    );
  });
});
