/**
 * The one public entry: one Apollo Gateway per role, each planning over that role's
 * static supergraph (its contract: schema/roles/<ROLE>.supergraph.graphql), behind one HTTP
 * server that verifies the caller and hands the request to their role's gateway.
 * Identity goes on to subgraphs in a token the gateway signs itself.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import {
  GraphQLError,
  Kind,
  OperationTypeNode,
  parse,
  type DocumentNode,
  type GraphQLFormattedError,
  type OperationDefinitionNode,
} from 'graphql';
import type { CryptoKey } from 'jose';
import {
  BadRequestError,
  formatError,
  isClientErrorCode,
  localiseError,
  TimeoutError,
  UnauthenticatedError,
  UnavailableError,
  wholeAnswerRetryAfter,
} from '../schema/errors.js';
import { DEADLINE_HEADER, LANGUAGE_HEADER, SQL_COUNT_HEADER } from '../schema/headers.js';
import { negotiateLanguage, type Language } from '../schema/i18n/index.js';
import { ROLES, type Identity, type Role } from '../schema/identity.js';
import { SpanKind } from '@opentelemetry/api';
import { logger, REQUEST_ID_HEADER, requestIdFrom, requestLogger, type Logger } from '../runtime/logger.js';
import { inSpan, sendTraceContext, traceContextFrom } from '../runtime/tracing.js';
import { bodyIsUtf8, queryIsUtf8 } from '../runtime/utf8.js';
import { keepConnectionsAlive } from '../runtime/net.js';
import { subgraphClient, type SubgraphClient } from './subgraph-client.js';
import {
  errors as errorCount,
  metricsEnabled,
  metricsResponse,
  operationLabel,
  requestDuration,
  requests,
  subgraphFetchDuration,
  subgraphFetches,
} from '../runtime/metrics.js';
import { configuredCorsOrigins, corsMiddleware } from './cors.js';
import { downloadsRouter } from './datasets.js';
import { uploadsRouter } from './uploads.js';
import { healthRouter } from './health.js';
import { ideRouter } from './ide.js';
import { signedOnce } from '../runtime/token-cache.js';
import { boundedCache } from '../runtime/bounded-cache.js';
import { signGatewayToken, type CallerVerifier } from './identity.js';
import { webRouter } from './web.js';

export interface GatewayContext {
  identity: Identity;
  /** The client's operation name, forwarded to subgraphs for their access logs. */
  operationName?: string;
  /** Signed once per request, at the first subgraph fetch. */
  subgraphToken?: Promise<string>;
  /** SQL statements the subgraphs ran for this request (when counting is on). */
  sqlStatements: number;
  /** One id per client request, sent on to every subgraph (`x-request-id`) and on every log line. */
  requestId: string;
  log: Logger;
  /** The caller's language, negotiated from Accept-Language and sent on to every subgraph (LANGUAGE_HEADER). */
  language?: Language;
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
  /**
   * Each role's gateway (its supergraph's schema and query planner, about a second of CPU each) is built
   * when the role's first request comes rather than at start: for tests, whose files use a few roles each.
   */
  startRolesOnFirstRequest?: boolean;
  /**
   * Browser origins allowed to call the gateway (CORS): exact origins or `scheme://host:*`.
   * Default: `IPS_CORS_ORIGINS` (comma-separated), else none in production and the loopback origins otherwise.
   */
  corsOrigins?: readonly string[];
  /** Serve the in-browser IDE (GraphiQL) at / and /graphql. Default: `IPS_IDE=on|off`, else on unless NODE_ENV=production. */
  ide?: boolean;
  /** How long stop() lets the requests in flight finish before it closes their connections (10 000). */
  drainMs?: number;
}

export const DEFAULT_SUBGRAPH_TIMEOUT_MS = 15_000;
export const DEFAULT_DRAIN_MS = 10_000;

export interface RunningGateway {
  url: string;
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;
const MAX_TOKENS = 3000;

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
  // Not Armor's token plugin: it parses again in `parsingDidStart`, where a syntax error, the limit or a
  // stack overflow escape Apollo's parse error handling (HTTP 500, the RangeError's text sent to the client).
  // Apollo's own parse with graphql-js's `maxTokens` (parseOptions below) enforces the same limit as a 400.
  maxTokens: { enabled: false, n: MAX_TOKENS },
  costLimit: { maxCost: 100_000, ignoreIntrospection: true },
  blockFieldSuggestion: { enabled: true },
});

/** What the gateway's query planner keeps its plans in (its type, as @apollo/gateway declares it). */
type QueryPlanCache = NonNullable<
  NonNullable<NonNullable<ConstructorParameters<typeof ApolloGateway>[0]>['queryPlannerConfig']>['cache']
>;
type QueryPlan = NonNullable<Awaited<ReturnType<QueryPlanCache['get']>>>;

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const protection = armor.protect();
  // Armor's typings come from Apollo Server's CommonJS build; the plugins are the same objects.
  const armorPlugins = protection.plugins as unknown as ApolloServerPlugin<GatewayContext>[];
  const servers = {} as Partial<Record<Role, ApolloServer<GatewayContext>>>;
  // One HTTP client (its keep-alive sockets) per subgraph, shared by every role's gateway.
  const clients = new Map<string, SubgraphClient>();
  const clientOf = (name: string) => {
    const known = clients.get(name);
    if (known) return known;
    const created = subgraphClient();
    clients.set(name, created);
    return created;
  };
  const startRole = async (role: Role): Promise<RequestHandler> => {
    const server = new ApolloServer<GatewayContext>({
      // Parsed documents and query plans: bounded by count, per role (runtime/bounded-cache.ts).
      gateway: new ApolloGateway({
        supergraphSdl: options.supergraphs[role],
        buildService: ({ name }) => dataSource(name, options, clientOf(name)),
        queryPlannerConfig: { cache: boundedCache<QueryPlan>() },
      }),
      documentStore: boundedCache<DocumentNode>(),
      formatError: formatGatewayError,
      includeStacktraceInErrorResponses: false,
      hideSchemaDetailsFromClientErrors: true, // no "did you mean" hints at fields of other roles
      // Introspection in every environment, production included (Apollo turns it off there by default):
      // only a caller whose token was verified gets here, and what it describes is that caller's role's own
      // schema — the fields the role may ask for, nothing of other roles (the same contract as the checked-in
      // schema/roles/<ROLE>.client.graphql). Integrators generate their typed clients from it with their token.
      introspection: true,
      allowBatchedHttpRequests: false,
      // graphql-js counts tokens while parsing: over the limit is a syntax error (400), before any recursion goes deep.
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- Apollo Server 5 passes only this name to graphql-js 16
      parseOptions: { maxTokens: MAX_TOKENS },
      validationRules: protection.validationRules,
      stopOnTerminationSignals: false,
      plugins: [
        ApolloServerPluginLandingPageDisabled(), // Apollo's landing page loads its scripts from outside; the IDE is ours
        ...armorPlugins,
        operationSelectionPlugin(),
        operationNamePlugin(),
        languagePlugin(),
        transientFailurePlugin(),
        observabilityPlugin(),
        ...(options.exposeSqlCount ? [sqlCountPlugin()] : []),
      ],
    });
    servers[role] = server;
    await server.start();
    return expressMiddleware(server, {
      // eslint-disable-next-line @typescript-eslint/require-await -- Apollo's context function must return a promise
      context: async ({ res }) => {
        const { identity, requestId, language } = res.locals as {
          identity: Identity;
          requestId: string;
          language: Language;
        };
        return {
          identity,
          sqlStatements: 0,
          requestId,
          language,
          log: requestLogger(requestId, { component: 'gateway' }),
        };
      },
    });
  };
  const started = new Map<Role, Promise<RequestHandler>>();
  const handlerOf = (role: Role): Promise<RequestHandler> => {
    const handler = started.get(role) ?? startRole(role);
    started.set(role, handler);
    return handler;
  };
  if (!options.startRolesOnFirstRequest) await Promise.all(ROLES.map(handlerOf));

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use((request, response, next) => {
    // One id per client request: the caller's when it is a plain token, a fresh one otherwise.
    response.locals.requestId = requestIdFrom(request.headers);
    response.setHeader(REQUEST_ID_HEADER, response.locals.requestId as string);
    response.locals.language = negotiateLanguage(request.headers['accept-language']);
    response.setHeader('content-language', response.locals.language as string);
    response.vary('accept-language');
    next();
  });
  app.use(healthRouter(options.subgraphUrls));
  app.get('/metrics', async (_request, response, next) => {
    if (!metricsEnabled()) {
      next();
      return;
    }
    const metrics = await metricsResponse();
    response.status(200).type(metrics.contentType).send(metrics.body);
  });
  app.use(corsMiddleware(configuredCorsOrigins(options.corsOrigins))); // preflights end here, before the token check
  if (options.ide ?? ideEnabledByDefault()) app.use(ideRouter());
  app.use(webRouter()); // the dashboard and questionnaire pages: static files; their data comes from /graphql like any client's
  // Files streamed from the subgraph that owns them after the same token check as the graph's: R19's
  // pseudonymised extracts (research) and INAMI's CSV of a period's claims (billing, R17).
  app.use(
    downloadsRouter({
      routes: [
        {
          prefix: 'datasets',
          subgraphUrl: options.subgraphUrls.research,
          operation: 'datasetDownload',
          missing: 'DataRequest',
        },
        {
          prefix: 'claims',
          subgraphUrl: options.subgraphUrls.billing,
          operation: 'claimExport',
          missing: 'ClaimExport',
        },
      ],
      verifyCaller: options.verifyCaller,
      gatewayPrivateKey: options.gatewayPrivateKey,
      sendErrors,
    }),
  );
  // The registers' monthly outcome files, streamed on to the subgraph that owns the rows after the same token check.
  app.use(
    uploadsRouter({
      subgraphUrls: options.subgraphUrls,
      verifyCaller: options.verifyCaller,
      gatewayPrivateKey: options.gatewayPrivateKey,
      sendErrors,
    }),
  );
  app.all(['/', '/graphql'], async (request, response, next) => {
    try {
      response.locals.identity = await options.verifyCaller(request.get('authorization'));
    } catch (error) {
      sendErrors(response, 401, [error instanceof GraphQLError ? error : new UnauthenticatedError()]);
      return;
    }
    next();
  });
  app.all(['/', '/graphql'], (request, response, next) => {
    // Bytes that are not UTF-8 would reach the graph as U+FFFD and be stored so: refused before anything runs.
    if (queryIsUtf8(request.url)) {
      next();
      return;
    }
    sendErrors(response, 400, [new BadRequestError({ id: 'request.notUtf8' })]);
  });
  app.all(['/', '/graphql'], express.json({ limit: MAX_BODY_BYTES, verify: refuseBodyNotUtf8 }));
  app.all(['/', '/graphql'], (request, response, next) => {
    const identity = (response.locals as { identity: Identity }).identity;
    // One Apollo Gateway per role: the verified token's role picks the schema the operation is planned over.
    // The request's span: Apollo Gateway's plan and fetch spans, and the subgraphs' own, go under it.
    inSpan(
      'gateway request',
      { 'ips.role': identity.role, 'ips.request_id': String(response.locals.requestId) },
      () =>
        new Promise<void>((resolve) => {
          response.once('close', () => resolve());
          handlerOf(identity.role)
            .then((graphql) => graphql(request, response, next))
            .catch((error: unknown) => {
              next(error);
              resolve();
            });
        }),
      { parent: traceContextFrom(request.headers), kind: SpanKind.SERVER },
    ).catch(next);
  });
  app.use((_request: Request, response: Response) => {
    sendErrors(response, 404, [
      new GraphQLError('Not found: the graph is at /graphql', { extensions: { code: 'NOT_FOUND' } }),
    ]);
  });
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- Express knows an error handler by its four parameters
  app.use((error: unknown, _request: Request, response: Response, _next: NextFunction) => {
    const status = (error as { status?: unknown; type?: unknown } | null)?.status;
    if (response.headersSent) {
      response.end();
    } else if ((error as { type?: unknown }).type === NOT_UTF8) {
      sendErrors(response, 400, [new BadRequestError({ id: 'request.notUtf8' })]);
    } else if (status === 413) {
      sendErrors(response, 413, [
        new GraphQLError(`Request body over ${MAX_BODY_BYTES} bytes`, { extensions: { code: 'BAD_REQUEST' } }),
      ]);
    } else if (typeof status === 'number' && status >= 400 && status < 500) {
      // body-parser: malformed JSON, an unsupported charset or encoding
      sendErrors(response, 400, [
        new GraphQLError('The request body is not valid JSON', { extensions: { code: 'BAD_REQUEST' } }),
      ]);
    } else {
      logger().error({ component: 'gateway', requestId: response.locals.requestId, err: error }, 'gateway failure');
      sendErrors(response, 500, [
        new GraphQLError('Internal server error', { extensions: { code: 'INTERNAL_SERVER_ERROR' } }),
      ]);
    }
  });

  const http = createServer(app);
  keepConnectionsAlive(http);
  let inFlight = 0;
  let draining = false;
  const idle: (() => void)[] = [];
  http.on('request', (_request: IncomingMessage, response: ServerResponse) => {
    inFlight += 1;
    if (draining) response.setHeader('connection', 'close');
    response.once('close', () => {
      inFlight -= 1;
      if (draining) http.closeIdleConnections();
      if (inFlight === 0) idle.splice(0).forEach((resolve) => resolve());
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      http.off('error', reject);
      resolve();
    });
  });
  const { port } = http.address() as AddressInfo;
  let stopping: Promise<void> | undefined;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}/`,
    stop: () =>
      (stopping ??= (async () => {
        // Drain: accept no new connection, let the requests in flight finish (bounded), then stop the gateways.
        draining = true;
        const closed = new Promise<void>((resolve) => http.close(() => resolve()));
        http.closeIdleConnections();
        const drained = inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => idle.push(resolve));
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          drained,
          new Promise<void>((resolve) => (timer = setTimeout(resolve, options.drainMs ?? DEFAULT_DRAIN_MS))),
        ]);
        clearTimeout(timer);
        http.closeAllConnections();
        await closed;
        await Promise.all([...started.values()].map((handler) => handler.catch(() => undefined)));
        await Promise.all(Object.values(servers).map((server) => server.stop()));
        for (const client of clients.values()) client.close();
      })()),
  };
}

const NOT_UTF8 = 'request.notUtf8';

/** body-parser's `verify`: a UTF-8 body's bytes must be UTF-8 (other `utf-` charsets body-parser decodes itself). */
function refuseBodyNotUtf8(_request: IncomingMessage, _response: ServerResponse, body: Buffer, encoding: string): void {
  if (encoding.toLowerCase() !== 'utf-8' && encoding.toLowerCase() !== 'utf8') return;
  if (!bodyIsUtf8(body)) throw Object.assign(new Error('request body is not UTF-8'), { status: 400, type: NOT_UTF8 });
}

function ideEnabledByDefault(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.IPS_IDE === 'on') return true;
  if (env.IPS_IDE === 'off') return false;
  if (env.IPS_IDE !== undefined) throw new Error(`IPS_IDE must be on or off, not ${JSON.stringify(env.IPS_IDE)}`);
  return env.NODE_ENV !== 'production';
}

/**
 * formatError (schema/errors.ts), plus: a document the parser could not even finish (nested past the
 * stack: graphql-js's RangeError) is a client's syntax error, told without the engine's own words.
 */
function formatGatewayError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  if (formatted.extensions?.code === 'GRAPHQL_PARSE_FAILED' && !formatted.message.startsWith('Syntax Error')) {
    return {
      message: 'Syntax Error: the document is nested too deeply to parse.',
      extensions: { code: 'GRAPHQL_PARSE_FAILED' },
    };
  }
  return formatError(formatted, error);
}

function sendErrors(response: Response, status: number, errors: GraphQLError[]): void {
  const language = (response.locals as { language?: Language }).language ?? negotiateLanguage(undefined);
  response
    .status(status)
    .type('application/json; charset=utf-8')
    .send(
      JSON.stringify({ errors: errors.map((error) => localiseError(formatError(error.toJSON(), error), language)) }),
    );
}

/**
 * The gateway's token for a caller and operation, signed once and reused for 20 s of its 60 s life
 * (runtime/token-cache.ts): a subgraph gets it at most 20 s old, well within what it accepts.
 */
const signers = new WeakMap<CryptoKey, (identity: Identity, operation: string) => Promise<string>>();
function subgraphTokenSigner(privateKey: CryptoKey): (identity: Identity, operation: string) => Promise<string> {
  let signer = signers.get(privateKey);
  if (!signer) {
    const sign = signedOnce(
      (key) => {
        const [role, organisation, subject, operation] = JSON.parse(key) as [Identity['role'], string, string, string];
        return signGatewayToken({ role, organisation, subject }, privateKey, operation);
      },
      { reuseMs: 20_000 },
    );
    signer = (identity, operation) =>
      sign(JSON.stringify([identity.role, identity.organisation, identity.subject, operation]));
    signers.set(privateKey, signer);
  }
  return signer;
}

function dataSource(
  name: string,
  options: GatewayOptions,
  client: SubgraphClient,
): RemoteGraphQLDataSource<GatewayContext> {
  const subgraphToken = subgraphTokenSigner(options.gatewayPrivateKey);
  const url = options.subgraphUrls[name];
  if (!url) throw new Error(`No URL configured for subgraph ${name}`);
  return new SubgraphDataSource({
    url,
    fetcher: boundedFetcher(name, options.subgraphTimeoutMs ?? DEFAULT_SUBGRAPH_TIMEOUT_MS, client),
    // Only the gateway's incoming operations reach a subgraph (the supergraph is static: no schema loading, no health check).
    willSendRequest: async ({ request, context: received }) => {
      const context = received as GatewayContext;
      request.http?.headers.set(REQUEST_ID_HEADER, context.requestId);
      if (context.language) request.http?.headers.set(LANGUAGE_HEADER, context.language);
      // The subgraph retries a lost database connection only as long as this wait leaves room for (kit/failures.ts).
      request.http?.headers.set(DEADLINE_HEADER, String(options.subgraphTimeoutMs ?? DEFAULT_SUBGRAPH_TIMEOUT_MS));
      if (request.http) sendTraceContext(request.http.headers);
      context.subgraphToken ??= subgraphToken(context.identity, context.operationName ?? 'anonymous');
      request.http?.headers.set('authorization', `Bearer ${await context.subgraphToken}`);
      if (options.exposeSqlCount) request.http?.headers.set(SQL_COUNT_HEADER, '1');
    },
    // eslint-disable-next-line @typescript-eslint/require-await -- Apollo's data source hook must return a promise
    didReceiveResponse: async ({ response, context }) => {
      const count: unknown = response.extensions?.sqlStatements;
      if (typeof count === 'number') context.sqlStatements += count;
      return response;
    },
  });
}

/**
 * The subgraph's client, given up after `ms` (connect, headers and body): a subgraph stuck on a lock or a
 * slow query, or that stalls mid-response, costs the caller that part of the answer (an error at its
 * path), never the whole request forever.
 */
function boundedFetcher(subgraph: string, ms: number, client: SubgraphClient): RemoteGraphQLDataSource['fetcher'] {
  return async (url, init) => {
    const end = subgraphFetchDuration.startTimer({ subgraph });
    try {
      const response = await client.fetch(url, init, ms);
      subgraphFetches.inc({ subgraph, outcome: response.ok ? 'ok' : 'error' });
      return response;
    } catch (error) {
      subgraphFetches.inc({
        subgraph,
        outcome: (error as { name?: unknown } | null)?.name === 'TimeoutError' ? 'timeout' : 'error',
      });
      throw error;
    } finally {
      end();
    }
  };
}

/**
 * Subgraphs answer HTTP 400 for variables they cannot coerce (e.g. a malformed date):
 * relay their GraphQL error (BAD_USER_INPUT) rather than an opaque HTTP failure.
 */
class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  /**
   * A subgraph past its deadline (TIMEOUT), or that cannot be reached or answers a gateway's 5xx without
   * a GraphQL answer (UNAVAILABLE), is answered for, in its stead: an error at each root field it was
   * asked for, retryable, saying nothing of the subgraph (its URL, the socket's words).
   */
  override async process(
    options: Parameters<RemoteGraphQLDataSource<GatewayContext>['process']>[0],
  ): ReturnType<RemoteGraphQLDataSource<GatewayContext>['process']> {
    try {
      return await super.process(options);
    } catch (error) {
      const failure = subgraphFailure(error);
      if (!failure) throw error;
      logger().warn(
        {
          component: 'gateway',
          subgraph: this.url,
          code: failure.extensions.code,
          requestId: options.context.requestId,
        },
        'subgraph failure',
      );
      const { message, extensions } = failure;
      const keys = options.request.query ? rootResponseKeys(parse(options.request.query)) : [];
      // Entity fetches (`_entities`) have no field of the caller's own to point at: one error, the fields null.
      if (keys.length === 0 || keys.includes('_entities')) return { errors: [{ message, extensions }] };
      return { errors: keys.map((key) => ({ message, path: [key], extensions })) };
    }
  }

  override async errorFromResponse(
    response: Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0],
  ): Promise<GraphQLError> {
    const error = await super.errorFromResponse(response);
    const body = (
      error.extensions.response as
        { body?: { errors?: { message?: string; extensions?: { code?: unknown } }[] } } | undefined
    )?.body;
    const first = body?.errors?.[0];
    if (first && typeof first.message === 'string' && isClientErrorCode(first.extensions?.code)) {
      return new GraphQLError(first.message, { extensions: { code: first.extensions.code } });
    }
    return error;
  }
}

const RETRY_AFTER_SUBGRAPH_S = 5;

/** What a failed subgraph fetch is to the client: TIMEOUT past the deadline, UNAVAILABLE when unreachable or answering 502–504 without a GraphQL body. */
function subgraphFailure(error: unknown): GraphQLError | undefined {
  // By name: the DOMException may come from another realm (jest's VM) than this module's Error.
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError') return new TimeoutError({ id: 'timeout.subgraph' }, 1);
  // The subgraph client reports as Node's fetch does: `TypeError: fetch failed` whose cause is the socket's error (ECONNREFUSED, ECONNRESET, …).
  if (name === 'TypeError' && (error as { message?: unknown }).message === 'fetch failed')
    return new UnavailableError({ id: 'unavailable.subgraph' }, RETRY_AFTER_SUBGRAPH_S);
  if (error instanceof GraphQLError && !isClientErrorCode(error.extensions.code)) {
    const status = (error.extensions.response as { status?: unknown } | undefined)?.status;
    if (status === 502 || status === 503 || status === 504)
      return new UnavailableError({ id: 'unavailable.subgraph' }, RETRY_AFTER_SUBGRAPH_S);
  }
  return undefined;
}

/** The response keys of an operation's root selections (fragments at the root are not used in subgraph fetches). */
function rootResponseKeys(document: DocumentNode): string[] {
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  return (operation?.selectionSet.selections ?? []).flatMap((selection) =>
    selection.kind === Kind.FIELD ? [selection.alias?.value ?? selection.name.value] : [],
  );
}

/* eslint-disable @typescript-eslint/require-await -- Apollo's plugin hooks must return promises; these have nothing to wait for */
/**
 * What the gateway's executor would otherwise throw as an internal error (HTTP 500): no operation to run
 * (several without `operationName`, an unknown name), a subscription (not served over HTTP) or an
 * operation type the role's schema has no root for (a mutation from a read-only role). A client's
 * error: 400 with a client code, before planning.
 */
function operationSelectionPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request, schema }) {
          const status400 = { http: { status: 400 } };
          if (!operation) {
            const names = request.operationName;
            const message = names
              ? `Unknown operation named "${names}".`
              : 'Must provide operationName when the document contains several operations (or none).';
            throw new GraphQLError(message, { extensions: { code: 'OPERATION_RESOLUTION_FAILURE', ...status400 } });
          }
          if (operation.operation === OperationTypeNode.SUBSCRIPTION) {
            throw new GraphQLError('Subscriptions are not served over HTTP.', {
              extensions: { code: 'BAD_REQUEST', ...status400 },
            });
          }
          if (!schema.getRootType(operation.operation)) {
            throw new GraphQLError(`This schema has no ${operation.operation} type.`, {
              extensions: { code: 'GRAPHQL_VALIDATION_FAILED', ...status400 },
            });
          }
        },
      };
    },
  };
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

/** Errors told in the caller's language (schema/i18n): the gateway's own, and any a subgraph left with its parameters. */
function languagePlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind === 'single' && response.body.singleResult.errors) {
            const language = contextValue.language ?? negotiateLanguage(undefined);
            response.body.singleResult.errors = response.body.singleResult.errors.map((error) =>
              localiseError(error, language),
            );
          }
        },
      };
    },
  };
}

/** One log line and the metrics of every request: operation name, outcome, error codes, time — never variables or data. */
function observabilityPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ response, contextValue, operationName }) {
          const operation = operationName ?? 'anonymous';
          const label = operationLabel('gateway', operation);
          const seconds = (performance.now() - started) / 1000;
          const codes =
            response.body.kind === 'single'
              ? (response.body.singleResult.errors ?? []).map((e) =>
                  typeof e.extensions?.code === 'string' ? e.extensions.code : 'UNKNOWN',
                )
              : [];
          requests.inc({ component: 'gateway', operation: label, outcome: codes.length > 0 ? 'error' : 'ok' });
          requestDuration.observe({ component: 'gateway', operation: label }, seconds);
          for (const code of codes) errorCount.inc({ component: 'gateway', operation: label, code });
          contextValue.log.info(
            {
              operation,
              role: contextValue.identity.role,
              status: response.http.status ?? 200,
              ms: Math.round(seconds * 1000),
              errors: codes,
            },
            'request',
          );
        },
      };
    },
  };
}

/**
 * An answer whose every error is transient (UNAVAILABLE, TIMEOUT) and that holds no data failed as a
 * whole for that reason: HTTP 503 with Retry-After, so a client or a proxy retries it as such.
 */
function transientFailurePlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const retryAfter = wholeAnswerRetryAfter(response.body.singleResult.data, response.body.singleResult.errors);
          if (retryAfter === undefined) return;
          response.http.status = 503;
          response.http.headers.set('retry-after', String(retryAfter));
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
            response.body.singleResult.extensions = {
              ...response.body.singleResult.extensions,
              sqlStatements: contextValue.sqlStatements,
            };
          }
        },
      };
    },
  };
}
/* eslint-enable @typescript-eslint/require-await */
