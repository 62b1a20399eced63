import { describe, expect, it } from 'vitest';
import { classifyNetworkError } from '../../../src/transport/network-error.js';

describe('error classification', () => {
  it.each([
    { why: 'no TCP connection in time: never sent', error: { code: 'UND_ERR_CONNECT_TIMEOUT' }, want: ['timeout', false] },
    { why: 'sent, no headers in time', error: { code: 'UND_ERR_HEADERS_TIMEOUT' }, want: ['timeout', true] },
    { why: 'sent, body stalled', error: { code: 'UND_ERR_BODY_TIMEOUT' }, want: ['timeout', true] },
    { why: 'nobody listening', error: { code: 'ECONNREFUSED' }, want: ['refused', false] },
    { why: 'unknown host', error: { code: 'ENOTFOUND' }, want: ['dns', false] },
    { why: 'resolver down', error: { code: 'EAI_AGAIN' }, want: ['dns', false] },
    { why: 'self-signed certificate, verification on', error: { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }, want: ['tls', false] },
    { why: 'certificate for another host', error: { code: 'ERR_TLS_CERT_ALTNAME_INVALID' }, want: ['tls', false] },
    { why: 'connection reset mid-request', error: { code: 'ECONNRESET' }, want: ['reset', true] },
    { why: 'undici socket error', error: { code: 'UND_ERR_SOCKET' }, want: ['reset', true] },
    { why: 'code only on the cause (fetch-style wrapping)', error: { message: 'fetch failed', cause: { code: 'ECONNREFUSED' } }, want: ['refused', false] },
    { why: 'an SSL code outside the list, by its prefix', error: { code: 'ERR_SSL_WRONG_VERSION_NUMBER' }, want: ['tls', false] },
    { why: 'code two causes deep', error: { message: 'a', cause: { message: 'b', cause: { code: 'ENOTFOUND' } } }, want: ['dns', false] },
    { why: "validate's hard deadline (AbortSignal.timeout): maybe on the wire", error: new DOMException('The operation was aborted due to timeout', 'TimeoutError'), want: ['timeout', true] },
    { why: 'anything else may have reached the server', error: new Error('boom'), want: ['other', true] },
  ])('$why', ({ error, want }) => {
    expect(classifyNetworkError(error)).toEqual({ errorClass: want[0], mayHaveBeenProcessed: want[1] });
  });
});
