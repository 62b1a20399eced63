declare const __TRAFFICINATOR_VERSION__: string | undefined;

/** Injected by the bundler from package.json; the fallback only shows when running from source. */
export const VERSION: string =
  typeof __TRAFFICINATOR_VERSION__ === 'string' ? __TRAFFICINATOR_VERSION__ : '0.0.0-dev';

declare const __TRAFFICINATOR_COMMIT__: string | undefined;
declare const __TRAFFICINATOR_BUILD_DATE__: string | undefined;

/** The git commit built (12 hex digits, `-dirty` with uncommitted changes); `unknown` from source. */
export const COMMIT: string = typeof __TRAFFICINATOR_COMMIT__ === 'string' ? __TRAFFICINATOR_COMMIT__ : 'unknown';
/** The UTC day of the build (YYYY-MM-DD). */
export const BUILD_DATE: string = typeof __TRAFFICINATOR_BUILD_DATE__ === 'string' ? __TRAFFICINATOR_BUILD_DATE__ : 'unknown';
