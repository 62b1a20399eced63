import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../../src/config/duration.js';

describe('durations', () => {
  it.each([
    ['1500ms', 1500],
    ['90s', 90_000],
    ['10m', 600_000],
    ['2h', 7_200_000],
    ['1.5h', 5_400_000],
  ])('%s = %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
    expect(parseDuration(formatDuration(ms))).toBe(ms);
  });

  it.each(['10', '10 minutes', '', 'm', '-5s'])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});
