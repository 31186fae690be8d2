/** Ports: a taken one is one line naming it and the variable that changes it. */
import { createServer } from 'node:net';

export class PortTakenError extends Error {
  constructor(
    readonly port: number,
    readonly variable: string,
    host = '127.0.0.1',
  ) {
    super(`Port ${port} on ${host} is already in use: stop what holds it or set ${variable} to another port`);
    this.name = 'PortTakenError';
  }
}

/** Resolves when `port` can be listened on at `host`; rejects with PortTakenError naming `variable` otherwise. */
export async function assertPortFree(port: number, host: string, variable: string): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' || error.code === 'EACCES' ? new PortTakenError(port, variable, host) : error),
    );
    server.listen(port, host, () => server.close(() => resolve()));
  });
}

/**
 * How long an idle keep-alive connection stays open on the gateway's and the subgraphs' servers. Node's
 * default (5 s) is shorter than a client's event loop may stay busy (a large page, a schema built at
 * start): the client then sends its next request on a connection the server has just closed and reads
 * ECONNRESET. Clients (Node's fetch, http.Agent) close a socket about a second before the timeout the
 * server announces (`Keep-Alive: timeout=65`), and a load balancer's idle timeout is usually 60 s:
 * the server must outlast both.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** Applies KEEP_ALIVE_TIMEOUT_MS to a server; its headers timeout must exceed it (Node's rule). */
export function keepConnectionsAlive(server: { keepAliveTimeout: number; headersTimeout: number }): void {
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
}
