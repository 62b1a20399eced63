import { TargetError } from '../errors.js';
import { askApi, type ApiClient } from '../matomo/api.js';
import { deleteVisitsRequest, invalidateDaysRequest } from '../matomo/reporting.js';
import type { DayDuplicates } from './duplicates.js';

export interface RepairDone {
  /** Visits deleted from Matomo's raw log. */
  visits: number;
  visitors: number;
  dates: string[];
  /** Why invalidating the days' reports failed (the user runs core:invalidate-report-data). */
  invalidateProblem?: string;
}

/**
 * `verify --repair`: deletes every visit of the damaged visitors on their days
 * (PrivacyManager.deleteDataSubjects, 100 at a time), then releases the visitors' planned visits
 * (`release`: the plan's journal, so `backfill --resume` sends them again, reconciled, exactly
 * once), then invalidates the days' reports. Released only once everything is deleted: a repair cut
 * short (TargetError) leaves the journal as it was.
 */
export async function repairDuplicates(
  client: ApiClient,
  target: { siteId: number },
  days: readonly DayDuplicates[],
  release: (released: Array<{ date: string; visits: number[] }>) => void,
): Promise<RepairDone> {
  const visits = days.flatMap((d) => d.damaged.flatMap((v) => v.visits.map((row) => row.idVisit)));
  const dates = days.filter((d) => d.damaged.length).map((d) => d.date);
  for (let i = 0; i < visits.length; i += 100) {
    const chunk = visits.slice(i, i + 100).map((idVisit) => ({ siteId: target.siteId, idVisit }));
    const answer = await askApi(client, deleteVisitsRequest(client.apiUrl, chunk, client.tokenAuth));
    if (!('value' in answer)) {
      throw new TargetError(`verify --repair: Matomo did not delete visits (${answer.message}; it needs a super-user token): ${i} of ${visits.length} deleted`);
    }
  }
  const released = days
    .map((d) => ({ date: d.date, visits: d.damaged.flatMap((v) => v.planned.visits).sort((a, b) => a - b) }))
    .filter((d) => d.visits.length);
  release(released);
  const done: RepairDone = { visits: visits.length, visitors: days.reduce((a, d) => a + d.damaged.length, 0), dates };
  const invalidated = await askApi(client, invalidateDaysRequest(client.apiUrl, target.siteId, dates, client.tokenAuth));
  if (!('value' in invalidated)) done.invalidateProblem = invalidated.message;
  return done;
}
