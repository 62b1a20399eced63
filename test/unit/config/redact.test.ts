import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/io.js';
import { main } from '../../../src/cli/main.js';
import { REDACTED, redactConfig, redactText } from '../../../src/config/redact.js';
import { resolveConfig } from '../../../src/config/resolve.js';

describe('redaction', () => {
  it('replaces every token, at any depth, and leaves the rest alone', () => {
    const r = resolveConfig(
      [{ kind: 'config', label: 'c', values: { targets: [{ url: 'https://a.example/matomo.php', siteId: 1, tokenAuth: 's3cr3t-a' }, { url: 'https://b.example/matomo.php', siteId: 2, tokenAuth: 's3cr3t-b' }] } }],
      { now: 0 },
    );
    const shown = redactConfig(r.config!);
    expect(JSON.stringify(shown)).not.toMatch(/s3cr3t/);
    expect(shown.targets.map((t) => t.tokenAuth)).toEqual([REDACTED, REDACTED]);
    expect(shown.targets[1]?.url).toBe('https://b.example/matomo.php');
    // The original is untouched.
    expect(r.config?.targets[0]?.tokenAuth).toBe('s3cr3t-a');
  });

  it('removes tokens from free text', () => {
    expect(redactText('POST token_auth=abc&x=1 failed; abc', ['abc'])).toBe(`POST token_auth=${REDACTED}&x=1 failed; ${REDACTED}`);
  });

  it('config and config --explain never print the token', async () => {
    for (const extra of [[], ['--explain']]) {
      const io = memoryIo({ argv: ['config', '--url', 'https://m.example.org/matomo.php', ...extra], env: { MATOMO_TOKEN_AUTH: 'very-secret-token' } });
      expect(await main(io)).toBe(0);
      expect(io.out() + io.err()).not.toContain('very-secret-token');
      expect(io.out()).toContain(REDACTED);
    }
  });
});
