// The journey model's public surface: what the commands, the config rules and the engine call.
export { buildVisit, type BuildVisitInput, type VisitScope } from './journey.js';
export { loadCatalogues, builtinPages, parseUrlFile, originOf, type Catalogues, type CatalogueOptions, type Page } from './catalogues.js';
export { parseFunnelFile, funnelOrder, FunnelFileError, type Funnel, type FunnelStep } from './funnel.js';
export { MAX_GAP_MS, MATOMO_VISIT_TIMEOUT_MS, forcedGapMs, timelineFeasible, timelineProblem } from './timeline.js';
export { ecommerceProblem, orderId, formatAmount } from './order.js';
export type { JourneySettings, Range } from './settings.js';
export type { Visit, PlannedHit, Visitor, HitType } from './visit.js';
