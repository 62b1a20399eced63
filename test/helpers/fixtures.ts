import { readFileSync } from 'node:fs';

/** Real Matomo 5.0.2 answers, copied from shared/fixtures so a clean clone tests on its own. */
const dir = new URL('../fixtures/matomo-5.0.2/', import.meta.url);

export interface RecordedAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function matomoFixture(name: string): RecordedAnswer {
  const head = readFileSync(new URL(`${name}.headers`, dir), 'utf8').split(/\r?\n/);
  const status = Number(/^HTTP\/\d(?:\.\d)? (\d+)/.exec(head[0] ?? '')?.[1]);
  const headers: Record<string, string> = {};
  for (const line of head.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status, headers, body: readFileSync(new URL(`${name}.body`, dir), 'utf8') };
}
