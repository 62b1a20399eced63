/**
 * What a resume still has to send on a day, from the journal's sets (pure). Acknowledged visits
 * are done; failed ones belong to --retry-failed (their hits are in the dead-letter file);
 * uncertain ones (in flight when the process died, or an answer that proved nothing) are
 * reconciled with Matomo's raw log, or resent only when asked, since Matomo may hold them already.
 */
export interface DayProgress {
  acked: ReadonlySet<number>;
  failed: ReadonlySet<number>;
  uncertain: ReadonlySet<number>;
}

export interface DayRemainder {
  /** Visit indices to send, ascending. */
  visits: number[];
  acked: number;
  failed: number;
  /** Uncertain visits of the day (resent or not). */
  uncertain: number;
  /** Their indices, ascending. */
  uncertainVisits: number[];
  complete: boolean;
}

export function remainingVisits(planned: number, progress: DayProgress | undefined, resendUncertain: boolean): DayRemainder {
  const visits: number[] = [];
  let acked = 0;
  let failed = 0;
  let uncertain = 0;
  const uncertainVisits: number[] = [];
  for (let i = 0; i < planned; i++) {
    if (progress?.acked.has(i)) acked++;
    else if (progress?.failed.has(i)) failed++;
    else if (progress?.uncertain.has(i)) {
      uncertain++;
      uncertainVisits.push(i);
      if (resendUncertain) visits.push(i);
    } else visits.push(i);
  }
  return { visits, acked, failed, uncertain, uncertainVisits, complete: acked === planned };
}
