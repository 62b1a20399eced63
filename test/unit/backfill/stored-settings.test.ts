import { describe, expect, it } from 'vitest';
import { configFromStored, settingsToStore, storedSettingsProblem } from '../../../src/backfill/stored-settings.js';
import type { TargetPlan } from '../../../src/backfill/plan.js';
import type { Config } from '../../../src/config/schema.js';

const config = {
  seed: 7,
  targets: [
    { url: 'https://a.example/matomo.php', siteIds: { from: 1, to: 1 }, tokenAuth: 'secret-a', weight: 1 },
    { url: 'https://b.example/matomo.php', siteIds: { from: 2, to: 2 }, tokenAuth: 'secret-b', weight: 1 },
  ],
  backfill: { daysBack: 3, durationDays: 2, stateDir: 'old', maxVisitsPerDay: 50 },
} as unknown as Config;

describe('the settings kept with a plan', () => {
  it('keep the plan\'s target only, and no token', () => {
    const stored = settingsToStore(config, 1);
    expect(stored.config.targets).toEqual([{ url: 'https://b.example/matomo.php', siteIds: { from: 2, to: 2 }, weight: 1 }]);
    expect(JSON.stringify(stored)).not.toContain('secret');
    expect(storedSettingsProblem(stored)).toBeUndefined();
  });

  it('come back with this invocation\'s token and state directory, and the plan\'s window as dates', () => {
    const plan = { window: { from: '2026-01-05', to: '2026-01-06' } } as TargetPlan;
    const back = configFromStored(settingsToStore(config, 0), plan, { tokenAuth: 'new', stateDir: 'here' });
    expect(back.targets[0]!.tokenAuth).toBe('new');
    expect(back.backfill).toEqual({ from: '2026-01-05', to: '2026-01-06', stateDir: 'here', maxVisitsPerDay: 50 });
    expect(back.seed).toBe(7);
  });

  it('name what an older or foreign plan lacks', () => {
    expect(storedSettingsProblem(undefined)).toBe('was stored by an older trafficinator, without its settings');
    expect(storedSettingsProblem({ format: 9, config: {} })).toBe('holds settings of another format (9)');
  });
});
