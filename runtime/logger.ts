/**
 * Structured JSON logs (pino) on standard output, level from IPS_LOG_LEVEL. One request id
 * per client request: taken from `x-request-id` when it looks like one, made otherwise;
 * every log line of a request goes through `requestLogger(id)`. No personal data: log
 * operation names, ids, counts and SQL text without parameters — never variables or results.
 */
import { randomUUID } from 'node:crypto';
import { pino, type DestinationStream, type Logger } from 'pino';
import { config } from './config.js';

export type { Logger } from 'pino';

export const REQUEST_ID_HEADER = 'x-request-id';

let root: Logger | undefined;

/** The process's root logger (created on first use, from the configuration). */
export function logger(): Logger {
  return (root ??= createLogger());
}

/** A logger writing to `destination` (tests capture lines this way), or stdout. */
export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      // Under jest (NODE_ENV=test) logs are silent unless IPS_LOG_LEVEL asks for them.
      level:
        options.level ??
        (config().NODE_ENV === 'test' && !process.env.IPS_LOG_LEVEL ? 'silent' : config().IPS_LOG_LEVEL),
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // Errors as one JSON field each: type, message, stack (a string, not lines of text).
      serializers: { err: pino.stdSerializers.err },
    },
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

/** Replaces the root logger (tests, benches). */
export function setLogger(next: Logger): void {
  root = next;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request's id: the caller's `x-request-id` when it is a plain token, a fresh UUID otherwise. */
export function requestIdFrom(
  headers: { get(name: string): string | null | undefined } | Record<string, string | string[] | undefined>,
): string {
  const value =
    typeof headers.get === 'function'
      ? (headers as { get(name: string): string | null | undefined }).get(REQUEST_ID_HEADER)
      : (headers as Record<string, string | string[] | undefined>)[REQUEST_ID_HEADER];
  const id = Array.isArray(value) ? value[0] : value;
  return id && REQUEST_ID.test(id) ? id : randomUUID();
}

/** The logger of one request: every line carries `requestId` (and whatever else is bound). */
export function requestLogger(requestId: string, bindings: Record<string, unknown> = {}): Logger {
  return logger().child({ requestId, ...bindings });
}
