import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { Io } from '../io.js';

/**
 * Where --html goes: a file (checked writable before anything is sent), or stdout for `-`.
 * Returns a writer for the finished page.
 */
export async function htmlTarget(io: Io, path: string): Promise<(html: string) => Promise<void>> {
  if (path.trim() === '') throw new UsageError('--html needs a file name, or - for stdout');
  if (path === '-') {
    return async (html) => {
      io.stdout.write(html);
      await io.stdout.drain?.();
    };
  }
  const file = resolve(io.cwd, path);
  try {
    await writeFile(file, '', { flag: 'a' });
  } catch (error) {
    throw new UsageError(`--html ${path}: cannot write the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  return (html) => writeFile(file, html);
}

/** When a report page says it was written: minutes, UTC. */
export function reportTime(): string {
  return new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}
