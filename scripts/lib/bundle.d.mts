import type { BuildResult } from 'esbuild';

export const projectRoot: string;
export const entryPoint: string;
export function bundleCli(options?: {
  outfile?: string;
  sea?: boolean;
  write?: boolean;
  metafile?: boolean;
  /** Another entry point (relative to the project root), for tests of the bundling itself. */
  entry?: string;
}): Promise<BuildResult<{ metafile: true; write: boolean }>>;
