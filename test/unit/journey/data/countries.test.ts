import { describe, expect, it } from 'vitest';
import { countries, reservedRanges } from '../../../../src/journey/data/countries.js';
import { MATOMO_BOT_RANGES as matomoBotRanges } from '../../../../src/matomo/bot-ranges.js';
import { cidrContains, cidrsOverlap, parseCidr } from '../../../../src/journey/ip.js';
import { builtin, mediumSettings, param, visits } from '../../../helpers/journey-helpers.js';

const bots = matomoBotRanges.map(parseCidr);
const reserved = reservedRanges.map(parseCidr);

describe('country IP ranges', () => {
  it('holds Matomo 5 bot ranges as written in VisitExcluded.php, including Google 74.125.0.0/16', () => {
    expect(matomoBotRanges).toContain('74.125.0.0/16');
    expect(matomoBotRanges).toHaveLength(24);
  });

  it.each(countries.flatMap((c) => c.ranges.map((r) => ({ country: c.code, range: r }))))(
    '$country $range is clear of Matomo bot ranges and reserved space',
    ({ range }) => {
      const cidr = parseCidr(range);
      for (const bot of bots) expect(cidrsOverlap(cidr, bot), `${range} overlaps bot range ${bot.text}`).toBe(false);
      for (const r of reserved) expect(cidrsOverlap(cidr, r), `${range} overlaps reserved ${r.text}`).toBe(false);
    },
  );

  it('gives no address to two countries', () => {
    const all = countries.flatMap((c) => c.ranges.map((r) => ({ code: c.code, cidr: parseCidr(r) })));
    for (const a of all) for (const b of all) if (a !== b) expect(cidrsOverlap(a.cidr, b.cidr), `${a.cidr.text} / ${b.cidr.text}`).toBe(false);
  });

  it('keeps the predecessor weights: US 35, DE 10, UK 8, CA 6, FR 6, AU 5, NL 5, JP 4, SE 3, BR 3, other 15', () => {
    const w = Object.fromEntries(countries.filter((c) => !c.other).map((c) => [c.code, c.weight]));
    expect(w).toEqual({ us: 35, de: 10, gb: 8, ca: 6, fr: 6, au: 5, nl: 5, jp: 4, se: 3, br: 3 });
    expect(countries.filter((c) => c.other).reduce((s, c) => s + c.weight, 0)).toBe(15);
  });
});

describe('visitor geo', () => {
  it('sends cip inside the chosen country ranges, never in a bot range', () => {
    const byCode = new Map(builtin.countries.map((c) => [c.code, c]));
    for (const v of visits(5000, mediumSettings({ countries: { randomize: true, geo: 'both' } }))) {
      const { ip, country } = v.visitor;
      expect(ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      const entry = byCode.get(country!)!;
      expect(entry.cidrs.some((c) => cidrContains(c, ip!))).toBe(true);
      for (const bot of bots) expect(cidrContains(bot, ip!)).toBe(false);
      expect(v.visitor.lang).toBe(entry.lang);
    }
  });

  it.each([
    { geo: 'ip' as const, ip: true, country: false },
    { geo: 'country' as const, ip: false, country: true },
    { geo: 'both' as const, ip: true, country: true },
  ])('geo $geo carries ip=$ip country=$country', ({ geo, ip, country }) => {
    for (const v of visits(50, mediumSettings({ countries: { randomize: true, geo } }))) {
      expect(v.visitor.ip !== undefined).toBe(ip);
      expect(v.visitor.country !== undefined).toBe(country);
    }
  });

  it('sends no address, country or language when countries are not randomized', () => {
    for (const v of visits(50, mediumSettings({ countries: { randomize: false, geo: 'both' } }))) {
      expect(v.visitor.ip).toBeUndefined();
      expect(v.visitor.country).toBeUndefined();
      expect(v.visitor.lang).toBeUndefined();
      expect(v.visitor.id).toMatch(/^[0-9a-f]{16}$/);
      for (const h of v.hits) expect(param(h, 'cip')).toBeUndefined();
    }
  });
});
