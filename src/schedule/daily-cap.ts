import { DateTime } from 'luxon';

/** The local calendar day of an instant in an IANA zone, as YYYY-MM-DD. */
export function localDay(epochMs: number, zone: string): string {
  return DateTime.fromMillis(epochMs, { zone }).toISODate() ?? '';
}

/** Epoch ms of the next local midnight after `epochMs` in `zone` (DST-aware). */
export function nextLocalMidnight(epochMs: number, zone: string): number {
  const local = DateTime.fromMillis(epochMs, { zone });
  if (!local.isValid) throw new RangeError(`unknown timezone: ${zone}`);
  return local.startOf('day').plus({ days: 1 }).toMillis();
}

/**
 * Counts visits per local day and says when the cap is reached: `admit(now)` is true while the
 * day still has room. Pure bookkeeping; the engine sleeps until `resumeAt` when it is not.
 */
export class DailyCap {
  private day = '';
  private count = 0;

  constructor(
    readonly cap: number,
    readonly zone: string,
  ) {
    if (!(cap >= 0)) throw new RangeError('daily cap must be >= 0');
  }

  /** True when a visit may start at `epochMs`; counts it. */
  admit(epochMs: number): boolean {
    const day = localDay(epochMs, this.zone);
    if (day !== this.day) {
      this.day = day;
      this.count = 0;
    }
    if (this.count >= this.cap) return false;
    this.count += 1;
    return true;
  }

  /** When the cap resets: the next local midnight after `epochMs`. */
  resumeAt(epochMs: number): number {
    return nextLocalMidnight(epochMs, this.zone);
  }

  /** Visits counted on the current local day. */
  get today(): number {
    return this.count;
  }
}
