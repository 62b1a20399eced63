import type { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { nextStep, type StepOutcome } from '../../capacity/search.js';
import { capacityExitCode, conclude, describeLimits, limitsOf, stepLoad, stepOf, stepPacer, unitText } from '../../capacity/steps.js';
import { judgeStep } from '../../capacity/verdict.js';
import type { Config } from '../../config/schema.js';
import { startLive } from '../../engine/live.js';
import type { VisitSource } from '../../engine/visit-source.js';
import { workloadSource } from '../../engine/workload-source.js';
import { ExitCode, UsageError } from '../../errors.js';
import type { TrackerEndpoint } from '../../matomo/http.js';
import { randomSeed } from '../../random/rng.js';
import { CAPACITY_SUMMARY_VERSION, renderCapacityText, type CapacitySummary } from '../../report/capacity.js';
import { RunMetrics } from '../../report/metrics.js';
import type { RunSummary } from '../../report/summary.js';
import { meanHits } from '../../config/littles-law.js';
import { systemClock } from '../../time/clock.js';
import { UndiciTransport, type UndiciTransportOptions } from '../../transport/undici.js';
import { capacityFlags, type CapacityFlags } from '../capacity-options.js';
import { resolveFromCommand } from '../config-options.js';
import type { Io } from '../../io.js';
import { preflight } from '../preflight.js';
import { PACED_MAX_CONNECTIONS, sampleVisits, targetNames } from '../../engine/run-plan.js';
import { loadWorkload } from '../workload.js';
import { htmlTarget, reportTime } from '../html-output.js';

/** Round trip assumed for sizing the first step's visit slots. */
const ASSUMED_LATENCY_MS = 20;

/**
 * `trafficinator capacity`: the safety gate, a preflight, then one live run per step (its own
 * metrics, its own transport) chosen by the pure planner in capacity/search.ts and judged by
 * capacity/verdict.ts. Ctrl-C ends the step under way and reports the steps done.
 */
export async function runCapacity(io: Io, cmd: Command): Promise<number> {
  const flags = capacityFlags(cmd);
  const clock = systemClock;
  // Each step has its own duration: the warning about a run without a stop does not apply.
  const { config, sources } = await resolveFromCommand(io, cmd, clock.now(), { hideWarning: (w) => w.path === 'autoStopAfterHours' });
  if (config.shard !== undefined) throw new UsageError(`shard: capacity measures what one process and its target sustain; run it without --shard (got ${config.shard})`);
  const seed = config.seed ?? randomSeed();
  const workload = await loadWorkload(io, config, seed);
  const summaryPath = flags.summaryJson === undefined ? undefined : resolve(io.cwd, flags.summaryJson);
  if (summaryPath) await checkWritable(summaryPath);
  const writeHtml = flags.html === undefined ? undefined : await htmlTarget(io, flags.html);
  const say = (line: string): void => {
    if (!flags.quiet) io.stderr.write(line + '\n');
  };
  const targets = config.targets.map((t) => t.url).join(', ');
  io.stderr.write(
    `warning: capacity raises the rate until ${targets} fails (errors, slow answers). Real users of that Matomo ` +
      'will feel it, and every hit sent is stored there for good. Use a test instance.\n',
  );
  if (!(await confirmed(io, flags))) return ExitCode.usage;
  const transportOptions: UndiciTransportOptions = {
    clock,
    connections: PACED_MAX_CONNECTIONS,
    headersTimeoutMs: flags.requestTimeoutMs,
    bodyTimeoutMs: flags.requestTimeoutMs,
  };
  let latencyMs = ASSUMED_LATENCY_MS;
  if (flags.preflight) {
    const probe = new UndiciTransport({ ...transportOptions, connections: 1, captureResponse: true });
    try {
      const checked = await preflight(probe, config.targets.map((t) => t.url), { timeoutMs: flags.requestTimeoutMs, signal: io.signal });
      latencyMs = Math.max(latencyMs, ...checked.map((r) => r.latencyMs));
    } finally {
      await probe.close();
    }
    if (io.signal.aborted) return ExitCode.interrupted;
  }
  const sample = sampleVisits(workload);
  const hitsPerVisit = Math.max(1, meanHits(sample));
  const limits = limitsOf(config, sources);
  const endpoints: TrackerEndpoint[] = config.targets.map((t) => ({ trackerUrl: t.url, ...(t.tokenAuth ? { tokenAuth: t.tokenAuth } : {}) }));
  const source = workloadSource(workload, endpoints);
  const summary: CapacitySummary = {
    command: 'capacity',
    version: CAPACITY_SUMMARY_VERSION,
    seed,
    startedAt: new Date(clock.now()).toISOString(),
    unit: flags.unit === 'hits' ? 'hits-per-second' : 'visits-per-day',
    stepDurationMs: flags.stepMs,
    limits,
    search: {
      start: flags.start,
      factor: flags.factor,
      increment: flags.increment ?? null,
      resolution: flags.resolution,
      maxRate: flags.maxRate,
      maxSteps: flags.maxSteps,
    },
    hitsPerVisit: Math.round(hitsPerVisit * 1000) / 1000,
    end: 'interrupted',
    knee: null,
    firstBad: null,
    bound: null,
    why: null,
    steps: [],
  };
  say(
    `capacity: seed ${seed}; steps of ${flags.stepMs / 1000} s from ${flags.start} ${unitText(flags.unit)}, ` +
      `${flags.increment !== undefined ? `+${flags.increment}` : `x${flags.factor}`} up, then bisecting to ${(flags.resolution * 100).toFixed(0)}%; ` +
      `limits ${describeLimits(limits)}. Ctrl-C stops and reports the steps done.`,
  );
  const outcomes: StepOutcome[] = [];
  let visitOffset = 0;
  for (;;) {
    const next = nextStep({ ...flags }, outcomes);
    if (next.kind === 'done') {
      summary.end = next.end;
      break;
    }
    const { hitsPerSecond, slots } = stepLoad(config, flags.unit, next.rate, hitsPerVisit, sample, latencyMs);
    say(`capacity: step ${outcomes.length + 1}: ${next.rate} ${unitText(flags.unit)} (${next.phase}), ${slots} visit slots`);
    const offset = visitOffset;
    const stepSource: VisitSource = { plan: (i) => source.plan(offset + i) };
    const result = await runStep(io, config, flags, seed, outcomes.length, next.rate, stepSource, slots, transportOptions);
    visitOffset += result.summary.visits.started;
    if (io.signal.aborted) break;
    const goodP50 = summary.steps.filter((s) => s.ok).map((s) => s.latencyMs.p50);
    const load = { cpuCores: result.cpuCores, ...(goodP50.length > 0 ? { baselineP50Ms: Math.min(...goodP50) } : {}) };
    const verdict = judgeStep(result.summary, limits, load);
    const step = stepOf(outcomes.length, next.phase, next.rate, hitsPerSecond, result.summary, result.cpuCores, verdict);
    summary.steps.push(step);
    outcomes.push({ rate: next.rate, ok: verdict.ok });
    latencyMs = Math.max(ASSUMED_LATENCY_MS, result.summary.latencyMs.p99);
    say(
      `capacity: step ${step.index + 1}: achieved ${step.achievedHitsPerSecond} hits/s, p99 ${step.latencyMs.p99} ms, ` +
        `errors ${(step.errorRate * 100).toFixed(2)}%, dropped ${step.dropped}: ${verdict.ok ? 'ok' : `BAD (${verdict.why})`}`,
    );
  }
  conclude(summary, hitsPerVisit);
  if (flags.html !== '-') io.stdout.write(renderCapacityText(summary));
  if (summaryPath) await writeFile(summaryPath, JSON.stringify(summary, null, 2) + '\n');
  if (writeHtml) {
    const { renderHtmlReport } = await import('../../report/html/index.js');
    const { CHART_LIBRARY } = await import('../../report/html/chart-library.js');
    await writeHtml(renderHtmlReport([{ kind: 'capacity', name: '', summary }], CHART_LIBRARY, reportTime()));
  }
  return capacityExitCode(summary);
}

interface StepResult {
  summary: RunSummary;
  cpuCores: number;
}

async function runStep(
  io: Io,
  config: Config,
  flags: CapacityFlags,
  seed: string | number,
  index: number,
  rate: number,
  source: VisitSource,
  slots: number,
  transportOptions: UndiciTransportOptions,
): Promise<StepResult> {
  const pacer = stepPacer(config, flags.unit, seed, index, rate);
  const transport = new UndiciTransport(transportOptions);
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  try {
    const live = startLive({
      clock: transportOptions.clock,
      transport,
      source,
      pacer,
      concurrency: slots,
      metrics: new RunMetrics(targetNames(config)),
      stop: { durationMs: flags.stepMs },
      graceMs: config.run.graceMs,
      signal: io.signal,
      interrupts: () => io.interrupts(),
      seed,
    });
    const summary = await live.done;
    const cpu = process.cpuUsage(cpuBefore);
    const wallMs = Math.max(1, performance.now() - wallBefore);
    return { summary, cpuCores: Math.round(((cpu.user + cpu.system) / 1000 / wallMs) * 100) / 100 };
  } finally {
    await transport.close();
  }
}

/** --yes, or a "yes" typed on a terminal; without a terminal and --yes, refuse (nothing sent). */
async function confirmed(io: Io, flags: CapacityFlags): Promise<boolean> {
  if (flags.yes) return true;
  const stdin = io.stdin;
  if (!stdin?.isTTY) {
    throw new UsageError('capacity pushes the target to failure and stdin is not a terminal to ask: add --yes to confirm (nothing was sent)');
  }
  io.stderr.write('Type yes to go on: ');
  const answer = await Promise.race([
    stdin.readLine(),
    new Promise<undefined>((done) => io.signal.addEventListener('abort', () => done(undefined), { once: true })),
  ]);
  if (answer?.trim().toLowerCase() === 'yes') return true;
  io.stderr.write('capacity: not confirmed; nothing was sent\n');
  return false;
}

async function checkWritable(path: string): Promise<void> {
  try {
    await writeFile(path, '', { flag: 'a' });
  } catch (error) {
    throw new UsageError(`--summary-json ${path}: cannot write the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}
