import type { BuildResult } from 'esbuild';

export const projectRoot: string;
export const entryPoint: string;
/** The packages carried as compressed source text and compiled on their first require. */
export const DEFERRED_PACKAGES: string[];
/** The members of zod's `z` that the deferred zod carries (and src/ may use). */
export const ZOD_EXPORTS: string[];
/** The script a deferred package is compiled as (its code cache is made of the same text). */
export function wrapDeferred(source: string): string;
export function bundleCli(options?: {
  outfile?: string;
  sea?: boolean;
  write?: boolean;
  metafile?: boolean;
  /** Another entry point (relative to the project root), for tests of the bundling itself. */
  entry?: string;
  /** Called with each deferred package's name (`deferred:<package>`) and script. */
  onDeferred?: (name: string, script: string) => void;
  /** Read each deferred package's script from the single executable's assets instead of the bundle. */
  deferredAssets?: boolean;
  /** dist/cli.cjs: the bundle carried behind a launcher that answers `--version` alone. */
  launcher?: boolean;
}): Promise<BuildResult<{ metafile: true; write: boolean }>>;
