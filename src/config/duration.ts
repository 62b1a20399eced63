/**
 * Durations as users write them: `1500ms`, `90s`, `10m`, `2h` (a unit is required: a bare number
 * would be ambiguous between seconds and milliseconds). Fractions are allowed: `1.5h`.
 */
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(text);
  if (!match) return undefined;
  const ms = Number(match[1]) * (UNITS[match[2] as string] as number);
  return Number.isFinite(ms) ? Math.round(ms) : undefined;
}

/** The shortest exact spelling of a duration in ms: 90000 -> `90s`, 7200000 -> `2h`. */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const size = UNITS[unit] as number;
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
