// Chart.js's UMD build as text, inlined into every HTML report (esbuild and vitest resolve
// `inline:chart.js` to node_modules/chart.js/dist/chart.umd.min.js; see scripts/lib/bundle.mjs).
import chartJs from 'inline:chart.js';

export const CHART_LIBRARY: string = chartJs;
