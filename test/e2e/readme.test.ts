import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blockOf, COMMANDS, helpBlock, referenceBlock } from '../../scripts/docs-readme.mjs';
import { projectRoot } from '../helpers/cli.js';

const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');

describe('README stays in step with the program (npm run docs:readme)', () => {
  it('the configuration reference is the one generated from the schema', () => {
    expect(blockOf(readme, 'config-reference')).toBe(referenceBlock());
  });

  it("every command's --help is the program's own", () => {
    expect(blockOf(readme, 'commands')).toBe(helpBlock());
  });

  it('names every command the program has', () => {
    const top = helpBlock().split('</details>')[0]!;
    const commandsPart = top.slice(top.indexOf('Commands:'));
    const listed = [...commandsPart.matchAll(/^ {2}([a-z]+)\b/gm)].map((m) => m[1]).filter((c) => c !== 'help');
    expect(listed.length).toBeGreaterThan(5);
    for (const command of listed) expect(COMMANDS).toContain(command);
    for (const command of COMMANDS) expect(readme).toContain(`| \`${command}\` |`);
  });
});
