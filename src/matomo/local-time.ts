import { IANAZone } from 'luxon';
import { UsageError } from '../errors.js';

/**
 * UTC offsets of one IANA zone, cached per quarter hour of UTC time. Zone transitions (DST) fall on
 * quarter-hour boundaries of UTC, and the offset is read at the start of each quarter hour, so the
 * cache answers exactly what luxon would, without luxon's Intl call on every hit.
 */
export class ZoneOffsets {
  private readonly zone: IANAZone;
  private readonly cache = new Map<number, number>();

  constructor(readonly name: string) {
    if (!IANAZone.isValidZone(name)) throw new UsageError(`timezone: unknown time zone "${name}" (expected an IANA zone such as CET or Europe/Berlin)`);
    this.zone = IANAZone.create(name);
  }

  /** Offset from UTC in minutes at the instant `epochMs`. */
  offsetMinutes(epochMs: number): number {
    const quarter = Math.floor(epochMs / 900_000);
    let offset = this.cache.get(quarter);
    if (offset === undefined) {
      offset = this.zone.offset(quarter * 900_000);
      // Bounded: a backfill of a year touches ~35,000 quarter hours; a runaway caller never grows it past this.
      if (this.cache.size >= 100_000) this.cache.clear();
      this.cache.set(quarter, offset);
    }
    return offset;
  }
}

const zones = new Map<string, ZoneOffsets>();

/** The shared, cached ZoneOffsets of a zone. Throws for an unknown zone. */
export function zoneOffsets(name: string): ZoneOffsets {
  let zone = zones.get(name);
  if (!zone) zones.set(name, (zone = new ZoneOffsets(name)));
  return zone;
}


const pad2 = (n: number): string => (n < 10 ? '0' : '') + n;

let cachedDay = Number.NaN;
let cachedDate = '';

/**
 * `YYYY-MM-DD` of a day number since 1970-01-01 (proleptic Gregorian; Howard Hinnant's
 * civil_from_days). Arithmetic instead of Date + toISOString: this runs for every hit.
 */
function civilDate(day: number): string {
  if (day === cachedDay) return cachedDate;
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  cachedDay = day;
  cachedDate = `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`;
  return cachedDate;
}

function utcParts(epochMs: number): { date: string; time: string } {
  const seconds = Math.floor(epochMs / 1000);
  const day = Math.floor(seconds / 86_400);
  const sod = seconds - day * 86_400;
  const time = `${pad2(Math.floor(sod / 3600))}:${pad2(Math.floor(sod / 60) % 60)}:${pad2(sod % 60)}`;
  return { date: civilDate(day), time };
}

/** Matomo's `cdt`: UTC `YYYY-MM-DD HH:MM:SS` (whole seconds, truncated). */
export function formatCdt(epochMs: number): string {
  const { date, time } = utcParts(epochMs);
  return date + ' ' + time;
}

/** ISO-8601 UTC with whole seconds, the same instant as formatCdt: `YYYY-MM-DDTHH:MM:SSZ`. */
export function formatIsoSeconds(epochMs: number): string {
  const { date, time } = utcParts(epochMs);
  return date + 'T' + time + 'Z';
}

/** Wall-clock time of `epochMs` in the zone, as the strings Matomo's h, m, s take. */
export function localTime(epochMs: number, zone: ZoneOffsets): { h: string; m: string; s: string } {
  const local = Math.floor(epochMs / 1000) + zone.offsetMinutes(epochMs) * 60;
  const secondOfDay = ((local % 86_400) + 86_400) % 86_400;
  return {
    h: String(Math.floor(secondOfDay / 3600)),
    m: String(Math.floor(secondOfDay / 60) % 60),
    s: String(secondOfDay % 60),
  };
}

