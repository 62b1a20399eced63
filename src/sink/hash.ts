/** FNV-1a, 32 bits, over the UTF-16 code units of several strings (separated by a 0 unit). */
export function fnv1a(...parts: string[]): number {
  return fnv1aFrom(0x811c9dc5, parts);
}

/** A 53-bit hash (two independent 32-bit ones): safe as an exact key over millions of items. */
export function hash53(...parts: string[]): number {
  const high = fnv1aFrom(0x811c9dc5, parts) >>> 0;
  const low = fnv1aFrom(0x050c5d1f, parts) & 0x1fffff;
  return high * 0x200000 + low;
}

function fnv1aFrom(seed: number, parts: string[]): number {
  let h = seed;
  for (let p = 0; p < parts.length; p++) {
    const text = parts[p]!;
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    h = Math.imul(h ^ 0, 0x01000193);
  }
  return h | 0;
}

/** A uniform number in [0, 1) from a 32-bit hash, after a final avalanche (murmur3 fmix32). */
export function unitFromHash(hash: number): number {
  let h = hash | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4_294_967_296;
}
