import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot, runCli } from '../helpers/cli.js';
import { dryRun, tempDir } from './run-helpers.js';

const golden = readFileSync(join(projectRoot, 'test/golden/journey-run-dry-run.ndjson'), 'utf8');
// The arguments the journey golden file documents (medium preset, countries by ip and country,
// orders at 20 %, the example funnels, an anchor just after the CET->CEST change), with the
// classic persona only: that golden file pins the issue-3 model, which `classic` keeps unchanged.
const CLASSIC_ONLY = ['--persona-casual', '0', '--persona-researcher', '0', '--persona-buyer', '0', '--persona-returning', '0', '--persona-classic', '1'];
const GOLDEN_ARGS = [
  'run', '--dry-run', '--preset', 'medium', ...CLASSIC_ONLY, '--geo', 'both', '--ecommerce-probability', '0.2',
  '--funnels-file', 'examples/funnels.yaml', '--seed', '1', '--max-visits', '40', '--now', '2026-03-29T01:04:00Z',
];

describe('run --dry-run (end to end)', () => {
  it('prints the committed golden NDJSON byte for byte, on stdout and with --output', async () => {
    const r = await runCli(GOLDEN_ARGS);
    expect(r.code).toBe(0);
    expect(r.stdout === golden).toBe(true);
    expect(r.stderr).toContain('dry run: 40 visits, 287 hits (seed 1, visits end at 2026-03-29T01:04:00Z); nothing was sent');
    expect(r.stderr).not.toMatch(/^\{/m); // nothing but NDJSON goes to stdout, nothing of it to stderr

    const dir = tempDir();
    const file = join(dir, 'out.ndjson');
    const f = await runCli([...GOLDEN_ARGS, '--output', file]);
    expect(f.code).toBe(0);
    expect(f.stdout).toBe('');
    expect(readFileSync(file, 'utf8') === golden).toBe(true);
  });

  it('chooses a random seed when none is given, prints it, and that seed reproduces the output', async () => {
    const args = ['run', '--dry-run', '--preset', 'smoke', '--max-visits', '5', '--now', '2026-06-01T12:00:00Z'];
    const first = await runCli(args);
    expect(first.code).toBe(0);
    const seed = /\(seed (\d+),/.exec(first.stderr)?.[1];
    expect(seed).toBeDefined();
    const again = await runCli([...args, '--seed', seed!]);
    expect(again.stdout).toBe(first.stdout);
    // No cdt after the anchor: every visit ends at --now.
    for (const line of first.stdout.trim().split('\n')) {
      expect(Date.parse(JSON.parse(line).at)).toBeLessThanOrEqual(Date.parse('2026-06-01T12:00:00Z'));
    }
  });

  it('names the target of each hit by its URL with several targets, by weight and within the site ranges', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'targets.yaml'),
      'targets:\n' +
        '  - { url: "http://127.0.0.1:1/a/matomo.php", siteId: "3-5", weight: 3 }\n' +
        '  - { url: "http://127.0.0.1:1/b/matomo.php", siteId: 9, weight: 1 }\n',
    );
    const hits = await dryRun(['--preset', 'smoke', '-c', 'targets.yaml', '--max-visits', '2000', '--duration', '1h', '--seed', '3', '--now', '2026-06-01T12:00:00Z'], dir);
    const visits = new Map<number, { target: string; site: string }>();
    for (const hit of hits) {
      expect(hit.target).toBeDefined();
      const seen = visits.get(hit.visit);
      if (seen) expect(seen).toEqual({ target: hit.target, site: hit.params['idsite'] });
      else visits.set(hit.visit, { target: hit.target!, site: hit.params['idsite']! });
    }
    expect(visits.size).toBe(2000);
    const a = [...visits.values()].filter((v) => v.target.includes('/a/'));
    const b = [...visits.values()].filter((v) => v.target.includes('/b/'));
    expect(new Set(a.map((v) => v.site))).toEqual(new Set(['3', '4', '5']));
    expect(new Set(b.map((v) => v.site))).toEqual(new Set(['9']));
    // Weight 3:1 -> share 0.75; binomial sd over 2000 visits is 0.0097, so +-0.04 is over 4 sd.
    expect(a.length / 2000).toBeGreaterThan(0.71);
    expect(a.length / 2000).toBeLessThan(0.79);
  });

  it('bounds itself by --duration at a paced rate: the visits the schedule starts in that time', async () => {
    const hits = await dryRun(['--preset', 'smoke', '--max-visits', '0', '--visits-per-day', '86400', '--duration', '10s', '--seed', '2', '--now', '2026-06-01T12:00:00Z']);
    // 1 visit/s from 0 s: due at 0, 1, ..., 9 s.
    expect(new Set(hits.map((h) => h.visit)).size).toBe(10);
  });

  it('refuses an unbounded dry run with one line and exit 2', async () => {
    const r = await runCli(['run', '--dry-run', '--preset', 'light', '--max-visits', '0']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual(['error: run --dry-run needs a bound: give --max-visits N (or --duration with a paced rate)']);
  });

  it('refuses --now without a zone and --now on a live run', async () => {
    const bad = await runCli(['run', '--dry-run', '--max-visits', '1', '--now', '2026-06-01 12:00']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--now "2026-06-01 12:00" is not an ISO 8601 instant with a zone');
    const live = await runCli(['run', '--url', 'http://127.0.0.1:1/matomo.php', '--now', '2026-06-01T12:00:00Z']);
    expect(live.code).toBe(2);
    expect(live.stderr.trim().split('\n')).toEqual([
      'error: --now is for --dry-run only: a live run anchors each visit at the instant it starts',
    ]);
  });
});
