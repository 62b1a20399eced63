/**
 * Devices of the realism model: current desktop, mobile and tablet browsers (mid-2025 versions),
 * each with the screen resolutions (`res`, CSS pixels as the JavaScript tracker reports
 * `screen.width x screen.height`) its device class really has. Weights are percent of visits and
 * sum to 100: desktop 55, mobile 40, tablet 5, roughly the global mix of a content site
 * (StatCounter-like shares: Chrome dominant, Safari strong on iOS, Edge on Windows).
 *
 * Chrome, Edge and Opera send the frozen "reduced" user agent (OS version 10 / Android 10 "K",
 * minor versions 0.0.0), as those browsers really do. iPads run Safari with a desktop Mac user
 * agent by default, which Matomo reports as desktop; the tablets here are Android tablets and
 * iPads in Chrome (CriOS), which DeviceDetector recognises as tablets.
 *
 * `os` and `browser` are the names Matomo 5.0.2 reports for the user agent (its bundled
 * DeviceDetector 6.2.1), checked against a fixture recorded from a real Matomo's Live API
 * (test/fixtures/matomo-5.0.2/live-devices.json). An entry Matomo reads differently from what it
 * claims is replaced, never kept: the Galaxy Tab S9 (SM-X710) was a smartphone to Matomo, so the
 * Android tablet is the Tab S8 (SM-X700), a tablet to both Matomo and the detector library.
 */
export type DeviceClass = 'desktop' | 'mobile' | 'tablet';

export interface DeviceEntry {
  ua: string;
  type: DeviceClass;
  /** Percent of visits. */
  weight: number;
  /** Screen resolutions `WxH` this device reports. */
  resolutions: readonly string[];
  /** Operating system as Matomo names it (Live API `operatingSystemName`). */
  os: string;
  /** Browser as Matomo names it (Live API `browserName`). */
  browser: string;
}

/** Matomo's device type names (Live API `deviceType`) of the catalogue's classes. */
export const matomoDeviceType: Readonly<Record<DeviceClass, string>> = { desktop: 'Desktop', mobile: 'Smartphone', tablet: 'Tablet' };

const WIN_RES = ['1920x1080', '1366x768', '1536x864', '2560x1440', '1440x900', '1600x900'];
const MAC_RES = ['1440x900', '1512x982', '1728x1117', '2560x1440', '1920x1080', '1680x1050'];
const LINUX_RES = ['1920x1080', '2560x1440', '1366x768'];
const IPHONE_RES = ['390x844', '393x852', '430x932', '375x812', '414x896', '375x667'];
const ANDROID_RES = ['412x915', '360x800', '384x854', '412x892', '393x873', '360x780'];
const TABLET_RES = ['800x1280', '1280x800', '810x1080', '820x1180', '1024x1366', '768x1024'];

export const devices: readonly DeviceEntry[] = [
  // Desktop: 55 %
  { type: 'desktop', weight: 16, resolutions: WIN_RES, os: 'Windows', browser: 'Chrome', ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0.0.0 Safari/537.36' },
  { type: 'desktop', weight: 6, resolutions: WIN_RES, os: 'Windows', browser: 'Chrome', ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/137.0.0.0 Safari/537.36' },
  { type: 'desktop', weight: 6, resolutions: WIN_RES, os: 'Windows', browser: 'Microsoft Edge', ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0.0.0 Safari/537.36 Edg/138.0.0.0' },
  { type: 'desktop', weight: 2, resolutions: WIN_RES, os: 'Windows', browser: 'Microsoft Edge', ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/137.0.0.0 Safari/537.36 Edg/137.0.0.0' },
  { type: 'desktop', weight: 3, resolutions: WIN_RES, os: 'Windows', browser: 'Firefox', ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0' },
  { type: 'desktop', weight: 1, resolutions: WIN_RES, os: 'Windows', browser: 'Firefox', ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:139.0) Gecko/20100101 Firefox/139.0' },
  { type: 'desktop', weight: 1, resolutions: WIN_RES, os: 'Windows', browser: 'Opera', ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0.0.0 Safari/537.36 OPR/120.0.0.0' },
  { type: 'desktop', weight: 7, resolutions: MAC_RES, os: 'Mac', browser: 'Chrome', ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0.0.0 Safari/537.36' },
  { type: 'desktop', weight: 5, resolutions: MAC_RES, os: 'Mac', browser: 'Safari', ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Safari/605.1.15' },
  { type: 'desktop', weight: 2, resolutions: MAC_RES, os: 'Mac', browser: 'Safari', ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15' },
  { type: 'desktop', weight: 1, resolutions: MAC_RES, os: 'Mac', browser: 'Firefox', ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:140.0) Gecko/20100101 Firefox/140.0' },
  { type: 'desktop', weight: 1, resolutions: MAC_RES, os: 'Mac', browser: 'Microsoft Edge', ua: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0.0.0 Safari/537.36 Edg/138.0.0.0' },
  { type: 'desktop', weight: 2, resolutions: LINUX_RES, os: 'GNU/Linux', browser: 'Chrome', ua: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0.0.0 Safari/537.36' },
  { type: 'desktop', weight: 1, resolutions: LINUX_RES, os: 'Ubuntu', browser: 'Firefox', ua: 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0' },
  { type: 'desktop', weight: 1, resolutions: LINUX_RES, os: 'Chrome OS', browser: 'Chrome', ua: 'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0.0.0 Safari/537.36' },
  // Mobile: 40 %
  { type: 'mobile', weight: 9, resolutions: IPHONE_RES, os: 'iOS', browser: 'Mobile Safari', ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1' },
  { type: 'mobile', weight: 4, resolutions: IPHONE_RES, os: 'iOS', browser: 'Mobile Safari', ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.4 Mobile/15E148 Safari/604.1' },
  { type: 'mobile', weight: 2, resolutions: IPHONE_RES, os: 'iOS', browser: 'Mobile Safari', ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.7 Mobile/15E148 Safari/604.1' },
  { type: 'mobile', weight: 2, resolutions: IPHONE_RES, os: 'iOS', browser: 'Chrome Mobile iOS', ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/138.0.7204.119 Mobile/15E148 Safari/604.1' },
  { type: 'mobile', weight: 12, resolutions: ANDROID_RES, os: 'Android', browser: 'Chrome Mobile', ua: 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0.0.0 Mobile Safari/537.36' },
  { type: 'mobile', weight: 4, resolutions: ANDROID_RES, os: 'Android', browser: 'Chrome Mobile', ua: 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/137.0.0.0 Mobile Safari/537.36' },
  { type: 'mobile', weight: 3, resolutions: ANDROID_RES, os: 'Android', browser: 'Samsung Browser', ua: 'Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/28.0 Chrome/130.0.0.0 Mobile Safari/537.36' },
  { type: 'mobile', weight: 1, resolutions: ANDROID_RES, os: 'Android', browser: 'Samsung Browser', ua: 'Mozilla/5.0 (Linux; Android 13; SM-A536B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/27.0 Chrome/125.0.0.0 Mobile Safari/537.36' },
  { type: 'mobile', weight: 1, resolutions: ANDROID_RES, os: 'Android', browser: 'Firefox Mobile', ua: 'Mozilla/5.0 (Android 15; Mobile; rv:140.0) Gecko/140.0 Firefox/140.0' },
  { type: 'mobile', weight: 1, resolutions: ANDROID_RES, os: 'Android', browser: 'Microsoft Edge', ua: 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0.0.0 Mobile Safari/537.36 EdgA/138.0.0.0' },
  { type: 'mobile', weight: 1, resolutions: ANDROID_RES, os: 'Android', browser: 'Opera Mobile', ua: 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0.0.0 Mobile Safari/537.36 OPR/89.0.0.0' },
  // Tablet: 5 %
  { type: 'tablet', weight: 2, resolutions: TABLET_RES, os: 'Android', browser: 'Chrome', ua: 'Mozilla/5.0 (Linux; Android 14; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0.0.0 Safari/537.36' },
  { type: 'tablet', weight: 1, resolutions: TABLET_RES, os: 'iOS', browser: 'Chrome Mobile iOS', ua: 'Mozilla/5.0 (iPad; CPU OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/138.0.7204.119 Mobile/15E148 Safari/604.1' },
  { type: 'tablet', weight: 1, resolutions: TABLET_RES, os: 'Android', browser: 'Samsung Browser', ua: 'Mozilla/5.0 (Linux; Android 13; SM-X205) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/27.0 Chrome/125.0.0.0 Safari/537.36' },
  { type: 'tablet', weight: 0.5, resolutions: TABLET_RES, os: 'Android', browser: 'Chrome', ua: 'Mozilla/5.0 (Linux; Android 14; Lenovo TB350FU) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/137.0.0.0 Safari/537.36' },
  { type: 'tablet', weight: 0.5, resolutions: TABLET_RES, os: 'Android', browser: 'Firefox Mobile', ua: 'Mozilla/5.0 (Android 14; Tablet; rv:140.0) Gecko/140.0 Firefox/140.0' },
];
