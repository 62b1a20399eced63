import { yamlLayer } from '../../config/yaml-layer.js';
import { BUILT_IN_PRESETS, presetSummary } from '../../config/presets.js';
import { resolveConfig } from '../../config/resolve.js';
import { ExitCode, TrafficError } from '../../errors.js';

/** A table of the built-in presets, read from the preset files themselves. */
export function renderPresets(): string {
  const header = ['preset', 'visits/day', 'concurrency', 'pageviews', 'pause s', 'visit min', 'countries', 'ecommerce'];
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
    ]);
    notes.push(`  ${name}: ${presetSummary(text)}`);
  }
  const widths = header.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const lines = rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));
  return `${lines.join('\n')}\n\n${notes.join('\n')}\n\nUse one with --preset NAME; "trafficinator config --preset NAME" shows every setting.\n`;
}
