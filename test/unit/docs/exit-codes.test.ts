import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../src/errors.js';

// docs/reference/exit-codes.md is written by hand: this keeps its table equal to the codes the
// program exits with (the named codes, plus 143 for SIGTERM, which cli/bin.ts derives from 130).
const page = readFileSync(new URL('../../../docs/reference/exit-codes.md', import.meta.url), 'utf8');
const rows = [...page.matchAll(/^\| (\d+) \| ([^|]+) \|/gm)].map((m) => ({ code: Number(m[1]), name: m[2]!.trim() }));

describe('docs/reference/exit-codes.md', () => {
  it('lists exactly the exit codes of src/errors.ts and SIGTERM', () => {
    const codes = [...new Set([...Object.values(ExitCode), 128 + 15])].sort((a, b) => a - b);
    expect(rows.map((r) => r.code)).toEqual(codes);
  });

  it('names each code as src/errors.ts does', () => {
    for (const [name, code] of Object.entries(ExitCode)) expect(rows.find((r) => r.code === code)?.name).toBe(name);
  });
});
