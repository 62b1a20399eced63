import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliCommand } from '../helpers/cli.js';

/**
 * The program is one file: copied alone into an empty directory, away from the source tree and
 * node_modules, it still runs. With TRAFFICINATOR_BIN=dist/trafficinator this is the single
 * executable, which must also carry its own Node 24; by default it is dist/cli.cjs under this Node.
 */
const { file, args } = cliCommand();
const standalone = args.length === 0;
const dir = mkdtempSync(join(tmpdir(), 'trafficinator-alone-'));
const copy = join(dir, basename(standalone ? file : (args[0] ?? 'cli.cjs')));
copyFileSync(standalone ? file : (args[0] ?? ''), copy);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runAlone(argv: string[]): { code: number | null; stdout: string; stderr: string } {
  const command = standalone ? copy : file;
  const r = spawnSync(command, standalone ? argv : [copy, ...argv], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the program copied alone into an empty directory', () => {
  it('has nothing beside it', () => {
    expect(readdirSync(dir)).toEqual([basename(copy)]);
  });

  it('prints its version and the embedded Node version, with no warning', () => {
    const r = runAlone(['--version']);
    expect(r.code).toBe(0);
    const node = standalone ? String.raw`24\.\d+\.\d+` : process.versions.node.replaceAll('.', '\\.');
    expect(r.stdout).toMatch(new RegExp(String.raw`^trafficinator \d+\.\d+\.\d+\S* \(commit ([0-9a-f]{12}(-dirty)?|unknown), built \d{4}-\d{2}-\d{2}, node ${node}\)\n$`));
    // The SEA experimental warning is disabled in sea-config.json.
    expect(r.stderr).toBe('');
  });

  it('prints help', () => {
    const r = runAlone(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: trafficinator');
    expect(r.stderr).toBe('');
  });
});
