import type { RunSummary, TimeseriesRow } from './summary.js';

/**
 * `--summary-json`: the summary with a trailing newline; pretty in a file, one line on stdout
 * (`oneLine`), so a log collector (`kubectl logs`) keeps it whole and `report` can find it there.
 */
export function renderSummaryJson(summary: RunSummary, oneLine = false): string {
  return (oneLine ? JSON.stringify(summary) : JSON.stringify(summary, null, 2)) + '\n';
}

/** One `--timeseries` line (NDJSON). */
export function renderTimeseriesLine(row: TimeseriesRow): string {
  return JSON.stringify(row) + '\n';
}
