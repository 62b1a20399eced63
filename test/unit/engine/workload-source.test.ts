import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/io.js';
import { loadConfig } from '../../../src/config/load.js';
import type { Config } from '../../../src/config/schema.js';
import { workloadSource } from '../../../src/engine/workload-source.js';
import { formatCdt } from '../../../src/matomo/local-time.js';
import { createWorkload } from '../../../src/workload/workload.js';

const NOW = Date.UTC(2026, 5, 1, 12);

async function config(values: Record<string, unknown>, preset = 'smoke'): Promise<Config> {
  const r = await loadConfig(memoryIo({ argv: [] }), { values: { url: 'http://127.0.0.1:1/matomo.php', ...values }, preset }, { now: NOW });
  if (!r.config || r.errors.length > 0) throw new Error(JSON.stringify(r.errors));
  return r.config;
}

describe('workloadSource: what the run sends', () => {
  it('ends the visit timeline at the send start and sends the token only with hits that need it, as POST', async () => {
    const c = await config({ countries: { randomize: true, geo: 'ip' }, tokenAuth: 'tok' });
    const workload = createWorkload(c, 5);
    const source = workloadSource(workload, [{ trackerUrl: 'http://127.0.0.1:1/matomo.php', tokenAuth: 'tok' }]);
    const visit = source.plan(0)!;
    const requests = visit.requests(NOW);
    expect(requests).toHaveLength(visit.hitTypes.length);
    expect(visit.pausesMs[0]).toBe(0);
    for (const r of requests) {
      expect(r.method).toBe('POST');
      expect(r.body).toContain('token_auth=tok');
      expect(r.url).toBe('http://127.0.0.1:1/matomo.php');
    }
    const last = new URLSearchParams(requests.at(-1)!.body);
    expect(last.get('ping')).toBe('1');
    expect(last.get('cdt')).toBe(formatCdt(NOW));

    const plain = createWorkload(await config({ countries: { randomize: false }, tokenAuth: 'tok' }), 5);
    const noToken = workloadSource(plain, [{ trackerUrl: 'http://127.0.0.1:1/matomo.php', tokenAuth: 'tok' }]).plan(0)!;
    for (const r of noToken.requests(NOW)) {
      expect(r.method).toBe('GET');
      expect(r.url).not.toContain('token_auth');
      expect(r.body).toBeUndefined();
    }
  });
});
