import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import type { Range } from './settings.js';
import { MAX_GAP_MS } from './timeline.js';

/**
 * Funnels: scripted journeys read from a file (JSON as the predecessor wrote it, or YAML). The file
 * is validated whole; every problem names the file, the funnel, the step (numbered from 1) and what
 * is wrong, and an invalid file is an error, never silently skipped.
 */
export const stepTypes = ['pageview', 'event', 'site_search', 'outlink', 'download', 'ecommerce'] as const;

const maxDelaySeconds = MAX_GAP_MS / 1000;
const text = z.string().trim().min(1);
const amount = z.number().nonnegative();

const StepSchema = z
  .strictObject({
    type: z.enum(stepTypes),
    url: text.nullish(),
    action_name: text.nullish(),
    delay_seconds_min: z.number().min(0).max(maxDelaySeconds).nullish(),
    delay_seconds_max: z.number().min(0).max(maxDelaySeconds).nullish(),
    event_category: text.nullish(),
    event_action: text.nullish(),
    event_name: text.nullish(),
    event_value: z.number().nullish(),
    search_keyword: text.nullish(),
    search_category: text.nullish(),
    search_results: z.number().int().min(0).nullish(),
    target_url: text.nullish(),
    ecommerce_revenue: z.number().positive().nullish(),
    ecommerce_subtotal: amount.nullish(),
    ecommerce_tax: amount.nullish(),
    ecommerce_shipping: amount.nullish(),
  })
  .superRefine((step, ctx) => {
    const need = (field: keyof typeof step, why: string): void => {
      if (step[field] === undefined || step[field] === null) {
        ctx.addIssue({ code: 'custom', path: [field], message: `${field} is required for ${why}` });
      }
    };
    if (step.type === 'pageview') need('url', 'a pageview step');
    if (step.type === 'event') {
      need('event_category', 'an event step');
      need('event_action', 'an event step');
    }
    if (step.type === 'site_search') need('search_keyword', 'a site_search step');
    if (step.type === 'outlink' || step.type === 'download') need('target_url', `a ${step.type} step`);
    if (step.type === 'outlink' && step.target_url && !/^https?:\/\/[^/?#\s]+/i.test(step.target_url)) {
      ctx.addIssue({ code: 'custom', path: ['target_url'], message: 'target_url of an outlink must be an absolute http(s) URL' });
    }
    const min = step.delay_seconds_min ?? defaultDelaySeconds.min;
    const max = step.delay_seconds_max ?? Math.max(min, defaultDelaySeconds.max);
    if (min > max) {
      ctx.addIssue({ code: 'custom', path: ['delay_seconds_min'], message: 'delay_seconds_min is greater than delay_seconds_max' });
    }
  });

const FunnelSchema = z.strictObject({
  name: text,
  description: z.string().nullish(),
  probability: z.number().min(0).max(1),
  priority: z.number().int().default(0),
  enabled: z.boolean().default(true),
  exit_after_completion: z.boolean().default(true),
  steps: z.array(StepSchema).min(1),
}).superRefine((f, ctx) => {
  const first = f.steps[0];
  if (first && first.type !== 'pageview') {
    ctx.addIssue({ code: 'custom', path: ['steps', 0], message: `the first step must be a pageview (got ${first.type})` });
  }
});

const FileSchema = z.union([z.array(FunnelSchema), z.strictObject({ funnels: z.array(FunnelSchema) })]);

/** Default delay after a step when the file gives none, in seconds. */
export const defaultDelaySeconds: Range = { min: 2, max: 10 };

export type FunnelStep = { delayMs: Range } & (
  | { type: 'pageview'; url: string; title?: string }
  | { type: 'event'; category: string; action: string; name?: string; value?: number }
  | { type: 'site_search'; keyword: string; category?: string; results?: number; url?: string }
  | { type: 'outlink'; targetUrl: string }
  | { type: 'download'; targetUrl: string }
  | { type: 'ecommerce'; revenue?: number; subtotal?: number; tax?: number; shipping?: number }
);

export interface Funnel {
  name: string;
  description?: string;
  probability: number;
  /** Lower numbers are tried first; ties keep file order. */
  priority: number;
  enabled: boolean;
  exitAfterCompletion: boolean;
  steps: FunnelStep[];
}

type RawStep = z.output<typeof StepSchema>;
type RawFunnel = z.output<typeof FunnelSchema>;

function opt<T>(value: T | null | undefined): T | undefined {
  return value === null ? undefined : value;
}

function normaliseStep(s: RawStep): FunnelStep {
  const minS = s.delay_seconds_min ?? defaultDelaySeconds.min;
  const maxS = s.delay_seconds_max ?? Math.max(minS, defaultDelaySeconds.max);
  const delayMs = { min: minS * 1000, max: maxS * 1000 };
  const drop = <T extends object>(o: T): T =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as T;
  switch (s.type) {
    case 'pageview':
      return drop({ type: s.type, delayMs, url: s.url as string, title: opt(s.action_name) });
    case 'event':
      return drop({
        type: s.type,
        delayMs,
        category: s.event_category as string,
        action: s.event_action as string,
        name: opt(s.event_name),
        value: opt(s.event_value),
      });
    case 'site_search':
      return drop({
        type: s.type,
        delayMs,
        keyword: s.search_keyword as string,
        category: opt(s.search_category),
        results: opt(s.search_results),
        url: opt(s.url),
      });
    case 'outlink':
    case 'download':
      return { type: s.type, delayMs, targetUrl: s.target_url as string };
    case 'ecommerce':
      return drop({
        type: s.type,
        delayMs,
        revenue: opt(s.ecommerce_revenue),
        subtotal: opt(s.ecommerce_subtotal),
        tax: opt(s.ecommerce_tax),
        shipping: opt(s.ecommerce_shipping),
      });
  }
}

function normalise(f: RawFunnel): Funnel {
  return {
    name: f.name,
    ...(f.description ? { description: f.description } : {}),
    probability: f.probability,
    priority: f.priority,
    enabled: f.enabled,
    exitAfterCompletion: f.exit_after_completion,
    steps: f.steps.map(normaliseStep),
  };
}

/** An invalid funnel file; `problems` lists every problem found, the message the first ones. */
export class FunnelFileError extends UsageError {
  constructor(readonly problems: string[]) {
    super(problems.length === 1 ? (problems[0] as string) : `${problems[0]} (and ${problems.length - 1} more problem(s))`);
  }
}

function describeIssue(fileName: string, data: unknown, issue: z.core.$ZodIssue): string {
  let path: PropertyKey[] = [...issue.path];
  const list = Array.isArray(data) ? data : (data as { funnels?: unknown[] } | null)?.funnels;
  if (path[0] === 'funnels') path = path.slice(1);
  let where = fileName;
  const fi = path[0];
  if (typeof fi === 'number') {
    const name = (list?.[fi] as { name?: unknown } | undefined)?.name;
    where += typeof name === 'string' ? `: funnel "${name}"` : `: funnel #${fi + 1}`;
    const si = path[2];
    if (path[1] === 'steps' && typeof si === 'number') {
      where += ` step ${si + 1}`;
      path = path.slice(3);
    } else {
      path = path.slice(1);
    }
  }
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') message = `unknown field(s) ${issue.keys.join(', ')}`;
  else if (issue.code === 'invalid_union') message = 'expected a list of funnels, or {funnels: [...]}';
  else if (issue.code !== 'custom' && path.length > 0) message = `${path.map(String).join('.')}: ${message}`;
  return `${where}: ${message}`;
}

function parseText(textIn: string, fileName: string): unknown {
  const isJson = /\.json$/i.test(fileName) || /^\s*[[{]/.test(textIn);
  try {
    return isJson ? JSON.parse(textIn) : parseYaml(textIn);
  } catch (error) {
    const detail = (error as Error).message.split('\n')[0];
    throw new FunnelFileError([`${fileName}: not valid ${isJson ? 'JSON' : 'YAML'}: ${detail}`]);
  }
}

/**
 * Parses and validates a funnel file's text (JSON list as the predecessor wrote it, `{funnels: [...]}`,
 * or the same in YAML). Throws FunnelFileError listing every problem.
 */
export function parseFunnelFile(textIn: string, fileName: string): Funnel[] {
  const data = parseText(textIn, fileName);
  // A list with one bad funnel must report that funnel's problems, not "no union member matched".
  const result = Array.isArray(data)
    ? z.array(FunnelSchema).safeParse(data)
    : data && typeof data === 'object' && 'funnels' in data
      ? z.strictObject({ funnels: z.array(FunnelSchema) }).safeParse(data)
      : FileSchema.safeParse(data);
  const problems = result.success ? [] : result.error.issues.map((i) => describeIssue(fileName, data, i));
  const funnels = result.success ? (Array.isArray(result.data) ? result.data : result.data.funnels) : [];
  const seen = new Set<string>();
  funnels.forEach((f, i) => {
    if (seen.has(f.name)) problems.push(`${fileName}: funnel "${f.name}": duplicate name (funnel #${i + 1})`);
    seen.add(f.name);
  });
  if (problems.length > 0) throw new FunnelFileError(problems);
  return funnels.map(normalise);
}

/** Enabled funnels in the order they are tried: ascending priority, then file order. */
export function funnelOrder(funnels: readonly Funnel[]): Funnel[] {
  return funnels
    .map((f, i) => ({ f, i }))
    .filter(({ f }) => f.enabled)
    .sort((a, b) => a.f.priority - b.f.priority || a.i - b.i)
    .map(({ f }) => f);
}
