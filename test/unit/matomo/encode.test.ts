import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { buildVisit } from '../../../src/journey/journey.js';
import { dryRunLine } from '../../../src/matomo/dry-run.js';
import { encodeVisit, hitEncoder } from '../../../src/matomo/encode.js';
import { formatCdt, localTime, zoneOffsets } from '../../../src/matomo/local-time.js';
import { encodeQuery } from '../../../src/matomo/query.js';
import type { TrackingRequest } from '../../../src/matomo/request.js';
import { seeded } from '../../../src/random/rng.js';
import { allOn, builtin, mediumSettings } from '../../helpers/journey-helpers.js';

const cet = zoneOffsets('CET');
const hms = (iso: string) => localTime(Date.parse(iso), cet);

describe('visitor local time in CET (h, m, s)', () => {
  it.each([
    { why: 'winter: UTC+1', utc: '2026-01-15T10:20:30Z', local: ['11', '20', '30'] },
    { why: 'summer: UTC+2', utc: '2026-07-15T10:20:30Z', local: ['12', '20', '30'] },
    { why: 'last Sunday of March, last second of CET', utc: '2026-03-29T00:59:59Z', local: ['1', '59', '59'] },
    { why: 'last Sunday of March, clocks jump 02:00 -> 03:00', utc: '2026-03-29T01:00:00Z', local: ['3', '0', '0'] },
    { why: 'last Sunday of March, half an hour later', utc: '2026-03-29T01:30:00Z', local: ['3', '30', '0'] },
    { why: 'last Sunday of October, last second of CEST', utc: '2026-10-25T00:59:59Z', local: ['2', '59', '59'] },
    { why: 'last Sunday of October, 02:00-03:00 happens twice', utc: '2026-10-25T01:00:00Z', local: ['2', '0', '0'] },
    { why: 'midnight in winter is 23:00 UTC the day before', utc: '2026-01-01T23:00:00Z', local: ['0', '0', '0'] },
    { why: 'midnight in summer is 22:00 UTC the day before', utc: '2026-07-01T22:00:00Z', local: ['0', '0', '0'] },
    { why: 'a second before local midnight', utc: '2026-07-01T21:59:59Z', local: ['23', '59', '59'] },
    { why: 'UTC new year is 01:00 local', utc: '2026-01-01T00:00:00Z', local: ['1', '0', '0'] },
  ])('$why', ({ utc, local }) => {
    const t = hms(utc);
    expect([t.h, t.m, t.s]).toEqual(local);
  });

  it.each(['CET', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'UTC'])('agrees with luxon at 20,000 random instants in %s', (zone) => {
    const rng = seeded(zone);
    const offsets = zoneOffsets(zone);
    for (let i = 0; i < 20_000; i++) {
      const ms = Date.UTC(2024, 0, 1) + Math.floor(rng.next() * 4 * 365 * 86_400_000);
      const ref = DateTime.fromMillis(ms, { zone });
      const t = localTime(ms, offsets);
      expect([t.h, t.m, t.s]).toEqual([String(ref.hour), String(ref.minute), String(ref.second)]);
    }
  });

  it('rejects an unknown zone as a usage error naming the field', () => {
    expect(() => zoneOffsets('Mars/Olympus')).toThrow(UsageError);
    expect(() => zoneOffsets('Mars/Olympus')).toThrow(/^timezone: unknown time zone "Mars\/Olympus"/);
  });
});

describe('cdt', () => {
  it('is UTC YYYY-MM-DD HH:MM:SS truncated to the second, checked against Date at random instants and edges', () => {
    const rng = seeded('cdt');
    const edges = ['2024-02-29T23:59:59.999Z', '2000-02-29T00:00:00Z', '2100-03-01T00:00:00Z', '1999-12-31T23:59:59Z', '2026-03-29T01:00:00Z'];
    const instants = [...edges.map((e) => Date.parse(e)), ...Array.from({ length: 20_000 }, () => Math.floor(rng.next() * 4e12))];
    for (const ms of instants) {
      const iso = new Date(Math.floor(ms / 1000) * 1000).toISOString();
      expect(formatCdt(ms)).toBe(`${iso.slice(0, 10)} ${iso.slice(11, 19)}`);
    }
  });
});

describe('encodeVisit', () => {
  const settings = mediumSettings({ probabilities: allOn, countries: { randomize: true, geo: 'both' } });
  const visit = buildVisit({ seed: 3, scope: 'run', index: 0, settings, catalogues: builtin });
  const anchor = Date.parse('2026-10-25T01:30:00Z');
  const requests = encodeVisit(visit, { siteId: 7, startAt: anchor - visit.durationMs, timezone: 'CET' });

  it('adds the envelope in the documented order around the hit parameters', () => {
    const first = requests[0]!;
    const keys = first.params.map(([k]) => k);
    expect(keys.slice(0, 2)).toEqual(['idsite', 'rec']);
    expect(keys.slice(2, 2 + visit.hits[0]!.params.length)).toEqual(visit.hits[0]!.params.map(([k]) => k));
    expect(keys.slice(2 + visit.hits[0]!.params.length)).toEqual(['_id', 'cdt', 'h', 'm', 's', 'ua', 'lang', 'cip', 'country', 'rand', 'send_image']);
    const p = Object.fromEntries(first.params);
    expect(p).toMatchObject({ idsite: '7', rec: '1', _id: visit.visitor.id, ua: visit.visitor.userAgent, send_image: '0', cip: visit.visitor.ip, country: visit.visitor.country });
    expect(first.userAgent).toBe(visit.visitor.userAgent);
  });

  it('stamps every hit from startAt + atMs, ending at the anchor: no cdt after it', () => {
    requests.forEach((r, i) => {
      expect(r.at).toBe(anchor - visit.durationMs + visit.hits[i]!.atMs);
      expect(r.at).toBeLessThanOrEqual(anchor);
      expect(Object.fromEntries(r.params).cdt! <= formatCdt(anchor)).toBe(true);
      expect(r.hitIndex).toBe(i);
      expect(r.visitIndex).toBe(0);
      expect(r.type).toBe(visit.hits[i]!.type);
    });
    expect(requests.at(-1)!.at).toBe(anchor);
  });

  it('sends a deterministic numeric rand and never a token', () => {
    const again = encodeVisit(visit, { siteId: 7, startAt: anchor - visit.durationMs, timezone: 'CET' });
    expect(again).toEqual(requests);
    for (const r of requests) {
      expect(Object.fromEntries(r.params).rand).toMatch(/^\d{1,6}$/);
      expect(r.params.some(([k]) => k === 'token_auth')).toBe(false);
    }
  });
});

describe('dryRunLine', () => {
  const request: TrackingRequest = {
    type: 'event',
    visitIndex: 3,
    hitIndex: 2,
    at: Date.parse('2026-03-29T01:00:00.900Z'),
    params: [
      ['idsite', '1'],
      ['rec', '1'],
      ['e_n', 'say "hi"\n'],
      ['token_auth', 'secret'],
      ['cdt', '2026-03-29 01:00:00'],
    ],
    userAgent: 'UA/1.0',
  };

  it('renders the issue format: fields in order, params as strings in send order, at = cdt', () => {
    expect(dryRunLine(request)).toBe(
      '{"visit": 3, "hit": 2, "type": "event", "at": "2026-03-29T01:00:00Z", "ua": "UA/1.0", ' +
        '"params": {"idsite": "1", "rec": "1", "e_n": "say \\"hi\\"\\n", "cdt": "2026-03-29 01:00:00"}}',
    );
    expect(JSON.parse(dryRunLine(request)).params.e_n).toBe('say "hi"\n');
  });

  it('leaves token_auth out and adds target and day when given', () => {
    const line = dryRunLine(request, { target: 'staging', day: '2026-03-29', visit: 0 });
    expect(line).not.toContain('secret');
    expect(line.startsWith('{"target": "staging", "day": "2026-03-29", "visit": 0, "hit": 2,')).toBe(true);
    expect(Object.keys(JSON.parse(line))).toEqual(['target', 'day', 'visit', 'hit', 'type', 'at', 'ua', 'params']);
  });

  it('escapes long repeated values correctly (cached quoting)', () => {
    const long = 'x'.repeat(30) + '"\u2028';
    const r = { ...request, params: [['url', long]] as Array<[string, string]> };
    expect(JSON.parse(dryRunLine(r)).params.url).toBe(long);
    expect(JSON.parse(dryRunLine(r)).params.url).toBe(long);
  });
});

describe('hitEncoder: the query it makes with each request', () => {
  it.each([
    {
      why: 'every visitor field, escapes everywhere, a string site id',
      siteId: 'a b',
      visitor: { id: '0123456789abcdef', userAgent: 'Mozilla/5.0 (X11; Linux) "ü" & co', lang: 'fr-CH,fr;q=0.9', ip: '2001:db8::1', country: 'ch', resolution: '1920x1080', uid: 'user+1@example.test', timezone: 'Asia/Kolkata' },
      params: [['url', 'https://example.test/ä?q=1&r=2#x'], ['action_name', 'Home / 日本 👍'], ['e_v', '1.5']] as const,
    },
    { why: 'no optional visitor field, no own parameter', siteId: 7, visitor: { id: 'ffffffffffffffff', userAgent: 'curl/8' }, params: [] as const },
  ])('equals encodeQuery(params): $why', ({ siteId, visitor, params }) => {
    const visit = {
      index: 4,
      visitor,
      durationMs: 61_000,
      hits: [
        { type: 'pageview' as const, atMs: 0, pauseMs: 0, params },
        { type: 'ping' as const, atMs: 61_000, pauseMs: 61_000, params },
      ],
    };
    const one = hitEncoder(visit, { siteId, startAt: Date.UTC(2026, 9, 25, 0, 59, 30), timezone: 'CET' });
    const whole = encodeVisit(visit, { siteId, startAt: Date.UTC(2026, 9, 25, 0, 59, 30), timezone: 'CET' });
    for (let j = 0; j < 2; j++) {
      const request = one(j);
      expect(request.query).toBe(encodeQuery(request.params));
      expect(request.params).toEqual(whole[j]!.params);
    }
  });
});
