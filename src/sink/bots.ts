import { MATOMO_BOT_RANGES } from '../matomo/bot-ranges.js';

/**
 * Matomo's own exclusions (core/Tracker/VisitExcluded.php, isNonHumanBot): the built-in bot IP
 * ranges (Google, Live/Bing/MSN, Yahoo, one Chinese crawler) and DeviceDetector's bot user agents
 * (detector.ts: the same rules, so HTTP libraries such as curl are recorded as Matomo does).
 */
export { isBotUserAgent } from './detector.js';

interface Range {
  base: number;
  mask: number;
}

const ranges: Range[] = MATOMO_BOT_RANGES.map((cidr) => {
  const [address, bits] = cidr.split('/') as [string, string];
  const mask = Number(bits) === 0 ? 0 : (~0 << (32 - Number(bits))) >>> 0;
  return { base: (ipv4ToInt(address)! & mask) >>> 0, mask };
});

/** IPv4 dotted quad -> unsigned 32-bit integer, or undefined. */
export function ipv4ToInt(address: string): number | undefined {
  const parts = address.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = value * 256 + n;
  }
  return value;
}

// Clients come from few addresses (loopback, a load generator's cip set): remember the answers.
const known = new Map<string, boolean>();

/** True when the address lies in one of Matomo's built-in bot ranges. IPv6 never does. */
export function isBotIp(address: string): boolean {
  let answer = known.get(address);
  if (answer === undefined) {
    answer = inBotRanges(address);
    if (known.size >= 10_000) known.clear();
    known.set(address, answer);
  }
  return answer;
}

function inBotRanges(address: string): boolean {
  const plain = address.startsWith('::ffff:') ? address.slice(7) : address;
  const value = ipv4ToInt(plain);
  if (value === undefined) return false;
  for (const range of ranges) {
    if (((value & range.mask) >>> 0) === range.base) return true;
  }
  return false;
}
