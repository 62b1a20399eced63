import { setMaxListeners } from 'node:events';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { TargetPlan } from '../../backfill/plan.js';
import { liveReconciler } from '../../backfill/reconciler.js';
import { matomoVisitorId } from '../../matomo/visitor-id.js';
import { freshRun, resumeRun, retryRun, visitsToSend, type OwnedDays, type TargetRun } from '../../backfill/resume.js';
import { ownedDays, shardView } from '../../backfill/shard.js';
import { checkShardSeed, resolveShard } from '../../config/shard.js';
import { shardLabel } from '../../journey/shard.js';
import { checkBeforeSending } from '../../backfill/target-checks.js';
import type { Config } from '../../config/schema.js';
import { Replay, type ReplayResult } from '../../backfill/replay.js';
import type { TrackingRequest } from '../../matomo/request.js';
import { ExitCode, UsageError } from '../../errors.js';
import { apiUrlFor, type ApiClient } from '../../matomo/api.js';
import { seeded } from '../../random/rng.js';
import { backfillExitCode, backfillRows, incompleteReason, type DayRow } from '../../report/backfill-rows.js';
import { backfillSummary } from '../../report/backfill-summary.js';
import { renderBackfillText, renderDayLine } from '../../report/backfill-text.js';
import { openDeadLetters, retrySet, takeDeadLetters } from '../../state/dead-letter.js';
import { openJournal, readJournal, type JournalState } from '../../state/journal.js';
import { findOverlaps, overlapMessage, planPaths, savePlan } from '../../state/store.js';
import { systemClock } from '../../time/clock.js';
import { UndiciTransport } from '../../transport/undici.js';
import { VERSION } from '../../version.js';
import type { Io } from '../../io.js';
import { backfillMetrics } from '../backfill-metrics.js';
import { loadWorkload } from '../workload.js';
import { backfillConfig, checkBackfillFlags, stateDirOf, type BackfillFlags, type BackfillMode } from '../backfill-options.js';
import { dryRunBackfill } from './backfill-dry-run.js';
import { backfillTargets, findStoredPlan, noStoredPlanMessage, planInputOf, profileOf, shapeOf, visitSource, windowOf, type BackfillTarget } from '../../backfill/setup.js';
import { listPlans } from '../../state/store.js';
import { randomSeed } from '../../random/rng.js';
import { planTarget } from '../../backfill/plan.js';
import type { Workload } from '../../workload/workload.js';
import { settingsToStore } from '../../backfill/stored-settings.js';
import { plannedByHour, type HourCounts } from '../../report/backfill-hours.js';
import { htmlTarget, reportTime } from '../html-output.js';
import { startPool, workerCount, type BackfillPool } from '../backfill-workers.js';
import { tightenHeapGrowth } from '../heap.js';

/** The body of `backfill`, imported only when the command runs. */
type Mode = BackfillMode;

interface Prepared {
  target: BackfillTarget;
  /** fresh or resume (--resume-or-start decides per target); retry-failed for --retry-failed. */
  mode: Mode;
  /** The stored (or new) plan: its key names the state; with --shard it plans every shard's visits. */
  plan: TargetPlan;
  /** What this process sends: the plan, or with --shard the shard's view of it (shardView). */
  view: TargetPlan;
  /** With --shard: the owned visits of each day. */
  owned?: OwnedDays;
  /** Journal before this run (empty for a fresh plan). */
  journal: JournalState;
}

interface Settings {
  bulkSize: number;
  concurrency: number;
  rateLimit?: number;
  visitRateLimit?: number;
  retries: number;
}

/**
 * The id Matomo stores for a hit (the hash of `uid` when one is set): what reconciliation asks for.
 * A worker thread made it already for the requests it hands over (workers/encoded.ts).
 */
const visitorIdOf = (req: TrackingRequest): string => (req as { visitorId?: string }).visitorId ?? matomoVisitorId(req);

export async function runBackfill(io: Io, cmd: Command): Promise<number> {
  const flags = cmd.opts<BackfillFlags>();
  const { mode, retries } = checkBackfillFlags(flags);
  const clock = systemClock;
  const now = clock.now();
  const config = await backfillConfig(io, cmd, now);
  const targets = backfillTargets(config);
  const window = windowOf(config, now);
  const profile = profileOf(config);
  const shape = await shapeOf(config, VERSION, (path) => io.readFile(path));
  const stateDir = stateDirOf(io, config);
  const shard = resolveShard(config.shard, (name) => io.env[name]);
  const settings: Settings = {
    bulkSize: config.backfill.bulkSize,
    concurrency: config.concurrency,
    ...(typeof config.run.rps === 'number' ? { rateLimit: config.run.rps } : {}),
    ...(config.backfill.rpsLimit !== undefined ? { visitRateLimit: config.backfill.rpsLimit } : {}),
    retries,
  };

  const prepared: Prepared[] = [];
  let drawnSeed: number | undefined;
  const workloads = new Map<string, Workload>();
  const workloadOf = async (seed: string | number): Promise<Workload> => {
    let w = workloads.get(String(seed));
    if (!w) workloads.set(String(seed), (w = await loadWorkload(io, config, seed)));
    return w;
  };
  const prepare = async (target: BackfillTarget, targetMode: Mode, plan: TargetPlan, journal: JournalState): Promise<Prepared> => {
    if (!shard || shard.count <= 1) return { target, mode: targetMode, plan, view: plan, journal };
    const workload = await workloadOf(plan.seed);
    const owned = ownedDays(plan, shard, (date, index, count) => workload.shardOf(date, index, count));
    return { target, mode: targetMode, plan, view: shardView(plan, owned), owned, journal };
  };
  for (const target of targets) {
    const lookup = mode === 'fresh' && !flags.resumeOrStart ? undefined : findStoredPlan(listPlans(stateDir).plans, config, target, window, profile, shape, shard);
    if (lookup === undefined || (lookup.kind === 'none' && flags.resumeOrStart)) {
      checkShardSeed(shard, config.seed);
      const seed = config.seed ?? (drawnSeed ??= randomSeed());
      const plan = planTarget(planInputOf(config, target, window, now, seed, profile, shape, shard));
      prepared.push(await prepare(target, 'fresh', plan, { days: new Map(), tornTail: false, badLines: 0 }));
    } else {
      if (lookup.kind === 'none') throw new UsageError(noStoredPlanMessage(mode === 'resume' ? '--resume' : '--retry-failed', stateDir, target, lookup, shard));
      const plan = lookup.stored.plan;
      prepared.push(await prepare(target, mode === 'retry-failed' ? mode : 'resume', plan, readJournal(planPaths(stateDir, plan.key).journal)));
    }
  }
  if (flags.resumeOrStart) {
    for (const p of prepared) io.stderr.write(`backfill: --resume-or-start: ${p.mode === 'fresh' ? 'no stored plan of' : 'resuming the stored plan of'} ${p.target.label}${p.mode === 'fresh' ? ': starting it' : ''}\n`);
  }
  const seedNotice = (): void => {
    if (drawnSeed !== undefined) {
      io.stderr.write(`backfill: seed ${drawnSeed} drawn (give --seed ${drawnSeed} to reproduce these hits; --resume finds it by itself)\n`);
    }
  };
  // Worker threads make the visits (--workers); the main thread still sends, journals and reports.
  const threads = mode === 'retry-failed' ? 1 : await workerCount(config, prepared.reduce((a, p) => a + p.view.visits, 0));
  if (flags.dryRun) {
    seedNotice();
    const pool = threads > 1 ? await startPool(io, config, threads) : undefined;
    try {
      for (const p of prepared) {
        await dryRunBackfill(io, p.view, await workloadOf(p.plan.seed), p.target, targets.length > 1, p.owned, pool ? { threads: pool, plan: p.plan } : undefined);
      }
    } finally {
      await pool?.close();
    }
    return ExitCode.ok;
  }
  if (!flags.force) refuseOverlaps(stateDir, prepared.filter((p) => p.mode === 'fresh'));
  const writeHtml = flags.html === undefined ? undefined : await htmlTarget(io, flags.html);

  if (flags.retryAmbiguous) {
    io.stderr.write('warning: --retry-ambiguous is how backfill always works now: an answer that proves nothing is reconciled with Matomo\'s raw log, and only missing hits are resent\n');
  }
  const transport = new UndiciTransport({ clock, connections: settings.concurrency, captureResponse: true });
  const metrics = await backfillMetrics(io, cmd, transport);
  let pool: BackfillPool | undefined;
  try {
    if (flags.reportingApi === false) {
      io.stderr.write(
        'backfill: --no-reporting-api: no check of existing visits or of the site\'s time zone, and no reconciliation: answers that prove nothing leave their visits uncertain (exit 3)\n',
      );
    } else {
      // A shard cannot ask whether its days are empty: the other shards fill them at the same time.
      await precheck(io, transport, prepared, { force: Boolean(flags.force), checkDays: mode !== 'retry-failed' && !(shard && shard.count > 1) });
    }
    // Said once the checks passed: a refusal stays one line.
    seedNotice();
    pool = threads > 1 ? await startPool(io, config, threads) : undefined;
    return await sendAll(io, { config, flags, mode, settings, stateDir, now, transport, prepared, workloadOf, ...(writeHtml ? { writeHtml } : {}), ...(pool ? { pool } : {}) });
  } finally {
    await pool?.close();
    await metrics?.close(io);
    await transport.close();
  }
}

function refuseOverlaps(stateDir: string, prepared: readonly Prepared[]): void {
  const messages: string[] = [];
  for (const p of prepared) {
    const overlaps = findOverlaps(stateDir, p.plan);
    if (overlaps.length) messages.push(overlapMessage(overlaps, p.plan.target));
  }
  if (messages.length) throw new UsageError(`${messages.join('\n')}\nnothing was sent`);
}

/**
 * Before anything is sent, for each target: the checks of backfill/target-checks.ts over its
 * Reporting API (retried with backoff), refusing with exit 2 when one fails or cannot be made.
 */
async function precheck(io: Io, transport: UndiciTransport, prepared: readonly Prepared[], o: { force: boolean; checkDays: boolean }): Promise<void> {
  for (const p of prepared) {
    const client: ApiClient = {
      transport,
      clock: systemClock,
      apiUrl: apiUrlFor(p.target.url),
      ...(p.target.tokenAuth ? { tokenAuth: p.target.tokenAuth } : {}),
      signal: io.signal,
    };
    await checkBeforeSending(client, p.target, p.view, p.journal.days, o);
  }
}

interface SendContext {
  config: Config;
  flags: BackfillFlags;
  mode: Mode;
  settings: Settings;
  stateDir: string;
  now: number;
  transport: UndiciTransport;
  prepared: Prepared[];
  workloadOf(seed: string | number): Promise<Workload>;
  /** --html: writes the finished page (checked writable before anything is sent). */
  writeHtml?: (html: string) => Promise<void>;
  /** --workers: the threads that make the visits (none: this thread makes them). */
  pool?: BackfillPool;
}

/** --retry-failed: the dead-letter file's hits, taken once (the file is moved aside). */
function retryRunOf(p: Prepared, deadLetterPath: string, io: Io): TargetRun {
  const taken = takeDeadLetters(deadLetterPath);
  const set = retrySet(taken.records);
  if (taken.movedTo) io.stderr.write(`backfill: took ${set.hits} hit(s) from ${deadLetterPath} (kept as ${taken.movedTo})\n`);
  if (set.unresendable) io.stderr.write(`warning: ${set.unresendable} invalid hit(s) were never named by Matomo: they cannot be resent\n`);
  return retryRun(p.view, p.journal.days, set.days, deadLetterPath);
}

async function sendAll(io: Io, ctx: SendContext): Promise<number> {
  const { flags, settings, stateDir } = ctx;
  const startedAt = ctx.now;
  // With the summary on stdout (`--summary-json -`), the text report goes to stderr: stdout holds the JSON alone.
  const reportOut = flags.summaryJson === '-' || flags.html === '-' ? io.stderr : io.stdout;
  const reports: Array<{ plan: TargetPlan; rows: DayRow[]; plannedByHour?: HourCounts }> = [];
  let interrupted = false;
  let elapsedMs = 0;
  let sentAny = false;
  tightenHeapGrowth();
  for (const p of ctx.prepared) {
    if (io.signal.aborted) {
      interrupted = true;
      break;
    }
    const paths = planPaths(stateDir, p.plan.key);
    const mode = p.mode;
    if (mode === 'fresh') {
      if (flags.force && existsSync(paths.journal)) {
        // A forced rerun of the same plan starts a new journal; the old one is kept beside it.
        let n = 1;
        while (existsSync(`${paths.journal}.forced-${n}`)) n++;
        renameSync(paths.journal, `${paths.journal}.forced-${n}`);
      }
      savePlan(stateDir, p.plan, ctx.now, settingsToStore(ctx.config, p.target.index));
    }
    const workload = await ctx.workloadOf(p.plan.seed);
    const pool = ctx.pool?.use(p.plan, p.target, { kind: 'requests' });
    const source = pool ? pool.visitsOfDay : visitSource(p.plan, workload, p.target.siteId);
    const run: TargetRun =
      mode === 'retry-failed'
        ? retryRunOf(p, paths.deadLetter, io)
        : mode === 'resume'
          ? resumeRun(
              p.view,
              p.journal.days,
              flags.reportingApi !== false ? 'reconcile' : flags.resendUncertain ? 'resend' : 'keep',
              source,
              p.owned,
            )
          : freshRun(p.view, source, p.owned);
    // The workers make the next day while this one is sent.
    pool?.expect(run.days.map((d) => ({ date: d.date, indices: [...d.visits] })));
    if (run.idle) io.stderr.write(run.idle + '\n');
    const planned = run.days.reduce((a, d) => a + visitsToSend(d), 0);
    if (planned > 0) {
      io.stderr.write(
        `backfill: ${p.target.label}, ${p.plan.window.from}..${p.plan.window.to} (${p.plan.zone}), plan ${p.plan.key.slice(0, 12)}` +
          `${p.plan.shard ? ` (shard ${shardLabel(p.plan.shard)})` : ''}: ` +
          `sending ${planned} visit(s) over ${run.days.length} day(s); state in ${paths.dir}\n`,
      );
    }
    const result = planned > 0 ? await replayTarget(io, ctx, p, run, paths) : undefined;
    if (result) {
      sentAny = true;
      elapsedMs += result.elapsedMs;
      interrupted ||= result.interrupted;
    }
    const rows = backfillRows(p.view, result?.days ?? [], run.prior);
    // Only for a summary or a page: it builds every planned visit of the window again (a shard's own).
    const shard = p.plan.shard;
    const owned = shard ? (date: string, index: number) => workload.shardOf(date, index, shard.count) === shard.index : undefined;
    reports.push({ plan: p.view, rows, ...(flags.summaryJson || flags.html ? { plannedByHour: plannedByHour(p.plan, (date, index) => workload.visit(date, index), owned) } : {}) });
    reportOut.write(
      renderBackfillText({
        plan: p.view,
        rows,
        elapsedMs: result?.elapsedMs ?? 0,
        interrupted: result?.interrupted ?? false,
        verifyCommand: verifyCommand(p, ctx),
        ...(existsSync(paths.deadLetter) ? { deadLetterPath: paths.deadLetter } : {}),
      }),
    );
    if (interrupted) break;
  }
  let exitCode: number = interrupted ? ExitCode.interrupted : ExitCode.ok;
  if (!interrupted) {
    for (const r of reports) {
      exitCode = Math.max(exitCode, backfillExitCode(r.rows, false));
      const reason = incompleteReason(r.rows);
      if (reason) io.stderr.write(`${reason}${reports.length > 1 ? ` (${r.plan.target.url} site ${r.plan.target.siteId})` : ''}\n`);
    }
  }
  if (!sentAny && exitCode === ExitCode.ok && ctx.prepared.every((p) => p.mode === 'fresh')) io.stderr.write('backfill: the plan holds no visit: nothing sent\n');
  if (flags.summaryJson || ctx.writeHtml) {
    const summary = backfillSummary({
      version: VERSION,
      startedAtMs: startedAt,
      elapsedMs,
      interrupted,
      exitCode,
      settings: {
        bulkSize: settings.bulkSize,
        concurrency: settings.concurrency,
        rateLimit: settings.rateLimit ?? null,
        visitRateLimit: settings.visitRateLimit ?? null,
        reconcile: flags.reportingApi !== false,
        resume: ctx.prepared.some((p) => p.mode !== 'fresh'),
      },
      targets: reports,
    });
    if (ctx.writeHtml) {
      const { renderHtmlReport } = await import('../../report/html/index.js');
      const { CHART_LIBRARY } = await import('../../report/html/chart-library.js');
      await ctx.writeHtml(renderHtmlReport([{ kind: 'backfill', name: '', summary }], CHART_LIBRARY, reportTime()));
    }
    // One line on stdout, so a log collector keeps it whole and `report` finds it in the log.
    const json = (flags.summaryJson === '-' ? JSON.stringify(summary) : JSON.stringify(summary, null, 2)) + '\n';
    if (flags.summaryJson === '-') {
      io.stdout.write(json);
      await io.stdout.drain?.();
    } else if (flags.summaryJson) {
      writeFileSync(resolve(io.cwd, flags.summaryJson), json);
    }
  }
  return exitCode;
}

async function replayTarget(io: Io, ctx: SendContext, p: Prepared, run: TargetRun, paths: ReturnType<typeof planPaths>): Promise<ReplayResult> {
  const { settings, flags } = ctx;
  const journal = openJournal(paths.journal);
  const dead = openDeadLetters(paths.deadLetter);
  const live = io.stderr.isTTY && !flags.quiet;
  // Every batch waiting for a retry or the rate listens to the stop signal: one per batch in flight.
  const stop = new AbortController();
  setMaxListeners(settings.concurrency + 16, stop.signal);
  const onAbort = (): void => stop.abort(io.signal.reason);
  if (io.signal.aborted) onAbort();
  else io.signal.addEventListener('abort', onAbort, { once: true });
  const replay: Replay = new Replay({
    clock: systemClock,
    transport: ctx.transport,
    rng: seeded(`backoff:${p.plan.key}:${ctx.now}`),
    url: p.target.url,
    ...(p.target.tokenAuth ? { tokenAuth: p.target.tokenAuth } : {}),
    bulkSize: settings.bulkSize,
    concurrency: settings.concurrency,
    ...(settings.rateLimit !== undefined ? { rateLimit: settings.rateLimit } : {}),
    ...(settings.visitRateLimit !== undefined ? { visitRateLimit: settings.visitRateLimit } : {}),
    retry: { retries: settings.retries },
    openDaysAlone: flags.openDaysAlone !== false,
    visitorIdOf,
    ...(flags.reportingApi !== false
      ? {
          reconcile: liveReconciler({
            transport: ctx.transport,
            apiUrl: apiUrlFor(p.target.url),
            siteId: p.target.siteId,
            ...(p.target.tokenAuth ? { tokenAuth: p.target.tokenAuth } : {}),
            visitorIdOf,
            zone: p.plan.zone,
          }),
        }
      : {}),
    days: run.days,
    visitsOfDay: run.visitsOfDay,
    // The pool's source (workers/pool.ts) is awaited; --retry-failed reads the dead letters here.
    ...(ctx.pool && p.mode !== 'retry-failed' ? { asyncSource: true } : {}),
    journal,
    deadLetter: (record) => dead.write(record),
    target: p.target.label,
    signal: stop.signal,
    onDayDone: (outcome) => {
      if (live || flags.quiet) return;
      const row = backfillRows(p.view, [outcome], run.prior).find((r) => r.date === outcome.date);
      if (row) io.stderr.write(renderDayLine(row));
    },
  });
  let progress: { stop(): void } | undefined;
  if (live) {
    const { startBackfillProgress } = await import('./backfill-progress.js');
    progress = startBackfillProgress({
      stream: io.stderr,
      label: 'window',
      snapshot: () => replay.snapshot(),
      toSend: new Map(run.days.map((d) => [d.date, visitsToSend(d)])),
    });
  }
  try {
    return await replay.run();
  } finally {
    progress?.stop();
    io.signal.removeEventListener('abort', onAbort);
    journal.close();
    dead.close();
  }
}

/**
 * The verify command line to print: the state directory and the plan are enough, because the plan
 * keeps its settings (backfill/stored-settings.ts); the token comes as it came to the backfill.
 */
function verifyCommand(p: Prepared, ctx: SendContext): string {
  const shard = p.plan.shard ? ` --shard ${shardLabel(p.plan.shard)}` : '';
  return `trafficinator verify --state-dir ${shellWord(ctx.config.backfill.stateDir)} --plan ${p.plan.key.slice(0, 12)}${shard}`;
}

/** A word the shell reads back as itself: quoted only when it must be. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}
