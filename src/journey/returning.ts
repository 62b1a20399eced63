import { derive, hex, weighted } from '../random/rng.js';
import type { Catalogues } from './catalogues.js';
import { drawIdentity, poolIdentity, type Identity } from './identity.js';
import type { JourneySettings, RealismSettings } from './settings.js';

/**
 * Returning visitors as Matomo 5.0.2 counts them. Matomo marks a new visit returning only when it
 * already holds an earlier visit of the same visitor id (VisitorReturning::onNewVisit,
 * isVisitorKnown; the visitor id is `_id`, or the hash of `uid` when one is sent). No parameter of
 * the hit can claim it.
 *
 * So in a backfill a returning visit of day D is the next visit of a real earlier visitor: visit
 * (D, i) takes the identity of visit (D - g, i) of the same plan, g = 1, 2 or 3 days back
 * (70 / 20 / 10 %). That earlier visit may itself be a return: the identity is followed back to
 * its first visit, always along the same index i. So a visitor comes at most once a day: no two of
 * its visits can merge or reach Matomo out of order within a day (an order of a later visit
 * processed first makes Matomo 5.0.2 fail the whole bulk with HTTP 500: a negative
 * visitor_seconds_since_order in an unsigned column). On a day lighter than the one before (a
 * weekend) the visits past its count have no earlier visit: Matomo counts them new, and so does the
 * forecast.
 * Everything derives from (seed, day, index), never from the window: the same visit is the same in
 * every backfill. Matomo counts it returning when the earlier visit is in Matomo first: inside the
 * window (days are sent in order), or sent by an earlier backfill with the same seed. The first
 * day of a fresh window therefore has no returning visits, the second about 70 % of the configured
 * share, the third 90 %, and from the fourth day on the full share (docs/journeys.md).
 *
 * A live run (scope 'run') keeps the seeded pool of `visitorPool` identities.
 */
export interface VisitRef {
  scope: string;
  index: number;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const GAPS: ReadonlyArray<readonly [days: number, weight: number]> = [
  [1, 0.7],
  [2, 0.2],
  [3, 0.1],
];
/** A chain of returns this long ends at a pool identity (never reached in practice). */
const MAX_CHAIN = 64;

/** The earlier visit whose visitor comes back in visit (scope, index) of a backfill day. */
export function referentOf(seed: string | number, scope: string, index: number): VisitRef | undefined {
  const m = DAY.exec(scope);
  if (!m) return undefined;
  const rng = derive(seed, 'referent', scope, index);
  const [gap] = weighted(rng, GAPS, (g) => g[1]);
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) - gap)).toISOString().slice(0, 10);
  return { scope: date, index };
}

export interface VisitorContext {
  seed: string | number;
  settings: JourneySettings;
  catalogues: Catalogues;
  realism: RealismSettings;
  /** Whether visit (scope, index) is a return (its persona's returning chance, drawn for it). */
  returnsAt(scope: string, index: number): boolean;
}

/** Whether the visit is a return: drawn from a stream of its own, so others can ask about it. */
export function drawsReturn(seed: string | number, scope: string, index: number, chanceOfReturn: number): boolean {
  return derive(seed, 'returning', scope, index).next() < chanceOfReturn;
}

/**
 * A first-time visitor of visit (scope, index): device, country and, for the loggedInShare of
 * identities that have an account, a stable `uid` sent on every visit (Matomo then keys the
 * visitor on the uid: the first visit must carry it too, or the return would be a stranger).
 */
export function freshIdentity(ctx: VisitorContext, scope: string, index: number): Identity {
  const rng = derive(ctx.seed, 'visitor', scope, index);
  const account = rng.next();
  const uid = hex(rng, 10);
  const identity = drawIdentity(rng, ctx.settings, ctx.catalogues);
  if (account < ctx.realism.loggedInShare) identity.visitor.uid = `u-${uid}`;
  return identity;
}

/** Where a visit's chain of returns ends: a first visit (scope, index), or pool identity `pool`. */
export type ChainEnd = { pool: number } | VisitRef;

/**
 * Follows visit (scope, index) back through its returns (`returning`: whether it is one) to the
 * visit that first brought its visitor, or to a pool identity. Only the returning draws: no
 * identity is built, so a shard can ask who owns a visit cheaply (journey/shard.ts).
 */
export function chainEnd(
  seed: string | number,
  visitorPool: number,
  returnsAt: (scope: string, index: number) => boolean,
  scope: string,
  index: number,
  returning: boolean,
): ChainEnd {
  let ref: VisitRef = { scope, index };
  let returns = returning;
  for (let depth = 0; returns; depth++) {
    const earlier = referentOf(seed, ref.scope, ref.index);
    if (earlier === undefined || depth >= MAX_CHAIN) {
      return { pool: Math.floor(derive(seed, 'pool', ref.scope, ref.index).next() * Math.max(1, visitorPool)) };
    }
    ref = earlier;
    returns = returnsAt(ref.scope, ref.index);
  }
  return ref;
}

/** Who makes visit (scope, index): its own first-time visitor, or the one it returns as. */
export function visitorAt(ctx: VisitorContext, scope: string, index: number, returning: boolean): Identity {
  const end = chainEnd(ctx.seed, ctx.realism.visitorPool, (s, i) => ctx.returnsAt(s, i), scope, index, returning);
  if ('pool' in end) return poolIdentity(ctx.seed, end.pool, ctx.settings, ctx.catalogues, ctx.realism.loggedInShare);
  return freshIdentity(ctx, end.scope, end.index);
}

/** What the prediction needs of a planned visit. */
export interface TimedVisitor {
  /** Matomo's visitor key: the `uid` when sent, else `_id`. */
  key: string;
  startMs: number;
}

/**
 * Matomo's count of returning visits for visits sent in time order into a site that holds none of
 * these visitors yet: a visit is returning when an earlier one has the same visitor key.
 */
export function countReturning(visits: Iterable<TimedVisitor>): { visits: number; returning: number } {
  const sorted = [...visits].sort((a, b) => a.startMs - b.startMs);
  const seen = new Set<string>();
  let returning = 0;
  for (const v of sorted) {
    if (seen.has(v.key)) returning++;
    else seen.add(v.key);
  }
  return { visits: sorted.length, returning };
}
