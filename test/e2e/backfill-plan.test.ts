import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { args, dryRun, workDir, type DryHit } from '../helpers/backfill.js';

// Dry runs only: nothing listens at this address and nothing is sent to it.
const TRACKER = 'http://127.0.0.1:9/matomo.php';

function byDay(hits: readonly DryHit[]): Map<string, DryHit[]> {
  const out = new Map<string, DryHit[]>();
  for (const h of hits) out.set(h.day, [...(out.get(h.day) ?? []), h]);
  return out;
}

describe('backfill --dry-run (end to end)', () => {
  it.each([
    { why: 'spring forward: 23 hours, 02:00-03:00 does not exist', day: '2026-03-29', hours: 23, start: '2026-03-28T23:00:00Z', end: '2026-03-29T22:00:00Z' },
    { why: 'fall back: 25 hours, 02:00-03:00 happens twice', day: '2026-10-25', hours: 25, start: '2026-10-24T22:00:00Z', end: '2026-10-25T23:00:00Z' },
  ])('$why: every cdt lies inside the local day, the last hour is used', async ({ day, hours, start, end }) => {
    const dir = workDir();
    const { hits, result } = await dryRun(dir, TRACKER, ['--from', day, '--to', day, '--max-visits-per-day', '300', '--hour-profile', 'flat']);
    expect(result.stderr).toMatch(new RegExp(`${day}\\s+300 visits\\s+${hours} h`));
    const startMs = Date.parse(start);
    const endMs = Date.parse(end);
    expect(new Set(hits.map((h) => h.day))).toEqual(new Set([day]));
    expect(new Set(hits.map((h) => h.visit)).size).toBe(300);
    for (const h of hits) {
      const at = Date.parse(h.at);
      expect(at).toBeGreaterThanOrEqual(startMs);
      expect(at).toBeLessThan(endMs);
      // cdt is the same instant, in UTC
      expect(h.params.cdt).toBe(h.at.replace('T', ' ').replace('Z', ''));
    }
    // the last local hour receives visits
    expect(hits.some((h) => Date.parse(h.at) >= endMs - 3_600_000)).toBe(true);
    if (hours === 25) {
      // both passes of 02:00-03:00 (00:00-01:00 UTC in CEST, 01:00-02:00 UTC in CET)
      const inUtcHour = (hour: number) => hits.some((h) => h.at.startsWith(`${day}T0${hour}:`));
      expect(inUtcHour(0)).toBe(true);
      expect(inUtcHour(1)).toBe(true);
    }
  });

  it("gives day D the same hits in a 1-day and a 10-day window, whatever bulk size, concurrency or rate", async () => {
    const dir = workDir();
    const one = await dryRun(dir, TRACKER, ['--from', '2026-02-05', '--to', '2026-02-05', '--max-visits-per-day', '20']);
    const ten = await dryRun(dir, TRACKER, ['--from', '2026-02-01', '--to', '2026-02-10', '--max-visits-per-day', '20', '--bulk-size', '1', '--concurrency', '3', '--rps', '10']);
    const dayOfTen = ten.hits.filter((h) => h.day === '2026-02-05');
    expect(one.hits.length).toBeGreaterThan(40);
    expect(dayOfTen).toEqual(one.hits);
    expect(byDay(ten.hits).size).toBe(10);
    // another seed gives other hits for the same day
    const other = await dryRun(dir, TRACKER, ['--from', '2026-02-05', '--to', '2026-02-05', '--max-visits-per-day', '20', '--seed', '8']);
    expect(other.hits).not.toEqual(one.hits);
  });

  it('applies the per-day cap, then the total cap, and reports the days after it as skipped', async () => {
    const dir = workDir();
    const { hits, result } = await dryRun(dir, TRACKER, ['--from', '2026-01-10', '--to', '2026-01-13', '--max-visits-per-day', '30', '--max-visits-total', '70']);
    const visits = [...byDay(hits)].map(([day, list]) => [day, new Set(list.map((h) => h.visit)).size]);
    expect(visits).toEqual([['2026-01-10', 30], ['2026-01-11', 30], ['2026-01-12', 10]]);
    expect(result.stderr).toMatch(/2026-01-13\s+0 visits\s+24 h \(skipped\)/);
    expect(result.stderr).toMatch(/total\s+70 visits/);
    // within a visit, hits are in time order
    for (const list of byDay(hits).values()) {
      for (let i = 1; i < list.length; i++) {
        const [a, b] = [list[i - 1]!, list[i]!];
        if (a.visit === b.visit) expect(Date.parse(b.at)).toBeGreaterThanOrEqual(Date.parse(a.at));
      }
    }
  });

  it('weights day targets by the weekday profile within the per-day cap (default week: lighter weekends)', async () => {
    const dir = workDir();
    // Monday 2026-02-02 to Sunday 2026-02-08 with the documented default week (the helper sets a flat one).
    const { hits } = await dryRun(dir, TRACKER, ['--from', '2026-02-02', '--to', '2026-02-08', '--max-visits-per-day', '100', '--weekday-profile', '1,1,0.97,0.95,0.85,0.58,0.62']);
    const visits = [...byDay(hits)].map(([, list]) => new Set(list.map((h) => h.visit)).size);
    expect(visits).toEqual([100, 100, 97, 95, 85, 58, 62]);
    const custom = await dryRun(dir, TRACKER, ['--from', '2026-02-07', '--to', '2026-02-08', '--max-visits-per-day', '40', '--weekday-profile', '2,2,2,2,2,1,0']);
    expect([...byDay(custom.hits)].map(([day, list]) => [day, new Set(list.map((h) => h.visit)).size])).toEqual([['2026-02-07', 20]]);
  });

  it('refuses a window in the future or without a token, before anything else (exit 2)', async () => {
    const dir = workDir();
    const future = await runCli(args('backfill', TRACKER, ['--from', '2026-01-01', '--to', '2099-01-01']), { cwd: dir });
    expect(future.code).toBe(2);
    expect(future.stderr).toMatch(/backfill\.to: .*future/);
    const noToken = await runCli(['backfill', '--url', TRACKER, '--from', '2026-01-01', '--to', '2026-01-02', '--seed', '1'], { cwd: dir });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/tokenAuth: missing/);
    expect(noToken.stderr).not.toMatch(/at .*\.(ts|js|cjs):\d+/);
  });
});
