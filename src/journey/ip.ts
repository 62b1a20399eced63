import type { Rng } from '../random/rng.js';

/** An IPv4 block as integers: the first address and the number of addresses. */
export interface Cidr {
  text: string;
  base: number;
  size: number;
}

export function ipToInt(ip: string): number {
  const parts = ip.split('.');
  if (parts.length !== 4) throw new Error(`not an IPv4 address: ${ip}`);
  let value = 0;
  for (const part of parts) {
    const octet = Number(part);
    if (!/^\d{1,3}$/.test(part) || octet > 255) throw new Error(`not an IPv4 address: ${ip}`);
    value = value * 256 + octet;
  }
  return value;
}

export function intToIp(value: number): string {
  return `${Math.floor(value / 16777216) % 256}.${Math.floor(value / 65536) % 256}.${Math.floor(value / 256) % 256}.${value % 256}`;
}

export function parseCidr(text: string): Cidr {
  const [address = '', bitsText = '32'] = text.split('/');
  const bits = Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > 32) throw new Error(`bad prefix length in ${text}`);
  const size = 2 ** (32 - bits);
  const address32 = ipToInt(address);
  // Host bits are ignored, as Matomo's range check does (its list has 131.253.26.0/20).
  return { text, base: address32 - (address32 % size), size };
}

export function cidrContains(cidr: Cidr, ip: string | number): boolean {
  const value = typeof ip === 'number' ? ip : ipToInt(ip);
  return value >= cidr.base && value < cidr.base + cidr.size;
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.base < b.base + b.size && b.base < a.base + a.size;
}

/**
 * A host address inside the block. In blocks of 256 or more the last octet avoids 0 and 255, which
 * look like network and broadcast addresses to people reading the Visits log.
 */
export function randomAddress(rng: Rng, cidr: Cidr): string {
  if (cidr.size < 256) return intToIp(cidr.base + Math.floor(rng.next() * cidr.size));
  const block = Math.floor(rng.next() * (cidr.size / 256));
  const last = 1 + Math.floor(rng.next() * 254);
  return intToIp(cidr.base + block * 256 + last);
}
