/**
 * Failures of what a subgraph depends on, told to the client as what they are rather than as an
 * internal error: PostgreSQL down, restarting or refusing connections (UNAVAILABLE), no connection
 * free in the pool within its acquire timeout (UNAVAILABLE, busy), a read that ran past its statement
 * or lock timeout (TIMEOUT). Each is retryable; none carries the driver's words. A write's lost race
 * (a lock or statement timeout inside a command) is settled before this, as CONFLICT (command.ts).
 */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { logger } from '../../runtime/logger.js';
import { formatError, isClientErrorCode, TimeoutError, UnavailableError } from '../../schema/errors.js';
import { POOL_ACQUIRE_TIMEOUT_MS } from './orm.js';

/** SQLSTATEs of a server that is going away or not yet there: connection exceptions (class 08), shutdown, recovery, too many connections. */
const SERVER_GONE = /^(08...|57P01|57P02|57P03|53300)$/;
/** SQLSTATEs of a statement stopped for taking too long: statement timeout (or a cancel), lock wait timeout. */
const TOO_LONG = /^(57014|55P03)$/;
/** Node's socket errors when the server cannot be reached or drops the connection. */
const SOCKET = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
/** pg's and pg-pool's own words for a connection lost or never made (they carry no code). */
const CONNECTION_LOST =
  /^(Connection terminated|Client has encountered a connection error|Connection terminated due to connection timeout)/;
/** pg-pool's words when no pooled connection freed up within connectionTimeoutMillis. */
const POOL_EXHAUSTED = /^timeout exceeded when trying to connect/;

const RETRY_AFTER_OUTAGE_S = 5;
const RETRY_AFTER_BUSY_S = Math.max(1, Math.round(POOL_ACQUIRE_TIMEOUT_MS / 5000));
const RETRY_AFTER_TOO_LONG_S = 2;

/** The error and what it wraps (GraphQL's originalError or thrownValue, the driver's cause), outermost first. */
function chain(error: unknown): Record<string, unknown>[] {
  const links: Record<string, unknown>[] = [];
  let current: unknown = error;
  while (
    current &&
    typeof current === 'object' &&
    links.length < 6 &&
    !links.includes(current as Record<string, unknown>)
  ) {
    links.push(current as Record<string, unknown>);
    // graphql-js wraps what is not an Error of its realm (a socket's error, in a VM) as NonErrorThrown's thrownValue.
    const link = current as { originalError?: unknown; thrownValue?: unknown; cause?: unknown };
    current = link.originalError ?? link.thrownValue ?? link.cause;
  }
  return links;
}

function codeOf(link: Record<string, unknown>): string | undefined {
  return typeof link.code === 'string' ? link.code : typeof link.sqlState === 'string' ? link.sqlState : undefined;
}

/** A link that tells of the server gone, going or unreachable, or of a connection lost (not of a pool merely busy). */
function connectionLost(link: Record<string, unknown>): boolean {
  const code = codeOf(link);
  return (
    Boolean(code && (SERVER_GONE.test(code) || SOCKET.has(code))) ||
    CONNECTION_LOST.test(typeof link.message === 'string' ? link.message : '')
  );
}

/** The client's error for a failure of the database or its pool, or undefined when it is none of those. */
export function transientFailure(error: unknown): GraphQLError | undefined {
  for (const link of chain(error)) {
    const code = codeOf(link);
    const message = typeof link.message === 'string' ? link.message : '';
    if (POOL_EXHAUSTED.test(message)) return new UnavailableError({ id: 'unavailable.busy' }, RETRY_AFTER_BUSY_S);
    if (connectionLost(link)) return new UnavailableError({ id: 'unavailable.database' }, RETRY_AFTER_OUTAGE_S);
    if (code && TOO_LONG.test(code)) return new TimeoutError({ id: 'timeout.statement' }, RETRY_AFTER_TOO_LONG_S);
  }
  return undefined;
}

/**
 * A failure that a new attempt on a fresh connection may not meet: the server shutting down or
 * starting (57P01–57P03), a connection exception (08xxx), too many connections, the socket refused
 * or reset, the connection terminated. Not a pool merely busy (another wait would queue behind the
 * same requests), nor a statement past its timeout (it would take as long again), nor anything a
 * client or the code did.
 */
export function isConnectionFailure(error: unknown): boolean {
  const links = chain(error);
  return (
    !links.some((link) => POOL_EXHAUSTED.test(typeof link.message === 'string' ? link.message : '')) &&
    links.some(connectionLost)
  );
}

/** How long a request may go on retrying after a connection failure by default: below the gateway's subgraph timeout (15 s). */
export const DEFAULT_RETRY_BUDGET_MS = 8_000;
/** Kept free of the gateway's deadline for the last attempt's own work and the answer's way back. */
const DEADLINE_MARGIN_MS = 500;

/**
 * The retry budget of one request: the subgraph's own (`budgetMs`), shortened to end before the
 * deadline the gateway sends (`x-ips-deadline-ms`: how long it waits for this answer), so that a
 * failure that outlasts the budget still reaches the client as UNAVAILABLE rather than a timeout.
 */
export function retryBudgetMs(budgetMs: number, gatewayDeadlineMs: string | string[] | undefined): number {
  const deadline = Number(Array.isArray(gatewayDeadlineMs) ? gatewayDeadlineMs[0] : gatewayDeadlineMs);
  if (!Number.isFinite(deadline) || deadline <= 0) return budgetMs;
  return Math.max(0, Math.min(budgetMs, deadline * 0.7, deadline - DEADLINE_MARGIN_MS));
}

/**
 * The pause before attempt `attempt + 1`: exponential from 100 ms, capped at 1.5 s, its upper half
 * random (a restart meets every client at once; the jitter spreads their reconnections).
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(1_500, 100 * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * The subgraph's `formatError`: an error no one named (it would be masked as INTERNAL_SERVER_ERROR)
 * that is a transient failure of the database goes out as one, at its path; the rest as formatError
 * says. The cause is logged for operators, never sent.
 */
export function formatSubgraphError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  if (!isClientErrorCode(formatted.extensions?.code)) {
    const failure = transientFailure(error);
    if (failure) {
      logger().warn(
        { code: failure.extensions.code, cause: causeOf(error), path: formatted.path?.join('.') },
        'transient failure',
      );
      return formatError({ ...failure.toJSON(), locations: formatted.locations, path: formatted.path }, failure);
    }
  }
  return formatError(formatted, error);
}

/** The innermost message of an error chain, one line (for the log). */
function causeOf(error: unknown): string {
  const links = chain(error);
  const message =
    links
      .map((link) => link.message)
      .filter((text): text is string => typeof text === 'string')
      .at(-1) ?? String(error);
  return message.split('\n')[0]!.slice(0, 200);
}
