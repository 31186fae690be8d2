/**
 * The gateway's HTTP client to one subgraph: a keep-alive connection pool of its own (node:http Agent)
 * and a body read once. Node's fetch would hand the body over as a web stream; the gateway read it
 * (to bound it by the deadline), wrapped it in a new Response and Apollo's data source parsed that
 * again: a third of the gateway's CPU per request went to fetch and web streams. Here the chunks are
 * joined once, decoded once and parsed once, on the first `json()` or `text()`.
 *
 * What the data source and the gateway's error mapping rely on is kept: the whole exchange (connect,
 * headers and body) is bounded by the deadline and fails with a `TimeoutError` past it (TIMEOUT); a
 * subgraph that cannot be reached fails as Node's fetch does, `TypeError: fetch failed` with the
 * socket's error as its cause (UNAVAILABLE, gateway.ts subgraphFailure).
 */
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { RemoteGraphQLDataSource } from '@apollo/gateway';

// Apollo's fetcher types, as its data source declares them.
type Fetcher = RemoteGraphQLDataSource['fetcher'];
type FetcherRequestInit = NonNullable<Parameters<Fetcher>[1]>;
type FetcherResponse = Awaited<ReturnType<Fetcher>>;
type FetcherHeaders = FetcherResponse['headers'];

/** Sockets kept per subgraph: the gateway's requests to it in parallel beyond this queue for a socket. */
const MAX_SOCKETS = 64;

/** A response's headers, read only (the data source reads Content-Type and Cache-Control). */
class ReceivedHeaders implements FetcherHeaders {
  constructor(private readonly raw: IncomingHttpHeaders) {}
  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  }
  has(name: string): boolean {
    return this.raw[name.toLowerCase()] !== undefined;
  }
  append(): void {
    throw new TypeError("a received response's headers are read only");
  }
  delete(): void {
    throw new TypeError("a received response's headers are read only");
  }
  set(): void {
    throw new TypeError("a received response's headers are read only");
  }
  *entries(): IterableIterator<[string, string]> {
    for (const name of Object.keys(this.raw)) yield [name, this.get(name) ?? ''];
  }
  *keys(): IterableIterator<string> {
    yield* Object.keys(this.raw);
  }
  *values(): IterableIterator<string> {
    for (const name of Object.keys(this.raw)) yield this.get(name) ?? '';
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}

/** A subgraph's answer, its body already received in full; decoded and parsed once, when first asked. */
class ReceivedResponse implements FetcherResponse {
  readonly redirected = false;
  readonly headers: FetcherHeaders;
  #text: string | undefined;
  #json: unknown;
  #parsed = false;
  bodyUsed = false;

  constructor(
    readonly url: string,
    readonly status: number,
    readonly statusText: string,
    private readonly rawHeaders: IncomingHttpHeaders,
    private readonly body: Buffer,
  ) {
    this.headers = new ReceivedHeaders(rawHeaders);
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  text(): Promise<string> {
    this.bodyUsed = true;
    return Promise.resolve((this.#text ??= this.body.toString('utf8')));
  }

  async json(): Promise<unknown> {
    if (!this.#parsed) {
      this.#json = JSON.parse(await this.text());
      this.#parsed = true;
    }
    return this.#json;
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    this.bodyUsed = true;
    return Promise.resolve(
      this.body.buffer.slice(this.body.byteOffset, this.body.byteOffset + this.body.byteLength) as ArrayBuffer,
    );
  }

  clone(): FetcherResponse {
    return new ReceivedResponse(this.url, this.status, this.statusText, this.rawHeaders, this.body);
  }
}

export interface SubgraphClient {
  /** Apollo's fetcher signature: one POST (or GET) to the subgraph, bounded by `ms`. */
  fetch(url: string, init: FetcherRequestInit | undefined, ms: number): Promise<FetcherResponse>;
  /** Closes the kept sockets (the gateway's stop). */
  close(): void;
}

/** One client per subgraph: its own keep-alive pool, so one subgraph's slow answers never hold another's sockets. */
export function subgraphClient(): SubgraphClient {
  const agents = {
    http: new Agent({ keepAlive: true, maxSockets: MAX_SOCKETS }),
    https: new HttpsAgent({ keepAlive: true, maxSockets: MAX_SOCKETS }),
  };
  return {
    fetch: (url, init, ms) =>
      new Promise<FetcherResponse>((resolve, reject) => {
        const target = new URL(url);
        const secure = target.protocol === 'https:';
        const body = init?.body;
        const headers: Record<string, string | number> = { ...init?.headers };
        if (body !== undefined) headers['content-length'] = Buffer.byteLength(body);
        const deadline = AbortSignal.timeout(ms);
        const signals = init?.signal instanceof AbortSignal ? AbortSignal.any([init.signal, deadline]) : deadline;
        let settled = false;
        const fail = (error: unknown) => {
          if (settled) return;
          settled = true;
          signals.removeEventListener('abort', onAbort);
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the signal's own reason (a DOMException TimeoutError) is what callers tell apart
          reject(error);
        };
        // Past the deadline (or aborted by the caller): the socket is destroyed, never reused, and the reason is the signal's (TimeoutError).
        const onAbort = () => {
          outgoing.destroy();
          fail(signals.reason);
        };
        const outgoing = (secure ? httpsRequest : httpRequest)(
          target,
          { method: init?.method ?? 'POST', headers, agent: secure ? agents.https : agents.http },
          (incoming) => {
            const chunks: Buffer[] = [];
            incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
            incoming.on('error', (error) => fail(new TypeError('fetch failed', { cause: error })));
            incoming.on('close', () => {
              if (!incoming.complete)
                fail(
                  new TypeError('fetch failed', {
                    cause: new Error('the subgraph closed the connection mid-response'),
                  }),
                );
            });
            incoming.on('end', () => {
              if (settled) return;
              settled = true;
              signals.removeEventListener('abort', onAbort);
              resolve(
                new ReceivedResponse(
                  url,
                  incoming.statusCode ?? 0,
                  incoming.statusMessage ?? '',
                  incoming.headers,
                  Buffer.concat(chunks),
                ),
              );
            });
          },
        );
        if (signals.aborted) {
          onAbort();
          return;
        }
        signals.addEventListener('abort', onAbort, { once: true });
        // Refused, reset, closed: as Node's fetch reports them.
        outgoing.on('error', (error) =>
          fail(settled || signals.aborted ? error : new TypeError('fetch failed', { cause: error })),
        );
        outgoing.end(body);
      }),
    close: () => {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
