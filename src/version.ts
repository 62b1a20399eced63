declare const __TRAFFICINATOR_VERSION__: string | undefined;

/** Injected by the bundler from package.json; the fallback only shows when running from source. */
export const VERSION: string =
  typeof __TRAFFICINATOR_VERSION__ === 'string' ? __TRAFFICINATOR_VERSION__ : '0.0.0-dev';
