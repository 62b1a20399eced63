import type { Command } from 'commander';
import { parseDuration } from '../sink/options.js';
import { UsageError } from '../errors.js';
import { CAPACITY_DEFAULTS } from '../capacity/defaults.js';

export interface CapacityFlags {
  unit: 'hits' | 'visits';
  start: number;
  factor: number;
  increment?: number;
  stepMs: number;
  resolution: number;
  maxRate: number;
  maxSteps: number;
  yes: boolean;
  quiet: boolean;
  summaryJson?: string;
  html?: string;
  preflight: boolean;
  requestTimeoutMs: number;
}

interface Raw {
  unit: string;
  start?: string;
  factor: string;
  increment?: string;
  step: string;
  resolution: string;
  maxRate?: string;
  maxSteps: string;
  yes?: boolean;
  quiet?: boolean;
  summaryJson?: string;
  html?: string;
  preflight?: boolean;
  requestTimeout: string;
}

/** The capacity flags, each checked with a one-line error naming it. */
export function capacityFlags(cmd: Command): CapacityFlags {
  const raw = cmd.opts<Raw>();
  if (raw.unit !== 'hits' && raw.unit !== 'visits') throw new UsageError(`--unit ${raw.unit} is not allowed: use hits (hits/s) or visits (visits/day)`);
  const unit = raw.unit;
  const d = CAPACITY_DEFAULTS;
  const flags: CapacityFlags = {
    unit,
    start: positive('--start', raw.start ?? String(unit === 'hits' ? d.startHits : d.startVisits)),
    factor: positive('--factor', raw.factor),
    stepMs: parseDuration('--step', raw.step),
    resolution: fraction('--resolution', raw.resolution),
    maxRate: positive('--max-rate', raw.maxRate ?? String(unit === 'hits' ? d.maxRateHits : d.maxRateVisits)),
    maxSteps: positive('--max-steps', raw.maxSteps),
    yes: raw.yes === true,
    quiet: raw.quiet === true,
    preflight: raw.preflight !== false,
    requestTimeoutMs: parseDuration('--request-timeout', raw.requestTimeout),
  };
  if (!Number.isInteger(flags.maxSteps)) throw new UsageError(`--max-steps ${raw.maxSteps} is not a whole number`);
  if (raw.increment !== undefined) flags.increment = positive('--increment', raw.increment);
  else if (flags.factor <= 1) throw new UsageError(`--factor ${raw.factor} must be above 1 (e.g. 1.5 or 2), or use --increment`);
  if (flags.start > flags.maxRate) throw new UsageError(`--start ${flags.start} is above --max-rate ${flags.maxRate}`);
  if (raw.html !== undefined) flags.html = raw.html;
  if (raw.summaryJson !== undefined) {
    if (raw.summaryJson.trim() === '') throw new UsageError('--summary-json needs a file name');
    flags.summaryJson = raw.summaryJson;
  }
  return flags;
}

function positive(flag: string, text: string): number {
  const value = Number(text.replace(/_/g, ''));
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0) throw new UsageError(`${flag} ${text} is not a positive number`);
  return value;
}

/** `0.1` or `10%`. */
function fraction(flag: string, text: string): number {
  const percent = text.trim().endsWith('%');
  const value = Number(percent ? text.trim().slice(0, -1) : text);
  const f = percent ? value / 100 : value;
  if (!Number.isFinite(f) || f <= 0 || f >= 1) throw new UsageError(`${flag} ${text} is not a fraction between 0 and 1 (e.g. 0.1 or 10%)`);
  return f;
}
