/**
 * The one public entry: Apollo Gateway over the static supergraph
 * (schema/supergraph.graphql), verifying callers and forwarding their identity
 * to subgraphs in a token it signs itself.
 */
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import type { CryptoKey } from 'jose';
import { GraphQLError } from 'graphql';
import { formatError, isClientErrorCode } from '../schema/errors.js';
import { SQL_COUNT_HEADER } from '../schema/headers.js';
import type { Identity } from '../schema/identity.js';
import { signGatewayToken, type CallerVerifier } from './identity.js';

export interface GatewayContext {
  identity: Identity;
  /** The client's operation name, forwarded to subgraphs for their access logs. */
  operationName?: string;
  /** Signed once per request, at the first subgraph fetch. */
  subgraphToken?: Promise<string>;
  /** SQL statements the subgraphs ran for this request (when counting is on). */
  sqlStatements: number;
}

export interface GatewayOptions {
  supergraphSdl: string;
  /** Where each subgraph named in the supergraph listens. */
  subgraphUrls: Record<string, string>;
  verifyCaller: CallerVerifier;
  gatewayPrivateKey: CryptoKey;
  host?: string;
  port?: number;
  /** Adds `extensions.sqlStatements` (the sum over subgraphs) to every response: tests and benchmarks. */
  exposeSqlCount?: boolean;
}

export interface RunningGateway {
  url: string;
  stop(): Promise<void>;
}

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name }) => {
      const url = options.subgraphUrls[name];
      if (!url) throw new Error(`No URL configured for subgraph ${name}`);
      return new SubgraphDataSource({
        url,
        willSendRequest: async ({ request, context }) => {
          context.subgraphToken ??= signGatewayToken(context.identity, options.gatewayPrivateKey, context.operationName ?? 'anonymous');
          request.http?.headers.set('authorization', `Bearer ${await context.subgraphToken}`);
          if (options.exposeSqlCount) request.http?.headers.set(SQL_COUNT_HEADER, '1');
        },
        didReceiveResponse: async ({ response, context }) => {
          const count = response.extensions?.sqlStatements;
          if (typeof count === 'number') context.sqlStatements += count;
          return response;
        },
      });
    },
  });
  const server = new ApolloServer<GatewayContext>({
    gateway,
    formatError,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    plugins: [operationNamePlugin(), ...(options.exposeSqlCount ? [sqlCountPlugin()] : [])],
  });
  const { url } = await startStandaloneServer(server, {
    listen: { host: options.host ?? '127.0.0.1', port: options.port ?? 0 },
    context: async ({ req }) => {
      const identity = await options.verifyCaller(req.headers.authorization);
      return { identity, sqlStatements: 0 };
    },
  });
  return { url, stop: () => server.stop() };
}

/**
 * Subgraphs answer HTTP 400 for variables they cannot coerce (e.g. a malformed date):
 * relay their GraphQL error (BAD_USER_INPUT) rather than an opaque HTTP failure.
 */
class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override async errorFromResponse(response: Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0]): Promise<GraphQLError> {
    const error = await super.errorFromResponse(response);
    const body = (error.extensions.response as { body?: { errors?: { message?: string; extensions?: { code?: unknown } }[] } } | undefined)?.body;
    const first = body?.errors?.[0];
    if (first && typeof first.message === 'string' && isClientErrorCode(first.extensions?.code)) {
      return new GraphQLError(first.message, { extensions: { code: first.extensions.code } });
    }
    return error;
  }
}

function operationNamePlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operationName, contextValue }) {
          contextValue.operationName = operationName ?? 'anonymous';
        },
      };
    },
  };
}

function sqlCountPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind === 'single') {
            response.body.singleResult.extensions = { ...response.body.singleResult.extensions, sqlStatements: contextValue.sqlStatements };
          }
        },
      };
    },
  };
}
