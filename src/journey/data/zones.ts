/**
 * Representative IANA zones of each country in the country catalogue, weighted by population
 * share (percent, rounded), so a visitor's local time (`h`, `m`, `s`) is what their own clock
 * shows. Large countries are spread over their main zones; single-zone countries have one.
 */
export const countryZones: Readonly<Record<string, ReadonlyArray<readonly [zone: string, weight: number]>>> = {
  us: [
    ['America/New_York', 47],
    ['America/Chicago', 29],
    ['America/Denver', 5],
    ['America/Phoenix', 2],
    ['America/Los_Angeles', 16],
    ['Pacific/Honolulu', 1],
  ],
  ca: [
    ['America/Toronto', 62],
    ['America/Vancouver', 14],
    ['America/Edmonton', 12],
    ['America/Winnipeg', 4],
    ['America/Regina', 3],
    ['America/Halifax', 5],
  ],
  au: [
    ['Australia/Sydney', 32],
    ['Australia/Melbourne', 26],
    ['Australia/Brisbane', 20],
    ['Australia/Perth', 11],
    ['Australia/Adelaide', 7],
    ['Australia/Hobart', 2],
    ['Australia/Darwin', 2],
  ],
  br: [
    ['America/Sao_Paulo', 80],
    ['America/Bahia', 7],
    ['America/Fortaleza', 7],
    ['America/Manaus', 4],
    ['America/Cuiaba', 2],
  ],
  mx: [
    ['America/Mexico_City', 80],
    ['America/Monterrey', 8],
    ['America/Tijuana', 8],
    ['America/Cancun', 4],
  ],
  de: [['Europe/Berlin', 1]],
  gb: [['Europe/London', 1]],
  fr: [['Europe/Paris', 1]],
  nl: [['Europe/Amsterdam', 1]],
  jp: [['Asia/Tokyo', 1]],
  se: [['Europe/Stockholm', 1]],
  es: [
    ['Europe/Madrid', 95],
    ['Atlantic/Canary', 5],
  ],
  it: [['Europe/Rome', 1]],
  pl: [['Europe/Warsaw', 1]],
  in: [['Asia/Kolkata', 1]],
};
