/**
 * The one public entry: one Apollo Gateway per role, each planning over that role's
 * static supergraph (its contract: schema/roles/<ROLE>.graphql), behind one HTTP
 * server that verifies the caller and hands the request to their role's gateway.
 * Identity goes on to subgraphs in a token the gateway signs itself.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, Kind, parse, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import type { CryptoKey } from 'jose';
import { formatError, isClientErrorCode, UnauthenticatedError } from '../schema/errors.js';
import { SQL_COUNT_HEADER } from '../schema/headers.js';
import { ROLES, type Identity, type Role } from '../schema/identity.js';
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
  /** Each role's supergraph: fields it can never see are not in it. */
  supergraphs: Record<Role, string>;
  /** Where each subgraph named in the supergraphs listens. */
  subgraphUrls: Record<string, string>;
  verifyCaller: CallerVerifier;
  gatewayPrivateKey: CryptoKey;
  host?: string;
  port?: number;
  /** Adds `extensions.sqlStatements` (the sum over subgraphs) to every response: tests and benchmarks. */
  exposeSqlCount?: boolean;
  /** How long one subgraph fetch may take (response body included) before its part of the answer is an error. */
  subgraphTimeoutMs?: number;
}

export const DEFAULT_SUBGRAPH_TIMEOUT_MS = 15_000;

export interface RunningGateway {
  url: string;
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Request limits (GraphQL Armor), sized so the partner front ends' real queries pass
 * (an SRE inbox with person, form and pathway costs ~21 000 by Armor's measure, which
 * grows 1.5× per level of depth) while abusive ones are refused before planning.
 * Introspection is not counted. Lists are always paginated by the subgraphs (≤ 500).
 */
const armor = new ApolloArmor({
  maxDepth: { n: 10, ignoreIntrospection: true },
  maxAliases: { n: 15 },
  maxDirectives: { n: 20 },
  maxTokens: { n: 3000 },
  costLimit: { maxCost: 100_000, ignoreIntrospection: true },
  blockFieldSuggestion: { enabled: true },
});

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const protection = armor.protect();
  // Armor's typings come from Apollo Server's CommonJS build; the plugins are the same objects.
  const armorPlugins = protection.plugins as unknown as ApolloServerPlugin<GatewayContext>[];
  const servers = {} as Record<Role, ApolloServer<GatewayContext>>;
  for (const role of ROLES) {
    servers[role] = new ApolloServer<GatewayContext>({
      gateway: new ApolloGateway({ supergraphSdl: options.supergraphs[role], buildService: ({ name }) => dataSource(name, options) }),
      formatError,
      includeStacktraceInErrorResponses: false,
      hideSchemaDetailsFromClientErrors: true, // no "did you mean" hints at fields of other roles
      allowBatchedHttpRequests: false,
      validationRules: protection.validationRules,
      stopOnTerminationSignals: false,
      plugins: [...armorPlugins, operationNamePlugin(), ...(options.exposeSqlCount ? [sqlCountPlugin()] : [])],
    });
  }
  await Promise.all(Object.values(servers).map((server) => server.start()));

  const http = createServer((request, response) => {
    handle(request, response, servers, options).catch((error: unknown) => {
      console.error('[ips-graph] gateway failure:', error);
      if (!response.headersSent) sendErrors(response, 500, [new GraphQLError('Internal server error', { extensions: { code: 'INTERNAL_SERVER_ERROR' } })]);
      else response.end();
    });
  });
  await new Promise<void>((resolve) => http.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}/`,
    stop: async () => {
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
      await Promise.all(Object.values(servers).map((server) => server.stop()));
    },
  };
}

async function handle(request: IncomingMessage, response: ServerResponse, servers: Record<Role, ApolloServer<GatewayContext>>, options: GatewayOptions): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://gateway');
  if (url.pathname === '/health') {
    response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    return;
  }
  if (url.pathname !== '/graphql' && url.pathname !== '/') {
    sendErrors(response, 404, [new GraphQLError('Not found: the graph is at /graphql', { extensions: { code: 'NOT_FOUND' } })]);
    return;
  }
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const body = await readBody(request);
  if (body === undefined) {
    sendErrors(response, 413, [new GraphQLError(`Request body over ${MAX_BODY_BYTES} bytes`, { extensions: { code: 'BAD_REQUEST' } })]);
    return;
  }
  const httpGraphQLRequest = { method: request.method ?? 'GET', headers, search: url.search, body: parseBody(body, headers) };

  // The landing page (a browser's GET without a token) carries no data: any role's server renders it.
  const wantsLandingPage = httpGraphQLRequest.method === 'GET' && !headers.get('authorization') && (headers.get('accept') ?? '').includes('text/html');
  let identity: Identity | undefined;
  if (!wantsLandingPage) {
    try {
      identity = await options.verifyCaller(headers.get('authorization'));
    } catch (error) {
      sendErrors(response, 401, [error instanceof GraphQLError ? error : new UnauthenticatedError()]);
      return;
    }
  }
  const server = servers[identity?.role ?? 'PARTICIPANT'];
  const result = await server.executeHTTPGraphQLRequest({
    httpGraphQLRequest,
    context: async () => {
      if (!identity) throw new UnauthenticatedError();
      return { identity, sqlStatements: 0 };
    },
  });
  for (const [name, value] of result.headers) response.setHeader(name, value);
  response.statusCode = result.status ?? 200;
  if (result.body.kind === 'complete') {
    response.end(result.body.string);
    return;
  }
  for await (const chunk of result.body.asyncIterator) response.write(chunk);
  response.end();
}

async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(body: string, headers: HeaderMap): unknown {
  if (!(headers.get('content-type') ?? '').includes('application/json')) return body;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body; // Apollo Server answers 400 for a malformed JSON body
  }
}

function sendErrors(response: ServerResponse, status: number, errors: GraphQLError[]): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify({ errors: errors.map((error) => formatError(error.toJSON(), error)) }));
}

function dataSource(name: string, options: GatewayOptions): RemoteGraphQLDataSource<GatewayContext> {
  const url = options.subgraphUrls[name];
  if (!url) throw new Error(`No URL configured for subgraph ${name}`);
  return new SubgraphDataSource({
    url,
    fetcher: boundedFetcher(options.subgraphTimeoutMs ?? DEFAULT_SUBGRAPH_TIMEOUT_MS),
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
}

/**
 * Node's fetch, given up after `ms`: a subgraph stuck on a lock or a slow query costs the
 * caller that part of the answer (an error at its path), never the whole request forever.
 */
function boundedFetcher(ms: number): RemoteGraphQLDataSource['fetcher'] {
  return async (url, init) => {
    const timeout = AbortSignal.timeout(ms);
    const signal = init?.signal instanceof AbortSignal ? AbortSignal.any([init.signal, timeout]) : timeout;
    const response = await fetch(url, { method: init?.method, headers: init?.headers, body: init?.body, signal });
    // Read the body under the same deadline, so a subgraph that stalls mid-response is cut off too.
    const body = await response.arrayBuffer();
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

/**
 * Subgraphs answer HTTP 400 for variables they cannot coerce (e.g. a malformed date):
 * relay their GraphQL error (BAD_USER_INPUT) rather than an opaque HTTP failure.
 */
class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  /** A subgraph past its deadline answers, in its stead, an error at each root field it was asked for. */
  override async process(options: Parameters<RemoteGraphQLDataSource<GatewayContext>['process']>[0]): ReturnType<RemoteGraphQLDataSource<GatewayContext>['process']> {
    try {
      return await super.process(options);
    } catch (error) {
      // By name: the DOMException may come from another realm (jest's VM) than this module's Error.
      if ((error as { name?: unknown } | null)?.name !== 'TimeoutError') throw error;
      const message = `Subgraph ${this.url} did not answer in time`; // masked by formatError: clients see INTERNAL_SERVER_ERROR
      const extensions = { code: 'SUBGRAPH_TIMEOUT' };
      const keys = options.request.query ? rootResponseKeys(parse(options.request.query)) : [];
      // Entity fetches (`_entities`) have no field of the caller's own to point at: one error, the fields null.
      if (keys.length === 0 || keys.includes('_entities')) return { errors: [{ message, extensions }] };
      return { errors: keys.map((key) => ({ message, path: [key], extensions })) };
    }
  }

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

/** The response keys of an operation's root selections (fragments at the root are not used in subgraph fetches). */
function rootResponseKeys(document: DocumentNode): string[] {
  const operation = document.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
  return (operation?.selectionSet.selections ?? []).flatMap((selection) => (selection.kind === Kind.FIELD ? [selection.alias?.value ?? selection.name.value] : []));
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
