import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { devices, matomoDeviceType } from '../../../../src/journey/data/devices.js';
import { userAgents as classicUserAgents } from '../../../../src/journey/data/predecessor.js';
import { classicDevice } from '../../../../src/journey/identity.js';
import { detectDevice } from '../../../../src/sink/detector.js';

/**
 * Every catalogue user agent against what a real Matomo 5.0.2 reported for it in its Live API
 * (test/fixtures/matomo-5.0.2/live-devices.json, scripts/record-matomo-realism.mjs).
 */
interface Seen {
  ua: string;
  deviceType: string;
  operatingSystemName: string;
  browserName: string;
}
const fixture = JSON.parse(readFileSync(new URL('../../../fixtures/matomo-5.0.2/live-devices.json', import.meta.url), 'utf8')) as { devices: Seen[] };
const seen = new Map(fixture.devices.map((d) => [d.ua, d]));

/** The port follows a newer DeviceDetector: it names iPad systems iPadOS, Matomo 5.0.2's says iOS. */
const OS_AS_MATOMO_5_0_2: Record<string, string> = { iPadOS: 'iOS' };
const DETECTOR_TYPE: Record<string, string> = { desktop: 'Desktop', smartphone: 'Smartphone', tablet: 'Tablet' };

describe('device catalogue as Matomo 5.0.2 reads it', () => {
  it.each(devices.map((d) => ({ ...d, label: `${d.type} ${d.os} ${d.browser}` })))('$label: $ua', (entry) => {
    const matomo = seen.get(entry.ua);
    expect(matomo, 'not in the fixture: re-record with scripts/record-matomo-realism.mjs').toBeDefined();
    expect({ deviceType: matomoDeviceType[entry.type], operatingSystemName: entry.os, browserName: entry.browser }).toEqual({
      deviceType: matomo!.deviceType,
      operatingSystemName: matomo!.operatingSystemName,
      browserName: matomo!.browserName,
    });
  });

  it.each(classicUserAgents.map((ua) => ({ ua })))('classic user agent keeps its device class: $ua', ({ ua }) => {
    expect(matomoDeviceType[classicDevice(ua)]).toBe(seen.get(ua)?.deviceType);
  });

  it('has each class Matomo reports, so device-type counts are exact per hit', () => {
    expect(new Set(devices.map((d) => matomoDeviceType[d.type]))).toEqual(new Set(['Desktop', 'Smartphone', 'Tablet']));
  });
});

describe('the detector library agrees with Matomo on the catalogue', () => {
  it.each(fixture.devices)('$deviceType $operatingSystemName $browserName: $ua', (matomo) => {
    const found = detectDevice(matomo.ua);
    expect({
      deviceType: DETECTOR_TYPE[found.type] ?? found.type,
      operatingSystemName: OS_AS_MATOMO_5_0_2[found.os] ?? found.os,
      browserName: found.browser,
    }).toEqual({ deviceType: matomo.deviceType, operatingSystemName: matomo.operatingSystemName, browserName: matomo.browserName });
  });
});
