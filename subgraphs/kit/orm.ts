/**
 * One MikroORM instance per subgraph, each on its own PostgreSQL schema, with its
 * migrations table in that schema too. Every SQL statement is counted against the
 * request that caused it (the EntityManager fork carries the counter).
 */
import { DataloaderType, type Constructor, type LogContext, type Logger, type LoggerOptions } from '@mikro-orm/core';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import { Migrator, type Migration } from '@mikro-orm/migrations';
import { DefaultLogger, MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import pg from 'pg';

export interface OrmOptions {
  /** PostgreSQL schema owned by the subgraph, e.g. `participants`. */
  schema: string;
  databaseUrl: string;
  entities: Constructor[];
  migrations: Constructor<Migration>[];
  /** Pool size per subgraph; four subgraphs share one server. */
  poolMax?: number;
}

/** How long a request waits for a pooled connection before failing, rather than queueing forever. */
export const POOL_ACQUIRE_TIMEOUT_MS = 5_000;

/** Counts the statements one request sends to PostgreSQL. */
export class SqlStatementCounter {
  count = 0;
}

interface CountingLogContext extends LogContext {
  query: string;
  sqlCounter?: SqlStatementCounter;
}

/** Counts each statement against the request's counter; prints nothing unless debug is on. */
class CountingLogger extends DefaultLogger implements Logger {
  override logQuery(context: CountingLogContext): void {
    if (context.sqlCounter && context.level !== 'error') context.sqlCounter.count += 1;
    super.logQuery(context);
  }
}

export async function openOrm(options: OrmOptions): Promise<MikroORM> {
  return MikroORM.init({
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
    pool: { min: 0, max: options.poolMax ?? 5 },
    // Merged into pg's Pool options: pg-pool fails a connect or a queued acquire after this long.
    driverOptions: { connectionTimeoutMillis: POOL_ACQUIRE_TIMEOUT_MS },
    loggerFactory: (loggerOptions: LoggerOptions) => new CountingLogger(loggerOptions),
    debug: process.env.IPS_DEBUG_SQL === 'print' ? ['query', 'query-params'] : false,
    allowGlobalContext: false,
    ensureDatabase: false,
    discovery: { warnWhenNoEntities: false },
  });
}

/** Applies the subgraph's checked-in migrations (idempotent). */
export async function migrate(orm: MikroORM): Promise<void> {
  await orm.em.getConnection().execute(`create schema if not exists "${orm.config.get('schema')}"`);
  await orm.migrator.up();
}

/** A fresh EntityManager for one request, counting its statements. */
export function forkForRequest(orm: MikroORM, sqlCounter: SqlStatementCounter): EntityManager {
  return orm.em.fork({ clear: true, loggerContext: { sqlCounter } });
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
