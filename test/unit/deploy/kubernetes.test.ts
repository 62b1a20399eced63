import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { Job } from 'kubernetes-models/batch/v1';
import { ConfigMap, PersistentVolumeClaim, Service } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';

/**
 * deploy/kubernetes/: every manifest validates against the Kubernetes OpenAPI models
 * (kubernetes-models), and every Job is wired for shards the way docs/distributed.md says.
 * The wiring rules are plain functions so that each can be shown failing on a broken copy.
 */

const DIR = resolve(fileURLToPath(new URL('../../../deploy/kubernetes', import.meta.url)));

// Loose shapes: the manifests are data read from YAML, checked field by field below.
/* eslint-disable @typescript-eslint/no-explicit-any */
type Manifest = Record<string, any>;

interface Loaded {
  file: string;
  doc: Manifest;
}

function loadManifests(): Loaded[] {
  const out: Loaded[] = [];
  for (const file of readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)).sort()) {
    for (const d of parseAllDocuments(readFileSync(join(DIR, file), 'utf8'))) {
      if (d.errors.length > 0) throw new Error(`${file}: ${d.errors[0]!.message}`);
      const doc = d.toJS() as Manifest | null;
      if (doc !== null) out.push({ file, doc });
    }
  }
  return out;
}

/** The models of the kinds deploy/kubernetes/ uses; a new kind must be added here to be validated. */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'v1/Service': Service,
  'batch/v1/Job': Job,
};

/** Validates a manifest against the OpenAPI schema of its apiVersion and kind (throws on the first misfit). */
async function validateAgainstModels(doc: Manifest): Promise<void> {
  const Model = MODELS[`${doc.apiVersion}/${doc.kind}`];
  if (!Model) throw new Error(`no model for ${doc.apiVersion} ${doc.kind}: add it to MODELS`);
  new Model(doc as never).validate();
}

/** The value after `name` in args (`--name value` or `--name=value`), or undefined. */
function flagValue(args: string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === name) return args[i + 1];
    if (args[i]!.startsWith(`${name}=`)) return args[i]!.slice(name.length + 1);
  }
  return undefined;
}

const hasFlag = (args: string[], name: string): boolean => args.some((a) => a === name || a.startsWith(`${name}=`));

/** The env names the program reads a token from (src/config/schema.ts: env and the prefixed name). */
const TOKEN_ENV = ['MATOMO_TOKEN_AUTH', 'TRAFFICINATOR_TOKEN_AUTH'];
const INDEX_ANNOTATION = "metadata.annotations['batch.kubernetes.io/job-completion-index']";

/**
 * Every problem of a Job's shard wiring, as one line each ([] when it is right). `others` are the
 * other manifests of the folder, where the ConfigMap it mounts must be found.
 */
function jobProblems(job: Manifest, others: Manifest[]): string[] {
  const problems: string[] = [];
  const spec = job.spec ?? {};
  const pod = spec.template?.spec ?? {};
  const containers: Manifest[] = pod.containers ?? [];
  if (spec.completionMode !== 'Indexed') problems.push('completionMode is not Indexed');
  if (spec.completions !== spec.parallelism) problems.push(`completions ${spec.completions} != parallelism ${spec.parallelism}`);
  const container = containers.find((c) => c.name === 'trafficinator');
  if (!container) return [...problems, 'no container named trafficinator'];
  const args: string[] = (container.args ?? []).map(String);
  const command = args[0];
  const env: Manifest[] = container.env ?? [];
  const mounts: Manifest[] = container.volumeMounts ?? [];
  const volumes: Manifest[] = pod.volumes ?? [];
  const volume = (name: string): Manifest | undefined => volumes.find((v) => v.name === name);
  /** The mount that holds `path` (the longest mountPath that is it or one of its parents). */
  const mountOf = (path: string): Manifest | undefined =>
    mounts
      .filter((m) => path === m.mountPath || path.startsWith(`${String(m.mountPath).replace(/\/$/, '')}/`))
      .sort((a, b) => String(b.mountPath).length - String(a.mountPath).length)[0];

  if (command !== 'run' && command !== 'backfill') problems.push(`args start with ${command}, not run or backfill`);

  // The shard: auto/N, N = completions.
  const shard = flagValue(args, '--shard');
  const n = /^auto\/(\d+)$/.exec(shard ?? '')?.[1];
  if (n === undefined) problems.push(`--shard is ${shard ?? 'missing'}, not auto/N`);
  else if (Number(n) !== spec.completions) problems.push(`--shard auto/${n} but completions ${spec.completions}`);
  const index = env.find((e) => e.name === 'JOB_COMPLETION_INDEX');
  const usesIndex = JSON.stringify(container).includes('$(JOB_COMPLETION_INDEX)');
  if (usesIndex && index?.valueFrom?.fieldRef?.fieldPath !== INDEX_ANNOTATION) {
    problems.push('$(JOB_COMPLETION_INDEX) is used but not declared from the completion-index annotation');
  }

  // The token: from a Secret, never a literal.
  const tokenEnv = env.filter((e) => TOKEN_ENV.includes(e.name));
  if (tokenEnv.length === 0) problems.push(`no token variable (${TOKEN_ENV.join(' or ')})`);
  for (const e of tokenEnv) {
    if (e.value !== undefined) problems.push(`${e.name} is a literal value`);
    else if (!e.valueFrom?.secretKeyRef?.name || !e.valueFrom.secretKeyRef.key) problems.push(`${e.name} is not from a secretKeyRef`);
  }
  if (hasFlag(args, '--token-auth')) problems.push('--token-auth in args (a literal token)');

  // The configuration: --config names a file of a mounted ConfigMap of this folder.
  const config = flagValue(args, '--config') ?? flagValue(args, '-c');
  if (!config) problems.push('no --config');
  else {
    const m = mountOf(config);
    const v = m && volume(m.name);
    if (!v?.configMap) problems.push(`--config ${config} is not on a mounted ConfigMap`);
    else {
      const key = m!.subPath ?? posix.relative(m!.mountPath, config);
      const item = (v.configMap.items as Manifest[] | undefined)?.find((i) => i.path === key)?.key ?? key;
      const cm = others.find((o) => o.kind === 'ConfigMap' && o.metadata?.name === v.configMap.name);
      if (!cm) problems.push(`ConfigMap ${v.configMap.name} is not in deploy/kubernetes`);
      else if (typeof cm.data?.[item] !== 'string') problems.push(`ConfigMap ${v.configMap.name} has no key ${item}`);
    }
  }

  // Security: non-root, read-only root filesystem, requests and limits.
  const sc: Manifest = container.securityContext ?? {};
  const podSc: Manifest = pod.securityContext ?? {};
  if (sc.readOnlyRootFilesystem !== true) problems.push('readOnlyRootFilesystem is not true');
  if ((sc.runAsNonRoot ?? podSc.runAsNonRoot) !== true) problems.push('runAsNonRoot is not true');
  const uid = sc.runAsUser ?? podSc.runAsUser;
  if (typeof uid !== 'number' || uid === 0) problems.push(`runAsUser is ${uid}, not a non-root uid`);
  for (const kind of ['requests', 'limits']) {
    for (const res of ['cpu', 'memory']) {
      if (container.resources?.[kind]?.[res] === undefined) problems.push(`no ${kind}.${res}`);
    }
  }

  // State (backfill): its own directory per index, on a volume, and carried on after a restart.
  if (command === 'backfill') {
    const stateDir = flagValue(args, '--state-dir');
    if (!stateDir) problems.push('backfill without --state-dir');
    else {
      const m = mounts.find((x) => x.mountPath === stateDir);
      if (!m) problems.push(`no volume mounted at --state-dir ${stateDir}`);
      else {
        const v = volume(m.name);
        if (!v?.persistentVolumeClaim) problems.push(`--state-dir ${stateDir} is not on a PersistentVolumeClaim`);
        if (!String(m.subPathExpr ?? '').includes('$(JOB_COMPLETION_INDEX)')) problems.push(`--state-dir ${stateDir} is not per index (subPathExpr)`);
      }
    }
    if (!hasFlag(args, '--resume-or-start')) problems.push('backfill without --resume-or-start (a restarted pod would refuse its own state)');
  }

  // The summary: on a volume, one file per index.
  const summary = flagValue(args, '--summary-json');
  if (!summary) problems.push('no --summary-json');
  else {
    if (!summary.includes('$(JOB_COMPLETION_INDEX)')) problems.push('--summary-json is the same file for every index');
    const m = mountOf(summary);
    if (!m || !volume(m.name)?.persistentVolumeClaim) problems.push(`--summary-json ${summary} is not on a shared volume`);
  }

  // Metrics, reachable from outside the pod.
  const listen = flagValue(args, '--metrics-listen');
  const port = /^0\.0\.0\.0:(\d+)$/.exec(listen ?? '')?.[1];
  if (port === undefined) problems.push(`--metrics-listen is ${listen ?? 'missing'}, not 0.0.0.0:PORT`);
  if (!hasFlag(args, '--metrics-public')) problems.push('no --metrics-public');
  if (port !== undefined && !(container.ports ?? []).some((p: Manifest) => p.containerPort === Number(port))) {
    problems.push(`metrics port ${port} is not a containerPort`);
  }

  // A writable /tmp on a read-only root.
  const tmp = mounts.find((m) => m.mountPath === '/tmp');
  if (!tmp || !volume(tmp.name)?.emptyDir) problems.push('no emptyDir at /tmp');
  return problems;
}

const manifests = loadManifests();
const docs = manifests.map((m) => m.doc);
const jobs = manifests.filter((m) => m.doc.kind === 'Job');
const resources = manifests.filter((m) => m.doc.kind !== 'Kustomization');

describe('deploy/kubernetes manifests', () => {
  it('hold a backfill Job, a run Job, the ConfigMap, the claim, the Service and a kustomization', () => {
    expect(manifests.map((m) => `${m.file}: ${m.doc.kind}`)).toEqual([
      'configmap.yaml: ConfigMap',
      'job-backfill.yaml: Job',
      'job-run.yaml: Job',
      'kustomization.yaml: Kustomization',
      'pvc.yaml: PersistentVolumeClaim',
      'service.yaml: Service',
    ]);
  });

  it.each(resources.map((m) => [`${m.file} (${m.doc.kind})`, m.doc] as const))('%s validates against the Kubernetes OpenAPI models', async (_name, doc) => {
    await expect(validateAgainstModels(doc)).resolves.toBeUndefined();
  });

  it.each(jobs.map((m) => [m.file, m.doc] as const))('%s is wired for shards', (_name, job) => {
    expect(jobProblems(job, docs)).toEqual([]);
  });

  it('the kustomization lists files that exist, and every resource but the run variant', () => {
    const k = docs.find((d) => d.kind === 'Kustomization')!;
    for (const r of k.resources as string[]) expect(existsSync(join(DIR, r)), r).toBe(true);
    const listed = new Set(k.resources as string[]);
    expect(resources.map((m) => m.file).filter((f) => !listed.has(f))).toEqual(['job-run.yaml']);
  });

  it('the Jobs run the image the kustomization names', () => {
    const k = docs.find((d) => d.kind === 'Kustomization')!;
    for (const { doc } of jobs) {
      const image = String(doc.spec.template.spec.containers[0].image);
      expect((k.images as Manifest[]).map((i) => i.name)).toContain(image.replace(/:[^/:]+$/, ''));
    }
  });

  it('no manifest holds a token', () => {
    for (const m of manifests) expect(readFileSync(join(DIR, m.file), 'utf8')).not.toMatch(/token_auth=|tokenAuth:/i);
    expect(docs.some((d) => d.kind === 'Secret')).toBe(false);
  });
});

describe('the checks fail on a broken copy', () => {
  const backfill = jobs.find((j) => j.file === 'job-backfill.yaml')!.doc;
  const container = (job: Manifest): Manifest => job.spec.template.spec.containers[0];
  const setArg = (job: Manifest, flag: string, value: string): void => {
    const args: string[] = container(job).args;
    args[args.indexOf(flag) + 1] = value;
  };
  const cases: [string, (job: Manifest) => void, string][] = [
    ['NonIndexed', (j) => (j.spec.completionMode = 'NonIndexed'), 'completionMode is not Indexed'],
    ['parallelism below completions', (j) => (j.spec.parallelism = 2), 'completions 4 != parallelism 2'],
    ['a shard count other than completions', (j) => setArg(j, '--shard', 'auto/3'), '--shard auto/3 but completions 4'],
    ['a fixed shard', (j) => setArg(j, '--shard', '0/4'), '--shard is 0/4, not auto/N'],
    ['a literal token', (j) => (container(j).env[1] = { name: 'MATOMO_TOKEN_AUTH', value: 'abc' }), 'MATOMO_TOKEN_AUTH is a literal value'],
    ['a token from a ConfigMap', (j) => (container(j).env[1].valueFrom = { configMapKeyRef: { name: 'x', key: 'y' } }), 'MATOMO_TOKEN_AUTH is not from a secretKeyRef'],
    ['no token', (j) => container(j).env.splice(1, 1), 'no token variable (MATOMO_TOKEN_AUTH or TRAFFICINATOR_TOKEN_AUTH)'],
    ['the config on an emptyDir', (j) => (j.spec.template.spec.volumes[0] = { name: 'config', emptyDir: {} }), '--config /etc/trafficinator/trafficinator.yaml is not on a mounted ConfigMap'],
    ['a ConfigMap key that does not exist', (j) => setArg(j, '--config', '/etc/trafficinator/other.yaml'), 'ConfigMap trafficinator-config has no key other.yaml'],
    ['a writable root', (j) => (container(j).securityContext.readOnlyRootFilesystem = false), 'readOnlyRootFilesystem is not true'],
    [
      'root allowed',
      (j) => {
        delete container(j).securityContext.runAsNonRoot;
        j.spec.template.spec.securityContext.runAsNonRoot = false;
      },
      'runAsNonRoot is not true',
    ],
    ['no memory limit', (j) => delete container(j).resources.limits.memory, 'no limits.memory'],
    ['no requests', (j) => delete container(j).resources.requests, 'no requests.cpu'],
    ['state elsewhere than its volume', (j) => setArg(j, '--state-dir', '/var/lib/trafficinator/other'), 'no volume mounted at --state-dir /var/lib/trafficinator/other'],
    ['one state for every index', (j) => (container(j).volumeMounts[1] = { name: 'data', mountPath: '/var/lib/trafficinator/state', subPath: 'state' }), '--state-dir /var/lib/trafficinator/state is not per index (subPathExpr)'],
    ['no --resume-or-start', (j) => container(j).args.splice(container(j).args.indexOf('--resume-or-start'), 1), 'backfill without --resume-or-start (a restarted pod would refuse its own state)'],
    ['metrics on loopback', (j) => setArg(j, '--metrics-listen', '127.0.0.1:9464'), '--metrics-listen is 127.0.0.1:9464, not 0.0.0.0:PORT'],
    ['an undeclared index', (j) => container(j).env.splice(0, 1), '$(JOB_COMPLETION_INDEX) is used but not declared from the completion-index annotation'],
  ];

  it.each(cases)('%s', (_name, breakIt, problem) => {
    const broken = structuredClone(backfill);
    breakIt(broken);
    expect(jobProblems(broken, docs)).toContain(problem);
  });

  it('the OpenAPI models reject a wrong enum and a wrong type', async () => {
    const broken = structuredClone(backfill);
    broken.spec.completionMode = 'indexed';
    await expect(validateAgainstModels(broken)).rejects.toThrow(/completionMode must be equal to one of the allowed values/);
    const typed = structuredClone(backfill);
    typed.spec.completions = '4';
    await expect(validateAgainstModels(typed)).rejects.toThrow(/completions must be integer/);
  });
});
