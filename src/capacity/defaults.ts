/** capacity's defaults, apart so that --help reads them without loading the flag parsing. */
export const CAPACITY_DEFAULTS = {
  startHits: 10,
  startVisits: 100_000,
  factor: 2,
  step: '30s',
  resolution: '10%',
  maxRateHits: 100_000,
  maxRateVisits: 1_000_000_000,
  maxSteps: 20,
  maxErrorRate: 0.01,
  maxP99Ms: 1000,
  minRateRatio: 0.95,
} as const;
