/**
 * Whether demo data may go into a database. Demo people are invented, and demo rows hang off whoever
 * is in the tables (pathways of referred people, allocations, jobs, statements, questionnaire waves):
 * loaded into a database that holds real people they would be attached to them. So the platform marks a
 * database once, the first time it starts on it, in the same transaction that looks at what it holds:
 * `demo` when it was empty and demo data were asked for, `empty` when it was empty and they were not,
 * `existing` when it already held the platform's tables (an earlier release's database, a database
 * served without demo data, a database restored from a backup…). Demo data load only into a `demo`
 * database, on every start (each loader fills only its own empty tables, so a restart adds nothing).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { VAULT_OWNER } from '../schema/database-roles.js';

export type DatabaseOriginKind = 'demo' | 'empty' | 'existing';

/** The mark, as written the first time this platform started on the database. */
export interface DatabaseOrigin {
  kind: DatabaseOriginKind;
  /** The release (package.json version) that wrote the mark. */
  markedByVersion: string;
  /** ISO timestamp of the mark. */
  markedAt: string;
}

/** Where the mark lives: a schema of its own, owned by the owner role, read by no request. */
export const ORIGIN_TABLE = 'platform.database_origin';

/**
 * Schemas a fresh database already has before the platform's first migration: PostgreSQL's own, and
 * the vaults provisioning creates (platform/database.ts) before any subgraph migrates.
 */
const SCHEMAS_BEFORE_FIRST_MIGRATION = [
  'pg_catalog',
  'information_schema',
  'pg_toast',
  'allocation_vault',
  'pseudonym_vault',
  'platform',
];

/** Demo data load into this database only when it was marked as created for them. */
export function demoDataAllowed(origin: DatabaseOrigin): boolean {
  return origin.kind === 'demo';
}

/**
 * Reads the database's mark, writing it first if there is none (as the owner role, before any
 * migration; serialised against other starts by an advisory lock held by the transaction).
 * `wantsDemo` only matters for a database found empty.
 */
export async function markDatabaseOrigin(
  ownerUrl: string,
  wantsDemo: boolean,
  version = releaseVersion(),
): Promise<DatabaseOrigin> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query('begin');
    try {
      await client.query("select pg_advisory_xact_lock(hashtext('ips-graph-database-origin'))");
      const existing = await readOrigin(client);
      if (existing) {
        await client.query('commit');
        return existing;
      }
      // Any table or view outside the schemas a fresh database has: someone's data, or an earlier release's.
      const {
        rows: [found],
      } = await client.query<{ relations: number }>(
        `select count(*)::int as relations from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where c.relkind in ('r', 'p', 'v', 'm', 'f') and not (n.nspname = any($1::text[])) and n.nspname not like 'pg\\_%'`,
        [SCHEMAS_BEFORE_FIRST_MIGRATION],
      );
      if (!found) throw new Error('count(*) answered no row');
      const kind: DatabaseOriginKind = found.relations > 0 ? 'existing' : wantsDemo ? 'demo' : 'empty';
      await client.query('create schema if not exists platform');
      await client.query('revoke all on schema platform from public');
      await client.query(`create table if not exists ${ORIGIN_TABLE} (
          only_row boolean primary key default true check (only_row),
          kind text not null check (kind in ('demo', 'empty', 'existing')),
          marked_by_version text not null,
          marked_at timestamptz not null default now())`);
      await client.query(
        `comment on table ${ORIGIN_TABLE} is 'What the platform found the first time it started on this database; demo data load only when kind = ''demo''.'`,
      );
      await client.query(`insert into ${ORIGIN_TABLE} (kind, marked_by_version) values ($1, $2)`, [kind, version]);
      // The allocation vault reads the mark: it draws a demo's history only in a database marked for demo data (vault.sql.ts).
      await client.query(`do $$ begin if exists (select 1 from pg_roles where rolname = '${VAULT_OWNER}') then
          grant usage on schema platform to ${VAULT_OWNER}; grant select on ${ORIGIN_TABLE} to ${VAULT_OWNER}; end if; end $$`);
      const marked = await readOrigin(client);
      await client.query('commit');
      if (!marked) throw new Error(`${ORIGIN_TABLE} holds no row right after its insert`);
      return marked;
    } catch (error) {
      await client.query('rollback');
      throw error;
    }
  } finally {
    await client.end();
  }
}

async function readOrigin(client: pg.Client): Promise<DatabaseOrigin | undefined> {
  const {
    rows: [table],
  } = await client.query<{ exists: boolean }>('select to_regclass($1) is not null as exists', [ORIGIN_TABLE]);
  if (!table?.exists) return undefined;
  const {
    rows: [row],
  } = await client.query<{ kind: DatabaseOriginKind; marked_by_version: string; marked_at: Date }>(
    `select kind, marked_by_version, marked_at from ${ORIGIN_TABLE}`,
  );
  return (
    row && { kind: row.kind, markedByVersion: row.marked_by_version, markedAt: new Date(row.marked_at).toISOString() }
  );
}

/** One line for `npm start` when demo data were asked for but this database is not a demo's. */
export function demoRefusal(origin: DatabaseOrigin): string {
  const found = origin.kind === 'existing' ? 'already held data' : 'was created without demo data';
  return `demo data: none loaded — this database ${found} when version ${origin.markedByVersion} first started on it (${origin.markedAt}); demo data go only into a database npm start creates (e.g. a new IPS_DATA_DIR)`;
}

/** This release's version, from the project's package.json (found from source and from dist/ alike). */
export function releaseVersion(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? 'unknown';
    if (dirname(dir) === dir) return 'unknown';
  }
}
