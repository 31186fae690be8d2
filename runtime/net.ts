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
    server.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' || error.code === 'EACCES' ? new PortTakenError(port, variable, host) : error));
    server.listen(port, host, () => server.close(() => resolve()));
  });
}
