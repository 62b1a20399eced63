import { describe, expect, it } from 'vitest';
import { bulkBody, bulkQuery, parseBulkAnswer, singleHitBody } from '../../../src/matomo/bulk.js';
import { decodeQuery } from '../../../src/matomo/query.js';
import type { TrackingRequest } from '../../../src/matomo/request.js';
import { matomoFixture } from '../../helpers/fixtures.js';

function req(params: Array<[string, string]>): TrackingRequest {
  return { type: 'pageview', visitIndex: 0, hitIndex: 0, at: 0, params, userAgent: 'UA "x"' };
}

describe('bulk body', () => {
  const hit = req([
    ['idsite', '1'],
    ['rec', '1'],
    ['url', 'https://example.test/a?b=c&d="e"\\'],
    ['action_name', 'Ünïcode | page'],
    ['send_image', '0'],
    ['cdt', '2026-01-01 10:00:00'],
  ]);

  it('is valid JSON with the token and ?queries, never send_image', () => {
    const body = bulkBody([hit, hit], 'tok"en');
    const parsed = JSON.parse(body) as { requests: string[]; token_auth: string };
    expect(parsed.token_auth).toBe('tok"en');
    expect(parsed.requests).toHaveLength(2);
    expect(parsed.requests[0]!.startsWith('?idsite=1&rec=1&')).toBe(true);
    expect(body).not.toContain('send_image');
    expect(decodeQuery(parsed.requests[0]!)).toEqual(hit.params.filter(([k]) => k !== 'send_image'));
  });

  it('leaves the token out when there is none', () => {
    expect(JSON.parse(bulkBody([hit], undefined))).toEqual({ requests: [bulkQuery(hit.params)] });
  });

  it('a single hit keeps send_image and carries the token in the form body', () => {
    const body = singleHitBody(hit, 'secret');
    expect(decodeQuery(body)).toEqual([...hit.params, ['token_auth', 'secret']]);
  });
});

describe('parseBulkAnswer against recorded Matomo 5.0.2 answers', () => {
  it('super-user token: invalid hits are named', () => {
    const r = parseBulkAnswer(matomoFixture('bulk-superuser-one-invalid').body, 3);
    expect(r).toEqual({ ok: true, answer: { status: 'success', tracked: 2, invalid: 1, invalidIndices: [2], unaccounted: 0 } });
  });

  it.each(['bulk-no-token-old-cdt', 'bulk-bad-token'])('%s: a silent loss, counted but not named', (name) => {
    const fixture = matomoFixture(name);
    expect(fixture.status).toBe(200);
    expect(parseBulkAnswer(fixture.body, 1)).toEqual({ ok: true, answer: { status: 'success', tracked: 0, invalid: 1, unaccounted: 0 } });
  });

  it('counts hits neither tracked nor invalid as unaccounted', () => {
    expect(parseBulkAnswer('{"status":"success","tracked":7,"invalid":1}', 10)).toMatchObject({ ok: true, answer: { unaccounted: 2 } });
  });

  it('refuses answers that prove nothing', () => {
    expect(parseBulkAnswer('', 3)).toMatchObject({ ok: false, message: expect.stringContaining('send_image') });
    expect(parseBulkAnswer('<html>', 3)).toMatchObject({ ok: false });
    expect(parseBulkAnswer('{"status":"success"}', 3)).toMatchObject({ ok: false });
  });

  it('ignores out-of-range invalid indices', () => {
    const r = parseBulkAnswer('{"status":"success","tracked":1,"invalid":1,"invalid_indices":[5,1,1]}', 2);
    expect(r).toMatchObject({ ok: true, answer: { invalidIndices: [1] } });
  });
});
