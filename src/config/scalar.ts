import type { FieldKind } from './schema.js';
import { parseThresholdFlags } from './threshold-syntax.js';

/**
 * Text from an environment variable or a flag, turned into what a YAML file would hold for the
 * same setting; the schema then checks it like any other layer.
 */
export type Scalar = { ok: true; value: unknown } | { ok: false; message: string };

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

function number(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : undefined;
}

export function parseScalar(kind: FieldKind, text: string): Scalar {
  const trimmed = text.trim();
  switch (kind) {
    case 'int':
    case 'number': {
      const n = number(trimmed);
      return n === undefined ? { ok: false, message: `"${text}" is not a number` } : { ok: true, value: n };
    }
    case 'bool': {
      const lower = trimmed.toLowerCase();
      if (TRUE.has(lower)) return { ok: true, value: true };
      if (FALSE.has(lower)) return { ok: true, value: false };
      return { ok: false, message: `"${text}" is not a boolean (true or false)` };
    }
    case 'numbers': {
      const parts = trimmed.split(',').map((p) => p.trim()).filter((p) => p !== '');
      const values = parts.map(number);
      if (parts.length === 0 || values.some((v) => v === undefined)) {
        return { ok: false, message: `"${text}" is not a comma-separated list of numbers` };
      }
      return { ok: true, value: values };
    }
    case 'site-ids':
    case 'seed': {
      // A plain integer stays a number (seed 42 and seed "42" would otherwise differ).
      return /^\d+$/.test(trimmed) ? { ok: true, value: Number(trimmed) } : { ok: true, value: trimmed };
    }
    case 'rps':
      if (trimmed === 'max') return { ok: true, value: 'max' };
      return parseScalar('number', trimmed);
    case 'enum':
      return { ok: true, value: trimmed.toLowerCase() === 'warning' ? 'warn' : trimmed.toLowerCase() };
    case 'stages':
      return parseStages(trimmed);
    case 'thresholds':
      // Only the form is read here: the schema checks each metric and expression.
      return parseThresholdFlags(text);
    case 'targets':
      return { ok: false, message: 'targets can only be given in a configuration file' };
    default:
      return { ok: true, value: trimmed };
  }
}

/** `2m:10,5m:50` -> [{ duration: '2m', target: 10 }, ...]. */
function parseStages(text: string): Scalar {
  const stages: Array<{ duration: string; target: number }> = [];
  for (const part of text.split(',')) {
    const [duration, target] = part.split(':').map((s) => s.trim());
    const n = target === undefined ? undefined : number(target);
    if (!duration || n === undefined) {
      return { ok: false, message: `"${part}" is not a stage (write DURATION:TARGET, e.g. 2m:10,5m:50)` };
    }
    stages.push({ duration, target: n });
  }
  return { ok: true, value: stages };
}
