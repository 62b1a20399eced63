import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64, type Histogram } from 'hdr-histogram-js';

/**
 * An HDR histogram of milliseconds, stored in microseconds (3 significant digits, resizing).
 * Recording is O(1); percentiles come from merged histograms, never from averaged percentiles.
 */
export class MsHistogram {
  private readonly hdr: Histogram;
  /** The largest value recorded, exact (an encoded HDR histogram keeps only its bucket). */
  private maxUs = 0;

  constructor(hdr?: Histogram, maxUs = 0) {
    this.maxUs = maxUs;
    this.hdr = hdr ?? build({
      bitBucketSize: 32,
      autoResize: true,
      lowestDiscernibleValue: 1,
      highestTrackableValue: 60_000_000,
      numberOfSignificantValueDigits: 3,
      useWebAssembly: false,
    });
  }

  record(ms: number): void {
    const us = ms > 0 ? Math.round(ms * 1000) : 0;
    this.hdr.recordValue(us);
    if (us > this.maxUs) this.maxUs = us;
  }

  get count(): number {
    return this.hdr.totalCount;
  }

  /**
   * Value at percentile p (0-100) in ms, 3 decimals; 0 when empty. HDR answers with the highest
   * value equivalent to the bucket, which can lie above the largest value seen: clamp to it, so
   * a report never shows p99 above max.
   */
  at(percentile: number): number {
    if (this.hdr.totalCount === 0) return 0;
    return round3(Math.min(this.hdr.getValueAtPercentile(percentile), this.maxUs) / 1000);
  }

  get max(): number {
    return this.hdr.totalCount === 0 ? 0 : round3(this.maxUs / 1000);
  }

  get mean(): number {
    return this.hdr.totalCount === 0 ? 0 : round3(this.hdr.mean / 1000);
  }

  add(other: MsHistogram): void {
    this.hdr.add(other.hdr);
    if (other.maxUs > this.maxUs) this.maxUs = other.maxUs;
  }

  reset(): void {
    this.hdr.reset();
    this.maxUs = 0;
  }

  /**
   * The histogram in HdrHistogram's compressed base64 form (the V2 encoding every HdrHistogram
   * port reads): a summary carries it so summaries of shards merge exactly.
   */
  encode(): EncodedHistogram {
    return { maxMs: this.max, hdr: encodeIntoCompressedBase64(this.hdr) };
  }

  /** The other way; throws on text that is not an encoded histogram. */
  static decode(encoded: EncodedHistogram): MsHistogram {
    const hdr = decodeFromCompressedBase64(encoded.hdr, 32, false);
    hdr.autoResize = true;
    return new MsHistogram(hdr, Math.round(encoded.maxMs * 1000));
  }

  /** One histogram holding every value of all of them (HDR merges are exact). */
  static merged(histograms: Iterable<MsHistogram>): MsHistogram {
    const merged = new MsHistogram();
    for (const h of histograms) merged.add(h);
    return merged;
  }
}

/** A histogram in a summary: HDR's compressed base64 (microseconds) and the exact maximum. */
export interface EncodedHistogram {
  /** The largest value recorded, ms (HDR's own maximum is only its bucket's). */
  maxMs: number;
  /** HdrHistogram's compressed V2 encoding, base64, of values in microseconds. */
  hdr: string;
}

export function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
