import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';

/**
 * The path of a program on PATH, or a clear failure: tests that need Debian's prometheus or
 * chromium must not be skipped when they are missing (CI installs them; see .ci/run).
 */
export function requireProgram(name: string, debianPackage: string): string {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  throw new Error(`${name} is not installed: apt-get install -y ${debianPackage}`);
}
