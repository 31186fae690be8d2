/**
 * The error vocabulary of the graph (shared by gateway and subgraphs): every error a client can see has a literal
 * `extensions.code`; anything else is masked as INTERNAL_SERVER_ERROR.
 */
import { config } from '../runtime/config.js';
import { logger } from '../runtime/logger.js';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';

export class UnauthenticatedError extends GraphQLError {
  constructor(message = 'A valid token is required') {
    super(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
  }
}

export class ForbiddenError extends GraphQLError {
  constructor(message = 'Not allowed for this caller') {
    super(message, { extensions: { code: 'FORBIDDEN' } });
  }
}

export class NotFoundError extends GraphQLError {
  constructor(what: string) {
    super(`${what} not found`, { extensions: { code: 'NOT_FOUND' } });
  }
}

/** Bad input: names the offending field (dotted path inside the input) in `extensions.field`. */
export class InvalidInputError extends GraphQLError {
  constructor(field: string, message: string) {
    super(`${field}: ${message}`, { extensions: { code: 'BAD_USER_INPUT', field } });
  }
}

/** A state that does not allow the change (or a lost race); `field` names the list entry it concerns. */
export class ConflictError extends GraphQLError {
  constructor(message: string, field?: string) {
    super(field ? `${field}: ${message}` : message, { extensions: field ? { code: 'CONFLICT', field } : { code: 'CONFLICT' } });
  }
}

/** Codes a client may see as they are; the rest is an internal fault. */
const CLIENT_CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'CONFLICT',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * Apollo Server `formatError`: keep known codes (without stack traces), mask the
 * rest so no internal message or stack ever reaches a client.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const code = typeof formatted.extensions?.code === 'string' ? formatted.extensions.code : undefined;
  if (code && CLIENT_CODES.has(code)) {
    // Only these extensions reach a client: no stack trace, no subgraph URL or response body.
    const field = formatted.extensions?.field;
    return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: field === undefined ? { code } : { code, field } };
  }
  reportInternalError(error);
  return {
    message: 'Internal server error',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}

/** Whether a code is part of the vocabulary a client may see. */
export function isClientErrorCode(code: unknown): code is string {
  return typeof code === 'string' && CLIENT_CODES.has(code);
}

function reportInternalError(error: unknown): void {
  const { NODE_ENV, IPS_LOG_ERRORS } = config();
  if (NODE_ENV === 'test' && !IPS_LOG_ERRORS) return;
  const original = error instanceof GraphQLError && error.originalError ? error.originalError : error;
  // One JSON line: the stack is a field (err.stack), never lines of text; no variables, no data.
  logger().error({ err: original }, 'internal error');
}
