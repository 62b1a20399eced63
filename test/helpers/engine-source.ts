import type { PlannedVisit, VisitSource } from '../../src/engine/visit-source.js';
import type { HitType } from '../../src/journey/visit.js';
import type { Clock } from '../../src/time/clock.js';

/** Visits whose requests say who they are: `?v=<visit>&h=<hit>&t=<target>`. */
export function fakeSource(options: {
  hits?: number;
  pausesMs?: number[];
  targets?: number;
  limit?: number;
  types?: HitType[];
}): VisitSource & { planned: number[] } {
  const hits = options.hits ?? options.pausesMs?.length ?? 1;
  const pausesMs = options.pausesMs ?? new Array<number>(hits).fill(0);
  const targets = options.targets ?? 1;
  const planned: number[] = [];
  return {
    planned,
    plan(index: number): PlannedVisit | undefined {
      if (options.limit !== undefined && index >= options.limit) return undefined;
      planned.push(index);
      const target = index % targets;
      const hitTypes = Array.from({ length: hits }, (_, j) => options.types?.[j] ?? (j === 0 ? 'pageview' : 'event'));
      return {
        target,
        hitTypes,
        pausesMs,
        requests: (wall) =>
          hitTypes.map((_, j) => ({
            method: 'GET' as const,
            url: `http://127.0.0.1/matomo.php?v=${index}&h=${j}&t=${target}&at=${wall}`,
            headers: {},
          })),
      };
    },
  };
}

export function visitOf(url: string): number {
  return Number(/[?&]v=(\d+)/.exec(url)?.[1]);
}

/** Lets every pending continuation run (a sync point, not a sleep). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Moves a ManualClock forward in small steps, letting the engine react at each one. */
export async function advanceBy(
  clock: { advance(ms: number): Promise<void> },
  ms: number,
  stepMs = 10,
): Promise<void> {
  for (let done = 0; done < ms; done += stepMs) {
    await clock.advance(Math.min(stepMs, ms - done));
    await settle();
  }
}

/** A clock whose sleeps all end `lateMs` late: what a busy event loop does to a scheduler. */
export function lateClock(inner: Clock, lateMs: number): Clock {
  return {
    now: () => inner.now(),
    monotonic: () => inner.monotonic(),
    sleep: (ms, signal) => inner.sleep(ms + lateMs, signal),
  };
}
