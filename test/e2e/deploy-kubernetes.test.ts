import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { hitKey, killSinks, parseNdjson, startSink, TOKEN, workDir, type DryHit } from '../helpers/backfill.js';

/**
 * The Kubernetes manifests against the program itself: the ConfigMap's configuration is one the
 * program accepts, and every flag a Job passes is one its command knows (test/unit/deploy checks
 * the manifests' shape).
 */

const root = new URL('../../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8');

afterEach(killSinks);


describe('deploy/kubernetes against the program', () => {
  it("the ConfigMap's configuration validates and plans a backfill", async () => {
    const configMap = parse(read('deploy/kubernetes/configmap.yaml')) as { data: Record<string, string> };
    const dir = mkdtempSync(join(tmpdir(), 'trafficinator-k8s-'));
    const file = join(dir, 'trafficinator.yaml');
    writeFileSync(file, configMap.data['trafficinator.yaml']!);
    const r = await runCli(['validate', '--config', file, '--skip-connection'], { env: { MATOMO_TOKEN_AUTH: 'k8s-token' } });
    expect(r.stdout + r.stderr).not.toContain('k8s-token');
    expect(r.stdout).toContain('configuration valid (connection not checked)');
    expect(r.code).toBe(0);
    // A backfill needs one site and a fixed seed (every shard must plan the same visits).
    const dry = await runCli(['backfill', '--config', file, '--dry-run', '--to', '2026-01-01', '--max-visits-per-day', '2'], {
      env: { MATOMO_TOKEN_AUTH: 'k8s-token' },
    });
    expect(dry.stderr).toContain('2026-01-01..2026-01-01 (CET)');
    expect(dry.code).toBe(0);
    expect(parse(configMap.data['trafficinator.yaml']!)).toHaveProperty('seed');
  });

  it.each(['job-backfill.yaml', 'job-run.yaml'])('every flag of %s is known to its command', async (file) => {
    const job = parse(read(`deploy/kubernetes/${file}`)) as { spec: { template: { spec: { containers: { args: string[] }[] } } } };
    const [command, ...args] = job.spec.template.spec.containers[0]!.args;
    const help = await runCli([command!, '--help-all']);
    expect(help.code).toBe(0);
    const known = new Set(help.stdout.match(/--[a-z][a-z-]+/g));
    const flags = args.filter((a) => a.startsWith('--')).map((a) => a.split('=')[0]!);
    expect(flags.filter((f) => !known.has(f))).toEqual([]);
  });

  it("the backfill Job's args, as written, run as 4 indexed pods into one sink: together they record the unsharded plan once", async () => {
    const configMap = parse(read('deploy/kubernetes/configmap.yaml')) as { data: Record<string, string> };
    const dir = workDir();
    const file = join(dir, 'trafficinator.yaml');
    writeFileSync(file, configMap.data['trafficinator.yaml']!);
    const job = parse(read('deploy/kubernetes/job-backfill.yaml')) as { spec: { template: { spec: { containers: { args: string[] }[] } } } };
    const written = job.spec.template.spec.containers[0]!.args;
    const sink = await startSink(dir);
    const small = ['--url', sink.tracker, '--to', '2026-01-02', '--max-visits-per-day', '6'];
    const env = { MATOMO_TOKEN_AUTH: TOKEN };
    const planned = await runCli(['backfill', '--config', file, '--dry-run', ...small], { env });
    expect(planned.code, planned.stderr).toBe(0);
    // Only the paths of the pod's volumes and the metrics port change; the flags stay as written.
    const pod = (i: number): string[] =>
      written.map((a) =>
        a
          .replace('/etc/trafficinator/trafficinator.yaml', file)
          .replace('/var/lib/trafficinator/state', join(dir, `state-${i}`))
          .replace('/var/lib/trafficinator/summaries/', dir + '/')
          .replace('$(JOB_COMPLETION_INDEX)', String(i))
          .replace('0.0.0.0:9464', '127.0.0.1:0')
          .replace(/^30s$/, '1ms'),
      );
    const pods = await Promise.all([0, 1, 2, 3].map((i) => runCli([...pod(i), ...small], { env: { ...env, JOB_COMPLETION_INDEX: String(i) } })));
    for (const r of pods) expect(r.code, r.stderr).toBe(0);
    const { summary, recorded } = await sink.stop();
    const plannedHits = parseNdjson<DryHit>(planned.stdout);
    expect(summary.hits.duplicates).toBe(0);
    expect(recorded.map((h) => hitKey(h.params)).sort()).toEqual(plannedHits.map((h) => hitKey(h.params)).sort());
    for (const i of [0, 1, 2, 3]) expect(existsSync(join(dir, `backfill-shard-${i}.json`))).toBe(true);
  });
});
