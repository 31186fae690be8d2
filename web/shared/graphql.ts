/**
 * The pages' whole GraphQL client: a POST of a generated `TypedDocumentString` (web/generated/*.ts)
 * to the gateway on the page's own origin, with the bearer token and the page's language
 * (`Accept-Language`: the graph answers labels and errors in it). The result and the variables are
 * typed by the operation; a field-level error (a suppressed or forbidden field) comes back beside
 * the data, as GraphQL sends it.
 */
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import { currentToken } from './token.js';

export interface GraphErrorShape {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: { code?: string; field?: string; messageId?: string; retryable?: boolean; retryAfter?: number };
}

/**
 * When a request may be asked again and after how many seconds: the graph marks an error retryable (e.g.
 * a published table whose first snapshot is still being computed) with a `retryAfter` hint. Null when
 * no error is retryable.
 */
export function retryAfterSeconds(errors: readonly GraphErrorShape[]): number | null {
  const hints = errors.filter((e) => e.extensions?.retryable === true).map((e) => e.extensions?.retryAfter ?? 5);
  return hints.length === 0 ? null : Math.min(60, Math.max(1, ...hints));
}

export interface GraphResult<TResult> {
  data: TResult | null;
  errors: GraphErrorShape[];
}

/** The request failed as a whole: no token, a rejected token, a network failure, or only errors. */
export class GraphRequestError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly errors: GraphErrorShape[] = [],
  ) {
    super(message);
  }
}

export interface RequestOptions {
  /** fr, nl or en. */
  language: string;
  endpoint?: string;
}

export async function graphql<TResult, TVariables>(
  document: DocumentTypeDecoration<TResult, TVariables> & { toString(): string },
  variables: TVariables,
  options: RequestOptions,
): Promise<GraphResult<TResult>> {
  const token = currentToken();
  if (!token) throw new GraphRequestError('No token', 'UNAUTHENTICATED');
  let response: Response;
  try {
    response = await fetch(options.endpoint ?? '/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        'accept-language': options.language,
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({ query: document.toString(), variables }),
    });
  } catch (error) {
    throw new GraphRequestError(error instanceof Error ? error.message : String(error), 'NETWORK');
  }
  const body = (await response.json().catch(() => null)) as {
    data?: TResult | null;
    errors?: GraphErrorShape[];
  } | null;
  const errors = body?.errors ?? [];
  if (!body || body.data === undefined || body.data === null) {
    const first = errors[0];
    throw new GraphRequestError(
      first?.message ?? `HTTP ${response.status}`,
      first?.extensions?.code ?? `HTTP_${response.status}`,
      errors,
    );
  }
  return { data: body.data, errors };
}
