import { needsToken, toHttpRequest, type TrackerEndpoint } from '../matomo/http.js';
import type { Shard } from '../config/shard.js';
import type { Workload } from '../workload/workload.js';
import type { PlannedVisit, VisitSource } from './visit-source.js';

/**
 * The run's visits from the workload: visit i is the model's visit i, placed on its target and site
 * by workload.placeRunVisit(i), its simulated timeline ending at the instant it starts sending (so
 * no cdt is in the future). `endpoints[t]` is where target t's hits go; the token travels only with
 * the hits that need one (cip, country), which then go as POST.
 */
export function workloadSource(workload: Workload, endpoints: readonly TrackerEndpoint[], shard?: Shard): VisitSource {
  const withoutToken = endpoints.map(({ tokenAuth: _token, ...rest }) => rest);
  return {
    ...(shard && shard.count > 1 ? { owns: (index: number) => workload.shardOf('run', index, shard.count) === shard.index } : {}),
    plan(index): PlannedVisit {
      const { target, siteId } = workload.placeRunVisit(index);
      const visit = workload.visit('run', index);
      const endpoint = endpoints[target];
      const plain = withoutToken[target];
      if (!endpoint || !plain) throw new RangeError(`visit ${index}: no endpoint for target ${target}`);
      return {
        target,
        hitTypes: visit.hits.map((hit) => hit.type),
        pausesMs: visit.hits.map((hit, j) => (j === 0 ? 0 : hit.pauseMs)),
        requests: (startWallMs) =>
          workload
            .encode(visit, siteId, startWallMs - visit.durationMs)
            .map((request) => toHttpRequest(request, needsToken(request) ? endpoint : plain)),
        hitRequests(startWallMs) {
          const encode = workload.encoder(visit, siteId, startWallMs - visit.durationMs);
          return (j) => {
            const request = encode(j);
            return toHttpRequest(request, needsToken(request) ? endpoint : plain);
          };
        },
      };
    },
  };
}
