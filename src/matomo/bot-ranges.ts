/**
 * Matomo's built-in bot ranges (core/Tracker/VisitExcluded.php, getBotIpRanges and
 * getGoogleBotIpRanges, Matomo 5): a hit from these addresses is dropped silently.
 */
export const MATOMO_BOT_RANGES: readonly string[] = [
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
  // single address
  '1.202.218.8/32',
];
