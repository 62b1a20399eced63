import type { RegisterCommand } from '../context.js';

const EXAMPLES = `
Examples:
  $ trafficinator run ... --summary-json run.json --timeseries run.ndjson
  $ trafficinator report run.json --timeseries run.ndjson --html run.html
  $ trafficinator report backfill.json --html - > backfill.html
  $ trafficinator report capacity.json --html capacity.html
  $ trafficinator report a.json b.json --json
  $ trafficinator report shard-0.json shard-1.json --html backfill.html
  $ kubectl logs -l job-name=trafficinator-run --tail=-1 > pods.log && trafficinator report pods.log --json

Reads the --summary-json of run (versions 1 to 4), backfill (1 to 4), capacity (1), and verify --json.
The page is one self-contained file (Chart.js inlined, no network); every chart's data is also shown
as a table. Several summaries go on one page, one after the other.
Several run summaries (version 3 or later: the shards of one run) are merged into one for --json and the text
report: counts summed, percentiles from the merged histograms, rates over the union of the windows,
thresholds evaluated again (exit 3 when one is breached).
Several backfill summaries (the shards of one backfill, or backfills of other windows or targets)
are merged into one for --json, the text report and the page: per target the union of the days,
each day's counts summed, the hours summed, every plan listed; exit 3 when a merged day is not
complete. The same plan or shard twice is exit 2. Mixing kinds in a merge is exit 2.
A FILE that is not a summary itself is read as a log: every line that is a summary
(--summary-json - writes one line) counts, named FILE:LINE; other lines are skipped.`;

/** `trafficinator report`: summaries in, one HTML page or the summaries as JSON out. */
export const register: RegisterCommand = (program, ctx) => {
  const cmd = program
    .command('report')
    .description('turn summaries (--summary-json) into one self-contained HTML page, or print them as JSON')
    .argument('<file...>', 'summary JSON files of run, backfill or capacity, verify --json output, or logs holding summary lines')
    .option('--timeseries <file>', "a run's --timeseries NDJSON, for the charts over time (goes with one run summary)")
    .option('--html <out>', 'write the HTML page to OUT (- for stdout)')
    .option('--json', 'print the summaries (upgraded to the current versions) as JSON on stdout; several run (or backfill) summaries merged into one');
  cmd.addHelpText('after', EXAMPLES);
  cmd.action(async (files: string[]) => {
    const { runReport } = await import('./report-run.js');
    ctx.setExitCode(await runReport(ctx.io, files, cmd.opts()));
  });
};
