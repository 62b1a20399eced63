import { ExitCode, UsageError } from '../../errors.js';
import { CHART_LIBRARY } from '../../report/html/chart-library.js';
import { renderHtmlReport, type ReportInput } from '../../report/html/index.js';
import { isMergeable, mergeRunSummaries, type MergeableRunSummary } from '../../report/merge.js';
import { mergeBackfillSummaries } from '../../report/backfill-merge.js';
import type { BackfillSummary } from '../../report/backfill-summary.js';
import { renderBackfillSummaryText } from '../../report/backfill-text.js';
import { readSummaries, readTimeseries } from '../../report/read-summary.js';
import { thresholdsFailed } from '../../report/thresholds.js';
import { renderCapacityText } from '../../report/capacity.js';
import { renderSummaryText } from '../../report/text.js';
import { htmlTarget, reportTime } from '../html-output.js';
import type { Io } from '../../io.js';

interface ReportFlags {
  timeseries?: string;
  html?: string;
  json?: boolean;
}

export async function runReport(io: Io, files: readonly string[], flags: ReportFlags): Promise<number> {
  if (flags.html === '-' && flags.json) throw new UsageError('--html - and --json both write stdout: give --html a file name');
  const inputs: ReportInput[] = [];
  for (const file of files) {
    const read = readSummaries(await readText(io, file, 'summary'), file);
    if (!read.ok) throw new UsageError(read.message);
    inputs.push(...read.inputs);
  }
  if (flags.timeseries !== undefined) {
    const runs = inputs.filter((i) => i.kind === 'run');
    if (runs.length !== 1) throw new UsageError(`--timeseries goes with exactly one run summary (${runs.length} given)`);
    const rows = readTimeseries(await readText(io, flags.timeseries, '--timeseries'), flags.timeseries);
    if (typeof rows === 'string') throw new UsageError(rows);
    runs[0]!.timeseries = rows;
  }
  // Several backfill summaries (the shards of one backfill, or backfills of other windows or
  // targets) are merged for every output, the page too; refused before --html OUT is created.
  const backfill = inputs.filter((i) => i.kind === 'backfill').length > 1 && !inputs.some((i) => i.kind === 'run') ? mergeBackfills(inputs) : undefined;
  const write = flags.html === undefined ? undefined : await htmlTarget(io, flags.html);
  if (backfill) return writeMergedBackfill(io, backfill, inputs.length, flags, write);
  // Several run summaries are the parts of one run (shards): --json and the text report merge them.
  const merged = (flags.json || !write) && inputs.length > 1 && inputs.some((i) => i.kind === 'run') ? mergeInputs(inputs) : undefined;
  if (flags.json) {
    const docs = merged ? [merged] : inputs.map((i) => i.summary);
    io.stdout.write(JSON.stringify(docs.length === 1 ? docs[0] : docs, null, 2) + '\n');
  }
  if (write) {
    await write(renderHtmlReport(inputs, CHART_LIBRARY, reportTime()));
    if (flags.html !== '-') io.stderr.write(`report: wrote ${flags.html}\n`);
  }
  if (!flags.json && !write && merged) io.stdout.write(renderSummaryText(merged));
  else if (!flags.json && !write) {
    for (const input of inputs) {
      if (input.kind === 'run') io.stdout.write(renderSummaryText(input.summary));
      else if (input.kind === 'capacity') io.stdout.write(renderCapacityText(input.summary));
      else io.stdout.write(`${input.name}: ${input.kind} result of ${input.summary.targets.length} target(s); --html OUT draws it\n`);
    }
  }
  // The merged run's thresholds decide, as a single run's would (exit 3 when one is breached).
  return merged && thresholdsFailed(merged) ? ExitCode.incomplete : ExitCode.ok;
}

/** A merged backfill as JSON, a page and/or text; exit 3 when a merged day is not complete, as backfill's own. */
async function writeMergedBackfill(io: Io, merged: BackfillSummary, count: number, flags: ReportFlags, write: ((html: string) => Promise<void>) | undefined): Promise<number> {
  const name = `${count} backfill summaries merged`;
  if (flags.json) io.stdout.write(JSON.stringify(merged, null, 2) + '\n');
  if (write) {
    await write(renderHtmlReport([{ kind: 'backfill', name, summary: merged }], CHART_LIBRARY, reportTime()));
    if (flags.html !== '-') io.stderr.write(`report: wrote ${flags.html}\n`);
  }
  if (!flags.json && !write) io.stdout.write(renderBackfillSummaryText(merged, `${name}:`));
  return merged.exitCode === 0 ? ExitCode.ok : ExitCode.incomplete;
}

/** One summary of several backfills' summaries, or a usage error (exit 2) naming the file in the way. */
function mergeBackfills(inputs: readonly ReportInput[]): BackfillSummary {
  const parts: Array<{ name: string; summary: BackfillSummary }> = [];
  for (const input of inputs) {
    if (input.kind !== 'backfill') {
      throw new UsageError(`${input.name}: a ${input.kind} result cannot be merged with backfill summaries: give report one kind at a time`);
    }
    parts.push({ name: input.name, summary: input.summary });
  }
  try {
    return mergeBackfillSummaries(parts);
  } catch (error) {
    throw new UsageError(`report: ${(error as Error).message}`);
  }
}

/** One summary of several runs' summaries, or a usage error (exit 2) naming the file in the way. */
function mergeInputs(inputs: readonly ReportInput[]): MergeableRunSummary {
  const runs: MergeableRunSummary[] = [];
  for (const input of inputs) {
    if (input.kind !== 'run') {
      throw new UsageError(`${input.name}: a ${input.kind} result cannot be merged with run summaries: give report one kind at a time`);
    }
    if (!isMergeable(input.summary)) {
      throw new UsageError(
        `${input.name}: run summary version ${input.summary.version} carries no histograms: merging reads version 3 and later (write it again with this trafficinator)`,
      );
    }
    runs.push(input.summary);
  }
  try {
    return mergeRunSummaries(runs);
  } catch (error) {
    throw new UsageError(`report: ${(error as Error).message}`);
  }
}

async function readText(io: Io, file: string, what: string): Promise<string> {
  try {
    return await io.readFile(file);
  } catch (error) {
    throw new UsageError(`${what} ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}
