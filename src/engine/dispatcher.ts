import type { ArrivalPacer } from '../schedule/pacer.js';
import type { RunState } from './run-state.js';
import { hitOffsets, type PlannedVisit } from './visit-source.js';
import { timeLimit } from './stop.js';
import { runVisit } from './visit-runner.js';

/**
 * The open model (k6 constant/ramping-arrival-rate): arrivals fall due on the pacer's schedule from
 * the absolute start, shifted only by daily-cap pauses. A due arrival starts visit `nextIndex` if
 * a slot is free; otherwise it is dropped and counted, and the next arrival offers the same visit
 * again (so visit i is always the model's visit i). Returns when visits stop starting.
 */
export async function dispatchPaced(run: RunState, pacer: ArrivalPacer): Promise<void> {
  const { source, metrics, slots } = run;
  const maxVisits = run.stop.maxVisits;
  const offsetsNeeded = pacer.unit === 'hits';
  // The time limit is decided here, on the schedule, not by a timer racing the arrivals: an arrival
  // due before the limit starts (however late the event loop gets to it), one due at or after it
  // never does, so a seeded run of duration D starts exactly the visits its dry run plans.
  const limit = timeLimit(run.stop);
  let visit: PlannedVisit | undefined;
  while (!run.stopping) {
    const due = pacer.next();
    if (due === undefined) return run.requestStop('schedule-end');
    const dueRun = due + run.pausedMs;
    let now = run.elapsed();
    if (limit && dueRun >= limit.limitMs) {
      if (limit.limitMs > now && !(await sleepOrStop(run, limit.limitMs - now))) return;
      return run.requestStop(limit.reason, limit.limitMs);
    }
    if (source.owns && visit === undefined && !source.owns(run.nextIndex)) {
      // Another shard's arrival (--shard): it keeps its place in the schedule, nothing else. It
      // counts against the daily cap as it does in its own shard, so every shard pauses together.
      if (run.dailyCap && !run.dailyCap.admit(run.clock.now())) {
        if (!(await pauseForDailyCap(run))) return;
        continue;
      }
      const other = offsetsNeeded ? source.plan(run.nextIndex) : undefined;
      if (offsetsNeeded && other === undefined) return run.requestStop('source-end');
      pacer.commit(other ? hitOffsets(other.pausesMs) : EMPTY);
      run.nextIndex += 1;
      if (maxVisits !== undefined && run.nextIndex >= maxVisits) {
        const next = pacer.next();
        const end = next === undefined ? run.elapsed() : Math.max(run.elapsed(), next + run.pausedMs);
        return run.requestStop('max-visits', end);
      }
      continue;
    }
    if (dueRun > now) {
      if (!(await sleepOrStop(run, dueRun - now))) return;
      now = run.elapsed();
    }
    visit ??= source.plan(run.nextIndex);
    if (visit === undefined) return run.requestStop('source-end');
    if (slots.full) {
      pacer.commit(offsetsNeeded ? hitOffsets(visit.pausesMs) : EMPTY);
      metrics.dropped(visit.target, now);
      continue;
    }
    if (run.dailyCap && !run.dailyCap.admit(run.clock.now())) {
      if (!(await pauseForDailyCap(run))) return;
      continue;
    }
    pacer.commit(offsetsNeeded ? hitOffsets(visit.pausesMs) : EMPTY);
    run.nextIndex += 1;
    slots.take();
    void runVisit(run, visit, Math.max(0, now - dueRun));
    visit = undefined;
    if (maxVisits !== undefined && run.nextIndex >= maxVisits) {
      const next = pacer.next();
      // The window of n arrivals ends where arrival n+1 would have been due.
      const end = next === undefined ? run.elapsed() : Math.max(run.elapsed(), next + run.pausedMs);
      return run.requestStop('max-visits', end);
    }
  }
}

const EMPTY: number[] = [];

/**
 * `--rps max`: one loop per slot, each starting its next visit as soon as its last one ended
 * (a closed model; nothing is dropped). Resolves when visits stop starting.
 */
export function dispatchMax(run: RunState): Promise<void> {
  const workers: Array<Promise<void>> = [];
  for (let i = 0; i < run.slots.size; i++) workers.push(worker(run));
  return Promise.all(workers).then(() => undefined);
}

async function worker(run: RunState): Promise<void> {
  const maxVisits = run.stop.maxVisits;
  while (!run.stopping) {
    while (run.source.owns && !run.source.owns(run.nextIndex) && (maxVisits === undefined || run.nextIndex < maxVisits)) run.nextIndex += 1;
    if (maxVisits !== undefined && run.nextIndex >= maxVisits) return run.requestStop('max-visits');
    const visit = run.source.plan(run.nextIndex);
    if (visit === undefined) return run.requestStop('source-end');
    if (run.dailyCap && !run.dailyCap.admit(run.clock.now())) {
      if (!(await pauseForDailyCap(run))) return;
      continue;
    }
    run.nextIndex += 1;
    run.slots.take();
    await runVisit(run, visit, undefined);
  }
}

/** Sleeps `ms` unless visits stop starting first; false when they did. */
async function sleepOrStop(run: RunState, ms: number): Promise<boolean> {
  try {
    await run.clock.sleep(ms, run.stopStarting.signal);
    return !run.stopping;
  } catch {
    return false;
  }
}

/**
 * The day's cap is reached: wait for the next local midnight (the live line says so), then shift
 * the schedule by the time paused so the rate resumes instead of bursting to catch up.
 */
async function pauseForDailyCap(run: RunState): Promise<boolean> {
  const cap = run.dailyCap!;
  const resumeAt = cap.resumeAt(run.clock.now());
  if (run.pausedUntilWall === undefined) {
    run.pausedUntilWall = resumeAt;
    run.phase = 'paused';
  }
  const pauseStart = run.elapsed();
  // A paced run has no timer (see dispatchPaced): its time limit can fall inside the pause.
  const limit = timeLimit(run.stop);
  const toLimit = limit ? limit.limitMs - pauseStart : Infinity;
  let woke = await sleepOrStop(run, Math.min(resumeAt - run.clock.now(), Math.max(0, toLimit)));
  if (woke && limit && run.elapsed() >= limit.limitMs) {
    run.requestStop(limit.reason, limit.limitMs);
    woke = false;
  }
  // Several max-mode workers pause together; only the time itself counts once.
  if (run.phase === 'paused') {
    run.pausedMs += run.elapsed() - pauseStart;
    run.phase = 'running';
    run.pausedUntilWall = undefined;
  }
  return woke;
}
