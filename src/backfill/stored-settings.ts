import type { Config } from '../config/schema.js';
import type { TargetPlan } from './plan.js';

/**
 * What `verify --state-dir DIR --plan KEY` needs besides the token, kept with the plan
 * (state/store.ts): the resolved configuration the backfill ran with, narrowed to the plan's
 * target, without any token (it comes from the environment, a file or a flag, as for the backfill).
 */
export const SETTINGS_FORMAT = 1;

export interface StoredSettings {
  format: number;
  /** The resolved configuration: one target, no tokenAuth. */
  config: Config;
}

/** The settings to keep with a plan of `config.targets[targetIndex]`. */
export function settingsToStore(config: Config, targetIndex: number): StoredSettings {
  const target = config.targets[targetIndex];
  if (!target) throw new RangeError(`no target ${targetIndex}`);
  const { tokenAuth: _secret, ...kept } = target;
  return { format: SETTINGS_FORMAT, config: { ...config, targets: [kept] } };
}

/**
 * The configuration verify runs with for a stored plan: the stored one, with this invocation's
 * token and state directory, and the plan's own window as absolute dates (a `--days-back` window
 * would move with today).
 */
export function configFromStored(stored: StoredSettings, plan: TargetPlan, o: { tokenAuth?: string; stateDir: string }): Config {
  const { config } = stored;
  const target = config.targets[0]!;
  const { daysBack: _d, durationDays: _n, ...backfill } = config.backfill;
  return {
    ...config,
    targets: [{ ...target, ...(o.tokenAuth ? { tokenAuth: o.tokenAuth } : {}) }],
    backfill: { ...backfill, from: plan.window.from, to: plan.window.to, stateDir: o.stateDir },
  };
}

/** Why a stored plan cannot drive verify alone, or undefined when it can. */
export function storedSettingsProblem(settings: unknown): string | undefined {
  if (settings === undefined) return 'was stored by an older trafficinator, without its settings';
  const s = settings as Partial<StoredSettings>;
  if (s.format !== SETTINGS_FORMAT || typeof s.config !== 'object' || s.config === null) return `holds settings of another format (${String(s.format)})`;
  return undefined;
}
