import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../../../src/io.js';
import { main } from '../../../../src/cli/main.js';

describe('trafficinator inspect', () => {
  it('summarises a seeded sample as JSON without a target, reproducibly', async () => {
    const run = async () => {
      const io = memoryIo({ argv: ['inspect', '--preset', 'medium', '--visits', '3000', '--seed', '3', '--json'], env: {} });
      expect(await main(io)).toBe(0);
      return io.out();
    };
    const text = await run();
    expect(await run()).toBe(text);
    const s = JSON.parse(text);
    expect(s.seed).toBe(3);
    expect(s.visits).toBe(3000);
    expect(Object.keys(s.personas).sort()).toEqual(['buyer', 'casual', 'researcher', 'returning']);
    // 3,000 visits: 5 binomial standard deviations around the preset's 0.35 and 0.30 is ±0.045 / ±0.042.
    expect(Math.abs(s.bounceRate - 0.35)).toBeLessThan(0.045);
    expect(Math.abs(s.returningShare - 0.3)).toBeLessThan(0.042);
    expect(s.carts.ordered).toBeGreaterThan(0);
    expect(s.hitTypes.ping).toBe(3000);
  });

  it('applies config flags: --persona-* 0 and --persona-classic 1 give the classic shape', async () => {
    const io = memoryIo({
      argv: ['inspect', '--visits', '500', '--seed', '1', '--json', '--persona-casual', '0', '--persona-researcher', '0', '--persona-buyer', '0', '--persona-returning', '0', '--persona-classic', '1'],
      env: {},
    });
    expect(await main(io)).toBe(0);
    const s = JSON.parse(io.out());
    expect(s.personas).toEqual({ classic: 1 });
    expect(s.bounceRate).toBe(0);
    expect(s.returningShare).toBe(0);
  });

  it('prints a text summary and refuses a bad --visits with exit 2', async () => {
    const io = memoryIo({ argv: ['inspect', '--visits', '200', '--seed', '2'], env: {} });
    expect(await main(io)).toBe(0);
    expect(io.out()).toMatch(/^trafficinator inspect: 200 visits/);
    expect(io.out()).toMatch(/bounces\s+\d+\.\d %/);
    const bad = memoryIo({ argv: ['inspect', '--visits', 'lots'], env: {} });
    expect(await main(bad)).toBe(2);
    expect(bad.err()).toContain('--visits');
  });
});
