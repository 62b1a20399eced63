import type { HitType } from '../journey/visit.js';
import type { TrackingRequest } from '../matomo/request.js';

/**
 * A visit's requests as a worker thread hands them over: per request its bulk query and the
 * visitor id Matomo stores (what the main thread needs for every hit: the batch body and the
 * per-visitor order), and the whole requests as JSON, parsed only if a rare path asks for more
 * (a dead letter, reconciliation, a single-hit POST). Parsing every hit on the main thread cost as
 * much as encoding it there (--cpu-prof).
 *
 * The text of a visit: one line `visitorId\tbulkQuery` per request, then one line of JSON. Neither
 * holds a line break (percent-encoding and JSON.stringify escape them).
 */
export function visitText(requests: readonly TrackingRequest[], bulkQuery: (req: TrackingRequest) => string, visitorId: (req: TrackingRequest) => string): string {
  let text = '';
  for (const req of requests) text += visitorId(req) + '\t' + bulkQuery(req) + '\n';
  return text + JSON.stringify(requests);
}

/** The requests of a visit from its text: bulkQuery and visitorId read, the rest on demand. */
export function requestsOfText(text: string): PreEncodedRequest[] {
  const holder: Parsed = { text, jsonAt: text.lastIndexOf('\n') + 1 };
  const out: PreEncodedRequest[] = [];
  for (let at = 0, i = 0; at < holder.jsonAt; i++) {
    const tab = text.indexOf('\t', at);
    const nl = text.indexOf('\n', tab);
    out.push(new PreEncodedRequest(text.slice(at, tab), text.slice(tab + 1, nl), holder, i));
    at = nl + 1;
  }
  return out;
}

interface Parsed {
  text: string;
  jsonAt: number;
  requests?: TrackingRequest[];
}

export class PreEncodedRequest implements TrackingRequest {
  constructor(
    readonly visitorId: string,
    readonly bulkQuery: string,
    private readonly holder: Parsed,
    private readonly i: number,
  ) {}

  private full(): TrackingRequest {
    const h = this.holder;
    h.requests ??= JSON.parse(h.text.slice(h.jsonAt)) as TrackingRequest[];
    return h.requests[this.i] as TrackingRequest;
  }

  get type(): HitType {
    return this.full().type;
  }
  get visitIndex(): number {
    return this.full().visitIndex;
  }
  get hitIndex(): number {
    return this.full().hitIndex;
  }
  get at(): number {
    return this.full().at;
  }
  get params(): Array<[string, string]> {
    return this.full().params;
  }
  get userAgent(): string {
    return this.full().userAgent;
  }
}
