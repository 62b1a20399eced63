import type { BackfillSummary } from '../backfill-summary.js';
import type { CapacitySummary } from '../capacity.js';
import type { RunSummary, TimeseriesRow } from '../summary.js';
import { backfillSections } from './backfill.js';
import { capacitySections } from './capacity.js';
import { renderPage } from './page.js';
import { runSections } from './run.js';
import { verifySections, type VerifyDoc } from './verify.js';
import type { ReportPage, Section } from './spec.js';

/** A summary the report reads, tagged with the command that wrote it. */
export type ReportInput =
  | { kind: 'run'; name: string; summary: RunSummary; timeseries?: readonly TimeseriesRow[] }
  | { kind: 'backfill'; name: string; summary: BackfillSummary }
  | { kind: 'capacity'; name: string; summary: CapacitySummary }
  | { kind: 'verify'; name: string; summary: VerifyDoc };

/** The whole page for one or more summaries (each its own sections, in the order given). */
export function renderHtmlReport(inputs: readonly ReportInput[], chartLibrary: string, generatedAt: string): string {
  const sections: Section[] = [];
  for (const input of inputs) {
    if (input.kind === 'run') sections.push(...runSections(input.summary, input.timeseries, input.name));
    else if (input.kind === 'backfill') sections.push(...backfillSections(input.summary, input.name));
    else if (input.kind === 'verify') sections.push(...verifySections(input.summary, input.name));
    else sections.push(...capacitySections(input.summary, input.name));
  }
  const kinds = [...new Set(inputs.map((i) => i.kind))].join(', ');
  const page: ReportPage = { title: `trafficinator ${kinds} report`, subtitle: `${inputs.map((i) => i.name).filter(Boolean).concat([`written ${generatedAt}`]).join(' · ')}`, sections };
  // Several summaries of one kind: chart ids must stay unique on the page.
  return renderPage(uniqueIds(page), chartLibrary);
}

function uniqueIds(page: ReportPage): ReportPage {
  const seen = new Map<string, number>();
  for (const section of page.sections) {
    for (const block of section.blocks) {
      if (block.kind !== 'chart') continue;
      const n = seen.get(block.chart.id) ?? 0;
      seen.set(block.chart.id, n + 1);
      if (n > 0) block.chart = { ...block.chart, id: `${block.chart.id}-${n + 1}` };
    }
  }
  return page;
}
