import { DateTime, IANAZone } from 'luxon';

const BUCKET_MS = 15 * 60_000;
const MAX_CACHED = 200_000;

/**
 * Local calendar day of an instant in a zone, cached per 15-minute bucket: every zone offset in use
 * is a multiple of 15 minutes, so a bucket never straddles a local midnight, and luxon runs once
 * per bucket instead of once per hit. The same string object comes back for a day, so callers can
 * compare days by reference.
 */
export class DayKeys {
  private readonly buckets = new Map<number, string>();
  private readonly interned = new Map<string, string>();

  constructor(readonly zone: string) {}

  of(ms: number): string {
    const bucket = Math.floor(ms / BUCKET_MS);
    let key = this.buckets.get(bucket);
    if (key === undefined) {
      if (this.buckets.size >= MAX_CACHED) this.buckets.clear();
      const fresh = DateTime.fromMillis(bucket * BUCKET_MS, { zone: this.zone }).toISODate() ?? '';
      key = this.interned.get(fresh);
      if (key === undefined) {
        key = fresh;
        this.interned.set(key, key);
      }
      this.buckets.set(bucket, key);
    }
    return key;
  }

  /** Today in the zone. */
  today(nowMs: number): string {
    return DateTime.fromMillis(nowMs, { zone: this.zone }).toISODate() ?? '';
  }
}

export function isValidZone(zone: string): boolean {
  return IANAZone.isValidZone(zone) || zone === 'UTC';
}
