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


/** Matomo's `cdt`: UTC `YYYY-MM-DD HH:MM:SS` (whole seconds, truncated). */
export function formatCdt(epochMs: number): string {
  const iso = new Date(Math.floor(epochMs / 1000) * 1000).toISOString();
  return iso.slice(0, 10) + ' ' + iso.slice(11, 19);
}

/** ISO-8601 UTC with whole seconds, the same instant as formatCdt: `YYYY-MM-DDTHH:MM:SSZ`. */
export function formatIsoSeconds(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().slice(0, 19) + 'Z';
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

