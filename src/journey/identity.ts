import { derive, hex, pick, weighted, type Rng } from '../random/rng.js';
import type { Catalogues } from './catalogues.js';
import { devices, type DeviceClass, type DeviceEntry } from './data/devices.js';
import { countryZones } from './data/zones.js';
import { randomAddress } from './ip.js';
import type { JourneySettings } from './settings.js';
import type { Visitor } from './visit.js';

export interface Identity {
  visitor: Visitor;
  device: DeviceClass;
  country?: string;
}

/** A device by weight, with one of its screen resolutions. */
export function pickDevice(rng: Rng): { device: DeviceEntry; resolution: string } {
  const device = weighted(rng, devices, (d) => d.weight);
  return { device, resolution: pick(rng, device.resolutions) };
}

/** A representative zone of the country, weighted by population; undefined for an unknown code. */
export function countryZone(rng: Rng, code: string): string | undefined {
  const zones = countryZones[code];
  return zones ? weighted(rng, zones, (z) => z[1])[0] : undefined;
}

/**
 * A realistic visitor: device and matching `res`, and when countries are randomized a country with
 * an address inside it, its language and a time zone of the country (the visitor's own clock for
 * h/m/s). Draws in a fixed order so an identity is the same whatever the geo mode.
 */
export function drawIdentity(rng: Rng, settings: JourneySettings, catalogues: Catalogues): Identity {
  const id = hex(rng, 16);
  const { device, resolution } = pickDevice(rng);
  const visitor: Visitor = { id, userAgent: device.ua, resolution };
  if (!settings.countries.randomize) return { visitor, device: device.type };
  const country = weighted(rng, catalogues.countries, (c) => c.weight);
  const ip = randomAddress(rng, pick(rng, country.cidrs));
  const zone = countryZone(rng, country.code);
  visitor.lang = country.lang;
  if (zone !== undefined) visitor.timezone = zone;
  const geo = settings.countries.geo;
  if (geo === 'ip' || geo === 'both') visitor.ip = ip;
  if (geo === 'country' || geo === 'both') visitor.country = country.code;
  return { visitor, device: device.type, country: country.code };
}

/**
 * Identity `n` of the returning-visitor pool: derived from the seed and n only (never from other
 * visits, days or plans), so a visitor is the same on every day of every backfill window. A share
 * of identities has an account and sends a stable `uid` when it comes back.
 */
export function poolIdentity(seed: string | number, n: number, settings: JourneySettings, catalogues: Catalogues, loggedInShare: number): Identity {
  const rng = derive(seed, 'identity', n);
  const account = rng.next();
  const uidRng = hex(rng, 10);
  const identity = drawIdentity(rng, settings, catalogues);
  if (account < loggedInShare) identity.visitor.uid = `u-${uidRng}`;
  return identity;
}

/** Device class of a classic visit's user agent (the predecessor's four). */
export function classicDevice(userAgent: string): DeviceClass {
  if (/iPad|Tablet/.test(userAgent)) return 'tablet';
  return /Mobile|iPhone|Android/.test(userAgent) ? 'mobile' : 'desktop';
}


