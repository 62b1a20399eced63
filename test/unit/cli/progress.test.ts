import { describe, expect, it } from 'vitest';
import { fitLine, startProgress, type ProgressTimers } from '../../../src/cli/progress.js';
import type { LiveSnapshot } from '../../../src/engine/observer.js';
import { renderLiveLine } from '../../../src/report/live-line.js';

const snap = (over: Partial<LiveSnapshot> = {}): LiveSnapshot => ({
  visitsStarted: 120,
  visitsCompleted: 100,
  visitsInFlight: 20,
  dropped: 3,
  hitsSent: 600,
  ok: 594,
  failed: 6,
  errorRate: 0.01,
  p95Ms: 42.25,
  elapsedMs: 61_000,
  phase: 'running',
  pausedUntilMs: undefined,
  unit: 'hits-per-second',
  targetRate: 10,
  achievedHitsPerSecond: 9.84,
  achievedVisitsPerDay: 169_967,
  maxVisits: undefined,
  limitMs: 600_000,
  ...over,
});

function manualTimers(): ProgressTimers & { fire(): void; active: number } {
  const fns = new Map<number, () => void>();
  let next = 0;
  return {
    setInterval: (fn) => (fns.set(++next, fn), next),
    clearInterval: (handle) => void fns.delete(handle as number),
    fire: () => fns.forEach((fn) => fn()),
    get active() {
      return fns.size;
    },
  };
}

describe('live line', () => {
  it.each([
    {
      why: 'a --rps run with a duration shows time left and hits/s against the target',
      s: snap(),
      want: '1m1s | visits 120 | left 8m59s | 9.8 hits/s of 10.0 | 169,967 visits/day | in flight 20 | dropped 3 | p95 42.3 ms | errors 1.00%',
    },
    {
      why: 'a visits/day run with --max-visits shows started/target',
      s: snap({ unit: 'visits-per-day', targetRate: 172_800, maxVisits: 500, limitMs: undefined }),
      want: '1m1s | visits 120/500 | 169,967 visits/day of 172,800 | 9.8 hits/s | in flight 20 | dropped 3 | p95 42.3 ms | errors 1.00%',
    },
    {
      why: 'the daily cap pause says until when, in the run’s timezone',
      s: snap({ phase: 'paused', pausedUntilMs: Date.UTC(2026, 0, 1, 23, 0) }),
      zone: 'Europe/Stockholm',
      want: / \| daily cap reached: paused until 2026-01-02 00:00 Europe\/Stockholm$/,
    },
    { why: 'draining says so', s: snap({ phase: 'draining' }), want: /stopping: waiting for visits in flight$/ },
    { why: '--rps max has no target', s: snap({ unit: 'max', targetRate: null }), want: /9\.8 hits\/s \(max\)/ },
  ])('$why', ({ s, zone, want }) => {
    const line = renderLiveLine(s, zone);
    if (typeof want === 'string') expect(line).toBe(want);
    else expect(line).toMatch(want);
  });
});

describe('progress shell', () => {
  it('writes a plain line per period when not on a TTY, and stops polling', () => {
    let out = '';
    const timers = manualTimers();
    let polls = 0;
    const progress = startProgress({
      stream: { write: (t) => void (out += t), isTTY: false },
      snapshot: () => (polls++, snap()),
      timers,
    });
    expect(out).toBe('');
    timers.fire();
    timers.fire();
    expect(out.split('\n').filter(Boolean)).toHaveLength(2);
    expect(out).toContain('9.8 hits/s of 10.0');
    progress.stop();
    expect(timers.active).toBe(0);
    expect(polls).toBe(2);
  });

  it('draws a bar with the live line on a TTY', () => {
    let out = '';
    const timers = manualTimers();
    let visits = 10;
    const progress = startProgress({
      stream: { write: (t) => void (out += t), isTTY: true, columns: 200 },
      snapshot: () => snap({ visitsStarted: visits, maxVisits: 100 }),
      timers,
    });
    visits = 50;
    timers.fire();
    progress.stop();
    expect(out).toContain('visits 50/100');
    expect(out).toMatch(/█{10}░{10}/);
    expect(timers.active).toBe(0);
  });
});

describe('progress on a terminal (issue 14: Ctrl-C and 80 columns)', () => {
  it.each([
    { why: 'a wide terminal gets the bar and the full line', columns: 200, want: /^[█░]{20} 1m1s \| visits 120 \| .*errors 1\.00%$/ },
    { why: '80 columns: the compact line keeps in flight, dropped, p95 and errors', columns: 80, want: /^1m1s v120 left 8m59s {2}9\.8\/10\.0 hit\/s {2}flight 20 {2}drop 3 {2}p95 42\.3ms {2}err 1\.0%$/ },
    { why: 'a tiny terminal: the compact line cut short, never wrapped', columns: 30, want: /^1m1s v120 .{16}…$/ },
  ])('$why', ({ columns, want }) => {
    const line = fitLine(snap(), columns);
    // Three columns stay free for the `^C` the terminal echoes after the line.
    expect([...line].length).toBeLessThanOrEqual(columns - 3);
    expect(line).toMatch(want);
  });

  it('a note (the interrupt notice) clears the line first, then the bar is redrawn below it; stop clears the bar', () => {
    let out = '';
    const timers = manualTimers();
    const progress = startProgress({ stream: { write: (t) => void (out += t), isTTY: true, columns: 80 }, snapshot: () => snap(), timers });
    out = '';
    progress.note('run: interrupted');
    expect(out.startsWith('\r\x1b[2Krun: interrupted\n\r\x1b[2K1m1s v120')).toBe(true);
    out = '';
    progress.stop();
    expect(out).toBe('\r\x1b[2K');
    timers.fire();
    expect(out).toBe('\r\x1b[2K');
  });
});
