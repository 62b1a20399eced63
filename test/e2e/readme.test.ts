import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliReference, COMMANDS } from '../../scripts/docs.mjs';
import { cliCommand, projectRoot } from '../helpers/cli.js';

// README and the guides in docs/ state facts about the program: its commands, its flags, its help
// text and the set-up commands. These tests keep them true; the generated reference pages are
// rewritten by `npm run docs`.
const read = (path: string) => readFileSync(join(projectRoot, path), 'utf8');
const readme = read('README.md');
const { file, args } = cliCommand();
const cli = [file, ...args];

function help(...argv: string[]): string {
  return execFileSync(file, [...args, ...argv], { encoding: 'utf8', env: { PATH: process.env.PATH, COLUMNS: '100' } });
}

/** The README and every hand-written page of docs/ (the generated reference is checked whole). */
function pages(): string[] {
  const docs = readdirSync(join(projectRoot, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((p) => p.endsWith('.md') && !p.startsWith('reference'))
    .map((p) => join('docs', p));
  return ['README.md', ...docs];
}

/** Every `trafficinator COMMAND …` line of the shell blocks of a page, continuation lines joined. */
function commandLines(text: string): string[] {
  const lines: string[] = [];
  for (const block of text.matchAll(/^```(?:sh|bash|shell)\n([\s\S]*?)^```/gm)) {
    const joined = block[1]!.replace(/\\\n\s*/g, ' ');
    for (const line of joined.split('\n')) {
      const m = /(?:^|[;&|(]\s*|\$\s)(?:dist\/)?trafficinator\s+([a-z]+)\b(.*)$/.exec(line.replace(/#.*$/, ''));
      if (m) lines.push(`${m[1]}${m[2]}`);
    }
  }
  return lines;
}

describe('README and docs stay in step with the program', () => {
  it('docs/reference/cli.md is the help the built program prints (stale: run `npm run docs`)', () => {
    expect(read('docs/reference/cli.md'), 'docs/reference/cli.md is stale: run `npm run docs`').toBe(cliReference(cli));
  });

  it('README names every command the program has, and no other', () => {
    const top = help('--help');
    const listed = [...top.slice(top.indexOf('Commands:')).matchAll(/^ {2}([a-z]+)\b/gm)].map((m) => m[1]!).filter((c) => c !== 'help');
    expect(listed.length).toBeGreaterThan(5);
    expect([...listed].sort()).toEqual([...COMMANDS].sort());
    const section = readme.slice(readme.indexOf('\n## Commands'), readme.indexOf('\n## ', readme.indexOf('\n## Commands') + 1));
    const table = [...section.matchAll(/^\| `([a-z]+)` \|/gm)].map((m) => m[1]!);
    expect([...table].sort()).toEqual([...COMMANDS].sort());
  });

  it("README's two set-up commands exist", () => {
    expect(readme).toContain('npm ci && npm run demo');
    expect(readme).toContain('npm test');
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    expect(scripts['demo']).toBeDefined();
    expect(scripts['test']).toBeDefined();
  });

  it('every flag in the command lines of README and docs/ is one the command has', () => {
    const known = new Map(COMMANDS.map((c) => [c, help(c, c === 'report' || c === 'sink' || c === 'presets' || c === 'schema' || c === 'completion' ? '--help' : '--help-all')]));
    const wrong: string[] = [];
    let checked = 0;
    for (const page of pages()) {
      for (const line of commandLines(read(page))) {
        const command = line.split(/\s/)[0]!;
        const text = known.get(command);
        if (text === undefined) {
          wrong.push(`${page}: unknown command in "trafficinator ${line}"`);
          continue;
        }
        for (const flag of line.match(/(?<=\s)--[a-z][a-z0-9-]*/g) ?? []) {
          checked++;
          const plain = flag.replace(/^--no-/, '--');
          if (!new RegExp(`(${flag}|${plain}|--no-${plain.slice(2)})\\b`).test(text)) wrong.push(`${page}: ${command} has no ${flag}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
    expect(wrong).toEqual([]);
  });
});
