import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha1Hex, sha256Hex } from '../../../src/random/hash.js';

// The plain-TypeScript digests against node:crypto, over lengths around the 64-byte block edges
// and non-ASCII text (hashed as UTF-8).
const texts = ['', 'abc', 'user-42', 'å', 'ünïcødé ✓ 日本', ...[55, 56, 63, 64, 65, 119, 120, 200].map((n) => 'x'.repeat(n))];

describe('digests', () => {
  it.each(texts)('sha1Hex(%j) is SHA-1', (text) => {
    expect(sha1Hex(text)).toBe(createHash('sha1').update(text, 'utf8').digest('hex'));
  });
  it.each(texts)('sha256Hex(%j) is SHA-256', (text) => {
    expect(sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
  });
});
