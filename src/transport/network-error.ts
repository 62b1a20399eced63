import type { NetworkErrorClass } from './transport.js';

/**
 * Why a request got no HTTP answer, and whether the server may still have seen it: the one
 * classification for every client (the load's transport and validate's probe), so a refused
 * connection reads the same in a run's report, in backfill's judgement and in validate's message.
 */
export interface NetworkErrorKind {
  errorClass: NetworkErrorClass;
  /** False only when the failure came before a connection existed (refused, DNS, connect timeout, TLS). */
  mayHaveBeenProcessed: boolean;
}

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_TLS_HANDSHAKE_TIMEOUT',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'HOSTNAME_MISMATCH',
]);
const TLS_PREFIX = /^(ERR_TLS_|ERR_SSL_|ERR_OSSL_|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED)/;

export function classifyNetworkError(error: unknown): NetworkErrorKind {
  const codes = codesOf(error);
  const has = (...wanted: string[]): boolean => wanted.some((w) => codes.includes(w));
  if (has('UND_ERR_CONNECT_TIMEOUT')) return { errorClass: 'timeout', mayHaveBeenProcessed: false };
  if (has('UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT')) return { errorClass: 'timeout', mayHaveBeenProcessed: true };
  if (has('ETIMEDOUT')) return { errorClass: 'timeout', mayHaveBeenProcessed: false };
  if (has('ECONNREFUSED')) return { errorClass: 'refused', mayHaveBeenProcessed: false };
  if (has('ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL')) return { errorClass: 'dns', mayHaveBeenProcessed: false };
  if (codes.some((c) => TLS_CODES.has(c) || TLS_PREFIX.test(c))) return { errorClass: 'tls', mayHaveBeenProcessed: false };
  if (has('ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED')) return { errorClass: 'reset', mayHaveBeenProcessed: true };
  // An AbortSignal.timeout() deadline (a DOMException, no code): the request may be on the wire.
  if (has('TimeoutError', 'AbortError')) return { errorClass: 'timeout', mayHaveBeenProcessed: true };
  return { errorClass: 'other', mayHaveBeenProcessed: true };
}

/** The codes (and error names) along the cause chain: fetch-style wrappers put the code on a cause. */
function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
    const { code, name } = current as { code?: unknown; name?: unknown };
    if (typeof code === 'string') codes.push(code);
    if (typeof name === 'string') codes.push(name);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}
