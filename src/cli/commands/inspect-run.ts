import type { Command } from 'commander';
import { ExitCode, UsageError } from '../../errors.js';
import { renderInspect, summarizeVisits } from '../../journey/inspect.js';
import { matomoView, renderMatomoView } from '../../journey/matomo-view.js';
import type { ReturningForecast } from '../../backfill/predict.js';
import type { Visit } from '../../journey/visit.js';
import { randomSeed } from '../../random/rng.js';
import { systemClock } from '../../time/clock.js';
import { environmentNotice, configError, flagsLayerFromCommand } from '../config-options.js';
import type { Io } from '../../io.js';
import { loadWorkload } from '../workload.js';

const MAX_VISITS = 10_000_000;

function isSendingSetting(path: string): boolean {
  return /^(url|siteId|targets|tokenAuth|run|backfill|concurrency|autoStopAfterHours|maxTotalVisits|dailyCap)\b/.test(path);
}

/** Builds `--visits` visits of scope 'run' (as a dry run would) and prints their summary. */
export async function runInspect(io: Io, cmd: Command): Promise<number> {
  const opts = cmd.opts<{ visits: string; json?: boolean }>();
  const count = Number(opts.visits);
  if (!Number.isInteger(count) || count < 1 || count > MAX_VISITS) {
    throw new UsageError(`--visits: "${opts.visits}" is not a whole number of visits from 1 to ${MAX_VISITS.toLocaleString('en-US')}`);
  }
  const { loadConfig } = await import('../../config/load.js');
  const resolved = await loadConfig(io, flagsLayerFromCommand(cmd), { now: systemClock.now() });
  const envLine = environmentNotice(resolved);
  if (envLine) io.stderr.write(envLine);
  // Nothing is sent: the target and the settings of sending do not matter here, the journey does.
  const errors = resolved.errors.filter((e) => !isSendingSetting(e.path));
  if (errors.length > 0 || !resolved.config) throw configError(errors);
  const config = resolved.config;
  const seed = config.seed ?? randomSeed();
  if (config.seed === undefined) io.stderr.write(`seed ${seed} (pass --seed ${seed} to reproduce)\n`);
  const workload = await loadWorkload(io, config, seed);
  const now = systemClock.now();
  const { backfillWindow } = await import('../../config/window.js');
  const window = backfillWindow(config, now);
  let visits: Visit[];
  let forecast: ReturningForecast | undefined;
  let starts: number[] | undefined;
  if (window.kind === 'window') {
    // The backfill's own plan of the window: its days, caps, visits and start instants.
    const { planTarget } = await import('../../backfill/plan.js');
    const { forecastReturning, plannedVisits } = await import('../../backfill/predict.js');
    const { planInputOf, profileOf } = await import('../../backfill/setup.js');
    const target = { index: 0, url: 'inspect', siteId: 1, label: 'inspect' };
    const plan = planTarget(planInputOf(config, target, window.window, now, seed, profileOf(config), {}));
    const planned = [...plannedVisits(plan, (date, index) => workload.visit(date, index))];
    forecast = forecastReturning(planned);
    visits = planned.map((p) => p.visit);
    starts = planned.map((p) => p.startMs);
  } else {
    visits = [];
    for (let index = 0; index < count; index++) visits.push(workload.visit('run', index));
  }
  const summary = summarizeVisits(visits);
  const matomo = matomoView(visits, forecast, starts);
  const out = { seed, ...summary, matomo, ...(forecast ? { window: window.kind === 'window' ? window.window : undefined, returningForecast: forecast } : {}) };
  io.stdout.write(opts.json ? JSON.stringify(out, null, 2) + '\n' : renderInspect(summary, seed) + renderMatomoView(matomo, forecast));
  return ExitCode.ok;
}
