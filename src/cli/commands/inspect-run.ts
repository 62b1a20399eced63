import type { Command } from 'commander';
import { ExitCode, UsageError } from '../../errors.js';
import { renderInspect, summarizeVisits } from '../../journey/inspect.js';
import { matomoView, type MatomoView } from '../../journey/matomo-view.js';
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
  io.stdout.write(opts.json ? JSON.stringify(out, null, 2) + '\n' : renderInspect(summary, seed) + renderMatomo(matomo, forecast));
  return ExitCode.ok;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
const counts = (record: Record<string, number>, limit = 8): string =>
  Object.entries(record)
    .slice(0, limit)
    .map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`)
    .join(', ') || 'none';

/** The Matomo block of inspect: what the reports will show (docs/realism-vs-matomo.md). */
function renderMatomo(m: MatomoView, forecast: ReturningForecast | undefined): string {
  const lines = [
    '',
    'Matomo will show' + (forecast ? ' (this window, sent in time order into a site without these visitors)' : ' (a run of these visits)'),
    `  visits          ${m.visits.toLocaleString('en-US')}, actions ${m.actions.toLocaleString('en-US')}, bounce rate ${pct(m.bounceRate)}`,
    `  returning       ${m.returningVisits.toLocaleString('en-US')} visits, ${pct(m.returningShare)}` +
      (forecast ? '' : " (the plan's returning visitors; give --from/--to for Matomo's count of a backfill window)"),
    `  visit length    ${m.avgVisitLengthSeconds} s on average (Matomo adds 1 s per visit)`,
    `  device types    ${counts(m.deviceTypes)}`,
    `  browsers        ${counts(m.browsers)}`,
    `  referrer types  ${counts(m.referrerTypes)}`,
    `  countries       ${counts(m.countries)}`,
    `  ecommerce       ${m.orders.toLocaleString('en-US')} orders, revenue ${m.revenue.toFixed(2)}, ${m.abandonedCarts.toLocaleString('en-US')} abandoned carts`,
  ];
  if (forecast) {
    lines.push('  returning/day   ' + forecast.days.map((d) => `${d.date} ${pct(d.share)}`).join(', '));
  }
  return lines.join('\n') + '\n';
}
