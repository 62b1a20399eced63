import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/io.js';
import { main } from '../../../src/cli/main.js';

describe('main(io)', () => {
  it('returns 0 for --help and writes to the given stdout', async () => {
    const io = memoryIo({ argv: ['--help'] });
    expect(await main(io)).toBe(0);
    expect(io.out()).toContain('Usage: trafficinator');
  });

  it('maps commander usage errors to exit 2', async () => {
    const io = memoryIo({ argv: ['frobnicate'] });
    expect(await main(io)).toBe(2);
    expect(io.err()).toMatch(/unknown command|too many arguments/);
  });
});
