/** The live engine: what `run` wires together. */
export { startLive, type LiveOptions, type LiveRun, type LiveSnapshot } from './live.js';
export { hitOffsets, type PlannedVisit, type VisitSource } from './visit-source.js';
export { timeLimit, type StopConditions } from './stop.js';
