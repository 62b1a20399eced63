import type { Rng } from '../random/rng.js';
import type { DeviceClass } from './data/devices.js';
import type { Params } from './draft.js';

/**
 * Page performance timings as Matomo's JavaScript tracker sends them (integers, ms): network
 * (DNS + connect, near 0 on a kept-alive connection after the landing page), server, transfer,
 * DOM processing, DOM completion and onload. Each is log-uniform with a triangular exponent, so
 * most pages are fast and a tail is slow; mobile and tablet devices render more slowly.
 */
function skewed(rng: Rng, lo: number, hi: number): number {
  const u = (rng.next() + rng.next()) / 2;
  return Math.round(lo * (hi / lo) ** u);
}

const renderFactor: Record<DeviceClass, number> = { desktop: 1, tablet: 1.4, mobile: 1.7 };

export function pageTimings(rng: Rng, device: DeviceClass, landing: boolean): Params {
  const slow = renderFactor[device];
  return [
    ['pf_net', String(landing ? skewed(rng, 15, 400) : skewed(rng, 1, 25) - 1)],
    ['pf_srv', String(skewed(rng, 30, 900))],
    ['pf_tfr', String(skewed(rng, 4, 250))],
    ['pf_dm1', String(Math.round(skewed(rng, 120, 1800) * slow))],
    ['pf_dm2', String(Math.round(skewed(rng, 40, 900) * slow))],
    ['pf_onl', String(skewed(rng, 1, 80) - 1)],
  ];
}
