/**
 * The network behind one interface. Commands pick an implementation (undici, memory, dry-run);
 * the engine only sees this.
 */
export interface HttpRequest {
  method: 'GET' | 'POST';
  /** Absolute URL. */
  url: string;
  /**
   * `url` already split (scheme://host:port, and /path?query), when the builder knows them: the
   * transport then skips parsing the URL of every hit. When set, origin + path equals url.
   */
  origin?: string;
  path?: string;
  headers: Record<string, string>;
  body?: string;
}

/** Why a request got no HTTP answer. */
export type NetworkErrorClass = 'timeout' | 'refused' | 'reset' | 'dns' | 'tls' | 'other';

export type Outcome =
  | {
      kind: 'response';
      status: number;
      headers: Record<string, string>;
      body: string;
      latencyMs: number;
    }
  | {
      kind: 'error';
      errorClass: NetworkErrorClass;
      message: string;
      latencyMs: number;
      /**
       * False only when the request provably never reached the server (refused, DNS): safe to
       * retry without risking a duplicate hit.
       */
      mayHaveBeenProcessed: boolean;
    };

export interface Transport {
  send(request: HttpRequest, signal?: AbortSignal): Promise<Outcome>;
  close(): Promise<void>;
}
