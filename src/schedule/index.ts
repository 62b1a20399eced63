/** Pure arrival maths for `run`: rate shapes, pacers, units, daily cap and Little's law. */
export { constantShape, stagesShape, type RateShape, type Stage } from './rate-shape.js';
export { pace, type Pace } from './pacer.js';
export {
  hitPacer,
  maxPacer,
  visitPacer,
  type ArrivalPacer,
  type MaxPacer,
  type Pacer,
  type Spacing,
} from './arrivals.js';
export { inUnit, perSecond, visitsPerDay, type RateUnit } from './units.js';
export { DailyCap, localDay, nextLocalMidnight } from './daily-cap.js';
export { expectedVisitMs, meanHits, neededConcurrency, type VisitLength } from './littles-law.js';
