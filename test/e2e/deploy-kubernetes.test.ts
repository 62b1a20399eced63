import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

/**
 * The Kubernetes manifests against the program itself: the ConfigMap's configuration is one the
 * program accepts, and every flag a Job passes is one its command knows (test/unit/deploy checks
 * the manifests' shape).
 */

const root = new URL('../../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8');

/** Flags of issue 16's sharding work, named in the Jobs before they exist. Remove each as it lands. */
const PENDING = ['--shard', '--resume-or-start'];

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

  it.each(['job-backfill.yaml', 'job-run.yaml'])('every flag of %s is known to its command, or pending', async (file) => {
    const job = parse(read(`deploy/kubernetes/${file}`)) as { spec: { template: { spec: { containers: { args: string[] }[] } } } };
    const [command, ...args] = job.spec.template.spec.containers[0]!.args;
    const help = await runCli([command!, '--help-all']);
    expect(help.code).toBe(0);
    const known = new Set(help.stdout.match(/--[a-z][a-z-]+/g));
    const flags = args.filter((a) => a.startsWith('--')).map((a) => a.split('=')[0]!);
    expect(flags.filter((f) => !known.has(f) && !PENDING.includes(f))).toEqual([]);
  });
});
