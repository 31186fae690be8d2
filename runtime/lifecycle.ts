/**
 * Start-up failures and termination signals for the entry points (launcher, start:subgraph,
 * start:gateway): a known failure is one line on stderr and exit code 1; SIGTERM/SIGINT run
 * the shutdown once (a second signal exits at once).
 */
import { ConfigError } from './config.js';
import { PortTakenError } from './net.js';

/** Errors whose message is the whole story (no stack): configuration, ports, a held data folder. */
export class StartupError extends Error {
  override name = 'StartupError';
}

export function isOneLineFailure(error: unknown): error is Error {
  return error instanceof ConfigError || error instanceof PortTakenError || error instanceof StartupError;
}

/** Runs an entry point's start: a one-line failure is printed as such, then exit 1. */
export async function startOrExit<T>(start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    if (isOneLineFailure(error)) process.stderr.write(`${error.message}\n`);
    else
      process.stderr.write(
        `Start-up failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    process.exit(1);
  }
}

/** On the first SIGTERM/SIGINT: run `shutdown`, then exit 0 (1 if it failed). A second signal exits 1 at once. */
export function onTerminationSignals(shutdown: () => Promise<void>, log: (message: string) => void = () => {}): void {
  let stopping = false;
  const handle = (signal: NodeJS.Signals) => {
    if (stopping) {
      log(`${signal} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    log(`${signal}: draining, then stopping`);
    shutdown().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`Shutdown failed: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handle);
  process.on('SIGINT', handle);
}
