import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FunnelFileError, parseFunnelFile, type Funnel } from '../../../src/journey/funnel.js';
import { buildVisit } from '../../../src/journey/journey.js';
import { allOff, builtin, mediumSettings, param, visits } from '../../helpers/journey-helpers.js';

const example = (name: string) => readFileSync(new URL(`../../../examples/${name}`, import.meta.url), 'utf8');

function problems(text: string, file = 'f.yaml'): string[] {
  try {
    parseFunnelFile(text, file);
  } catch (error) {
    expect(error).toBeInstanceOf(FunnelFileError);
    return (error as FunnelFileError).problems;
  }
  throw new Error('expected the file to be rejected');
}

describe('funnel file', () => {
  it('reads the predecessor JSON format, nulls and all', () => {
    const [f] = parseFunnelFile(example('funnels.json'), 'funnels.json');
    expect(f).toMatchObject({ name: 'Newsletter signup', probability: 0.08, priority: 1, enabled: true, exitAfterCompletion: true });
    expect(f!.steps).toEqual([
      { type: 'pageview', url: 'https://example.test/blog/tutorials/tutorials-overview', title: 'Tutorials Overview | Blog', delayMs: { min: 15_000, max: 45_000 } },
      { type: 'event', category: 'Form', action: 'Submit', name: 'Newsletter Signup', delayMs: { min: 1000, max: 3000 } },
    ]);
  });

  it('reads the YAML example with defaults filled in', () => {
    const funnels = parseFunnelFile(example('funnels.yaml'), 'funnels.yaml');
    expect(funnels.map((f) => [f.name, f.enabled, f.exitAfterCompletion])).toEqual([
      ['Checkout', true, true],
      ['Documentation research', true, false],
      ['Fixed-price order', false, true],
    ]);
    expect(funnels[1]!.steps[1]).toEqual({ type: 'site_search', keyword: 'api token', category: 'Documentation', results: 7, delayMs: { min: 2000, max: 10_000 } });
  });

  it.each([
    { why: 'first step not a pageview', text: '- {name: A, probability: 1, steps: [{type: event, event_category: c, event_action: a}]}', want: 'f.yaml: funnel "A" step 1: the first step must be a pageview (got event)' },
    { why: 'event without its category', text: '- {name: B, probability: 1, steps: [{type: pageview, url: /}, {type: event, event_action: a}]}', want: 'f.yaml: funnel "B" step 2: event_category is required for an event step' },
    { why: 'unknown step type', text: '- {name: C, probability: 1, steps: [{type: pageview, url: /}, {type: teleport}]}', want: 'f.yaml: funnel "C" step 2: type: ' },
    { why: 'misspelt field', text: '- {name: D, probability: 1, steps: [{type: pageview, url: /, delay_second_max: 3}]}', want: 'f.yaml: funnel "D" step 1: unknown field(s) delay_second_max' },
    { why: 'probability above 1', text: '- {name: E, probability: 1.5, steps: [{type: pageview, url: /}]}', want: 'f.yaml: funnel "E": probability: ' },
    { why: 'delay of 30 minutes would split the visit', text: '- {name: F, probability: 1, steps: [{type: pageview, url: /, delay_seconds_max: 1800}]}', want: 'f.yaml: funnel "F" step 1: delay_seconds_max: ' },
    { why: 'min delay above max', text: '- {name: G, probability: 1, steps: [{type: pageview, url: /, delay_seconds_min: 9, delay_seconds_max: 3}]}', want: 'f.yaml: funnel "G" step 1: delay_seconds_min is greater than delay_seconds_max' },
    { why: 'outlink to a relative url', text: '- {name: H, probability: 1, steps: [{type: pageview, url: /}, {type: outlink, target_url: /x}]}', want: 'f.yaml: funnel "H" step 2: target_url of an outlink must be an absolute http(s) URL' },
    { why: 'funnel without a name', text: '- {probability: 1, steps: [{type: pageview, url: /}]}', want: 'f.yaml: funnel #1: name: ' },
    { why: 'duplicate names', text: '- {name: I, probability: 1, steps: [{type: pageview, url: /}]}\n- {name: I, probability: 1, steps: [{type: pageview, url: /}]}', want: 'f.yaml: funnel "I": duplicate name (funnel #2)' },
    { why: 'not a list', text: 'name: J', want: 'f.yaml: expected a list of funnels' },
    { why: 'broken YAML', text: '- {name: K', want: 'f.yaml: not valid YAML: ' },
  ])('rejects $why, naming file, funnel and step', ({ text, want }) => {
    expect(problems(text)[0]).toContain(want);
  });

  it('reports every problem at once, and broken JSON as JSON', () => {
    const found = problems('- {name: A, probability: 2, steps: [{type: event}]}\n- {name: B, probability: 1, steps: [{type: pageview}]}');
    expect(found.length).toBeGreaterThanOrEqual(4);
    expect(problems('[{"name": ', 'f.json')[0]).toMatch(/^f\.json: not valid JSON: /);
  });
});

describe('funnel visits', () => {
  const page = (url: string): Funnel['steps'][number] => ({ type: 'pageview', url, delayMs: { min: 5000, max: 5000 } });
  const funnel = (over: Partial<Funnel>): Funnel => ({ name: 'x', probability: 1, priority: 0, enabled: true, exitAfterCompletion: true, steps: [page('/a')], ...over });
  const settings = mediumSettings({ probabilities: { ...allOff, directTraffic: 1 } });

  it('tries funnels in priority order and fires each with its probability', () => {
    const funnels = [
      funnel({ name: 'late', priority: 5, steps: [page('/late')] }),
      funnel({ name: 'first', priority: 1, probability: 0.3, steps: [page('/first')] }),
      funnel({ name: 'off', priority: 0, enabled: false, steps: [page('/off')] }),
    ];
    const firsts = visits(10_000, settings, { funnels }).map((v) => param(v.hits[0]!, 'url'));
    const share = firsts.filter((u) => u === 'https://example.test/first').length / firsts.length;
    // 0.3 within 5 standard errors (sqrt(0.21/10000) = 0.0046).
    expect(Math.abs(share - 0.3)).toBeLessThan(0.023);
    expect(firsts.filter((u) => u === 'https://example.test/late').length).toBe(firsts.length - firsts.filter((u) => u === 'https://example.test/first').length);
    expect(firsts).not.toContain('https://example.test/off');
  });

  it('renders every step type on the funnel timeline with its delays', () => {
    const steps: Funnel['steps'] = [
      page('https://shop.test/p'),
      { type: 'event', category: 'Ecommerce', action: 'Add', value: 9.5, delayMs: { min: 1000, max: 1000 } },
      { type: 'site_search', keyword: 'red shoes', delayMs: { min: 2000, max: 2000 } },
      { type: 'download', targetUrl: 'files/a.pdf', delayMs: { min: 0, max: 0 } },
      { type: 'outlink', targetUrl: 'https://github.com/x', delayMs: { min: 3000, max: 3000 } },
      { type: 'ecommerce', revenue: 119.9, tax: 9.9, shipping: 11, delayMs: { min: 4000, max: 4000 } },
    ];
    const v = buildVisit({ seed: 1, scope: 'run', index: 0, settings, catalogues: builtin, funnels: [funnel({ steps })] });
    expect(v.hits.map((h) => [h.type, h.atMs])).toEqual([
      ['pageview', 0],
      ['event', 5000],
      ['search', 6000],
      ['download', 8000],
      ['outlink', 8000],
      ['ecommerce', 11_000],
      ['ping', 15_000],
    ]);
    expect(v.durationMs).toBe(15_000);
    const [pv, ev, search, dl, out, order] = v.hits;
    expect(param(ev!, 'e_v')).toBe('9.5');
    expect(param(search!, 'url')).toBe('https://shop.test/search?q=red+shoes');
    expect(param(search!, 'urlref')).toBe('https://shop.test/p');
    expect(param(dl!, 'download')).toBe('https://shop.test/files/a.pdf');
    expect(param(dl!, 'pv_id')).toBe(param(search!, 'pv_id'));
    expect(param(out!, 'link')).toBe('https://github.com/x');
    expect(Object.fromEntries(order!.params)).toMatchObject({ idgoal: '0', revenue: '119.90', ec_st: '99.00', ec_tx: '9.90', ec_sh: '11.00' });
    expect(param(order!, 'ec_id')).toMatch(/^[0-9a-f]{16}$/);
    expect(param(pv!, 'new_visit')).toBe('1');
  });

  it('continues into an ordinary visit unless exit_after_completion', () => {
    const s = mediumSettings({ pageviews: { min: 3, max: 3 }, probabilities: { ...allOff, directTraffic: 1 } });
    const cont = visits(50, s, { funnels: [funnel({ exitAfterCompletion: false })] });
    for (const v of cont) {
      const pvs = v.hits.filter((h) => h.type === 'pageview');
      expect(pvs).toHaveLength(4); // the funnel's one pageview + 3 ordinary ones
      expect(param(pvs[0]!, 'url')).toBe('https://example.test/a');
      expect(param(pvs[1]!, 'urlref')).toBe('https://example.test/a');
      expect(pvs[1]!.atMs).toBe(5000);
      expect(pvs.filter((h) => param(h, 'new_visit') === '1')).toHaveLength(1);
    }
    for (const v of visits(50, s, { funnels: [funnel({})] })) expect(v.hits.map((h) => h.type)).toEqual(['pageview', 'ping']);
  });
});
