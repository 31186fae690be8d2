/**
 * One MikroORM instance per subgraph, each on its own PostgreSQL schema, with its
 * migrations table in that schema too. Every SQL statement is counted against the
 * request that caused it (the EntityManager fork carries the counter).
 */
import {
  DataloaderType,
  type Constructor,
  type LogContext,
  type Logger,
  type LoggerNamespace,
  type LoggerOptions,
} from '@mikro-orm/core';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import { Migrator, type Migration } from '@mikro-orm/migrations';
import { DefaultLogger, MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import pg from 'pg';
import { recordStatement } from '../../runtime/tracing.js';
import { config } from '../../runtime/config.js';
import { logger as rootLogger, type Logger as PinoLogger } from '../../runtime/logger.js';

export interface OrmOptions {
  /** PostgreSQL schema owned by the subgraph, e.g. `participants`. */
  schema: string;
  databaseUrl: string;
  entities: Constructor[];
  migrations: Constructor<Migration>[];
  /** Pool size per subgraph; four subgraphs share one server. */
  poolMax?: number;
  /** Connections the pool keeps however long it idles (POOL_MIN by default, at most poolMax). */
  poolMin?: number;
}

/**
 * Connections each subgraph's pool keeps open when idle. A connection the pool opens anew costs the
 * next request its handshake and a fresh PostgreSQL backend, whose first statements load the catalog
 * (tables, indexes, statistics) before planning: the first request after an idle minute cost several
 * times a warm one. Four covers one request's parallel statements (the caseload's four lists after its
 * ledger rows); the pool still grows to poolMax under load and shrinks back to this after 10 s idle.
 */
export const POOL_MIN = 4;

/** How long a request waits for a pooled connection before failing, rather than queueing forever. */
export const POOL_ACQUIRE_TIMEOUT_MS = 5_000;

/** Counts the statements one request (or one background computation) sends to PostgreSQL. */
export class SqlStatementCounter {
  count = 0;
  /** A background computation's (the snapshot worker's, the outbox's): not a request's, so no request listener hears it. */
  constructor(readonly background = false) {}
}

/**
 * In-process listeners to the statements requests run, with their parameters inlined as executed:
 * for tests only (test/list-plans.e2e.test.ts explains each). Nothing registers one in production;
 * the text reaches only the listener, never a log nor the network (parameters are personal data).
 */
export type RequestStatementListener = (statement: { schema: string; sql: string }) => void;
export const requestStatementListeners = new Set<RequestStatementListener>();

interface CountingLogContext extends LogContext {
  query: string;
  /** The statement with its parameters inlined, as MikroORM executed it (AbstractSqlConnection.execute). */
  formatted?: string;
  sqlCounter?: SqlStatementCounter;
  /** The request's logger (requestId, subgraph), set by forkForRequest. */
  log?: PinoLogger;
}

/**
 * Counts each statement against the request's counter and logs it as a JSON line at debug level
 * (`IPS_DEBUG_SQL=print`: at info), on the request's logger so the line carries its request id.
 * The statement text only: parameters never reach the log (they are personal data).
 */
class CountingLogger extends DefaultLogger implements Logger {
  constructor(
    options: LoggerOptions,
    private readonly schema: string,
  ) {
    super(options);
  }

  override logQuery(context: CountingLogContext): void {
    if (context.sqlCounter && context.level !== 'error') {
      context.sqlCounter.count += 1;
      if (!context.sqlCounter.background)
        for (const listener of requestStatementListeners)
          listener({ schema: this.schema, sql: context.formatted ?? context.query });
    }
    recordStatement(context.query, context.took, this.schema);
    const log = context.log ?? rootLogger();
    const level = context.level === 'error' ? 'warn' : config().IPS_DEBUG_SQL === 'print' ? 'info' : 'debug';
    if (!log.isLevelEnabled(level)) return;
    log[level](
      { schema: this.schema, sql: context.query, ms: context.took, rows: context.results ?? context.affected },
      'sql',
    );
  }

  override log(namespace: string, message: string, context?: LogContext): void {
    if (namespace === 'query') return; // statements go through logQuery
    const level = context?.level === 'error' ? 'error' : context?.level === 'warning' ? 'warn' : 'debug';
    ((context as CountingLogContext | undefined)?.log ?? rootLogger())[level](
      { schema: this.schema, namespace },
      message.split('\n')[0],
    );
  }

  /** Every statement passes through logQuery (which counts it); parameters are never inlined into its text. */
  override isEnabled(namespace: LoggerNamespace): boolean {
    return namespace !== 'query-params';
  }
}

export async function openOrm(options: OrmOptions): Promise<MikroORM> {
  const orm = await MikroORM.init({
    clientUrl: options.databaseUrl,
    schema: options.schema,
    entities: options.entities,
    metadataProvider: ReflectMetadataProvider,
    extensions: [Migrator],
    migrations: {
      tableName: `${options.schema}.mikro_orm_migrations`,
      migrationsList: options.migrations,
      snapshot: false,
      silent: true,
      allOrNothing: true,
    },
    dataloader: DataloaderType.ALL,
    pool: { min: Math.min(options.poolMin ?? POOL_MIN, options.poolMax ?? 5), max: options.poolMax ?? 5 },
    // Merged into pg's Pool options: pg-pool fails a connect or a queued acquire after this long.
    driverOptions: { connectionTimeoutMillis: POOL_ACQUIRE_TIMEOUT_MS },
    loggerFactory: (loggerOptions: LoggerOptions) => new CountingLogger(loggerOptions, options.schema),
    debug: ['query', 'info'], // all to CountingLogger, which logs by level and never the parameters
    allowGlobalContext: false,
    ensureDatabase: false,
    discovery: { warnWhenNoEntities: false },
  });
  releaseDroppedConnections(await orm.em.getConnection().getNativeClient());
  return orm;
}

/**
 * Gives the pool back the slot of a connection the server dropped while it was checked out. Kysely
 * (under MikroORM) returns a transaction's connection only after its COMMIT or ROLLBACK succeeded,
 * and neither can on a dead connection: without this, each transaction in flight when PostgreSQL
 * restarts keeps its slot for good, and a few restarts exhaust the pool. The connection is released
 * as broken (pg-pool then removes it), and the holder's own later release becomes a no-op.
 */
export function releaseDroppedConnections(pool: pg.Pool): void {
  const held = new WeakSet<pg.PoolClient>();
  const watched = new WeakSet<pg.PoolClient>();
  pool.on('acquire', (client) => {
    held.add(client);
    if (watched.has(client)) return;
    watched.add(client);
    client.once('end', () => {
      if (!held.has(client)) return;
      held.delete(client);
      const release = client.release.bind(client);
      client.release = () => undefined;
      release(new Error('connection dropped by the server'));
    });
  });
  pool.on('release', (_error, client) => held.delete(client));
}

/**
 * Opens the pool's kept connections at start and has each plan a read of every relation the subgraph
 * queries (`select 1 from … limit 0`: planned, nothing read), so that their backends hold the catalog
 * entries and statistics the hot lists' statements need before the first request, and after any idle
 * time (the pool keeps them: POOL_MIN). Best effort: a relation the role cannot read is skipped, and a
 * failure never stops start-up (the request then pays the cost, as without warming).
 */
export async function warmPool(orm: MikroORM, relations: readonly string[]): Promise<void> {
  const pool = await orm.em.getConnection().getNativeClient();
  const kept = pool.options.min ?? 0;
  const clients = await Promise.all(Array.from({ length: kept }, () => pool.connect().catch(() => undefined)));
  await Promise.all(
    clients.map(async (client) => {
      if (!client) return;
      try {
        for (const relation of relations)
          await client.query(`select 1 from ${relation} limit 0`).catch(() => undefined);
      } finally {
        client.release();
      }
    }),
  );
}

/** Every table the subgraph's entities map (schema-qualified, quoted), for warmPool. */
export function entityRelations(orm: MikroORM): string[] {
  const schema = orm.config.get('schema') as string;
  return [...orm.getMetadata().getAll().values()]
    .filter((meta) => meta.tableName && !meta.embeddable && !meta.virtual && !meta.abstract)
    .map((meta) => `"${meta.schema ?? schema}"."${meta.tableName}"`);
}

/** Applies the subgraph's checked-in migrations (idempotent). */
export async function migrate(orm: MikroORM): Promise<void> {
  await orm.em.getConnection().execute(`create schema if not exists "${orm.config.get('schema')}"`);
  await orm.migrator.up();
}

/** A fresh EntityManager for one request, counting its statements and logging them on the request's logger. */
export function forkForRequest(orm: MikroORM, sqlCounter: SqlStatementCounter, log?: PinoLogger): EntityManager {
  return orm.em.fork({ clear: true, loggerContext: { sqlCounter, log } });
}

/** Serialises migrations across processes (subgraphs started apart migrate the shared schema once). */
export async function withMigrationLock<T>(databaseUrl: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock(hashtext($1))', ['ips-graph-migrations']);
    return await run(client);
  } finally {
    await client.end(); // ends the session, releasing the lock
  }
}
