/**
 * The error vocabulary of the graph (shared by gateway and subgraphs): every error a client can see has a literal
 * `extensions.code`; anything else is masked as INTERNAL_SERVER_ERROR.
 */
import { config } from '../runtime/config.js';
import { logger } from '../runtime/logger.js';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import {
  CATALOGUES,
  DEFAULT_LANGUAGE,
  enumLabel,
  formatDay,
  noun as nounOf,
  translate,
  type Language,
  type MessageId,
  type MessageParams,
} from './i18n/index.js';

/**
 * The catalogue's message for an error (schema/i18n): `extensions.messageId` says which one, stable
 * and machine-readable like the code; `message` is told in the caller's language (localiseError).
 * Every error a service raises names one: the constructors take no free text, so an English
 * sentence cannot reach a French or Dutch reader (errors.test.ts holds this at the type level).
 */
export interface Localised {
  id: MessageId;
  params?: MessageParams;
}

/**
 * A catalogue message as an error tells it: a message about a named field (or list entry) whose
 * sentence does not name it starts with it (`input.pathwayIds.0: …`, `… : …` in French); one that
 * stands alone starts with a capital letter.
 */
export function errorText(language: Language, id: MessageId, params: MessageParams = {}): string {
  const template = CATALOGUES[language].messages[id];
  const text = translate(language, id, params);
  const field = params.field;
  if (field !== undefined && !template.includes('{field}')) return `${field}${language === 'fr' ? ' : ' : ': '}${text}`;
  return template.startsWith('{') ? text : text.charAt(0).toUpperCase() + text.slice(1);
}

/** Extensions naming the catalogue message; its parameters travel only to the localising step, which drops them. */
function localisedExtensions(localised: Localised, field?: string): Record<string, unknown> {
  return {
    messageId: localised.id,
    messageParams: field === undefined ? (localised.params ?? {}) : { ...localised.params, field },
  };
}

/** The English text (the default language: clients without Accept-Language read it as they always did), its parameters told as words. */
const english = (localised: Localised, field?: string) =>
  localiseParams(
    DEFAULT_LANGUAGE,
    localised.id,
    field === undefined ? (localised.params ?? {}) : { ...localised.params, field },
  );

export class UnauthenticatedError extends GraphQLError {
  constructor(localised: Localised = { id: 'error.unauthenticated' }) {
    super(english(localised), {
      extensions: { code: 'UNAUTHENTICATED', http: { status: 401 }, ...localisedExtensions(localised) },
    });
  }
}

export class ForbiddenError extends GraphQLError {
  constructor(localised: Localised = { id: 'error.forbidden' }) {
    super(english(localised), { extensions: { code: 'FORBIDDEN', ...localisedExtensions(localised) } });
  }
}

export class NotFoundError extends GraphQLError {
  constructor(what: string) {
    super(english({ id: 'error.notFound', params: { what } }), {
      extensions: { code: 'NOT_FOUND', ...localisedExtensions({ id: 'error.notFound', params: { what } }) },
    });
  }
}

/** Bad input: names the offending field (dotted path inside the input) in `extensions.field`; says why from the catalogue. */
export class InvalidInputError extends GraphQLError {
  constructor(field: string, localised: Localised) {
    super(english(localised, field), {
      extensions: { code: 'BAD_USER_INPUT', field, ...localisedExtensions(localised, field) },
    });
  }
}

/** A state that does not allow the change (or a lost race), from the catalogue; `field` names the list entry it concerns. */
export class ConflictError extends GraphQLError {
  constructor(localised: Localised, field?: string) {
    const extensions = localisedExtensions(localised, field);
    super(english(localised, field), {
      extensions: field ? { code: 'CONFLICT', field, ...extensions } : { code: 'CONFLICT', ...extensions },
    });
  }
}

/** A request the graph cannot read at all (its body, its encoding): HTTP 400, before anything runs. */
export class BadRequestError extends GraphQLError {
  constructor(localised: Localised) {
    super(english(localised), {
      extensions: { code: 'BAD_REQUEST', http: { status: 400 }, ...localisedExtensions(localised) },
    });
  }
}

/**
 * Something the graph depends on could not serve this part of the answer now (PostgreSQL down or
 * restarting, no free connection, a subgraph down): nothing of the client's was wrong, and the same
 * request may succeed later — `retryable`, after `retryAfter` seconds. A write that got this may or
 * may not have committed: its retry with the same idempotency key answers what happened.
 */
export class UnavailableError extends GraphQLError {
  constructor(localised: Localised, retryAfterSeconds: number) {
    super(english(localised), {
      extensions: {
        code: 'UNAVAILABLE',
        retryable: true,
        retryAfter: retryAfterSeconds,
        ...localisedExtensions(localised),
      },
    });
  }
}

/** This part of the answer took longer than the graph allows (a statement, a lock wait, a subgraph): retryable, maybe later. */
export class TimeoutError extends GraphQLError {
  constructor(localised: Localised, retryAfterSeconds: number) {
    super(english(localised), {
      extensions: {
        code: 'TIMEOUT',
        retryable: true,
        retryAfter: retryAfterSeconds,
        ...localisedExtensions(localised),
      },
    });
  }
}

/** Codes of failures that are no one's fault and may pass: a retry helps (HTTP 503 when they are the whole answer). */
export const TRANSIENT_CODES: ReadonlySet<string> = new Set(['UNAVAILABLE', 'TIMEOUT']);

/**
 * When every error of an answer is transient and no data came with it, the whole request failed for
 * that reason: the seconds to wait before retrying it (HTTP 503 with Retry-After), else undefined.
 */
export function wholeAnswerRetryAfter(
  data: Record<string, unknown> | null | undefined,
  errors: readonly GraphQLFormattedError[] | undefined,
): number | undefined {
  if (!errors || errors.length === 0 || !errors.every((error) => TRANSIENT_CODES.has(String(error.extensions?.code))))
    return undefined;
  if (data && Object.values(data).some((value) => value !== null)) return undefined;
  return Math.max(
    1,
    ...errors.map((error) => (typeof error.extensions?.retryAfter === 'number' ? error.extensions.retryAfter : 1)),
  );
}

/** Codes a client may see as they are; the rest is an internal fault. */
const CLIENT_CODES = new Set([
  'UNAVAILABLE',
  'TIMEOUT',
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
    const { messageId, messageParams } = formatted.extensions ?? {};
    // The catalogue's id (and, until localiseError drops them, its parameters) go along.
    const catalogue =
      typeof messageId === 'string' ? (messageParams === undefined ? { messageId } : { messageId, messageParams }) : {};
    // A transient failure says whether and when to retry.
    const { retryable, retryAfter } = formatted.extensions ?? {};
    const retry = retryable === true ? { retryable, ...(typeof retryAfter === 'number' ? { retryAfter } : {}) } : {};
    return {
      message: formatted.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: field === undefined ? { code, ...catalogue, ...retry } : { code, field, ...catalogue, ...retry },
    };
  }
  reportInternalError(error);
  return {
    message: 'Internal server error',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}

/**
 * An error as the caller reads it: the catalogue's message in their language (when the error names
 * one), `extensions.code`, `field` and `messageId` unchanged, the message's parameters dropped.
 */
export function localiseError(formatted: GraphQLFormattedError, language: Language): GraphQLFormattedError {
  const extensions = formatted.extensions;
  if (!extensions || !('messageParams' in extensions || 'messageId' in extensions)) return formatted;
  const { messageParams, ...kept } = extensions;
  const id = kept.messageId;
  if (typeof id !== 'string') return { ...formatted, extensions: kept };
  const params = messageParams && typeof messageParams === 'object' ? (messageParams as MessageParams) : undefined;
  // Without its parameters (an error already localised by a subgraph) the message stands as it came.
  return {
    ...formatted,
    message: params ? localiseParams(language, id as MessageId, params) : formatted.message,
    extensions: kept,
  };
}

/** Parameters that hold an enum's value: told by the value's label (schema/i18n enums). */
const PARAM_ENUMS: Readonly<Record<string, string>> = {
  region: 'Region',
  postcodeRegion: 'Region',
  form: 'RegionalForm',
  function: 'StaffFunction',
  recipient: 'ConsentRecipient',
  rpForm: 'RpFormKind',
};
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
/** The enums an action's variant argument takes its values from (ACTIONS variantArgument). */
const VARIANT_ENUMS = ['PathwayActKind', 'StaffFunction', 'RpFormKind'];
const OR: Readonly<Record<Language, string>> = { en: ' or ', fr: ' ou ', nl: ' of ' };

/** A message's parameters as the language tells them: a record's name, an enum's label, a day as its people write it. */
function localiseParams(language: Language, id: MessageId, params: MessageParams): string {
  const told = Object.fromEntries(
    Object.entries(params).map(([name, value]) => {
      if (typeof value !== 'string' || name === 'field') return [name, value];
      if (name === 'what') return [name, nounOf(language, value)];
      if (name === 'role')
        return [name, (CATALOGUES[language].roles as Record<string, string | undefined>)[value] ?? value];
      // Relations to the person (policy RELATIONS), listed ' | '-separated: told as who holds them.
      if (name === 'relations')
        return [
          name,
          value
            .split(' | ')
            .map(
              (relation) =>
                (CATALOGUES[language].relations as Record<string, string | undefined>)[relation] ?? relation,
            )
            .join(OR[language]),
        ];
      // The variant of an action (the act's kind, the staff function): its enum's label.
      if (name === 'variant')
        return [
          name,
          VARIANT_ENUMS.map((enumName) => enumLabel(language, enumName, value)).find((label) => label !== value) ??
            value,
        ];
      if (name === 'category') return [name, enumLabel(language, 'DataCategory', value.toUpperCase())];
      if (PARAM_ENUMS[name]) return [name, enumLabel(language, PARAM_ENUMS[name], value)];
      return [name, ISO_DAY.test(value) ? formatDay(language, value) : value];
    }),
  );
  return errorText(language, id, told);
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
