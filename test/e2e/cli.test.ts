import { describe, expect, it } from 'vitest';
import { runCli, startCli, waitForLine } from '../helpers/cli.js';

describe('trafficinator CLI', () => {
  it('prints its version and the Node version', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    // Issue 14: the commit and the build date, so a report can name exactly what produced it.
    expect(r.stdout).toMatch(/^trafficinator \d+\.\d+\.\d+\S* \(commit ([0-9a-f]{12}(-dirty)?|unknown), built \d{4}-\d{2}-\d{2}, node \d+\.\d+\.\d+\)\n$/);
  });

  it('prints help with the program description', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: trafficinator');
  });

  it('answers an unknown option with one line and exit 2', async () => {
    const r = await runCli(['--no-such-flag']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain("unknown option '--no-such-flag'");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('stops quietly when its reader goes away (| head): exit 0, no stack trace', async () => {
    const { child, result } = startCli(['run', '--dry-run', '--preset', 'smoke', '--max-visits', '1000000', '--seed', '1']);
    await waitForLine(child, /^\{"visit": 0/);
    child.stdout!.destroy();
    const r = await result;
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/EPIPE|\n\s+at /);
  });
});
