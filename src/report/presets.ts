import type { Config } from '../config/schema.js';
import { formatDuration } from './text.js';
import { yamlLayer } from '../config/yaml-layer.js';
import { BUILT_IN_PRESETS, presetSummary } from '../config/presets.js';
import { resolveConfig } from '../config/resolve.js';
import { ExitCode, TrafficError } from '../errors.js';

/** A table of the built-in presets, read from the preset files themselves. */
export function renderPresets(): string {
  const header = ['preset', 'visits/day', 'concurrency', 'pageviews', 'pause s', 'visit min', 'countries', 'ecommerce', 'stops'];
  const rows = [header];
  const notes: string[] = [];
  for (const [name, text] of Object.entries(BUILT_IN_PRESETS)) {
    const { layer } = yamlLayer(text, { kind: 'preset', label: `preset ${name}`, file: `${name}.yaml` });
    const config = layer ? resolveConfig([layer], { now: 0 }).config : undefined;
    if (!config) throw new TrafficError(`built-in preset ${name} does not parse`, ExitCode.internal);
    rows.push([
      name,
      config.visitsPerDay.toLocaleString('en-US'),
      String(config.concurrency),
      `${config.pageviews.min}-${config.pageviews.max}`,
      `${config.pauseSeconds.min}-${config.pauseSeconds.max}`,
      `${config.visitDurationMinutes.min}-${config.visitDurationMinutes.max}`,
      config.countries.randomize ? 'random' : 'local',
      `${Math.round(config.probabilities.ecommerce * 100)} %`,
      stops(config),
    ]);
    notes.push(`  ${name}: ${presetSummary(text)}`);
  }
  const widths = header.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const lines = rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));
  const footer =
    'stops: the stop conditions (duration, maxTotalVisits, autoStopAfterHours) are one group: setting any of them\n' +
    '(e.g. --duration 2m) replaces all of the preset\'s.';
  return `${lines.join('\n')}\n\n${notes.join('\n')}\n\n${footer}\nUse one with --preset NAME; "trafficinator config --preset NAME" shows every setting.\n`;
}

/** Every stop condition of a preset, first reached wins ("none": the run needs --duration or --max-visits). */
function stops(config: Config): string {
  const parts: string[] = [];
  if (config.maxTotalVisits > 0) parts.push(`${config.maxTotalVisits} visits`);
  if (config.run.durationMs !== undefined) parts.push(formatDuration(config.run.durationMs));
  if (config.autoStopAfterHours > 0) parts.push(`${config.autoStopAfterHours} h`);
  return parts.length > 0 ? parts.join(' or ') : 'none';
}
