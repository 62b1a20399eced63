import { describe, expect, it } from 'vitest';
import { decideFault, FaultPlan, type FaultOptions } from '../../../src/sink/faults.js';

const options: FaultOptions = { failRate: 0.2, failStatus: 503, resetRate: 0.1, seed: 7, latencyMs: { min: 5, max: 50 } };
const urls = Array.from({ length: 2000 }, (_, i) => `/matomo.php?idsite=1&rec=1&rand=${i}`);

function run(order: string[], plan = new FaultPlan(options)) {
  const decisions = new Map<string, string[]>();
  for (const url of order) {
    const d = plan.decide('GET', url, '');
    decisions.set(url, [...(decisions.get(url) ?? []), `${d.action}:${d.delayMs}`]);
  }
  return { counts: plan.counts, decisions };
}

describe('fault injection', () => {
  it('is a pure function of content, attempt and seed', () => {
    expect(decideFault(options, 12345, 0)).toEqual(decideFault(options, 12345, 0));
    const differs = [0, 1, 2, 3, 4, 5, 6, 7].some(
      (attempt) => JSON.stringify(decideFault(options, 12345, attempt)) !== JSON.stringify(decideFault(options, 12345, 0)),
    );
    expect(differs).toBe(true);
  });

  it('gives the same counts and the same decision per request whatever the arrival order', () => {
    const forward = run(urls);
    const reversed = run([...urls].reverse());
    const interleaved = run(urls.filter((_, i) => i % 2 === 0).concat(urls.filter((_, i) => i % 2 === 1)));
    expect(reversed.counts).toEqual(forward.counts);
    expect(interleaved.counts).toEqual(forward.counts);
    expect(reversed.decisions).toEqual(forward.decisions);
    // Rates land near what was asked for (2000 draws: within 4 standard deviations).
    expect(forward.counts.reset).toBeGreaterThan(200 - 4 * Math.sqrt(2000 * 0.1 * 0.9));
    expect(forward.counts.reset).toBeLessThan(200 + 4 * Math.sqrt(2000 * 0.1 * 0.9));
    expect(forward.counts.delayed).toBe(2000);
  });

  it('numbers attempts: a retry of the same content gets its own decision, the same on every run', () => {
    const retried = [...urls.slice(0, 100), ...urls.slice(0, 100), ...urls.slice(0, 100)];
    const a = run(retried);
    const b = run([...retried].reverse());
    expect(b.counts).toEqual(a.counts);
    // Per content, the multiset of decisions of attempts 0, 1, 2 is the same whichever arrives first.
    for (const [url, list] of a.decisions) expect([...b.decisions.get(url)!].sort()).toEqual([...list].sort());
  });

  it('changes with the seed and stays off at rate 0', () => {
    const other = run(urls, new FaultPlan({ ...options, seed: 8 }));
    expect(other.decisions).not.toEqual(run(urls).decisions);
    const none = new FaultPlan({ failRate: 0, failStatus: 500, resetRate: 0, seed: 0 });
    expect(none.active).toBe(false);
  });
});
