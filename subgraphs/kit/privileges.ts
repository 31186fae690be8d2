/**
 * What the application role may do to the tables, in one table: after migrating a schema
 * (as the owner role), the kit revokes everything from the application role there and
 * grants exactly this. Tables get DML by default; the exceptions below narrow it.
 * Nothing grants TRUNCATE, REFERENCES or TRIGGER, and the application role creates nothing.
 */
import type pg from 'pg';
import { APP_ROLE, VAULT_OWNER } from '../../schema/database-roles.js';

export type TablePrivilege = 'select' | 'insert' | 'update' | 'delete';

/** Per table, unless an exception says otherwise. */
export const DEFAULT_TABLE_PRIVILEGES: readonly TablePrivilege[] = ['select', 'insert', 'update', 'delete'];
/** `usage` is what nextval needs (e.g. pathways.registry_number_seq). */
export const SEQUENCE_PRIVILEGES = ['usage', 'select'] as const;
/** Views (the `published_*` contracts read across subgraphs) are read-only, even where PostgreSQL could update through them. */
export const VIEW_PRIVILEGES: readonly TablePrivilege[] = ['select'];

export interface TableRule {
  /** The application role's privileges on this table. */
  app: readonly TablePrivilege[];
  /** Other roles that need the table (e.g. the owner of a SECURITY DEFINER function that writes it). */
  others?: Readonly<Record<string, readonly TablePrivilege[]>>;
}

/** Exceptions to the default, by `schema.table`. */
export const TABLE_RULES: Readonly<Record<string, TableRule>> = {
  'access.access_log': { app: ['select', 'insert'] }, // append-only: no row is ever changed or removed
  'access.access_log_head': { app: [] }, // the chain's head: only the log's trigger (owner's rights) moves it
  'access.ledger': { app: ['select', 'insert', 'update'] }, // facts change, a participant's row is never removed
  'research.allocation': { app: ['select'], others: { [VAULT_OWNER]: ['select', 'insert'] } }, // written only by allocation_vault.allocate (R6)
  'research.questionnaire_wave': { app: ['select', 'insert', 'update'] }, // opened, answered as the participant goes, completed once
  'research.fidelity_review': { app: ['select', 'insert'] }, // an IPS-25 review once recorded stands: a new review is a new date
  'research.trial_design_proposal': { app: ['select', 'insert', 'update'] }, // proposed, then approved once; never removed
  'participants.screening_entry': { app: ['select', 'insert'] }, // the anonymous screening log: an entry once logged stands
  'research.data_request': { app: ['select', 'insert', 'update'] }, // R19: filed, then decided once by INAMI; never removed
  'research.dataset_download': { app: ['select', 'insert'] }, // R19: the download log, appended, never changed or removed
  'access.command_log': { app: ['select', 'insert', 'update'] }, // idempotency keys: claimed, answered, never removed
  'access.outbox': { app: ['select', 'insert'] }, // events of committed changes: appended, never changed or removed
  'access.outbox_applied': { app: ['select', 'insert'] }, // which consumer applied which event: once, for good
  'participants.organisation': { app: ['select'] }, // reference data, changed by migrations only
  'participants.staff_member': { app: ['select', 'insert', 'update'] }, // a membership ends, it is never removed
};

/** Tables no request touches: the migrator's bookkeeping. */
const PRIVATE_TABLES = new Set(['mikro_orm_migrations']);

/** Schemas other roles must reach, for the tables `others` names. */
const SCHEMA_USAGE: Readonly<Record<string, readonly string[]>> = { research: [VAULT_OWNER] };

export function tablePrivileges(schema: string, table: string, kind: 'table' | 'view'): readonly TablePrivilege[] {
  if (PRIVATE_TABLES.has(table)) return [];
  if (kind === 'view') return VIEW_PRIVILEGES;
  return TABLE_RULES[`${schema}.${table}`]?.app ?? DEFAULT_TABLE_PRIVILEGES;
}

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

/**
 * Applies the table above to one schema, in one transaction (requests of running subgraphs
 * see the old grants or the new, never none). Skipped when the application role does not
 * exist (an unprovisioned database) or is the one migrating (a single-URL set-up, where
 * revoking would take the owner's own rights away).
 */
export async function grantApplicationPrivileges(client: pg.Client, schema: string): Promise<void> {
  const { rows: roles } = await client.query<{ rolname: string }>('select rolname from pg_roles where rolname = any($1)', [[APP_ROLE, VAULT_OWNER]]);
  const { rows: [me] } = await client.query<{ user: string }>('select current_user as user');
  if (!roles.some((role) => role.rolname === APP_ROLE) || me!.user === APP_ROLE) return;
  const existing = new Set(roles.map((role) => role.rolname));
  const { rows: relations } = await client.query<{ name: string; kind: string }>(
    `select c.relname as name, c.relkind as kind from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = $1 and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f') order by c.relname`,
    [schema],
  );
  const s = quote(schema);
  await client.query('begin');
  try {
    await client.query(`revoke all on schema ${s} from ${APP_ROLE}`);
    await client.query(`grant usage on schema ${s} to ${APP_ROLE}`);
    await client.query(`revoke all on all tables in schema ${s} from ${APP_ROLE}`);
    await client.query(`revoke all on all sequences in schema ${s} from ${APP_ROLE}`);
    for (const relation of relations) {
      const target = `${s}.${quote(relation.name)}`;
      if (relation.kind === 'S') {
        await client.query(`grant ${SEQUENCE_PRIVILEGES.join(', ')} on sequence ${target} to ${APP_ROLE}`);
        continue;
      }
      const privileges = tablePrivileges(schema, relation.name, relation.kind === 'v' || relation.kind === 'm' ? 'view' : 'table');
      if (privileges.length > 0) await client.query(`grant ${privileges.join(', ')} on ${target} to ${APP_ROLE}`);
      for (const [role, granted] of Object.entries(TABLE_RULES[`${schema}.${relation.name}`]?.others ?? {})) {
        if (existing.has(role) && granted.length > 0) await client.query(`grant ${granted.join(', ')} on ${target} to ${role}`);
      }
    }
    for (const role of SCHEMA_USAGE[schema] ?? []) if (existing.has(role)) await client.query(`grant usage on schema ${s} to ${role}`);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
}

