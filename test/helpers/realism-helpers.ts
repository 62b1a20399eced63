import type { JourneySettings, RealismSettings } from '../../src/journey/settings.js';
import { mediumSettings } from './journey-helpers.js';

/** The built-in presets' realism section, written out here (not read from the config code). */
export function realism(overrides: Partial<RealismSettings> = {}): RealismSettings {
  return {
    personas: { casual: 0.45, researcher: 0.25, buyer: 0.15, returning: 0.15, classic: 0 },
    bounceRate: 0.35,
    returningShare: 0.3,
    visitorPool: 5000,
    loggedInShare: 0.25,
    campaignShare: 0.12,
    abandonedCartRate: 0.7,
    discountShare: 0.2,
    pageTimings: true,
    ...overrides,
  };
}

/** The medium preset with realism on. */
export function realSettings(overrides: Partial<RealismSettings> = {}, base: Partial<JourneySettings> = {}): JourneySettings {
  return mediumSettings({ ...base, realism: realism(overrides) });
}
