/**
 * Builds and serves one federated subgraph from its TypeGraphQL resolvers:
 * SDL with federation and category tags → `@apollo/subgraph` schema → shield
 * → Apollo Server that refuses every request without a gateway token.
 */
import 'reflect-metadata';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema, printSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { Constructor } from '@mikro-orm/core';
import type { Migration } from '@mikro-orm/migrations';
import type { MikroORM } from '@mikro-orm/postgresql';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { GraphQLError, parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import pg from 'pg';
import { applyMiddleware } from 'graphql-middleware';
import { buildSchema, createResolversMap, type NonEmptyArray } from 'type-graphql';
import { SpanKind } from '@opentelemetry/api';
import { inSpan, traceContextFrom } from '../../runtime/tracing.js';
import { logger, REQUEST_ID_HEADER, requestIdFrom, requestLogger, type Logger } from '../../runtime/logger.js';
import {
  errors,
  metricsEnabled,
  metricsResponse,
  operationLabel,
  requestDuration,
  requests,
  watchPool,
} from '../../runtime/metrics.js';
import { boundedCache } from '../../runtime/bounded-cache.js';
import { assertPortFree, keepConnectionsAlive, PortTakenError } from '../../runtime/net.js';
import { bodyIsUtf8, queryIsUtf8 } from '../../runtime/utf8.js';
import {
  BadRequestError,
  ForbiddenError,
  formatError,
  localiseError,
  UnauthenticatedError,
} from '../../schema/errors.js';
import type { Identity } from '../../schema/identity.js';
import { DEADLINE_HEADER, LANGUAGE_HEADER, SQL_COUNT_HEADER } from '../../schema/headers.js';
import { isLanguage, negotiateLanguage } from '../../schema/i18n/index.js';
import { PERSONAL_DATA_TYPES } from '../../schema/policy.js';
import type { SubgraphName } from '../../schema/subgraphs.js';
import { AccessLogCollector } from './access/access-log.js';
import { visibleOrNull } from './access/guard.js';
import { accessMigrations } from './access/migrations/index.js';
import { attachDataVersionTriggers } from './data-version.js';
import { LoaderRegistry, type OwnerOf, type SubgraphContext } from './context.js';
import { verifyGatewayToken, type GatewayTrust } from './identity.js';
import { callerOf } from './access/ledger.js';
import { grantApplicationPrivileges, PUBLISHED_READS } from './privileges.js';
import {
  DEFAULT_RETRY_BUDGET_MS,
  formatSubgraphError,
  isConnectionFailure,
  retryBudgetMs,
  retryDelayMs,
  transientFailure,
} from './failures.js';
import { inputGuard } from './input-guard.js';
import { startOutboxConsumer, type OutboxConsumerDefinition, type RunningOutboxConsumer } from './outbox.js';
import {
  entityRelations,
  forkForRequest,
  migrate,
  openOrm,
  SqlStatementCounter,
  warmPool,
  withMigrationLock,
} from './orm.js';
import { assertSchemaCoveredByPolicy, mayResolveReference, shieldFromPolicy, tagCategories } from './policy.js';

/** Resolves `_entities` representations of one entity type; returns undefined when absent. */
export type ReferenceResolver = (
  representation: { id: string },
  context: SubgraphContext,
) => Promise<object | null | undefined>;

/** What a demo loader gets besides its subgraph's ORM: the owner role's URL, for the vault's demo history alone (research/vault). */
export interface DemoLoad {
  ownerUrl: string;
}

/** Everything that makes a subgraph; each subgraph's index.ts exports one. */
export interface SubgraphDefinition {
  name: SubgraphName;
  resolvers: NonEmptyArray<Function>;
  orphanedTypes?: Function[];
  /** `__resolveReference` per entity type this subgraph owns. */
  references: Record<string, ReferenceResolver>;
  /** For each personal-data type of the subgraph: the participant a record belongs to. */
  owners: Record<string, OwnerOf>;
  entities: Constructor[];
  migrations: Constructor<Migration>[];
  /** Events of other subgraphs this one applies (the transactional outbox, subgraphs/kit/outbox.ts). */
  outbox?: OutboxConsumerDefinition;
  /** Loads demo data when the subgraph's tables are empty (`npm start`); returns rows added. */
  seedDemo?: (orm: MikroORM, demo: DemoLoad) => Promise<number>;
  /** Demo data built on every subgraph's own (e.g. outcomes by trial arm): run once all have seeded; returns rows added. */
  seedDemoAfterAll?: (orm: MikroORM, demo: DemoLoad) => Promise<number>;
  /**
   * Files served beside the graph (HTTP GET), by path prefix (e.g. `/datasets/`): the request carries
   * the same gateway token as the graph's, verified the same way before the handler runs (401 without).
   */
  files?: Record<string, FileRoute>;
  /**
   * Files received beside the graph (HTTP POST, streamed: the handler reads the body itself), by path
   * prefix (e.g. `/uploads/`): the same gateway token as the graph's, verified before the handler runs.
   */
  uploads?: Record<string, FileRoute>;
  /**
   * Work the subgraph does in the background while it serves (the research subgraph: its published
   * snapshots, kit/data-version.ts), started once it listens, on the application role's URL, and
   * stopped before its pool closes.
   */
  background?: (orm: MikroORM, databaseUrl: string) => Promise<{ stop(): Promise<void> }>;
}

/** What a file route gets: the verified caller, the subgraph's ORM (application role) and the request's logger. */
export interface FileRequest {
  identity: Identity;
  orm: MikroORM;
  log: Logger;
  /** The path after the route's prefix. */
  path: string;
}
export type FileRoute = (request: IncomingMessage, response: ServerResponse, file: FileRequest) => Promise<void>;

const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@tag", "@inaccessible"])';

export interface BuildOptions {
  /** false only to measure the policy's cost (bench/): no shield, no access log. */
  enforcePolicy?: boolean;
}

/** The executable subgraph schema, with the policy's shield applied. */
export async function buildFederatedSchema(
  definition: SubgraphDefinition,
  options: BuildOptions = {},
): Promise<GraphQLSchema> {
  const typeGraphQLSchema = await buildSchema({
    resolvers: definition.resolvers,
    orphanedTypes: definition.orphanedTypes,
    skipCheck: true,
    validate: false,
  });
  assertSchemaCoveredByPolicy(typeGraphQLSchema);
  const unowned = Object.keys(PERSONAL_DATA_TYPES).filter(
    (type) => typeGraphQLSchema.getType(type) && !definition.owners[type],
  );
  if (unowned.length > 0)
    throw new Error(`${definition.name}: personal-data types without an owner function: ${unowned.join(', ')}`);

  const typeDefs = tagCategories(parse(`${FEDERATION_LINK}\n${printSchemaWithDirectives(typeGraphQLSchema)}`));
  const resolvers = createResolversMap(typeGraphQLSchema) as GraphQLResolverMap<unknown>;
  for (const [typeName, resolve] of Object.entries(definition.references)) {
    const typeResolvers = (resolvers[typeName] ??= {}) as Record<string, unknown>;
    typeResolvers.__resolveReference = async (representation: { id: string }, context: SubgraphContext) => {
      // Shield does not wrap __resolveReference: authorize here too. Hidden and absent look alike (null).
      if (!mayResolveReference(context.identity.role, typeName)) throw new ForbiddenError();
      const record = await resolve(representation, context);
      return PERSONAL_DATA_TYPES[typeName] ? visibleOrNull(context, typeName, record) : (record ?? null);
    };
  }
  const schema = buildSubgraphSchema({ typeDefs, resolvers });
  return options.enforcePolicy === false
    ? applyMiddleware(schema, inputGuard(schema))
    : applyMiddleware(schema, inputGuard(schema), shieldFromPolicy(schema, definition.owners));
}

/** The subgraph's SDL as composition sees it (committed as `subgraphs/<name>/schema.graphql`). */
export async function printFederatedSdl(definition: SubgraphDefinition): Promise<string> {
  return printSubgraphSchema(await buildFederatedSchema(definition));
}

export interface SubgraphRuntimeOptions extends BuildOptions {
  /** The application role's URL: requests are served on it. */
  databaseUrl: string;
  /** The owner role's URL: migrations run on it, then the application role gets its grants. Defaults to databaseUrl. */
  migrationUrl?: string;
  /** Whom identity tokens are accepted from: the gateway's public key, or a JWK set / JWKS URL of trusted signers. */
  gatewayKey: GatewayTrust;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** The variable that sets `port`, named when the port is taken (PORT for start:subgraph). */
  portVariable?: string;
  /** Adds `extensions.sqlStatements` to responses when the gateway asks for it (tests, benchmarks). */
  exposeSqlCount?: boolean;
  runMigrations?: boolean;
  /** How long readiness waits for `select 1` and the migrations table (2 s). */
  readinessTimeoutMs?: number;
  /**
   * How long a request goes on retrying after a lost database connection (8 s; 0: never), shortened
   * to end before the gateway's deadline for the answer (kit/failures.ts retryBudgetMs).
   */
  retryBudgetMs?: number;
  /**
   * Starts the definition's background work at once (default true); false: only when `startBackground`
   * is called (after a demo load, whose writes it would otherwise follow one burst at a time).
   */
  background?: boolean;
}

export interface RunningSubgraph {
  name: SubgraphName;
  url: string;
  port: number;
  orm: MikroORM;
  /** Requests being served right now. */
  readonly inFlight: number;
  /** The readiness report `/health/ready` answers. */
  readiness(): Promise<Readiness>;
  /** Starts the definition's background work if it was not yet (idempotent). */
  startBackground(): Promise<void>;
  /**
   * Stops taking connections, lets in-flight requests finish (at most `drainMs`, then closes what
   * is left), stops Apollo, then closes the ORM's pool. Idempotent.
   */
  stop(drainMs?: number): Promise<void>;
}

export interface Readiness {
  status: 'ok' | 'unavailable';
  checks: Record<string, { status: 'ok' | 'failed'; detail?: string }>;
}

const MAX_BODY_BYTES = 16 * 1024 * 1024;
export const DEFAULT_DRAIN_MS = 10_000;

export async function startSubgraph(
  definition: SubgraphDefinition,
  options: SubgraphRuntimeOptions,
): Promise<RunningSubgraph> {
  const host = options.host ?? '127.0.0.1';
  const portVariable = options.portVariable ?? `IPS_SUBGRAPH_PORTS (${definition.name}=…)`;
  // A taken port fails before migrations: one line naming it, nothing half-started.
  await assertPortFree(options.port ?? 0, host, portVariable);
  const migrationUrl = options.migrationUrl ?? options.databaseUrl;
  if (options.runMigrations ?? true) {
    await migrateSharedAccessSchema(migrationUrl);
    await migrateSchema(migrationUrl, definition.name, definition.entities, definition.migrations);
  }
  const orm = await openOrm({
    schema: definition.name,
    databaseUrl: options.databaseUrl,
    entities: definition.entities,
    migrations: definition.migrations,
  });
  // The kept connections warmed on the relations the subgraph reads: its tables, the ledger, the views it is granted.
  await warmPool(orm, [...entityRelations(orm), 'access.ledger', ...PUBLISHED_READS[definition.name]]);
  const pool = await orm.em.getConnection().getNativeClient();
  const unwatchPool = watchPool(definition.name, () => ({
    total: pool.totalCount,
    idle: pool.idleCount,
    waiting: pool.waitingCount,
  }));
  // The name the migrator records: the instance's `name` (as MikroORM's initialize() takes it), else the class name.
  const recordedName = (M: Constructor<Migration>) =>
    (new M(orm.em.getDriver(), orm.config) as Migration & { name?: string }).name ?? M.name;
  const expected = {
    access: accessMigrations.map(recordedName),
    [definition.name]: definition.migrations.map(recordedName),
  };
  const readiness = () => checkReadiness(orm, expected, options.readinessTimeoutMs ?? 2_000);
  let inFlight = 0;
  let outbox: RunningOutboxConsumer | undefined;
  let background: { stop(): Promise<void> } | undefined;
  try {
    const apollo = new ApolloServer<SubgraphContext>({
      schema: await buildFederatedSchema(definition, options),
      documentStore: boundedCache<DocumentNode>(), // parsed documents, bounded by count (runtime/bounded-cache.ts)
      formatError: formatSubgraphError,
      includeStacktraceInErrorResponses: false,
      stopOnTerminationSignals: false, // the entry points drain, then stop, in order
      plugins: [
        ApolloServerPluginLandingPageDisabled(),
        ApolloServerPluginInlineTraceDisabled(),
        // Cache hints are computed in a hook on every field resolved (2 300 for a 100-person page with its
        // consents); no answer is cacheable here anyway: `no-store` is set on every response below.
        ApolloServerPluginCacheControlDisabled(),
        responsePlugin(definition.name, options.exposeSqlCount ?? false),
      ],
    });
    await apollo.start();
    const context = async (
      request: IncomingMessage,
      requestId: string,
      log: Logger,
      attempt: Attempt,
    ): Promise<SubgraphContext> => {
      const { identity, operation } = await verifyGatewayToken(request.headers.authorization, options.gatewayKey);
      const sqlCounter = new SqlStatementCounter();
      const value: SubgraphContext = {
        identity,
        operation,
        em: forkForRequest(orm, sqlCounter, log),
        sqlCounter,
        loaders: new LoaderRegistry(() => value),
        accessLog: new AccessLogCollector(),
        owners: definition.owners,
        requestId,
        log,
        language: languageOf(request),
      };
      (value as AttemptContext)[ATTEMPT] = attempt;
      // Staff-bound relations (RELATIONS' `staff`) hold only while the directory lists the caller as active: read once per request.
      try {
        value.identity = await callerOf(value, identity);
      } catch (error) {
        if (isConnectionFailure(error)) attempt.lost();
        const failure = transientFailure(error);
        // Told as what it is (UNAVAILABLE, with its retry hint), not as a failed context creation (HTTP 500).
        if (failure)
          throw new GraphQLError(failure.message, { extensions: { ...failure.extensions, http: { status: 503 } } });
        throw error;
      }
      return value;
    };
    const http = createServer((request, response) => {
      inFlight += 1;
      response.once('close', () => (inFlight -= 1));
      const files = async (path: string, requestId: string, log: Logger): Promise<boolean> => {
        const routes =
          (request.method === 'POST' ? definition.uploads : request.method === 'GET' ? definition.files : undefined) ??
          {};
        const prefix = Object.keys(routes).find((candidate) => path.startsWith(candidate));
        if (!prefix) return false;
        let identity: Identity;
        try {
          identity = (await verifyGatewayToken(request.headers.authorization, options.gatewayKey)).identity;
        } catch (error) {
          const denied = error instanceof GraphQLError ? error : new UnauthenticatedError();
          sendJson(response, 401, {
            errors: [formatError(localiseError(denied.toJSON(), languageOf(request)), denied)],
          });
          return true;
        }
        await routes[prefix]!(request, response, {
          identity,
          orm,
          log: log.child({ requestId }),
          path: path.slice(prefix.length),
        });
        return true;
      };
      route(
        request,
        response,
        apollo,
        context,
        readiness,
        definition.name,
        files,
        options.retryBudgetMs ?? DEFAULT_RETRY_BUDGET_MS,
      ).catch((error: unknown) => {
        logger().error({ subgraph: definition.name, err: error }, 'subgraph HTTP failure');
        if (!response.headersSent)
          response.writeHead(500, { 'content-type': 'application/json' }).end(
            JSON.stringify({
              errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
            }),
          );
        else response.end();
      });
    });
    keepConnectionsAlive(http);
    await new Promise<void>((resolve, reject) => {
      http.once('error', (error: NodeJS.ErrnoException) =>
        reject(error.code === 'EADDRINUSE' ? new PortTakenError(options.port ?? 0, portVariable, host) : error),
      );
      http.listen(options.port ?? 0, host, () => resolve());
    });
    const { port } = http.address() as AddressInfo;
    if (definition.outbox)
      outbox = await startOutboxConsumer(orm, options.databaseUrl, definition.name, definition.outbox);
    let stopped: Promise<void> | undefined;
    const startBackground = async () => {
      if (definition.background && !background && !stopped)
        background = await definition.background(orm, options.databaseUrl);
    };
    if (options.background ?? true) await startBackground();
    return {
      name: definition.name,
      url: `http://${host}:${port}/`,
      port,
      orm,
      get inFlight() {
        return inFlight;
      },
      readiness,
      startBackground,
      stop: (drainMs = DEFAULT_DRAIN_MS) =>
        (stopped ??= (async () => {
          await drain(http, () => inFlight, drainMs);
          await outbox?.stop();
          await background?.stop();
          await apollo.stop();
          unwatchPool();
          await orm.close();
        })()),
    };
  } catch (error) {
    await outbox?.stop();
    await background?.stop();
    unwatchPool();
    await orm.close();
    throw error;
  }
}

/** The gateway's negotiated language, else (a direct call) the request's own Accept-Language. */
function languageOf(request: IncomingMessage) {
  const forwarded = request.headers[LANGUAGE_HEADER];
  return isLanguage(forwarded) ? forwarded : negotiateLanguage(request.headers['accept-language']);
}

/** Stops accepting connections, closes idle keep-alive ones, waits for in-flight requests (bounded), then closes the rest. */
async function drain(http: Server, inFlight: () => number, drainMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => http.close(() => resolve()));
  http.closeIdleConnections();
  const deadline = Date.now() + drainMs;
  while (inFlight() > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    http.closeIdleConnections();
  }
  http.closeAllConnections();
  await closed;
}

/** One execution of a request, and whether it is to run again (it met a lost database connection with budget left). */
interface Attempt {
  again: boolean;
  /** Marks the attempt as failed for a lost connection: true when it will run again (its answer is thrown away). */
  lost(): boolean;
}
/**
 * The attempt a request context belongs to (the response plugin marks it from what the execution met),
 * as a property of its own: Apollo hands the plugins a shallow copy of the context, not the object made.
 */
const ATTEMPT = Symbol('attempt');
type AttemptContext = SubgraphContext & { [ATTEMPT]?: Attempt };

type ContextFactory = (
  request: IncomingMessage,
  requestId: string,
  log: Logger,
  attempt: Attempt,
) => Promise<SubgraphContext>;

/** `/health/live`, `/health/ready`, `/metrics`; everything else is GraphQL (Apollo's own HTTP handling, CSRF prevention included). */
async function route(
  request: IncomingMessage,
  response: ServerResponse,
  apollo: ApolloServer<SubgraphContext>,
  context: ContextFactory,
  readiness: () => Promise<Readiness>,
  subgraph: SubgraphName,
  files: (path: string, requestId: string, log: Logger) => Promise<boolean>,
  retryBudget: number,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://subgraph');
  if (url.pathname === '/health/live') {
    sendJson(response, 200, { status: 'ok', checks: {} });
    return;
  }
  if (url.pathname === '/health/ready') {
    const report = await readiness();
    sendJson(response, report.status === 'ok' ? 200 : 503, report);
    return;
  }
  if (url.pathname === '/metrics' && metricsEnabled()) {
    const { contentType, body } = await metricsResponse();
    response.writeHead(200, { 'content-type': contentType }).end(body);
    return;
  }
  const requestId = requestIdFrom(request.headers);
  response.setHeader(REQUEST_ID_HEADER, requestId);
  const log = requestLogger(requestId, { subgraph });
  if ((request.method === 'GET' || request.method === 'POST') && (await files(url.pathname, requestId, log))) return;
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const bytes = await readBody(request);
  if (bytes === undefined) {
    sendJson(response, 413, {
      errors: [{ message: `Request body over ${MAX_BODY_BYTES} bytes`, extensions: { code: 'BAD_REQUEST' } }],
    });
    return;
  }
  if (!bodyIsUtf8(bytes) || !queryIsUtf8(request.url ?? '')) {
    // Decoded, they would run as U+FFFD replacement characters and be stored so (runtime/utf8.ts).
    const refused = new BadRequestError({ id: 'request.notUtf8' });
    sendJson(response, 400, { errors: [localiseError(formatError(refused.toJSON(), refused), languageOf(request))] });
    return;
  }
  const body = bytes.toString('utf8');
  // The trace the gateway started goes on here: this request, then each SQL statement under it.
  const result = await inSpan(
    `subgraph ${subgraph}`,
    { 'ips.subgraph': subgraph, 'ips.request_id': requestId },
    () =>
      executeRidingThrough(
        apollo,
        () => ({ method: request.method ?? 'GET', headers, search: url.search, body: parseBody(body, headers) }),
        (attempt) => context(request, requestId, log, attempt),
        retryBudgetMs(retryBudget, request.headers[DEADLINE_HEADER]),
        log,
      ),
    { parent: traceContextFrom(request.headers), kind: SpanKind.SERVER },
  );
  for (const [name, value] of result.headers) response.setHeader(name, value);
  response.statusCode = result.status ?? 200;
  if (result.body.kind === 'complete') {
    response.end(result.body.string);
    return;
  }
  for await (const chunk of result.body.asyncIterator) response.write(chunk);
  response.end();
}

/**
 * Runs a request, and again from the start on fresh connections while an attempt failed for a lost
 * database connection (PostgreSQL restarting, a connection the server ended), within `budgetMs` and
 * with a jittered pause between attempts: a restart shorter than the budget reaches no client.
 * The one place every subgraph retries. A read is safe to run again. A write is safe too: runCommand
 * runs it as one transaction — a failure before COMMIT rolled it back, and a failure during COMMIT
 * (committed or not, no one can tell) meets its idempotency key in the command log on the next
 * attempt, which then replays the stored answer instead of applying it twice. Past the budget, the
 * last attempt's answer goes out (UNAVAILABLE at its paths, with its retry hint).
 */
async function executeRidingThrough(
  apollo: ApolloServer<SubgraphContext>,
  httpGraphQLRequest: () => Parameters<
    ApolloServer<SubgraphContext>['executeHTTPGraphQLRequest']
  >[0]['httpGraphQLRequest'],
  context: (attempt: Attempt) => Promise<SubgraphContext>,
  budgetMs: number,
  log: Logger,
): ReturnType<ApolloServer<SubgraphContext>['executeHTTPGraphQLRequest']> {
  const deadline = performance.now() + budgetMs;
  for (let number = 1; ; number++) {
    const pause = retryDelayMs(number);
    const attempt: Attempt = {
      again: false,
      lost() {
        if (performance.now() + pause < deadline) attempt.again = true;
        else log.warn({ attempts: number }, 'database connection lost; retry budget spent');
        return attempt.again;
      },
    };
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: httpGraphQLRequest(),
      context: () => context(attempt),
    });
    if (!attempt.again) return result;
    if (result.body.kind !== 'complete') for await (const _ of result.body.asyncIterator); // not used by this graph; drained all the same
    log.warn({ attempt: number, pauseMs: pause }, 'database connection lost; running the request again');
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

/**
 * Ready when the subgraph's own role reaches PostgreSQL and every migration it was built with is applied,
 * read on the role's own pool (kit/privileges.ts grants each subgraph SELECT on its schema's and the shared
 * schema's migrations tables): what the subgraph serves with is what is checked, in every launch layout.
 */
async function checkReadiness(
  orm: MikroORM,
  expected: Record<string, string[]>,
  timeoutMs: number,
): Promise<Readiness> {
  const checks: Readiness['checks'] = {};
  const bounded = <T>(work: Promise<T>) =>
    Promise.race([
      work,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref(),
      ),
    ]);
  try {
    await bounded(orm.em.getConnection().execute('select 1'));
    checks.database = { status: 'ok' };
  } catch (error) {
    checks.database = { status: 'failed', detail: oneLine(error) };
  }
  try {
    const missing: string[] = [];
    for (const [schema, names] of Object.entries(expected)) {
      const rows = await bounded(
        orm.em.getConnection().execute<{ name: string }[]>(`select name from "${schema}".mikro_orm_migrations`),
      );
      const applied = new Set(rows.map((row) => row.name.replace(/\.[jt]s$/, '')));
      missing.push(...names.filter((name) => !applied.has(name)).map((name) => `${schema}/${name}`));
    }
    checks.migrations =
      missing.length === 0 ? { status: 'ok' } : { status: 'failed', detail: `not applied: ${missing.join(', ')}` };
  } catch (error) {
    checks.migrations = { status: 'failed', detail: oneLine(error) };
  }
  return { status: Object.values(checks).every((check) => check.status === 'ok') ? 'ok' : 'unavailable', checks };
}

function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 200);
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response
    .writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
    .end(JSON.stringify(body));
}

async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function parseBody(body: string, headers: HeaderMap): unknown {
  if (!(headers.get('content-type') ?? '').includes('application/json')) return body;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body; // Apollo Server answers 400 for a malformed JSON body
  }
}

/** The `access` schema (ledger and access log) that every subgraph reads; migrated once, under a lock. */
export async function migrateSharedAccessSchema(migrationUrl: string): Promise<void> {
  await migrateSchema(migrationUrl, 'access', [], accessMigrations);
}

/** Migrates one schema as the owner role, then grants the application role its DML there (kit/privileges.ts). */
async function migrateSchema(
  migrationUrl: string,
  schema: string,
  entities: Constructor[],
  migrations: Constructor<Migration>[],
): Promise<void> {
  const orm = await openOrm({ schema, databaseUrl: migrationUrl, entities, migrations, poolMax: 1 });
  try {
    await withMigrationLock(migrationUrl, async (client) => {
      await migrate(orm);
      await grantApplicationPrivileges(client, schema);
      await attachDataVersionTriggers(client, schema);
    });
  } finally {
    await orm.close();
  }
}

/**
 * Before a response leaves: write the request's access log (no data goes out unlogged),
 * then, when asked, report the statements the request ran, the log write included.
 */
function responsePlugin(subgraph: SubgraphName, exposeSqlCount: boolean): ApolloServerPlugin<SubgraphContext> {
  return {
    async requestDidStart({ request }) {
      const startedAt = performance.now();
      const reportSql = exposeSqlCount && Boolean(request.http?.headers.get(SQL_COUNT_HEADER));
      return {
        async willSendResponse({ response, contextValue, errors: requestErrors }) {
          response.http.headers.set('cache-control', 'no-store'); // personal data: never kept by a cache
          // contextValue lacks identity when the context function failed (no or a bad gateway token).
          const operation = (contextValue.operation ?? 'unauthenticated').slice(0, 100);
          const log = contextValue.log ?? logger().child({ subgraph });
          const attempt = (contextValue as AttemptContext)[ATTEMPT];
          // An attempt that will run again sends nothing: the next one reads (and logs) anew.
          if (attempt && requestErrors?.some(isConnectionFailure) && attempt.lost()) return;
          if (response.body.kind === 'single' && contextValue.accessLog) {
            try {
              await contextValue.accessLog.flush(contextValue, contextValue.identity, contextValue.operation, subgraph);
            } catch (error) {
              if (attempt && isConnectionFailure(error) && attempt.lost()) return;
              log.error({ err: error, operation }, 'access log write failed; response withheld');
              // The database gone between the reads and the log's write: the client is told so, and may retry.
              const failure = transientFailure(error);
              response.body.singleResult = {
                errors: [
                  failure
                    ? formatError(failure.toJSON(), failure)
                    : formatError(new GraphQLError('Internal server error'), undefined),
                ],
              };
            }
            // The catalogue's messages in the caller's language; `code`, `field` and `messageId` unchanged.
            const language = contextValue.language ?? negotiateLanguage(request.http?.headers.get('accept-language'));
            response.body.singleResult.errors = response.body.singleResult.errors?.map((error) =>
              localiseError(error, language),
            );
            if (reportSql) {
              response.body.singleResult.extensions = {
                ...response.body.singleResult.extensions,
                sqlStatements: contextValue.sqlCounter.count,
              };
            }
          }
          const resultErrors =
            response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : (requestErrors ?? []);
          const seconds = (performance.now() - startedAt) / 1000;
          if (metricsEnabled()) {
            const label = operationLabel(subgraph, operation);
            requests.inc({ component: subgraph, operation: label, outcome: resultErrors.length > 0 ? 'error' : 'ok' });
            requestDuration.observe({ component: subgraph, operation: label }, seconds);
            for (const error of resultErrors)
              errors.inc({ component: subgraph, operation: label, code: String(error.extensions?.code ?? 'UNKNOWN') });
          }
          // One line per request: names, counts and codes only, never variables or data.
          log.info(
            {
              operation,
              status: response.http.status ?? 200,
              ms: Math.round(seconds * 1000),
              sqlStatements: contextValue.sqlCounter?.count,
              errors: resultErrors.map((error) => String(error.extensions?.code ?? 'UNKNOWN')),
            },
            'request',
          );
        },
      };
    },
  };
}
