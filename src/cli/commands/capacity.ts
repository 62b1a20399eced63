import { addConfigOptions } from '../config-options.js';
import type { RegisterCommand } from '../context.js';
import { CAPACITY_DEFAULTS } from '../../capacity/defaults.js';

const d = CAPACITY_DEFAULTS;
const EXAMPLES = `
Limits: a step is bad when it breaks any of --max-error-rate (default ${d.maxErrorRate}), --max-p99-ms
(default ${d.maxP99Ms}), --min-rate-ratio (default ${d.minRateRatio}) or --max-dropped (default: not checked).

Examples:
  $ trafficinator sink --capacity 800 &        # a local target with a known limit
  $ trafficinator capacity --url http://127.0.0.1:PORT/matomo.php --yes --start 100 --step 20s
  $ trafficinator capacity --preset medium --url https://matomo.staging.example/matomo.php \\
      --token-auth-file token.txt --unit visits --start 200000 --factor 1.5 --max-p99-ms 500 \\
      --summary-json capacity.json

WARNING: capacity raises the rate until the target fails. Point it only at a Matomo you may break;
every hit it sends is stored there for good. Without a terminal on stdin it needs --yes.
Exit codes: 0 a knee was found (or no step failed up to --max-rate), 2 bad usage or unreachable
target, 3 the first step already failed or --max-steps ran out, 130 interrupted (the steps done
are still reported).`;

/** `trafficinator capacity`: raise the rate step by step, then bisect, to find the knee. */
export const register: RegisterCommand = (program, ctx) => {
  const cmd = program
    .command('capacity')
    .description('raise the rate in steps until Matomo breaks the limits, then bisect: the highest sustainable rate')
    .option('--unit <unit>', 'what the rates count: hits (hits/s) or visits (visits/day)', 'hits')
    .option('--start <rate>', `first step's rate (default ${d.startHits} hits/s or ${d.startVisits} visits/day)`)
    .option('--factor <f>', 'multiply the rate by this each step up', String(d.factor))
    .option('--increment <rate>', 'add this to the rate each step up (instead of --factor)')
    .option('--step <duration>', 'how long each step sends', d.step)
    .option('--resolution <fraction>', 'bisect until the good and bad rates are this close (0.1 or 10%)', d.resolution)
    .option('--max-rate <rate>', `never go above this rate (default ${d.maxRateHits} hits/s or ${d.maxRateVisits} visits/day)`)
    .option('--max-steps <n>', 'never run more steps than this', String(d.maxSteps))
    .option('--yes', 'do not ask: I know this pushes the target to failure (needed when stdin is not a terminal)')
    .option('-q, --quiet', 'print only the final report')
    .option('--html <file>', 'write a self-contained HTML report: the rate-latency-error curve with the knee (- for stdout)')
    .option('--summary-json <file>', 'write the steps and the knee as JSON (docs/schema/capacity-summary.schema.json)')
    .option('--no-preflight', 'skip the GET of each tracker before sending')
    .option('--request-timeout <duration>', 'time allowed for the response headers', '30s');
  addConfigOptions(cmd);
  cmd.addHelpText('after', EXAMPLES);
  cmd.action(async () => {
    const { runCapacity } = await import('./capacity-run.js');
    ctx.setExitCode(await runCapacity(ctx.io, cmd));
  });
};
