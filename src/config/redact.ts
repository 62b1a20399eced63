/** What stands in for a token wherever a configuration is shown. */
export const REDACTED = '[redacted]';

/**
 * A copy of a configuration (or any part of one) that is safe to print: every `tokenAuth` value
 * is replaced, at any depth. token_auth is never printed anywhere.
 */
export function redactConfig<T>(config: T): T {
  return redact(config) as T;
}

function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    out[key] = /^token_?auth$/i.test(key) && child !== undefined ? REDACTED : redact(child);
  }
  return out;
}

/** Removes a token from free text (error messages that might echo a request body). */
export function redactText(text: string, tokens: ReadonlyArray<string | undefined>): string {
  let out = text;
  for (const token of tokens) if (token) out = out.split(token).join(REDACTED);
  return out.replace(/token_auth=[^&\s"]+/g, `token_auth=${REDACTED}`);
}
