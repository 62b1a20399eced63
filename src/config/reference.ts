import { prefixedName } from './env.js';
import { configFields, type Field } from './fields.js';

/**
 * The configuration reference page, generated from the schema (`npm run docs` writes
 * docs/reference/config.md; a test fails when the committed file differs).
 */
export function renderReference(): string {
  const rows = configFields().map(row);
  return [
    '<!-- Generated from src/config/schema.ts by `npm run docs`. Do not edit by hand. -->',
    '',
    '# Configuration reference',
    '',
    'Every setting, with its YAML key (camelCase, nested as the dots show), its flag, its environment',
    'names, its default and its range. How the sources combine, and a sample file:',
    '[configuration.md](../configuration.md). Boolean flags also have a `--no-` form. Of the two',
    'environment names, the `TRAFFICINATOR_` one wins over the Python Trafficinator\'s name for the same',
    'setting. A setting marked *(file only)* is set in a YAML file.',
    '',
    '| setting (YAML key) | flag | environment | default | range | description |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

/** The TRAFFICINATOR_ name (settings with a flag or an old name: scalars), then the old name. */
function envNames(field: Field): string {
  const names = field.meta.flag || field.meta.env ? [prefixedName(field.key)] : [];
  if (field.meta.env) names.push(field.meta.env);
  return names.map((n) => `\`${n}\``).join(', ');
}

function row(field: Field): string {
  const cells = [
    `\`${field.key}\``,
    field.meta.flag ? `\`--${field.meta.flag}\`` : '(file only)',
    envNames(field),
    formatDefault(field),
    formatRange(field),
    field.meta.description + (field.meta.unit ? ` (${field.meta.unit})` : ''),
  ];
  return `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
}

function formatDefault(field: Field): string {
  if (field.default === undefined) return '';
  if (Array.isArray(field.default)) return field.default.join(',');
  return `\`${String(field.default)}\``;
}

function formatNumber(n: number): string {
  return Math.abs(n) >= 1e6 && Number.isInteger(Math.log10(n)) ? `10^${Math.log10(n)}` : String(n);
}

function formatRange(field: Field): string {
  if (field.values) return field.values.join(', ');
  switch (field.meta.kind) {
    case 'bool':
      return 'true, false';
    case 'duration':
      return 'e.g. 1500ms, 90s, 10m, 2h';
    case 'date':
      return 'YYYY-MM-DD';
    case 'site-ids':
      return '>= 1, or a range FROM-TO';
    case 'stages':
      return 'DURATION:TARGET,...';
    case 'rps':
      return `> 0 – ${formatNumber(field.max ?? 0)}, or max`;
    default:
      break;
  }
  const big = (n: number | undefined) => n !== undefined && n < Number.MAX_SAFE_INTEGER;
  if (big(field.min) && big(field.max)) return `${formatNumber(field.min!)} – ${formatNumber(field.max!)}`;
  if (big(field.min)) return `>= ${formatNumber(field.min!)}`;
  if (field.key === 'ecommerce.currency') return 'three uppercase letters';
  if (field.key === 'timezone') return 'IANA zone';
  if (field.key === 'url') return 'http(s) URL with a host';
  return '';
}
