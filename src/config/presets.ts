import extreme from '../../presets/extreme.yaml';
import heavy from '../../presets/heavy.yaml';
import light from '../../presets/light.yaml';
import medium from '../../presets/medium.yaml';
import smoke from '../../presets/smoke.yaml';

/** The built-in presets, bundled into the program (the single executable has no files beside it). */
export const BUILT_IN_PRESETS: Readonly<Record<string, string>> = { light, medium, heavy, extreme, smoke };

export const PRESET_NAMES = Object.keys(BUILT_IN_PRESETS);

/** The first comment line of a preset file: its one-line description. */
export function presetSummary(text: string): string {
  const first = text.split('\n').find((line) => line.startsWith('#'));
  return first ? first.replace(/^#\s*/, '') : '';
}
