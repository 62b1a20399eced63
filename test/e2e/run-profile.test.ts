import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

// One hour of a 24,000 visits/day run (1,000 visits per hour on average), dry-run at two instants.
const args = (now: string, ...extra: string[]) => [
  'run', '--dry-run', '--preset', 'smoke', '--visits-per-day', '24000', '--max-visits', '0', '--duration', '1h',
  '--seed', '1', '--now', now, ...extra,
];
const visitsOf = (stderr: string): number => Number(/dry run: (\d+) visits/.exec(stderr)?.[1]);

describe('run --follow-profile', () => {
  it('modulates the rate by the local hour: quiet at 03:00 CET, busy at 14:00 CET, flat without it', async () => {
    const night = await runCli(args('2026-11-23T02:00:00Z', '--follow-profile'));
    const day = await runCli(args('2026-11-23T13:00:00Z', '--follow-profile'));
    const flat = await runCli(args('2026-11-23T02:00:00Z'));
    expect(night.code).toBe(0);
    expect(visitsOf(flat.stderr)).toBe(1000);
    expect(visitsOf(night.stderr)).toBeLessThan(visitsOf(day.stderr) / 3);
    expect(visitsOf(day.stderr)).toBeGreaterThan(1000);
  });
});
