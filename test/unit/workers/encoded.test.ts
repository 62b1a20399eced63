import { describe, expect, it } from 'vitest';
import { bulkBody, bulkQuery } from '../../../src/matomo/bulk.js';
import type { TrackingRequest } from '../../../src/matomo/request.js';
import { matomoVisitorId } from '../../../src/matomo/visitor-id.js';
import { requestsOfText, visitText } from '../../../src/workers/encoded.js';

const requests: TrackingRequest[] = [
  {
    type: 'pageview',
    visitIndex: 3,
    hitIndex: 0,
    at: Date.UTC(2026, 1, 2, 10, 0, 0),
    params: [['idsite', '1'], ['rec', '1'], ['_id', '0123456789abcdef'], ['url', 'https://example.test/a b?x=1&y=ü\n'], ['new_visit', '1'], ['send_image', '0']],
    userAgent: 'Mozilla/5.0 "quoted"\ttab',
  },
  {
    type: 'event',
    visitIndex: 3,
    hitIndex: 1,
    at: Date.UTC(2026, 1, 2, 10, 0, 30),
    params: [['idsite', '1'], ['rec', '1'], ['_id', '0123456789abcdef'], ['uid', 'user@example.test'], ['e_c', 'c'], ['send_image', '0']],
    userAgent: 'ua',
  },
];

describe('requests handed over by a worker thread', () => {
  const text = visitText(requests, (r) => bulkQuery(r.params), matomoVisitorId);
  const back = requestsOfText(text);

  it('carry each bulk query and visitor id as made, and give back every field on demand', () => {
    expect(back.map((r) => r.bulkQuery)).toEqual(requests.map((r) => bulkQuery(r.params)));
    expect(back.map((r) => r.visitorId)).toEqual(requests.map(matomoVisitorId));
    // uid set: Matomo's id is the hash of uid, not _id
    expect(back[1]!.visitorId).not.toBe('0123456789abcdef');
    expect(back.map((r) => ({ type: r.type, visitIndex: r.visitIndex, hitIndex: r.hitIndex, at: r.at, params: r.params, userAgent: r.userAgent }))).toEqual(requests);
  });

  it('make the same bulk body as the requests themselves', () => {
    expect(bulkBody(back, 'tok')).toBe(bulkBody(requests, 'tok'));
  });
});
