import { configFields, type Field } from './fields.js';

/**
 * The README's configuration reference, generated from the schema (`npm run docs:config` writes
 * docs/readme/config-reference.md; a test fails when the committed file differs).
 */
export function renderReference(): string {
  const rows = configFields().map(row);
  return [
    '<!-- Generated from src/config/schema.ts by `npm run docs:config`. Do not edit by hand. -->',
    '',
    '| setting (YAML key) | flag | environment | default | range | description |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

function row(field: Field): string {
  const cells = [
    `\`${field.key}\``,
    field.meta.flag ? `\`--${field.meta.flag}\`` : '(file only)',
    field.meta.env ? `\`${field.meta.env}\`` : '',
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
