/**
 * The whole GraphQL client: a POST of a generated TypedDocumentNode with the bearer token. The
 * document carries its result and variables types, so `request(RegionReferralsDocument, …)` is
 * typed end to end without a cast. Any client that accepts a TypedDocumentNode (Apollo Client,
 * urql, graphql-request) does the same; this one needs nothing but `fetch`, in a browser or in Node.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';

export interface GatewayOptions {
  /** The gateway's GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql. */
  endpoint: string;
  /** Your bearer token (without "Bearer "). */
  token: string;
  /** fr, nl or en: the graph answers labels and error messages in it. */
  language?: string;
}

export interface GraphError {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: { code?: string; retryable?: boolean; retryAfter?: number };
}

/** The request failed as a whole: the token refused (UNAUTHENTICATED), a field your role cannot ask for, the gateway unreachable… */
export class GatewayError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly errors: readonly GraphError[] = [],
  ) {
    super(message);
    this.name = 'GatewayError';
  }
}

export interface Answer<TResult> {
  data: TResult;
  /** Errors at a path beside the data (e.g. one part timed out): the rest of the answer stands. */
  errors: readonly GraphError[];
}

export async function request<TResult, TVariables extends Record<string, unknown>>(
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables,
  options: GatewayOptions,
): Promise<Answer<TResult>> {
  let response: Response;
  try {
    response = await fetch(options.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        authorization: `Bearer ${options.token.trim().replace(/^Bearer\s+/i, '')}`,
        ...(options.language ? { 'accept-language': options.language } : {}),
      },
      body: JSON.stringify({ query: print(document), variables }),
    });
  } catch (error) {
    throw new GatewayError(error instanceof Error ? error.message : String(error), 'NETWORK');
  }
  const body = (await response.json().catch(() => null)) as { data?: TResult | null; errors?: GraphError[] } | null;
  const errors = body?.errors ?? [];
  if (body?.data === undefined || body.data === null) {
    const first = errors[0];
    throw new GatewayError(
      first?.message ?? `HTTP ${response.status}`,
      first?.extensions?.code ?? `HTTP_${response.status}`,
      errors,
    );
  }
  return { data: body.data, errors };
}
