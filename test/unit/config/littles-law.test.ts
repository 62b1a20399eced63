import { describe, expect, it } from 'vitest';
import { expectedVisitMs, littlesLaw, meanHits } from '../../../src/config/littles-law.js';

describe("Little's law", () => {
  it('says how many visit slots a rate needs', () => {
    const visits = [
      { hits: 4, pausesMs: 3000 },
      { hits: 6, pausesMs: 5000 },
    ];
    // Mean length: (3000 + 4*50 + 5000 + 6*50) / 2 = 4250 ms.
    expect(expectedVisitMs(visits, 50)).toBe(4250);
    expect(meanHits(visits)).toBe(5);
    // 50,000 visits/day = 0.5787/s x 4.25 s = 2.46 -> 3 slots.
    expect(littlesLaw(50_000 / 86_400, 4250).needed).toBe(3);
    expect(littlesLaw(50_000 / 86_400, 4250).inFlight).toBeCloseTo(2.4595, 4);
    expect(littlesLaw(1000, 150).needed).toBe(150);
    // No rate or no visit length: one slot, nothing in flight.
    expect(littlesLaw(0, 150)).toMatchObject({ inFlight: 0, needed: 1 });
  });
});
