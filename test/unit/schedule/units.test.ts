import { describe, expect, it } from 'vitest';
import { inUnit, perSecond } from '../../../src/schedule/units.js';

describe('units', () => {
  it('converts visits/day and hits/s to per-second rates and back', () => {
    expect(perSecond(86_400, 'visits-per-day')).toBe(1);
    expect(perSecond(250, 'hits-per-second')).toBe(250);
    expect(inUnit(2, 'visits-per-day')).toBe(172_800);
  });
});
