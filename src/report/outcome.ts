import type { Config } from '../config/schema.js';
import { ExitCode } from '../errors.js';
import type { RunSummary } from './summary.js';
import { thresholdsFailed } from './thresholds.js';

/** What a finished run means: the warning about dropped arrivals and the exit code. */

/** The end-of-run warning when arrivals were dropped, or undefined. */
export function droppedWarning(config: Config, summary: RunSummary): string | undefined {
  if (!(summary.visits.dropped > 0)) return undefined;
  return (
    `${summary.visits.dropped} visit arrival(s) dropped: every one of the ${config.concurrency} visit slots was busy ` +
    '(raise --concurrency, or the target is too slow for this rate)'
  );
}

/**
 * 130 when interrupted (by a signal seen at the edge or recorded as the stop reason), 3 on a
 * breached threshold or a run stopped by an abortOnFail one, else 0.
 */
export function runExitCode(summary: RunSummary, interruptedAtEdge: boolean): number {
  const interrupted = interruptedAtEdge || summary.stopReason === 'interrupted' || summary.stopReason === 'interrupted-twice';
  if (interrupted) return ExitCode.interrupted;
  return thresholdsFailed(summary) || summary.stopReason === 'threshold' ? ExitCode.incomplete : ExitCode.ok;
}
