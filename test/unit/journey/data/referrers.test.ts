import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { referralSites, searchEngines, searchQueries, socialReferrers } from '../../../../src/journey/data/referrers.js';

/**
 * Every referrer URL of the catalogue carries the type a real Matomo 5.0.2 gave it in its Live API
 * (test/fixtures/matomo-5.0.2/live-referrers.json, scripts/record-matomo-realism.mjs).
 */
interface Seen {
  url: string;
  referrerType: string;
  referrerName: string;
}
const fixture = JSON.parse(readFileSync(new URL('../../../fixtures/matomo-5.0.2/live-referrers.json', import.meta.url), 'utf8')) as { referrers: Seen[] };
const seen = new Map(fixture.referrers.map((r) => [r.url, r]));

describe('referrer catalogue in Matomo 5.0.2\'s terms', () => {
  it.each([...socialReferrers, ...referralSites])('$url is $matomo', (entry) => {
    expect(seen.get(entry.url)?.referrerType, 'not in the fixture: re-record with scripts/record-matomo-realism.mjs').toBe(entry.matomo);
  });

  it.each(searchEngines)('$prefix is a search engine with the query as keyword', (engine) => {
    const url = engine.prefix + encodeURIComponent(searchQueries[0]!).replaceAll('%20', '+');
    expect(seen.get(url)?.referrerType).toBe('search');
  });

  it('labels the entries Matomo files elsewhere than their list says', () => {
    const moved = [...socialReferrers, ...referralSites].filter((r, i) => r.matomo !== (i < socialReferrers.length ? 'social' : 'website'));
    expect(moved.map((r) => `${r.url} ${r.matomo}`)).toEqual([
      'https://www.facebook.com/ search',
      'https://sourceforge.net/directory/analytics/ social',
      'https://stackoverflow.com/questions/tagged/analytics social',
      'https://github.com/topics/web-analytics social',
    ]);
  });
});
