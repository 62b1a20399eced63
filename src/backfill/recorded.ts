import pLimit from 'p-limit';
import { answerOnce, askApi, failureOf, parseApiAnswer, type ApiClient, type ApiProblem } from '../matomo/api.js';
import {
  LIVE_PAGE_SIZE,
  liveVisitsRequest,
  readLivePage,
  readTrackingFailures,
  readVisitRows,
  readVisitsSummary,
  trackingFailuresRequest,
  visitsSummaryRequest,
  type ArchiveState,
  type Counts,
  type TrackingFailure,
  type VisitRow,
} from '../matomo/reporting.js';

/**
 * What verify reads of Matomo per day (backfill's checks before sending are in target-checks.ts).
 * `Live.getLastVisitsDetails` reads raw logs, so it answers before any archiving. A target with no
 * Reporting API (a tracker-only proxy) is told apart from a Matomo that refuses: the first gets a
 * warning, the second stops the command.
 */
export type ReadProblem = Exclude<ApiProblem, { kind: 'unavailable' }>;

export interface RecordedDay {
  date: string;
  raw?: Counts;
  archive?: ArchiveState;
}

/** Raw-log counts (paged) and the archive state of each day, four days at a time; undefined fields when the API failed. */
export async function recordedDays(client: ApiClient, siteId: number, dates: readonly string[]): Promise<{ days: RecordedDay[]; problem?: ReadProblem }> {
  const limit = pLimit(4);
  let problem: ReadProblem | undefined;
  const days = await Promise.all(
    dates.map((date) =>
      limit(async (): Promise<RecordedDay> => {
        const raw: Counts = { visits: 0, actions: 0 };
        for (let offset = 0; ; offset += LIVE_PAGE_SIZE) {
          const outcome = await client.transport.send(liveVisitsRequest(client.apiUrl, siteId, date, offset, client.tokenAuth));
          const answer = parseApiAnswer(outcome);
          const page = answer.ok ? readLivePage(answer.value) : undefined;
          if (!page) {
            problem ??= answer.ok ? { kind: 'no-api', message: 'Live.getLastVisitsDetails did not answer a list' } : failureOf(outcome, answer.message);
            return { date };
          }
          raw.visits += page.visits;
          raw.actions += page.actions;
          if (page.rows < LIVE_PAGE_SIZE) break;
        }
        const summary = await answerOnce(client, visitsSummaryRequest(client.apiUrl, siteId, date, client.tokenAuth));
        const archive = summary.ok ? readVisitsSummary(summary.value, raw.visits) : undefined;
        return archive ? { date, raw, archive } : { date, raw };
      }),
    ),
  );
  return problem ? { days, problem } : { days };
}

/** The tracking failures Matomo logged for the site; undefined when it did not answer. */
export async function trackingFailures(client: ApiClient, siteId: number): Promise<TrackingFailure[] | undefined> {
  const answer = await answerOnce(client, trackingFailuresRequest(client.apiUrl, client.tokenAuth));
  return answer.ok ? readTrackingFailures(answer.value, siteId) : undefined;
}

/** Every raw visit of a day (Live API, paged, retried like the checks); a message when Matomo did not answer. */
export async function visitRows(client: ApiClient, siteId: number, date: string): Promise<VisitRow[] | string> {
  const rows: VisitRow[] = [];
  for (let offset = 0; ; offset += LIVE_PAGE_SIZE) {
    const answer = await askApi(client, liveVisitsRequest(client.apiUrl, siteId, date, offset, client.tokenAuth));
    if (!('value' in answer)) return answer.message;
    const page = readVisitRows(answer.value);
    if (!page) return 'Live.getLastVisitsDetails did not answer a list of visits';
    rows.push(...page);
    if (page.length < LIVE_PAGE_SIZE) return rows;
  }
}
