import { describe, expect, it } from 'vitest';
import { parseHeaders, parseInstant } from '../../../src/cli/run-options.js';

describe('run flags', () => {
  it('reads repeatable headers and refuses a line without a name', () => {
    expect(parseHeaders(['Authorization: Basic abc', 'X-Gateway:  k1 '])).toEqual({ Authorization: 'Basic abc', 'X-Gateway': 'k1' });
    expect(() => parseHeaders(['Authorization Basic abc'])).toThrow(/is not 'Name: value'/);
    // The value may be a secret: an error shows the name only.
    expect(() => parseHeaders(['Bad Name: secret-value'])).toThrow(/Bad Name: …/);
  });

  it('takes --now only with a zone', () => {
    expect(parseInstant('2026-03-29T01:04:00Z')).toBe(Date.UTC(2026, 2, 29, 1, 4));
    expect(parseInstant('2026-03-29T03:04:00+02:00')).toBe(Date.UTC(2026, 2, 29, 1, 4));
    expect(() => parseInstant('2026-03-29T01:04:00')).toThrow(/with a zone/);
  });
});
