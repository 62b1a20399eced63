import type { Command } from 'commander';
import type { CommandContext } from '../context.js';

/** `trafficinator sink`: the built-in Matomo stand-in. */
export function registerSink(program: Command, ctx: CommandContext): void {
  program
    .command('sink')
    .description(
      'Run a local Matomo stand-in: judges tracking hits like Matomo 5.0.2, counts them, answers a few\n' +
        'Reporting API calls, and prints a report on Ctrl-C. Prints its base URL on the first stdout line.',
    )
    .option('--host <host>', 'address to listen on (loopback only unless --public)', '127.0.0.1')
    .option('--port <port>', 'port, 0 for a free one', '0')
    .option('--public', 'allow a non-loopback --host')
    .option('--token <token>', 'the only token_auth accepted (default: any non-empty token)')
    .option('--sites <ids>', 'site ids that exist, e.g. 1,2,3 or 1-5 (default: every positive id)')
    .option('--timezone <zone>', 'time zone of the sites, for local days (IANA name)', 'CET')
    .option('--currency <code>', "the sites' currency (ISO 4217), as the Reporting API reports it", 'SEK')
    .option('--summary-json <file>', 'write the final numbers as JSON')
    .option('--record <file>', 'write every recorded hit as NDJSON ({type, at, params})')
    .option('--duration <duration>', 'stop after this long (30s, 5m, 1h); default: until Ctrl-C')
    .option('--latency <duration>', 'delay each answer by this long, or a range (20ms, 5ms-50ms)')
    .option('--fail-rate <p>', 'answer this fraction of requests with --fail-status', '0')
    .option('--fail-status <code>', '500, 503 or 429 (503 and 429 carry Retry-After: 1)', '500')
    .option('--reset-rate <p>', 'reset the connection of this fraction of requests', '0')
    .option('--fault-seed <n>', 'seed of the fault decisions', '0')
    .option('--partial-commit-rate <p>', "store only part of this fraction of bulk requests and answer 500, as Matomo's deadlock does", '0')
    .option('--partial-commit-lost <n>', 'hits lost at the head of such a batch (default: drawn from 1 to size-1)')
    .option('--partial-commit-attempts <n>', 'only batches whose hits came fewer than N times before (1: a resend succeeds)')
    .option('-q, --quiet', 'no live line on the terminal (the URL line and the report stay)')
    .option('--capacity <hits/s>', 'serve at most this many tracking hits per second through a queue (latency grows above it)')
    .option('--capacity-queue <hits>', 'hits that may wait with --capacity before 503 + Retry-After (default: a quarter second of work, at least 100)')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  trafficinator sink --port 8080 --summary-json sink.json\n' +
        '  trafficinator sink --token secret --sites 1,2 --timezone Europe/Stockholm --record hits.ndjson\n' +
        '  trafficinator sink --fail-rate 0.05 --fail-status 503 --latency 5ms-50ms --duration 60s\n' +
        '  trafficinator sink --partial-commit-rate 0.2 --partial-commit-attempts 1 --fault-seed 3\n' +
        '  trafficinator sink --capacity 800            # a target with a known limit, for `capacity`\n',
    )
    .action(async (flags: Record<string, string | boolean | undefined>) => {
      const { parseSinkFlags } = await import('../../sink/index.js');
      const { runSink } = await import('./sink-run.js');
      const { systemClock } = await import('../../time/clock.js');
      const options = parseSinkFlags(flags);
      await runSink(ctx.io, options, systemClock);
    });
}
