/**
 * Visitor countries by weight, each with public IPv4 ranges allocated to ISPs and hosters of that
 * country, so Matomo's GeoIP lookup places the visitor there.
 *
 * Fixed from the predecessor: 74.125.0.0/16 (Google, in Matomo's bot list: visits silently
 * excluded) is gone, and so are ranges that mix countries or hold reserved space (142.0.0.0/8
 * also held Google's US 142.250.0.0/15; 203.0.0.0/8 holds TEST-NET-3 203.0.113.0/24; 210.0.0.0/7,
 * 200.0.0.0/7 and the whole-/8 "other" blocks span many countries). The predecessor's "other
 * countries" share (15 %) is split among named countries so the explicit `country` parameter
 * always has a value. test/unit/journey-countries.test.ts checks that no range touches Matomo's
 * bot ranges or reserved space and that no two countries share an address.
 */
export interface CountryEntry {
  /** ISO 3166-1 alpha-2, lowercase, as Matomo's `country` parameter takes it. */
  code: string;
  name: string;
  /** Share of visits in percent. */
  weight: number;
  /** Browser language sent as `lang`. */
  lang: string;
  /** CIDR blocks. */
  ranges: readonly string[];
  /** True for the countries that make up the predecessor's "other" 15 %. */
  other?: boolean;
}

export const countries: readonly CountryEntry[] = [
  {
    code: 'us',
    name: 'United States',
    weight: 35,
    lang: 'en-US,en;q=0.9',
    ranges: [
      '73.0.0.0/8', // Comcast
      '173.252.0.0/16',
      '208.67.0.0/16',
      '192.30.252.0/22',
      '199.232.0.0/16',
      '104.16.0.0/12',
      '142.250.0.0/15',
    ],
  },
  {
    code: 'de',
    name: 'Germany',
    weight: 10,
    lang: 'de-DE,de;q=0.9,en;q=0.8',
    ranges: ['78.46.0.0/15', '5.9.0.0/16', '136.243.0.0/16', '88.198.0.0/16', '46.4.0.0/16', '80.156.0.0/16'],
  },
  {
    code: 'gb',
    name: 'United Kingdom',
    weight: 8,
    lang: 'en-GB,en;q=0.9',
    ranges: ['51.140.0.0/14', '86.0.0.0/12', '109.144.0.0/14', '2.96.0.0/11'],
  },
  {
    code: 'ca',
    name: 'Canada',
    weight: 6,
    lang: 'en-CA,en;q=0.9,fr-CA;q=0.8',
    ranges: ['206.47.0.0/16', '99.224.0.0/11', '24.64.0.0/13', '70.24.0.0/13'],
  },
  {
    code: 'fr',
    name: 'France',
    weight: 6,
    lang: 'fr-FR,fr;q=0.9,en;q=0.8',
    ranges: ['163.172.0.0/16', '51.15.0.0/16', '212.129.0.0/16', '90.0.0.0/9'],
  },
  {
    code: 'au',
    name: 'Australia',
    weight: 5,
    lang: 'en-AU,en;q=0.9',
    ranges: ['144.132.0.0/16', '101.160.0.0/11', '58.160.0.0/12'],
  },
  {
    code: 'nl',
    name: 'Netherlands',
    weight: 5,
    lang: 'nl-NL,nl;q=0.9,en;q=0.8',
    ranges: ['77.160.0.0/12', '82.92.0.0/14', '146.185.0.0/16'],
  },
  {
    code: 'jp',
    name: 'Japan',
    weight: 4,
    lang: 'ja-JP,ja;q=0.9,en;q=0.8',
    ranges: ['126.0.0.0/8', '133.0.0.0/8', '60.32.0.0/12'],
  },
  {
    code: 'se',
    name: 'Sweden',
    weight: 3,
    lang: 'sv-SE,sv;q=0.9,en;q=0.8',
    ranges: ['194.47.0.0/16', '81.230.0.0/16', '78.72.0.0/15'],
  },
  {
    code: 'br',
    name: 'Brazil',
    weight: 3,
    lang: 'pt-BR,pt;q=0.9,en;q=0.8',
    ranges: ['177.0.0.0/8', '191.0.0.0/8'],
  },
  { code: 'es', name: 'Spain', weight: 4, lang: 'es-ES,es;q=0.9,en;q=0.8', ranges: ['88.0.0.0/11'], other: true },
  { code: 'it', name: 'Italy', weight: 4, lang: 'it-IT,it;q=0.9,en;q=0.8', ranges: ['79.0.0.0/10'], other: true },
  { code: 'pl', name: 'Poland', weight: 3, lang: 'pl-PL,pl;q=0.9,en;q=0.8', ranges: ['83.0.0.0/11'], other: true },
  { code: 'in', name: 'India', weight: 2, lang: 'en-IN,en;q=0.9,hi;q=0.8', ranges: ['117.192.0.0/10'], other: true },
  { code: 'mx', name: 'Mexico', weight: 2, lang: 'es-MX,es;q=0.9,en;q=0.8', ranges: ['187.128.0.0/10'], other: true },
];

/** Special-purpose IPv4 space (RFC 6890 and friends) that never geolocates to a country. */
export const reservedRanges: readonly string[] = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '192.88.99.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/4',
  '240.0.0.0/4',
];
