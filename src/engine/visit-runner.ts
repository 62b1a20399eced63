import type { HttpRequest, Outcome } from '../transport/transport.js';
import type { RunState } from './run-state.js';
import type { PlannedVisit } from './visit-source.js';

/**
 * Sends one visit's hits one after another (never two of a visit in flight), with the real pause
 * before each. A failed hit does not end the visit; a stop at once does. Resolves when the slot is
 * free again. The slot was taken by the caller.
 */
export async function runVisit(run: RunState, visit: PlannedVisit, lagMs: number | undefined): Promise<void> {
  const { metrics, clock } = run;
  const hard = run.hard.signal;
  const target = visit.target;
  metrics.visitStarted(target, lagMs);
  let completed = true;
  try {
    const start = clock.now();
    let count: number;
    let requestOf: (j: number) => HttpRequest;
    if (visit.hitRequests) {
      count = visit.hitTypes.length;
      requestOf = visit.hitRequests(start);
    } else {
      const requests = visit.requests(start);
      count = requests.length;
      requestOf = (j) => requests[j]!;
    }
    for (let j = 0; j < count; j++) {
      const pause = visit.pausesMs[j] ?? 0;
      if (pause > 0) await run.pause(pause);
      if (hard.aborted) {
        completed = false;
        break;
      }
      const request = requestOf(j);
      let outcome: Outcome;
      try {
        outcome = await run.transport.send(request, hard);
      } catch (error) {
        // Transports classify their own failures; this is the net for one that throws anyway.
        outcome = thrown(error);
      }
      const type = visit.hitTypes[j] ?? 'pageview';
      if (hard.aborted && outcome.kind === 'error') {
        metrics.hitAborted(target, type);
        completed = false;
        break;
      }
      metrics.hit(target, type, outcome, run.elapsed());
    }
  } catch {
    // A pause ended by the stop at once.
    completed = false;
  }
  metrics.visitEnded(target, completed);
  run.slots.release();
}

function thrown(error: unknown): Outcome {
  return {
    kind: 'error',
    errorClass: 'other',
    message: error instanceof Error ? error.message : String(error),
    latencyMs: 0,
    mayHaveBeenProcessed: true,
  };
}
