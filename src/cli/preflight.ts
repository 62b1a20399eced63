import { suggestTrackerUrl } from '../config/tracker-url.js';
import { TargetError } from '../errors.js';
import { MATOMO_TRACKER_TEXT, networkReason } from '../probe/probe.js';
import type { Transport } from '../transport/transport.js';

export interface PreflightResult {
  url: string;
  status: number;
  latencyMs: number;
}

/**
 * A bare GET of each tracker before anything is sent (Matomo answers it with 200 and a page
 * saying "This resource is part of Matomo"). The first target that does not answer so stops the
 * run with a TargetError (exit 2) naming it and the reason. Sent through the run's own transport,
 * so --proxy, --header and --insecure apply as they will to the hits.
 */
export async function preflight(
  transport: Transport,
  urls: readonly string[],
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<PreflightResult[]> {
  const results: PreflightResult[] = [];
  for (const url of new Set(urls)) {
    const outcome = await transport.send({ method: 'GET', url, headers: {} }, options.signal);
    const where = `preflight GET ${url}`;
    if (outcome.kind === 'error') {
      throw new TargetError(`${where}: ${networkReason(outcome, url, options.timeoutMs)}; nothing was sent (--no-preflight skips this check)`);
    }
    const suggestion = suggestTrackerUrl(url);
    const fix = suggestion ? `did you mean --url ${suggestion}?` : 'the URL should be the tracker endpoint, …/matomo.php';
    if (outcome.status !== 200) {
      throw new TargetError(`${where}: HTTP ${outcome.status}; ${fix}; nothing was sent`);
    }
    if (!outcome.body.includes(MATOMO_TRACKER_TEXT)) {
      throw new TargetError(`${where}: answers, but not like a Matomo tracker (no "${MATOMO_TRACKER_TEXT}")${suggestion ? `; ${fix}` : ''}; nothing was sent`);
    }
    results.push({ url, status: outcome.status, latencyMs: outcome.latencyMs });
  }
  return results;
}
