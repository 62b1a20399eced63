import type { Command } from 'commander';
import { stringify } from 'yaml';
import { configFields } from '../../config/fields.js';
import { getPath, setPath } from '../../config/layers.js';
import { loadConfig } from '../../config/load.js';
import { redactConfig } from '../../config/redact.js';
import { ExitCode } from '../../errors.js';
import { systemClock } from '../../time/clock.js';
import { environmentNotice, flagsLayerFromCommand, formatIssue } from '../config-options.js';
import type { Io } from '../../io.js';

/**
 * Prints the merged configuration in the form users write (so the output works as --config), with
 * defaults filled in and tokens redacted; --explain adds each value's source.
 */
export async function runConfig(io: Io, cmd: Command): Promise<number> {
  const explain = Boolean(cmd.opts<{ explain?: boolean }>().explain);
  const resolved = await loadConfig(io, flagsLayerFromCommand(cmd), { now: systemClock.now() });
  const envLine = environmentNotice(resolved);
  if (envLine) io.stderr.write(envLine);
  for (const w of resolved.warnings) io.stderr.write(`warning: ${formatIssue(w)}\n`);
  // Showing a configuration needs no target: that error belongs to the commands that send.
  const errors = resolved.errors.filter((e) => !(e.path === 'url' && e.message === 'no Matomo target'));
  for (const e of errors) io.stderr.write(`error: ${formatIssue(e)}\n`);
  const input = redactConfig(resolved.input ?? {});
  const effective: Record<string, unknown> = {};
  const lines: Array<[string, string, string]> = [];
  for (const field of configFields()) {
    const given = getPath(input, field.path);
    const value = given ?? field.default;
    if (value === undefined) continue;
    setPath(effective, field.path, value);
    lines.push([field.key, JSON.stringify(value), resolved.sources[field.key] ?? 'default']);
  }
  if (explain && getPath(input, ['workers']) === undefined) {
    // Not a value to write into a file (it is this machine's), but what a backfill here would use;
    // a live run uses one thread unless asked (run.md: threads pay off only on idle cores).
    const { machineDefaultWorkers } = await import('../../workers/count.js');
    lines.push(['workers', String(machineDefaultWorkers()), 'default (backfill: the cores available here; run: 1)']);
  }
  if (explain) {
    const wk = Math.max(...lines.map((l) => l[0].length));
    const wv = Math.max(...lines.map((l) => l[1].length));
    for (const [key, value, source] of lines) io.stdout.write(`${key.padEnd(wk)}  ${value.padEnd(wv)}  ${source}\n`);
  } else {
    io.stdout.write(stringify(effective));
  }
  return errors.length > 0 ? ExitCode.usage : ExitCode.ok;
}
