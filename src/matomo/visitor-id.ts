import { sha1Hex } from '../random/hash.js';
import type { TrackingRequest } from './request.js';

/**
 * The visitor id Matomo 5.0.2 stores for a hit (`enable_userid_overwrites_visitorid = 1`, the
 * default): the first 16 hex characters of sha1(uid) when the hit has a user id, else the `_id`
 * sent. Backfill's reconciliation and verify ask the raw log for it; the sink stores it.
 */
export function storedVisitorId(uid: string | undefined, id: string): string {
  if (uid) return sha1Hex(uid).slice(0, 16);
  return id.toLowerCase();
}

/** storedVisitorId of an encoded hit, `_id` as sent (the encoder writes it in lower case). */
export function matomoVisitorId(req: TrackingRequest): string {
  let id = '';
  for (const [k, v] of req.params) {
    if (k === 'uid') return sha1Hex(v).slice(0, 16);
    if (k === '_id') id = v;
  }
  return id;
}
