import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../../../scripts/ci/count-tests.mjs', import.meta.url));
const dirs: string[] = [];

function dir(): string {
  const d = mkdtempSync(join(tmpdir(), 'count-tests-'));
  dirs.push(d);
  return d;
}

function count(args: string[]): { code: number | null; lines: string[] } {
  const r = spawnSync(process.execPath, [script, ...args], { encoding: 'utf8' });
  return { code: r.status, lines: r.stdout.trimEnd().split('\n') };
}

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('scripts/ci/count-tests.mjs', () => {
  it('sums the vitest reports and the checks, and ends on the plain closing line', () => {
    const d = dir();
    writeFileSync(join(d, 'a.json'), JSON.stringify({ success: true, numPassedTests: 7, numFailedTests: 0 }));
    writeFileSync(join(d, 'b.json'), JSON.stringify({ success: false, numPassedTests: 3, numFailedTests: 2 }));
    writeFileSync(join(d, 'checks.txt'), 'typecheck passed\nlint failed\nsmoke passed\n');
    const r = count([join(d, 'a.json'), join(d, 'b.json'), '--checks', join(d, 'checks.txt')]);
    expect(r.lines).toEqual(['# tests 15', '# pass 12', '# fail 3', 'tests: 12 passed, 3 failed']);
    expect(r.code).toBe(1);
  });

  it('counts a suite that wrote no report as a failure, never as zero tests', () => {
    const d = dir();
    writeFileSync(join(d, 'a.json'), JSON.stringify({ success: true, numPassedTests: 4, numFailedTests: 0 }));
    const r = count([join(d, 'a.json'), join(d, 'missing.json')]);
    expect(r.lines.at(-1)).toBe('tests: 4 passed, 1 failed');
    expect(r.code).toBe(1);
  });

  it('exits 0 when everything passed', () => {
    const d = dir();
    writeFileSync(join(d, 'a.json'), JSON.stringify({ success: true, numPassedTests: 2, numFailedTests: 0 }));
    const r = count([join(d, 'a.json')]);
    expect(r.lines.at(-1)).toBe('tests: 2 passed, 0 failed');
    expect(r.code).toBe(0);
  });
});
