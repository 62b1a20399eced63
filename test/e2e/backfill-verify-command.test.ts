import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { args, startSink, TOKEN, workDir, killSinks } from '../helpers/backfill.js';

afterEach(killSinks);

const WINDOW = ['--from', '2026-01-05', '--to', '2026-01-07'];
const PRINTED = /^Check what Matomo recorded \(token as for the backfill\): trafficinator (.+)$/m;

/** The arguments of the verify command a backfill printed, exactly as printed. */
function printedVerify(stdout: string): string[] {
  const line = PRINTED.exec(stdout);
  if (!line) throw new Error(`no verify command in:\n${stdout}`);
  return line[1]!.split(' ');
}

describe('the verify command backfill prints (issue 14 item 3)', () => {
  it('runs as printed, with only the token added through the environment, and every day matches', async () => {
    const dir = workDir();
    const sink = await startSink(dir);
    // Settings that shape the plan (per-day cap, weekday profile, seed) are not in the printed
    // command: verify takes them from the stored plan.
    const r = await runCli([...args('backfill', sink.tracker, WINDOW), '--state-dir', 'state', '-q'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const verifyArgs = printedVerify(r.stdout);
    expect(verifyArgs.slice(0, 4)).toEqual(['verify', '--state-dir', 'state', '--plan']);
    expect(verifyArgs).toHaveLength(5);
    const plan = JSON.parse(readFileSync(join(dir, 'state', 'plans', readPlanKey(dir), 'plan.json'), 'utf8')) as Record<string, unknown>;
    expect(JSON.stringify(plan)).not.toContain(TOKEN);

    const v = await runCli(verifyArgs, { cwd: dir, env: { MATOMO_TOKEN_AUTH: TOKEN } });
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toContain('All 3 day(s) match the plan.');
    expect(v.stderr).toMatch(/^verify: target, window and settings from the plan [0-9a-f]{12} in /m);
    expect(v.stdout + v.stderr).not.toContain(TOKEN);
    await sink.stop();
  });

  it('an older plan without its settings: one line asking for the flags, which still work; several plans need --plan', async () => {
    const dir = workDir();
    const sink = await startSink(dir);
    const r = await runCli([...args('backfill', sink.tracker, WINDOW), '-q'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const key = readPlanKey(dir, '.trafficinator');
    const path = join(dir, '.trafficinator', 'plans', key, 'plan.json');
    const { settings: _dropped, ...old } = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    writeFileSync(path, JSON.stringify(old, null, 2) + '\n');

    const alone = await runCli(printedVerify(r.stdout), { cwd: dir, env: { MATOMO_TOKEN_AUTH: TOKEN } });
    expect(alone.code).toBe(2);
    expect(alone.stderr).toMatch(/^error: url: the plan [0-9a-f]{12} in .* was stored by an older trafficinator, without its settings: give the backfill's target and settings \(--url/m);
    expect(alone.stderr.trim().split('\n').filter((l) => l.startsWith('error:'))).toHaveLength(1);

    const withFlags = await runCli(args('verify', sink.tracker, WINDOW), { cwd: dir });
    expect(withFlags.code, withFlags.stderr).toBe(0);
    expect(withFlags.stdout).toContain('All 3 day(s) match the plan.');

    const second = await runCli([...args('backfill', sink.tracker, ['--from', '2026-01-10', '--to', '2026-01-10']), '-q'], { cwd: dir });
    expect(second.code, second.stderr).toBe(0);
    const several = await runCli(['verify', '--state-dir', '.trafficinator'], { cwd: dir, env: { MATOMO_TOKEN_AUTH: TOKEN } });
    expect(several.code).toBe(2);
    expect(several.stderr).toMatch(/^error: --plan: .* holds 2 plans: give --plan with one of [0-9a-f]{12} /m);
    await sink.stop();
  });
});

function readPlanKey(dir: string, stateDir = 'state'): string {
  return readdirSync(join(dir, stateDir, 'plans'))[0]!;
}

describe('backfill --summary-json - (issue 14, one set of conventions)', () => {
  it('writes the summary alone on stdout, the text report on stderr; -q keeps working; refused beside --dry-run', async () => {
    const dir = workDir();
    const sink = await startSink(dir);
    const r = await runCli([...args('backfill', sink.tracker, WINDOW), '--summary-json', '-', '-q'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { command: string; exitCode: number; targets: Array<{ totals: { plannedVisits: number } }> };
    expect(summary.command).toBe('backfill');
    expect(summary.exitCode).toBe(0);
    expect(summary.targets[0]!.totals.plannedVisits).toBe(150);
    expect(r.stderr).toMatch(/^total\s+150\s/m);
    expect(r.stderr).toMatch(PRINTED);
    // -q: no per-day progress lines
    expect(r.stderr).not.toMatch(/^2026-01-05: \d+ tracked of/m);
    const dry = await runCli([...args('backfill', sink.tracker, WINDOW), '--summary-json', '-', '--dry-run'], { cwd: dir });
    expect(dry.code).toBe(2);
    expect(dry.stdout).toBe('');
    expect(dry.stderr).toBe('error: --summary-json - and --dry-run both write stdout (the dry run writes its hits there): give --summary-json a file name\n');
    await sink.stop();
  });
});
