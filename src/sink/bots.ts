/**
 * Matomo's own exclusions (core/Tracker/VisitExcluded.php, isNonHumanBot): the built-in bot IP
 * ranges (Google, Live/Bing/MSN, Yahoo, one Chinese crawler) and DeviceDetector's bot user agents.
 * The user-agent test is a compact approximation of DeviceDetector's list: its generic "bot /
 * crawler / spider" rule plus the named agents load tools and crawlers commonly send.
 */
const BOT_RANGES = [
  // Google
  '216.239.32.0/19',
  '64.233.160.0/19',
  '66.249.80.0/20',
  '72.14.192.0/18',
  '209.85.128.0/17',
  '66.102.0.0/20',
  '74.125.0.0/16',
  '64.18.0.0/20',
  '207.126.144.0/20',
  '173.194.0.0/16',
  // Live/Bing/MSN
  '64.4.0.0/18',
  '65.52.0.0/14',
  '157.54.0.0/15',
  '157.56.0.0/14',
  '157.60.0.0/16',
  '207.46.0.0/16',
  '207.68.128.0/18',
  '207.68.192.0/20',
  '131.253.26.0/20',
  '131.253.24.0/20',
  // Yahoo
  '72.30.198.0/20',
  '72.30.196.0/20',
  '98.137.207.0/20',
  // a crawler Matomo lists by address
  '1.202.218.8/32',
];

interface Range {
  base: number;
  mask: number;
}

const ranges: Range[] = BOT_RANGES.map((cidr) => {
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

// DeviceDetector's generic rule skips "cubot" (a phone brand) and similar; so does this one.
const BOT_UA =
  /(?<!cu)bot\b|bot[/_-]|crawl|spider|slurp|facebookexternalhit|mediapartners-google|adsbot-google|feedfetcher|bingpreview|apachebench|ia_archiver|\bcurl\/|\bwget\/|python-requests|go-http-client/i;

export function isBotUserAgent(userAgent: string): boolean {
  return userAgent.length > 0 && BOT_UA.test(userAgent);
}

export const botRangesForDocs: readonly string[] = BOT_RANGES;
