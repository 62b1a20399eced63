import { describe, expect, it } from 'vitest';
import { isBotIp, isBotUserAgent } from '../../../src/sink/bots.js';
import { parseCdt } from '../../../src/sink/cdt.js';
import { checkItems, classify, judgeHit, significantDigits, type HitContext } from '../../../src/sink/judge.js';
import { lookup, parseQuery } from '../../../src/sink/params.js';

const NOW = Date.UTC(2026, 0, 10, 12, 0, 0);
const BASE = 'idsite=1&rec=1&url=http%3A%2F%2Fexample.test%2Fa&_id=0123456789abcdef&send_image=0';

function judge(query: string, ctx: Partial<HitContext> = {}) {
  return judgeHit(lookup(parseQuery(query)), {
    authenticated: false,
    remoteAddress: '127.0.0.1',
    headerUserAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
    now: NOW,
    sites: undefined,
    ...ctx,
  });
}

describe('judgeHit: Matomo rules and the sink\'s checks', () => {
  it.each([
    { why: 'a plain page view is accepted', query: BASE, kind: 'accepted' },
    { why: 'site 0 does not exist', query: BASE.replace('idsite=1', 'idsite=0'), kind: 'rejected', reason: 'unknown-site' },
    { why: 'idsite missing', query: BASE.replace('idsite=1&', ''), kind: 'rejected', reason: 'unknown-site' },
    { why: 'cdt not in the expected shape', query: `${BASE}&cdt=2026-01-10T12:00`, kind: 'rejected', reason: 'cdt-malformed' },
    { why: 'cdt on a day that does not exist', query: `${BASE}&cdt=2026-02-30+10:00:00`, kind: 'rejected', reason: 'cdt-malformed' },
    { why: 'cdt 1 h old needs no token', query: `${BASE}&cdt=2026-01-10+11:00:00`, kind: 'accepted' },
    { why: 'cdt 25 h old needs a token', query: `${BASE}&cdt=2026-01-09+11:00:00`, kind: 'rejected', reason: 'old-cdt-needs-token' },
    { why: 'cdt one minute in the future', query: `${BASE}&cdt=2026-01-10+12:01:00`, kind: 'rejected', reason: 'cdt-future' },
    { why: 'cip needs a token', query: `${BASE}&cip=10.1.2.3`, kind: 'rejected', reason: 'cip-needs-token' },
    { why: 'country needs a token too', query: `${BASE}&country=se`, kind: 'rejected', reason: 'cip-needs-token' },
    { why: 'url missing', query: BASE.replace(/&url=[^&]*/, ''), kind: 'rejected', reason: 'url-invalid' },
    { why: 'url not http(s)', query: BASE.replace(/url=[^&]*/, 'url=example.test%2Fa'), kind: 'rejected', reason: 'url-invalid' },
    { why: '_id of 15 hex digits', query: BASE.replace('0123456789abcdef', '0123456789abcde'), kind: 'rejected', reason: 'visitor-id-invalid' },
    { why: '_id with a non-hex digit', query: BASE.replace('0123456789abcdef', '0123456789abcdeg'), kind: 'rejected', reason: 'visitor-id-invalid' },
    { why: 'ec_items not JSON', query: `${BASE}&idgoal=0&ec_items=%5B%5B`, kind: 'rejected', reason: 'ec-items-invalid' },
    { why: 'ec_items item is an object', query: `${BASE}&idgoal=0&ec_items=${encodeURIComponent('[{"sku":"a"}]')}`, kind: 'rejected', reason: 'ec-items-invalid' },
    { why: 'event without action', query: `${BASE}&e_c=Video`, kind: 'rejected', reason: 'event-incomplete' },
    { why: 'event with category and action', query: `${BASE}&e_c=Video&e_a=Play`, kind: 'accepted' },
    { why: 'rec missing: excluded silently', query: BASE.replace('rec=1&', ''), kind: 'excluded', reason: 'rec-missing' },
    { why: 'rec=0: excluded silently', query: BASE.replace('rec=1', 'rec=0'), kind: 'excluded', reason: 'rec-missing' },
    { why: 'a bot user agent in ua', query: `${BASE}&ua=Googlebot%2F2.1`, kind: 'excluded', reason: 'bot-user-agent' },
    { why: 'bots=1 lets a bot through', query: `${BASE}&ua=Googlebot%2F2.1&bots=1`, kind: 'accepted' },
  ])('$why', ({ query, kind, reason }) => {
    const verdict = judge(query);
    expect(verdict.kind).toBe(kind);
    if (reason) expect(verdict).toMatchObject({ reason });
  });

  it('accepts an old cdt and cip with a token the sink accepts', () => {
    expect(judge(`${BASE}&cdt=2026-01-01+10:00:00&cip=10.1.2.3`, { authenticated: true }).kind).toBe('accepted');
  });

  it('excludes an address in Matomo\'s Google-bot ranges (cip with a token, or the peer address)', () => {
    expect(judge(`${BASE}&cip=74.125.3.4`, { authenticated: true })).toMatchObject({ kind: 'excluded', reason: 'bot-ip' });
    expect(judge(BASE, { remoteAddress: '66.249.80.1' })).toMatchObject({ kind: 'excluded', reason: 'bot-ip' });
    expect(judge(BASE, { remoteAddress: '66.249.96.1' }).kind).toBe('accepted');
  });

  it('rejects a site outside --sites', () => {
    expect(judge(BASE.replace('idsite=1', 'idsite=3'), { sites: new Set([1, 2]) })).toMatchObject({ reason: 'unknown-site', site: 3 });
    expect(judge(BASE.replace('idsite=1', 'idsite=2'), { sites: new Set([1, 2]) }).kind).toBe('accepted');
  });

  it('flags amounts over 14 significant digits and counts them as 0 revenue', () => {
    const verdict = judge(`${BASE}&idgoal=0&ec_id=A1&revenue=123.456789012345`);
    expect(verdict).toMatchObject({ kind: 'accepted', type: 'ecommerce', revenue: 0, flags: ['amount-precision'] });
    expect(judge(`${BASE}&idgoal=0&ec_id=A1&revenue=1234.56`)).toMatchObject({ revenue: 1234.56, flags: [] });
    const items = encodeURIComponent('[["sku1","Shoe","Shoes",19.123456789012345,1]]');
    expect(judge(`${BASE}&idgoal=0&ec_id=A2&revenue=19.12&ec_items=${items}`)).toMatchObject({ flags: ['amount-precision'] });
  });

  it('takes the hit time from cdt, else from now', () => {
    expect(judge(`${BASE}&cdt=2026-01-10+11:30:15`)).toMatchObject({ at: Date.UTC(2026, 0, 10, 11, 30, 15) });
    expect(judge(BASE)).toMatchObject({ at: NOW });
  });
});

describe('classify', () => {
  it.each([
    { why: 'no action parameters', query: 'url=x', type: 'pageview' },
    { why: 'ping wins over everything', query: 'ping=1&idgoal=0&e_c=a', type: 'ping' },
    { why: 'idgoal=0 with ec_id is an order', query: 'idgoal=0&ec_id=7', type: 'ecommerce' },
    { why: 'idgoal=0 without ec_id is a cart update', query: 'idgoal=0&ec_items=%5B%5D', type: 'cart' },
    { why: 'another idgoal is a goal', query: 'idgoal=3', type: 'goal' },
    { why: 'an event', query: 'e_c=a&e_a=b', type: 'event' },
    { why: 'an outlink', query: 'link=http%3A%2F%2Fo.test', type: 'outlink' },
    { why: 'a download', query: 'download=http%3A%2F%2Fd.test%2Fa.zip', type: 'download' },
    { why: 'a site search', query: 'search=shoes&search_count=3', type: 'search' },
  ])('$why -> $type', ({ query, type }) => {
    expect(classify(lookup(parseQuery(query)))).toBe(type);
  });
});

describe('helpers', () => {
  it('counts significant digits', () => {
    expect(significantDigits('123.45')).toBe(5);
    expect(significantDigits('0.000123')).toBe(3);
    expect(significantDigits('10.50')).toBe(3);
    expect(significantDigits('123456789.123456')).toBe(15);
    expect(significantDigits('-99999999999999')).toBe(14);
  });

  it('checks ec_items shapes', () => {
    expect(checkItems('[["a","Shoe","Shoes",10,2],["b","Hat",["A","B"],"5.5","1"]]')).toEqual({ total: 25.5, imprecise: false });
    expect(checkItems('[["a","Shoe","Shoes",10,2,9]]')).toBeUndefined();
    expect(checkItems('[["","Shoe"]]')).toBeUndefined();
    expect(checkItems('[["a","Shoe","Shoes","ten",1]]')).toBeUndefined();
    expect(checkItems('{"a":1}')).toBeUndefined();
  });

  it('parses cdt by hand like Date.UTC', () => {
    expect(parseCdt('2024-02-29 23:59:59')).toBe(Date.UTC(2024, 1, 29, 23, 59, 59));
    expect(parseCdt('2023-02-29 00:00:00')).toBeNaN();
    expect(parseCdt('2026-01-10 24:00:00')).toBeNaN();
    expect(parseCdt('1767960000')).toBe(1767960000 * 1000);
    expect(parseCdt('yesterday')).toBeNaN();
  });

  it('knows Matomo\'s bot ranges and bot agents', () => {
    expect(isBotIp('74.125.0.1')).toBe(true);
    expect(isBotIp('173.194.255.255')).toBe(true);
    expect(isBotIp('1.202.218.8')).toBe(true);
    expect(isBotIp('1.202.218.9')).toBe(false);
    expect(isBotIp('::ffff:74.125.9.9')).toBe(true);
    expect(isBotIp('127.0.0.1')).toBe(false);
    expect(isBotUserAgent('Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)')).toBe(true);
    expect(isBotUserAgent('Mozilla/5.0 (Linux; Android 9; Cubot KingKong) AppleWebKit/537.36')).toBe(false);
    expect(isBotUserAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36')).toBe(false);
  });

  it('parses query strings, keeping order and repeated keys', () => {
    expect(parseQuery('?a=1&b=x+y&c=%2F&a=2&flag')).toEqual([
      ['a', '1'],
      ['b', 'x y'],
      ['c', '/'],
      ['a', '2'],
      ['flag', ''],
    ]);
    expect(lookup(parseQuery('a=1&a=2')).get('a')).toBe('2');
  });
});
