import type { Reconciler } from './replay.js';
import { answerOnce } from '../matomo/api.js';
import type { TrackingRequest } from '../matomo/request.js';
import { readStoredVisits, VISITORS_PER_QUERY, visitorsOfDayRequest, type StoredVisit } from '../matomo/reporting.js';
import type { Transport } from '../transport/transport.js';
import { actionSecondsIn, reconcileHits, visitorIdsOf } from './reconcile.js';

/**
 * The reconciler backfill uses: reads the batch's visitors' visits of the day from Matomo's raw
 * log (Live API, no archiving needed), then lets reconcile.ts decide per hit. The Transport is
 * injected, so this stays testable against recorded answers.
 */
export interface LiveReconcilerOptions {
  transport: Transport;
  apiUrl: string;
  siteId: number | string;
  tokenAuth?: string;
  /** The visitor id Matomo stores for a request (`_id`, or the hash of `uid`). */
  visitorIdOf(req: TrackingRequest): string;
  /** The site's time zone: Matomo reports action times shifted by its offset. */
  zone: string;
  /** Tries per Live request before giving up (a busy Matomo answers 5xx now and then). */
  attempts?: number;
}

export function liveReconciler(o: LiveReconcilerOptions): Reconciler {
  const attempts = o.attempts ?? 3;
  const actionSeconds = actionSecondsIn(o.zone);
  const fetchVisits = async (date: string, ids: readonly string[]): Promise<StoredVisit[] | string> => {
    let last = '';
    for (let attempt = 0; attempt < attempts; attempt++) {
      const answer = await answerOnce(o, visitorsOfDayRequest(o.apiUrl, o.siteId, date, ids, o.tokenAuth));
      if (answer.ok) {
        const visits = readStoredVisits(answer.value);
        if (visits) return visits;
        return 'Live.getLastVisitsDetails did not answer a list of visits';
      }
      last = answer.message;
      // An error object with a 200 (no access, unknown site) will not change on a retry.
      if (answer.status !== undefined && answer.status < 500) break;
    }
    return `Live.getLastVisitsDetails: ${last}`;
  };
  return async (date, requests) => {
    const ids = visitorIdsOf(requests, o.visitorIdOf);
    const stored: StoredVisit[] = [];
    for (let i = 0; i < ids.length; i += VISITORS_PER_QUERY) {
      const visits = await fetchVisits(date, ids.slice(i, i + VISITORS_PER_QUERY));
      if (typeof visits === 'string') return { unavailable: visits };
      stored.push(...visits);
    }
    return reconcileHits(requests, stored, o.visitorIdOf, actionSeconds);
  };
}
