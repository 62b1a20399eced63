import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Every relative link of README.md and docs/**/*.md must lead to a file of the repository, and its
// #anchor to a heading of that file (GitHub's slugs), so a moved or renamed page cannot strand one.
const root = fileURLToPath(new URL('../../../', import.meta.url));

function markdownFiles(): string[] {
  const docs = readdirSync(join(root, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((p) => p.endsWith('.md'))
    .map((p) => join('docs', p));
  return ['README.md', ...docs];
}

/** The text outside fenced code blocks: a `#` line in a code block is not a heading. */
function outsideCode(text: string): string {
  return text.replace(/^```[\s\S]*?^```/gm, '');
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const m of outsideCode(text).matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
    const base = m[1]!
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    result.add(n === 0 ? base : `${base}-${n}`);
  }
  for (const m of text.matchAll(/<a (?:id|name)="([^"]+)"/g)) result.add(m[1]!);
  return result;
}

function links(text: string): string[] {
  // Inline code is blanked out before, so `[x](y)` in backticks is not a link.
  const out: string[] = [];
  const body = outsideCode(text).replace(/`[^`\n]*`/g, '``');
  for (const m of body.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) out.push(m[1]!);
  for (const m of body.matchAll(/^\[[^\]]+\]:\s*(\S+)/gm)) out.push(m[1]!);
  return out.filter((l) => !/^[a-z][a-z0-9+.-]*:/i.test(l));
}

describe('links in README.md and docs/', () => {
  it('finds the pages and their links', () => {
    const all = markdownFiles().flatMap((f) => links(readFileSync(join(root, f), 'utf8')));
    expect(markdownFiles().length).toBeGreaterThan(10);
    expect(all.length).toBeGreaterThan(40);
  });

  it.each(markdownFiles())('every relative link of %s resolves to a file and an anchor', (file) => {
    const broken: string[] = [];
    for (const link of links(readFileSync(join(root, file), 'utf8'))) {
      const [pathPart, anchor] = link.split('#', 2) as [string, string | undefined];
      const target = pathPart === '' ? join(root, file) : join(root, dirname(file), decodeURI(pathPart));
      if (relative(root, target).startsWith('..')) {
        broken.push(`${link}: outside the repository`);
        continue;
      }
      if (!existsSync(target)) {
        broken.push(`${link}: no such file`);
        continue;
      }
      if (anchor !== undefined) {
        if (statSync(target).isDirectory() || !target.endsWith('.md')) {
          broken.push(`${link}: an anchor into a file that is not Markdown`);
        } else if (!anchors(readFileSync(target, 'utf8')).has(anchor)) {
          broken.push(`${link}: no heading with the anchor #${anchor}`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it.each(markdownFiles())('every repository path %s names in backticks exists', (file) => {
    // `src/cli/bin.ts`, `test/fixtures/matomo-5.0.2/`: a file moved by a refactor strands these too.
    const text = readFileSync(join(root, file), 'utf8');
    const paths = [...outsideCode(text).matchAll(/`((?:src|test|scripts|docs|examples|presets)\/[A-Za-z0-9._/-]+)`/g)].map((m) => m[1]!);
    expect(paths.filter((p) => !existsSync(join(root, p)))).toEqual([]);
  });

  it('computes anchors as GitHub does', () => {
    const text = '# A `run`: the *rate*\n## Exit codes\n## Exit codes\n```\n# not a heading\n```\n## 5.0.2 & more';
    expect([...anchors(text)]).toEqual(['a-run-the-rate', 'exit-codes', 'exit-codes-1', '502--more']);
  });
});
