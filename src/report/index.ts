/** Run metrics and their renderers (pure). */
export { RunMetrics, type CloseInfo, type MetricsSnapshot } from './metrics.js';
export { renderSummaryText, formatDuration } from './text.js';
export { renderSummaryJson, renderTimeseriesLine } from './json.js';
export { renderLiveLine, type LiveSnapshot } from './live-line.js';
export { evaluateThresholds, thresholdsFailed, withThresholds, type Thresholds } from './thresholds.js';
export * from './summary.js';
