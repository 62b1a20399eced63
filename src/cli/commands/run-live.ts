import type { Command } from 'commander';
import type { WriteStream } from 'node:fs';
import { resolve } from 'node:path';
import type { Config } from '../../config/schema.js';
import { startLive, type LiveRun } from '../../engine/live.js';
import {
  concurrencyWarning,
  describeRun,
  poolConnections,
  runPlan,
  sampleVisits,
  startLine,
  targetNames,
  ASSUMED_LATENCY_MS,
  type RunPlan,
} from '../../engine/run-plan.js';
import { workloadSource } from '../../engine/workload-source.js';
import { checkShardSeed, resolveShard } from '../../config/shard.js';
import { ExitCode, UsageError } from '../../errors.js';
import type { TrackerEndpoint } from '../../matomo/http.js';
import { randomSeed } from '../../random/rng.js';
import { renderSummaryJson, renderTimeseriesLine } from '../../report/json.js';
import { RunMetrics } from '../../report/metrics.js';
import type { RunSummary, StopThreshold, TimeseriesRow } from '../../report/summary.js';
import { renderSummaryText } from '../../report/text.js';
import { droppedWarning, runExitCode } from '../../report/outcome.js';
import { AbortWatch } from '../../report/threshold-abort.js';
import { describeCrossed, withThresholds } from '../../report/thresholds.js';
import { systemClock } from '../../time/clock.js';
import type { Transport } from '../../transport/transport.js';
import { UndiciTransport, type UndiciTransportOptions } from '../../transport/undici.js';
import { configFromCommand } from '../config-options.js';
import { htmlTarget, reportTime } from '../html-output.js';
import { redactConfig } from '../../config/redact.js';
import { ObservedRunMetrics } from '../../metrics/observed-run-metrics.js';
import { PromMetrics, targetLabel } from '../../metrics/prometheus.js';
import { metricsFlags, startMetricsEndpoint, type MetricsEndpoint } from '../metrics-endpoint.js';
import type { Io } from '../../io.js';
import { openFile } from '../line-output.js';
import { preflight } from '../preflight.js';
import { startProgress } from '../progress.js';
import { openRunLog, type RunLog } from '../run-log.js';
import { runFlags, type RunFlags } from '../run-options.js';
import { loadWorkload } from '../workload.js';
import { runThreads, startThreadedRun } from '../run-workers.js';
import type { FailedHit } from '../../workers/run-protocol.js';

const LOG_PROGRESS_MS = 10_000;
/** How often abortOnFail thresholds are checked during a run (k6 checks every 2 s). */
const ABORT_CHECK_MS = 1_000;

/**
 * `trafficinator run`: configuration, workload and schedule in; preflight; then the engine drives
 * the visits through undici while the progress shell polls it; at the end the report (stdout),
 * the summary JSON and the exit code (3 on a breached threshold, 130 when interrupted).
 */
export async function runLive(io: Io, cmd: Command): Promise<number> {
  const flags = runFlags(cmd);
  const metricsOut = metricsFlags(cmd);
  const clock = systemClock;
  const config = await configFromCommand(io, cmd, clock.now());
  const seed = config.seed ?? randomSeed();
  // A bad --shard (or auto/N without JOB_COMPLETION_INDEX) refuses before anything starts.
  checkShardSeed(resolveShard(config.shard, (name) => io.env[name]), config.seed);
  const workload = await loadWorkload(io, config, seed);
  const startEpochMs = clock.now();
  const plan = runPlan(config, seed, startEpochMs);
  const files = await openFiles(io, flags);
  const htmlPath = cmd.opts<{ html?: string }>().html;
  const writeHtml = htmlPath === undefined ? undefined : await htmlTarget(io, htmlPath);
  const rows: TimeseriesRow[] | undefined = writeHtml ? [] : undefined;
  const prom = metricsOut ? new PromMetrics(config.targets.map((t) => targetLabel(t.url))) : undefined;
  let endpoint: MetricsEndpoint | undefined;
  const log = await openRunLog(io, flags.logFile, config.logLevel, () => clock.now());
  const say = (line: string): void => {
    if (!flags.quiet) io.stderr.write(line + '\n');
  };
  // `--summary-json -` or `--timeseries -`: stdout carries that and nothing else (pipelines), so the
  // text report goes to stderr.
  const reportOut = flags.summaryJson === '-' || flags.timeseries === '-' ? io.stderr : io.stdout;
  const warn = (event: string, line: string): void => {
    if (config.logLevel !== 'error') io.stderr.write(`warning: ${line}\n`);
    log.write('warn', event, { message: line });
  };
  try {
    const transportOptions: UndiciTransportOptions = {
      clock,
      connections: poolConnections(plan, config.concurrency),
      connectTimeoutMs: flags.connectTimeoutMs,
      headersTimeoutMs: flags.requestTimeoutMs,
      bodyTimeoutMs: flags.requestTimeoutMs,
      insecure: flags.insecure,
      headers: flags.headers,
      ...(flags.proxy ? { proxy: flags.proxy } : {}),
    };
    if (flags.insecure) warn('insecure', '--insecure: TLS certificates are not verified; anyone on the path can read the hits and the token');
    log.write('info', 'start', describeRun(config, plan, seed));
    let latencyMs = ASSUMED_LATENCY_MS;
    if (flags.preflight) {
      const checked = await runPreflight(config, transportOptions, flags, io.signal);
      if (io.signal.aborted) return ExitCode.interrupted;
      for (const result of checked) log.write('info', 'preflight', { ...result });
      latencyMs = Math.max(1, ...checked.map((r) => r.latencyMs));
    }
    const tooLow = concurrencyWarning(config, plan, sampleVisits(workload), latencyMs);
    if (tooLow) warn('concurrency', tooLow);
    if (metricsOut && prom) {
      endpoint = await startMetricsEndpoint(metricsOut, prom);
      say(`run: Prometheus metrics at ${endpoint.url}`);
    }
    const { summary, crossed } = await drive(io, config, plan, seed, transportOptions, files, log, flags, say, workload, prom, rows, startEpochMs);
    const final: RunSummary = { ...withThresholds(summary, config.run.thresholds, crossed), config: redactConfig(config) };
    const dropped = droppedWarning(config, final);
    if (dropped) warn('dropped', dropped);
    // Without a progress line to clear, the terminal's `^C` echo would start the report's first line.
    if (io.interrupts() > 0 && reportOut.isTTY && (flags.quiet || !io.stderr.isTTY)) reportOut.write('\n');
    if (htmlPath !== '-') reportOut.write(renderSummaryText(final));
    if (files.summary) await endWith(files.summary, renderSummaryJson(final, flags.summaryJson === '-'));
    if (writeHtml) await writeHtml(await runHtml(final, rows));
    for (const t of final.thresholds) if (!t.ok) log.write('warn', 'threshold', { ...t });
    log.write('info', 'summary', { summary: final });
    return runExitCode(final, io.interrupts() > 0);
  } finally {
    await endpoint?.close(io);
    if (files.timeseries) await endWith(files.timeseries, '');
    if (files.summary && !files.summary.writableEnded) await endWith(files.summary, '');
    await log.close();
  }
}

async function drive(
  io: Io,
  config: Config,
  plan: RunPlan,
  seed: string | number,
  transportOptions: UndiciTransportOptions,
  files: OpenFiles,
  log: RunLog,
  flags: RunFlags,
  say: (line: string) => void,
  workload: Awaited<ReturnType<typeof loadWorkload>>,
  prom: PromMetrics | undefined,
  rows: TimeseriesRow[] | undefined,
  startEpochMs: number,
): Promise<{ summary: RunSummary; crossed: StopThreshold | undefined }> {
  const { clock } = transportOptions;
  const timeseries = files.timeseries;
  const onSecond =
    timeseries || rows
      ? (row: TimeseriesRow): void => {
          rows?.push(row);
          if (timeseries) void timeseries.write(renderTimeseriesLine(row));
        }
      : undefined;
  const metrics = prom ? new ObservedRunMetrics(targetNames(config), onSecond, prom) : new RunMetrics(targetNames(config), onSecond);
  const shard = resolveShard(config.shard, (name) => io.env[name]);
  const threads = runThreads(config);
  say(startLine(config, plan, seed));
  // One thread: the engine runs here. More: each thread runs it on its shard of the visits and
  // this thread merges their events into `metrics` (workers/run-pool.ts); the rest is the same.
  let transport: Transport | undefined;
  let live: LiveRun<RunSummary>;
  if (threads > 1) {
    live = await startThreadedRun({
      io,
      threads,
      config,
      seed,
      shard,
      plan,
      startEpochMs,
      transport: transportOptions,
      clock,
      metrics,
      ...(log.enabled('debug') ? { onFailedHit: (hit: FailedHit) => log.write('debug', 'hit-failed', { ...hit }) } : {}),
    });
    // Said once the threads run: a Ctrl-C from here on reaches every one of them.
    say(`run: ${threads} worker threads (--workers) share the visits and the ${config.concurrency} slots`);
  } else {
    const undici = new UndiciTransport(transportOptions);
    transport = log.enabled('debug') ? loggingTransport(undici, log) : undici;
    const endpoints: TrackerEndpoint[] = config.targets.map((t) => ({
      trackerUrl: t.url,
      ...(t.tokenAuth ? { tokenAuth: t.tokenAuth } : {}),
    }));
    live = startLive({
      clock,
      transport,
      source: workloadSource(workload, endpoints, shard),
      pacer: plan.pacer,
      concurrency: config.concurrency,
      metrics,
      stop: plan.stop,
      graceMs: config.run.graceMs,
      signal: io.signal,
      interrupts: () => io.interrupts(),
      seed,
    });
  }
  say('run: Ctrl-C stops starting visits and lets those in flight finish; a second Ctrl-C stops at once');
  const progress = flags.quiet ? undefined : startProgress({ stream: io.stderr, snapshot: live.snapshot, timezone: config.timezone });
  prom?.watch(live);
  const onInterrupt = (): void => {
    const inFlight = live.snapshot().visitsInFlight;
    const notice =
      `run: interrupted: no new visits; waiting up to ${config.run.graceMs / 1000} s for ${inFlight} visit(s) in flight ` +
      '(Ctrl-C again stops at once)';
    if (progress) progress.note(notice);
    else say(notice);
    // The second Ctrl-C is only counted (Io.interrupts), not signalled: watch for it to say so.
    secondWatch = setInterval(() => {
      if (io.interrupts() < 2) return;
      clearInterval(secondWatch);
      const again = 'run: interrupted again: stopping at once; visits in flight are aborted';
      if (progress) progress.note(again);
      else say(again);
    }, 100);
  };
  let secondWatch: ReturnType<typeof setInterval> | undefined;
  io.signal.addEventListener('abort', onInterrupt, { once: true });
  const abort = watchAbortThresholds(config, metrics, live, (line) => {
    if (progress) progress.note(line);
    else say(line);
    log.write('warn', 'threshold-abort', { message: line });
  });
  const logTimer = log.enabled('info')
    ? setInterval(() => log.write('info', 'progress', { ...live.snapshot() }), LOG_PROGRESS_MS)
    : undefined;
  try {
    const summary = await live.done;
    return { summary, crossed: abort.crossed() };
  } finally {
    abort.stop();
    io.signal.removeEventListener('abort', onInterrupt);
    clearInterval(secondWatch);
    if (logTimer) clearInterval(logTimer);
    progress?.stop();
    await transport?.close();
  }
}

/**
 * abortOnFail (k6): once a second, the thresholds marked so are checked on the live figures; the
 * first one crossed stops the run as the end of its duration would (no new visits, those in flight
 * drain within the grace period), and the report names it. Nothing runs without such a threshold.
 */
function watchAbortThresholds(
  config: Config,
  metrics: RunMetrics,
  live: LiveRun<RunSummary>,
  notice: (line: string) => void,
): { crossed(): StopThreshold | undefined; stop(): void } {
  const watch = new AbortWatch(config.run.thresholds);
  let crossed: StopThreshold | undefined;
  const timer = watch.active
    ? setInterval(() => {
        const now = live.snapshot();
        if (now.phase !== 'running' && now.phase !== 'paused') return;
        const seen = watch.check(metrics, now.elapsedMs);
        if (!seen) return;
        clearInterval(timer);
        // The run may have reached its end in the same instant: then that is its reason.
        if (!live.stop('threshold')) return;
        crossed = seen;
        notice(
          `run: threshold ${seen.metric} ${seen.expression} crossed (${describeCrossed(seen)}; abortOnFail): ` +
            `no new visits; waiting up to ${config.run.graceMs / 1000} s for ${now.visitsInFlight} visit(s) in flight`,
        );
      }, ABORT_CHECK_MS)
    : undefined;
  return { crossed: () => crossed, stop: () => clearInterval(timer) };
}

/** The run's HTML page; the renderer and Chart.js load only when --html is given. */
async function runHtml(summary: RunSummary, rows: readonly TimeseriesRow[] | undefined): Promise<string> {
  const { renderHtmlReport } = await import('../../report/html/index.js');
  const { CHART_LIBRARY } = await import('../../report/html/chart-library.js');
  return renderHtmlReport([{ kind: 'run', name: '', summary, ...(rows ? { timeseries: rows } : {}) }], CHART_LIBRARY, reportTime());
}

async function runPreflight(
  config: Config,
  options: UndiciTransportOptions,
  flags: RunFlags,
  signal: AbortSignal,
): Promise<Array<{ url: string; status: number; latencyMs: number }>> {
  // Its own transport: the run's watches the stop signal and would tear its pools down on Ctrl-C.
  const probe = new UndiciTransport({ ...options, connections: 1, captureResponse: true });
  try {
    return await preflight(
      probe,
      config.targets.map((t) => t.url),
      { timeoutMs: Math.max(flags.connectTimeoutMs, flags.requestTimeoutMs), signal },
    );
  } finally {
    await probe.close();
  }
}

/** Failed hits as debug records: class or status only (URLs carry every parameter, bodies the token). */
function loggingTransport(inner: Transport, log: RunLog): Transport {
  return {
    async send(request, signal) {
      const outcome = await inner.send(request, signal);
      const failed = outcome.kind === 'error' || outcome.status < 200 || outcome.status >= 300;
      if (failed) {
        const where = request.url.split('?')[0];
        log.write(
          'debug',
          'hit-failed',
          outcome.kind === 'error'
            ? { tracker: where, method: request.method, errorClass: outcome.errorClass, message: outcome.message }
            : { tracker: where, method: request.method, status: outcome.status },
        );
      }
      return outcome;
    },
    close: () => inner.close(),
  };
}

interface OpenFiles {
  summary?: OutputStream;
  timeseries?: OutputStream;
}

/** Opens the output files before anything is sent, so a bad path fails with exit 2, not after the run. */
async function openFiles(io: Io, flags: RunFlags): Promise<OpenFiles> {
  const files: OpenFiles = {};
  if (flags.summaryJson === '-' && flags.timeseries === '-') {
    throw new UsageError('--summary-json - and --timeseries - both want stdout: send one of them to a file');
  }
  const open = (path: string, flag: string): Promise<OutputStream> =>
    path === '-' ? Promise.resolve(stdoutStream(io)) : openFile(resolve(io.cwd, path), flag);
  if (flags.summaryJson) files.summary = await open(flags.summaryJson, '--summary-json');
  if (flags.timeseries) files.timeseries = await open(flags.timeseries, '--timeseries');
  return files;
}

/** What the run writes its JSON to: a file, or stdout for `-`. */
type OutputStream = Pick<WriteStream, 'write' | 'end' | 'writableEnded'>;

/** Stdout as an OutputStream: ending it writes the last text and waits for it, but never closes stdout. */
function stdoutStream(io: Io): OutputStream {
  let ended = false;
  return {
    write: ((text: string) => io.stdout.write(text) !== false) as OutputStream['write'],
    end: ((text: string, done: () => void) => {
      ended = true;
      io.stdout.write(text);
      void (io.stdout.drain?.() ?? Promise.resolve()).then(done);
    }) as unknown as OutputStream['end'],
    get writableEnded() {
      return ended;
    },
  };
}

function endWith(stream: OutputStream, text: string): Promise<void> {
  return new Promise((done) => stream.end(text, () => done()));
}
