// Refreshes README's generated blocks: the configuration reference (from the schema, via
// docs/readme/config-reference.md, which `npm run docs:config` writes) and every command's --help
// (from the built CLI). test/e2e/readme.test.ts fails when README is out of step with either.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const readme = new URL('README.md', root);

export const COMMANDS = ['run', 'backfill', 'verify', 'capacity', 'report', 'validate', 'presets', 'config', 'inspect', 'sink', 'schema', 'completion'];

export function helpBlock(cli = ['dist/cli.cjs']) {
  const sections = [];
  for (const command of [[], ...COMMANDS.map((c) => [c])]) {
    const text = execFileSync(process.execPath, [...cli, ...command, '--help'], {
      cwd: root,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, COLUMNS: '100' },
    });
    const title = command.length ? `trafficinator ${command[0]} --help` : 'trafficinator --help';
    sections.push(`<details><summary><code>${title}</code></summary>\n\n\`\`\`text\n${text.trimEnd()}\n\`\`\`\n\n</details>`);
  }
  return sections.join('\n\n');
}

export function referenceBlock() {
  return readFileSync(new URL('docs/readme/config-reference.md', root), 'utf8').trimEnd();
}

export function splice(text, name, body) {
  const begin = `<!-- generated:${name} -->`;
  const end = `<!-- /generated:${name} -->`;
  const a = text.indexOf(begin);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`README has no ${begin} … ${end} block`);
  return text.slice(0, a + begin.length) + '\n' + body + '\n' + text.slice(b);
}

export function blockOf(text, name) {
  const begin = `<!-- generated:${name} -->`;
  const end = `<!-- /generated:${name} -->`;
  return text.slice(text.indexOf(begin) + begin.length, text.indexOf(end)).trim();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let text = readFileSync(readme, 'utf8');
  text = splice(text, 'config-reference', referenceBlock());
  text = splice(text, 'commands', helpBlock());
  writeFileSync(readme, text);
  console.log('README.md: generated blocks refreshed');
}
