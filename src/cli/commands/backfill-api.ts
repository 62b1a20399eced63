import {
  LIVE_PAGE_SIZE,
  liveVisitsRequest,
  readLivePage,
  readTrackingFailures,
  readVisitsSummary,
  trackingFailuresRequest,
  visitsSummaryRequest,
  type ArchiveState,
  type Counts,
  type TrackingFailure,
} from '../../backfill/verify.js';
import { failureOf } from '../../backfill/target-checks.js';
import { apiUrlFor, parseApiAnswer } from '../../matomo/api.js';
import type { Outcome, Transport } from '../../transport/transport.js';

/**
 * The Reporting API calls of verify: what Matomo recorded per day (backfill's checks before
 * sending are in backfill/target-checks.ts). `Live.getLastVisitsDetails` reads raw logs, so it answers
 * before any archiving. A target with no Reporting API (a tracker-only proxy) is told apart from a
 * Matomo that refuses: the first gets a warning, the second stops the command.
 */
export type ApiProblem =
  /** Nothing answers like Matomo's API there (HTML, 404, not JSON): a tracker-only proxy. */
  | { kind: 'no-api'; message: string }
  /** Matomo answered with an error (bad token, unknown site, no access). */
  | { kind: 'refused'; message: string }
  /** The network failed (refused, DNS, timeout). */
  | { kind: 'unreachable'; message: string };

function problemOf(outcome: Outcome): ApiProblem {
  const answer = parseApiAnswer(outcome);
  return answer.ok ? { kind: 'no-api', message: 'unexpected answer' } : failureOf(outcome, answer.message);
}

/** Runs `fn` over items with at most `limit` at once, keeping the order of the results. */
async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export interface RecordedDay {
  date: string;
  raw?: Counts;
  archive?: ArchiveState;
}

/** Raw-log counts (paged) and the archive state of each day; undefined fields when the API failed. */
export async function recordedDays(transport: Transport, trackerUrl: string, siteId: number, dates: readonly string[], tokenAuth?: string): Promise<{ days: RecordedDay[]; problem?: ApiProblem }> {
  const apiUrl = apiUrlFor(trackerUrl);
  let problem: ApiProblem | undefined;
  const days = await pool(dates, 4, async (date): Promise<RecordedDay> => {
    const raw: Counts = { visits: 0, actions: 0 };
    for (let offset = 0; ; offset += LIVE_PAGE_SIZE) {
      const outcome = await transport.send(liveVisitsRequest(apiUrl, siteId, date, offset, tokenAuth));
      const answer = parseApiAnswer(outcome);
      const page = answer.ok ? readLivePage(answer.value) : undefined;
      if (!page) {
        problem ??= answer.ok ? { kind: 'no-api', message: 'Live.getLastVisitsDetails did not answer a list' } : problemOf(outcome);
        return { date };
      }
      raw.visits += page.visits;
      raw.actions += page.actions;
      if (page.rows < LIVE_PAGE_SIZE) break;
    }
    const summary = parseApiAnswer(await transport.send(visitsSummaryRequest(apiUrl, siteId, date, tokenAuth)));
    const archive = summary.ok ? readVisitsSummary(summary.value, raw.visits) : undefined;
    return archive ? { date, raw, archive } : { date, raw };
  });
  return problem ? { days, problem } : { days };
}

export async function trackingFailures(transport: Transport, trackerUrl: string, siteId: number, tokenAuth?: string): Promise<TrackingFailure[] | undefined> {
  const answer = parseApiAnswer(await transport.send(trackingFailuresRequest(apiUrlFor(trackerUrl), tokenAuth)));
  return answer.ok ? readTrackingFailures(answer.value, siteId) : undefined;
}
