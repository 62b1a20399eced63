import { Option, type Command } from 'commander';

// Registration only (no parsing, no server): command modules import this at start-up.
/** The metrics flags of `run` and `backfill`. */
export function addMetricsOptions(cmd: Command): Command {
  cmd.addOption(new Option('--metrics-listen <host:port>', 'serve Prometheus metrics at http://HOST:PORT/metrics during the run (port 0: a free one)'));
  cmd.addOption(new Option('--metrics-public', 'allow a non-loopback --metrics-listen address'));
  cmd.addOption(new Option('--metrics-linger <duration>', 'keep /metrics up this long after the end, for a last scrape (Ctrl-C ends it)'));
  return cmd;
}
