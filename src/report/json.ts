import type { RunSummary, TimeseriesRow } from './summary.js';

/** `--summary-json`: the summary as pretty JSON with a trailing newline. */
export function renderSummaryJson(summary: RunSummary): string {
  return JSON.stringify(summary, null, 2) + '\n';
}

/** One `--timeseries` line (NDJSON). */
export function renderTimeseriesLine(row: TimeseriesRow): string {
  return JSON.stringify(row) + '\n';
}
