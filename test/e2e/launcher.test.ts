import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

/**
 * dist/cli.cjs answers `--version` alone in its launcher, before the program is compiled
 * (scripts/lib/bundle.mjs withLauncher); everything else goes through commander. Both must print
 * the same line. (With TRAFFICINATOR_BIN the single executable takes commander's path both times.)
 */
describe('the version line', () => {
  it('is the same from the launcher (--version alone) as from commander (-V -V)', async () => {
    const fast = await runCli(['--version']);
    const short = await runCli(['-V']);
    const viaCommander = await runCli(['-V', '-V']);
    expect(fast.code).toBe(0);
    expect(fast.stderr).toBe('');
    expect(fast.stdout).toMatch(/^trafficinator \S+ \(commit \S+, built \d{4}-\d{2}-\d{2}, node \d+\.\d+\.\d+\)\n$/);
    expect(short).toEqual(fast);
    expect(viaCommander).toEqual(fast);
  });
});
