import { build, type Histogram } from 'hdr-histogram-js';

/**
 * An HDR histogram of milliseconds, stored in microseconds (3 significant digits, resizing).
 * Recording is O(1); percentiles come from merged histograms, never from averaged percentiles.
 */
export class MsHistogram {
  private readonly hdr: Histogram;

  constructor() {
    this.hdr = build({
      bitBucketSize: 32,
      autoResize: true,
      lowestDiscernibleValue: 1,
      highestTrackableValue: 60_000_000,
      numberOfSignificantValueDigits: 3,
      useWebAssembly: false,
    });
  }

  record(ms: number): void {
    this.hdr.recordValue(ms > 0 ? Math.round(ms * 1000) : 0);
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
    return round3(Math.min(this.hdr.getValueAtPercentile(percentile), this.hdr.maxValue) / 1000);
  }

  get max(): number {
    return this.hdr.totalCount === 0 ? 0 : round3(this.hdr.maxValue / 1000);
  }

  get mean(): number {
    return this.hdr.totalCount === 0 ? 0 : round3(this.hdr.mean / 1000);
  }

  add(other: MsHistogram): void {
    this.hdr.add(other.hdr);
  }

  reset(): void {
    this.hdr.reset();
  }
}

export function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
