/**
 * `cdt` parsed by hand: luxon or Date.parse per hit would dominate the hot path. Matomo accepts
 * `YYYY-MM-DD HH:MM:SS` in UTC or a Unix timestamp in seconds; anything else is malformed.
 * Returns epoch ms, or NaN when malformed.
 */
export function parseCdt(text: string): number {
  if (text.length === 19) return parseDateTime(text);
  if (/^\d{9,10}(?:\.\d+)?$/.test(text)) return Math.floor(Number(text) * 1000);
  return NaN;
}

function parseDateTime(t: string): number {
  if (t.charCodeAt(4) !== 45 || t.charCodeAt(7) !== 45) return NaN; // '-'
  const sep = t.charCodeAt(10);
  if (sep !== 32 && sep !== 84) return NaN; // ' ' or 'T'
  if (t.charCodeAt(13) !== 58 || t.charCodeAt(16) !== 58) return NaN; // ':'
  const year = digits(t, 0, 4);
  const month = digits(t, 5, 2);
  const day = digits(t, 8, 2);
  const hour = digits(t, 11, 2);
  const minute = digits(t, 14, 2);
  const second = digits(t, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return NaN;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return NaN;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

function digits(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const code = text.charCodeAt(i) - 48;
    if (code < 0 || code > 9) return -1;
    value = value * 10 + code;
  }
  return value;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The inverse, for reports: epoch ms -> `YYYY-MM-DD HH:MM:SS` (UTC). */
export function formatCdt(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}
