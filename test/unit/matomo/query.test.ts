import { describe, expect, it } from 'vitest';
import { apiRequest, apiUrlFor, parseApiAnswer } from '../../../src/matomo/api.js';
import { decodeQuery, encodeQuery } from '../../../src/matomo/query.js';
import { matomoFixture as fixture } from '../../helpers/fixtures.js';


describe('query strings', () => {
  it('round-trips unicode, spaces and reserved characters in order', () => {
    const pairs: Array<[string, string]> = [
      ['url', 'https://example.test/a?b=c&d=e'],
      ['action_name', 'Blog | Tips & Tricks å'],
      ['e_n', ''],
    ];
    const text = encodeQuery(pairs);
    expect(text).not.toContain(' ');
    expect(decodeQuery('?' + text)).toEqual(pairs);
  });
});

describe('Reporting API', () => {
  it('sends the token in the POST body, never in the URL', () => {
    const req = apiRequest('http://127.0.0.1:1/index.php', 'API.getMatomoVersion', [], 'secret123');
    expect(req.method).toBe('POST');
    expect(req.url).not.toContain('secret123');
    expect(decodeQuery(req.body ?? '')).toContainEqual(['token_auth', 'secret123']);
  });

  it('derives index.php from the tracker URL', () => {
    expect(apiUrlFor('https://m.example.test/stats/matomo.php?x=1')).toBe('https://m.example.test/stats/index.php');
  });

  it.each([
    { name: 'api-getMatomoVersion', ok: true },
    { name: 'api-bad-token', ok: false, message: /Unable to authenticate/ },
    { name: 'api-getSiteFromId-unknown', ok: false, message: /unexpected website/ },
  ])('reads the recorded answer $name', ({ name, ok, message }) => {
    const { status, body } = fixture(name);
    const answer = parseApiAnswer({ kind: 'response', status, headers: {}, body, latencyMs: 1 });
    expect(answer.ok).toBe(ok);
    if (!answer.ok && message) expect(answer.message).toMatch(message);
  });
});
