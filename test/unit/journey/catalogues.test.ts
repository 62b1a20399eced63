import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { builtinPages, loadCatalogues, parseUrlFile } from '../../../src/journey/catalogues.js';

describe('built-in URL catalogue', () => {
  const pages = builtinPages('example.test');

  it('has 10 sections x 5 subsections x 40 pages, all distinct, on the page host', () => {
    expect(pages).toHaveLength(2000);
    expect(new Set(pages.map((p) => p.url)).size).toBe(2000);
    const sections = new Set(pages.map((p) => p.url.split('/')[3]));
    expect([...sections]).toEqual(['products', 'blog', 'support', 'company', 'resources', 'news', 'services', 'solutions', 'documentation', 'community']);
    const subs = new Set(pages.map((p) => p.url.split('/').slice(3, 5).join('/')));
    expect(subs.size).toBe(50);
    expect(subs).toContain('products/hardware');
    expect(subs).toContain('blog/tutorials');
    expect(subs).toContain('support/faq');
    for (const p of pages) {
      expect(p.url).toMatch(/^https:\/\/example\.test\/[a-z-]+\/[a-z-]+\/[a-z0-9-]+$/);
      expect(p.origin).toBe('https://example.test');
    }
  });

  it('gives readable, distinct titles', () => {
    expect(pages[0]).toEqual({ url: 'https://example.test/products/hardware/hardware-overview', title: 'Hardware Overview | Products', origin: 'https://example.test' });
    expect(pages.find((p) => p.url.endsWith('/support/faq/faq-pricing'))?.title).toBe('FAQ Pricing | Support');
    expect(new Set(pages.map((p) => p.title)).size).toBe(2000);
    for (const p of pages) expect(p.title).toMatch(/^[A-Z][A-Za-z ]+ \| [A-Z][a-z]+$/);
  });

  it('follows the configured page host', () => {
    expect(loadCatalogues({ pageHost: 'shop.test:8080' }).pages[0]!.url).toBe('https://shop.test:8080/products/hardware/hardware-overview');
  });
});

describe('URL file', () => {
  it('reads "URL [title]" lines, skipping blanks and # comments', () => {
    const text = '# my site\n\nhttps://a.test/x  Page X  \n  http://b.test:81/y?z=1\n# https://ignored.test\n';
    expect(parseUrlFile(text, 'urls.txt')).toEqual([
      { url: 'https://a.test/x', title: 'Page X', origin: 'https://a.test' },
      { url: 'http://b.test:81/y?z=1', origin: 'http://b.test:81' },
    ]);
  });

  it.each([
    { text: 'https://a.test/\nftp://b.test/file', want: 'urls.txt:2: "ftp://b.test/file" is not an http(s) URL with a host' },
    { text: '/relative Title', want: 'urls.txt:1: "/relative" is not an http(s) URL' },
    { text: '# only comments\n\n', want: 'urls.txt: no URLs found' },
  ])('rejects $text with file and line', ({ text, want }) => {
    expect(() => parseUrlFile(text, 'urls.txt')).toThrow(UsageError);
    expect(() => parseUrlFile(text, 'urls.txt')).toThrow(want);
  });
});
