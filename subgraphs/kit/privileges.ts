/**
 * Who holds what in the database, in one table: the contract of the subgraphs' roles
 * (schema/database-roles.ts SUBGRAPH_ROLES). After migrating a schema (as the owner role), the kit
 * revokes everything from every subgraph role there and grants exactly this; a test connects as
 * each role and compares what PostgreSQL says it may do with `contractOf` (test/database-roles.e2e.test.ts).
 *
 * - A subgraph's own schema: DML on its tables (the exceptions below narrow it), its sequences, its views.
 * - Another subgraph's schema: SELECT on the published views it reads (PUBLISHED_READS), nothing else.
 * - The kit's shared `access` schema (ACCESS_GRANTS): every subgraph reads the ledger but writes only the
 *   facts it owns (schema/policy.ts LEDGER_FACTS: column grants), and the person's NISS (the self subject)
 *   only through `access.participants_of_self`; claims idempotency keys and sets its own answer once
 *   (a trigger refuses a second setting, or another role's claim); appends to the access log; publishes
 *   only the outbox topics it produces and reads only those it consumes (row-level security from
 *   ON_CONSENT_WITHDRAWN), and marks applied only its own consumption.
 * - The vaults' functions (VAULT_FUNCTIONS): only for the subgraph whose commands need them.
 * Nothing grants TRUNCATE, REFERENCES or TRIGGER, and no subgraph role creates anything.
 */
import type pg from 'pg';
import { LEGACY_APP_ROLE, SUBGRAPH_ROLES, VAULT_OWNER } from '../../schema/database-roles.js';
import { LEDGER_FACTS, ON_CONSENT_WITHDRAWN, type LedgerFact } from '../../schema/policy.js';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../schema/subgraphs.js';
import { ledgerColumn } from './access/decide.js';

/** `usage` is for sequences only (what nextval needs, e.g. pathways.registry_number_seq). */
export type TablePrivilege = 'select' | 'insert' | 'update' | 'delete' | 'usage';
/** A privilege on the whole relation (`true`), or on these columns only. */
export type Columns = true | readonly string[];
export type Grant = Partial<Record<TablePrivilege, Columns>>;

/** A subgraph's own tables, unless an exception says otherwise. */
export const DEFAULT_TABLE_GRANT: Grant = { select: true, insert: true, update: true, delete: true };
/** A subgraph's own sequences. */
export const SEQUENCE_GRANT: Grant = { usage: true, select: true };
/** Views are read-only, even where PostgreSQL could update through them. */
export const VIEW_GRANT: Grant = { select: true };

export interface TableRule {
  /** The owning subgraph's privileges on this table. */
  own: Grant;
  /** Other roles that need the table (e.g. the owner of a SECURITY DEFINER function that reads or writes it). */
  others?: Readonly<Record<string, Grant>>;
}

/** Exceptions to the default on a subgraph's own tables, by `schema.table`. */
export const TABLE_RULES: Readonly<Record<string, TableRule>> = {
  'research.allocation': { own: { select: true }, others: { [VAULT_OWNER]: { select: true, insert: true } } }, // written only by allocation_vault.allocate (R6)
  'research.questionnaire_wave': { own: { select: true, insert: true, update: true } }, // opened, answered as the participant goes, completed once
  'research.fidelity_review': { own: { select: true, insert: true } }, // an IPS-25 review once recorded stands: a new review is a new date
  // Proposed, then approved once by a second researcher; the version it became is the vault's to write
  // (allocation_vault.configure reads the approved proposal with the vault owner's rights: four eyes in the vault).
  'research.trial_design_proposal': {
    own: {
      select: true,
      insert: [
        'id',
        'procedure',
        'block_sizes',
        'maximal_imbalance',
        'strata',
        'rationale',
        'proposed_by',
        'proposed_by_organisation',
        'proposed_at',
        'approved_by',
        'approved_by_organisation',
        'approved_at',
        'idempotency_key',
        'requested_by',
        'request_fingerprint',
      ],
      update: ['approved_by', 'approved_by_organisation', 'approved_at'],
    },
    others: { [VAULT_OWNER]: { select: true, update: ['version'] } },
  },
  'participants.screening_entry': { own: { select: true, insert: true } }, // the anonymous screening log: an entry once logged stands
  'research.data_request': { own: { select: true, insert: true, update: true } }, // R19: filed, then decided once by INAMI; never removed
  'research.dataset_download': { own: { select: true, insert: true } }, // R19: the download log, appended, never changed or removed
  'research.aggregate_snapshot': { own: { select: true, insert: true, update: true } }, // the published aggregates' latest snapshots (kit/data-version.ts): replaced as the data moves
  'research.cell_key_secret': { own: { select: true } }, // R19: the cell key method's secret, drawn once by migration 011; read inside the aggregate queries only
  'participants.organisation': { own: { select: true } }, // reference data, changed by migrations only
  'participants.staff_member': { own: { select: true, insert: true, update: true } }, // a membership ends, it is never removed
  // The outcome files' batch logs (kit/upload.ts): a batch is claimed, then its counts and report set once it is applied; never removed.
  'billing.convention_amendment': { own: { select: true, insert: true, update: true } }, // R17: a convention's history: proposed, then approved once; never removed
  // R17: a claim is submitted once; INAMI decides each line once; an approved claim never changes (credit notes and payments are appended).
  'billing.claim': { own: { select: true, insert: true, update: ['status', 'decided_at'] } },
  'billing.claim_line': {
    own: { select: true, insert: true, update: ['decision', 'decision_reason', 'decided_by', 'decided_at'] },
  },
  'billing.credit_note': { own: { select: true, insert: true } },
  'billing.credit_note_line': { own: { select: true, insert: true } },
  'billing.claim_payment': { own: { select: true, insert: true } },
  'billing.upload_batch': {
    own: { select: true, insert: true, update: ['applied_count', 'rejected_count', 'rejections', 'completed_at'] },
  },
  'pathways.upload_batch': {
    own: { select: true, insert: true, update: ['applied_count', 'rejected_count', 'rejections', 'completed_at'] },
  },
  'pathways.employment_declaration': { own: { select: true, insert: true } }, // a declared month, as social security declared it: never changed
  'pathways.reserved_registration_code': { own: { select: true } }, // R3: reference data, changed by migrations only
  'pathways.job_seeker_registration_correction': { own: { select: true, insert: true } }, // R3: a correction once made stands
  // The IPS principles as recorded practice: each contact, session and support given stands as recorded.
  'pathways.employer_contact': { own: { select: true, insert: true } },
  'pathways.benefits_counselling': { own: { select: true, insert: true } },
  'pathways.follow_along_support': { own: { select: true, insert: true } },
};

/**
 * The published views each subgraph reads across a boundary (DESIGN.md "Data"), and the directory's
 * view every subgraph's command path reads (kit/command.ts: active staff functions).
 */
export const PUBLISHED_READS: Readonly<Record<SubgraphName, readonly string[]>> = {
  participants: ['pathways.published_pathway', 'billing.published_convention_catchment'],
  pathways: [
    'participants.published_referral',
    'participants.published_staff_member',
    'billing.published_convention',
    'billing.published_convention_catchment',
    'research.published_allocation',
    'research.published_questionnaire_wave_status',
  ],
  research: [
    'participants.published_referral',
    'participants.published_research_profile', // R19: sex, age band, incapacity already coarsened; never the NISS or birth date
    'participants.published_screening_entry',
    'participants.published_staff_member',
    'pathways.published_pathway',
    'pathways.published_pathway_period',
    'pathways.published_pathway_course',
    'pathways.published_employment_episode',
    'pathways.published_intervention',
    'billing.published_convention',
    'billing.published_convention_catchment',
    'billing.published_benefit_statement',
  ],
  billing: [
    'participants.published_staff_member', // R17: each month's staffing against the convention's (memberships' FTE and days)
    'pathways.published_pathway', // R17: the partner's pathways against its convention's capacity
    'research.published_allocation',
    'pathways.published_pathway_period',
    'pathways.published_employment_episode',
    'pathways.published_pathway_course', // a death (end reason DECEASED) ends the follow-up benefit statements are recorded in
  ],
};

/** The vaults' functions (by signature) each subgraph's commands call; no other subgraph may execute one. */
export const VAULT_FUNCTIONS: Readonly<Record<SubgraphName, readonly string[]>> = {
  participants: [],
  pathways: [],
  research: [
    'allocation_vault.configure(uuid)',
    'allocation_vault.configurations()',
    'allocation_vault.allocate(uuid, text, text, text, text, text)',
    'allocation_vault.integrity()',
    'allocation_vault.balance()',
    'pseudonym_vault.ensure_key(text)',
    'pseudonym_vault.pseudonym(text, uuid)',
  ],
  billing: [],
};

/**
 * The NISS → person mapping of the outcome files (kit/upload.ts), each in its subgraph's schema and run with the
 * owner's rights: the uploading subgraph never reads a NISS, and is answered only for people of the circle named.
 */
export const UPLOAD_FUNCTIONS: Readonly<Record<SubgraphName, readonly string[]>> = {
  participants: [],
  pathways: ['pathways.outcome_subjects(text[])'],
  research: [],
  billing: ['billing.outcome_subjects(text[], text)'],
};

const LEDGER_COLUMNS_ALL = [
  'participant_id',
  ...(Object.keys(LEDGER_FACTS) as LedgerFact[]).map(ledgerColumn),
  'updated_at',
];
const ownedFacts = (subgraph: SubgraphName) =>
  (Object.keys(LEDGER_FACTS) as LedgerFact[]).filter((fact) => LEDGER_FACTS[fact].owner === subgraph).map(ledgerColumn);

/** The outbox topics a subgraph publishes and those it applies (schema/policy.ts ON_CONSENT_WITHDRAWN). */
export const OUTBOX_TOPICS: readonly { topic: string; producer: SubgraphName; consumers: readonly SubgraphName[] }[] = [
  {
    topic: ON_CONSENT_WITHDRAWN.event,
    producer: ON_CONSENT_WITHDRAWN.producedBy,
    consumers: ON_CONSENT_WITHDRAWN.appliedBy,
  },
];
export const producedTopics = (subgraph: SubgraphName) =>
  OUTBOX_TOPICS.filter((t) => t.producer === subgraph).map((t) => t.topic);
export const consumedTopics = (subgraph: SubgraphName) =>
  OUTBOX_TOPICS.filter((t) => t.consumers.includes(subgraph)).map((t) => t.topic);

/** What each subgraph holds on the shared `access` schema's tables and sequences. */
export function accessGrants(subgraph: SubgraphName): Readonly<Record<string, Grant>> {
  const owned = ownedFacts(subgraph);
  const grants: Record<string, Grant> = {
    // Read by every subgraph, but the self subject (a NISS) only by the subgraph that owns it; the others
    // match a caller against it through access.participants_of_self. Written only in the facts one owns;
    // updated_at for every subgraph: a command locks the person's row (SELECT … FOR UPDATE needs an UPDATE right).
    ledger: {
      select: LEDGER_COLUMNS_ALL.filter((column) => column !== 'self_subject' || owned.includes('self_subject')),
      ...(owned.length > 0 ? { insert: ['participant_id', ...owned] } : {}),
      update: [...owned, 'updated_at'],
    },
    // Every read of a person's data is appended; only the participants subgraph reads the log (`me { accessLog }`).
    access_log: subgraph === 'participants' ? { select: true, insert: true } : { insert: true },
    // A key is claimed (its caller, key, action and fingerprint); the claim's answer is set once, by its claimant (trigger).
    command_log: {
      select: true,
      insert: ['requested_by', 'idempotency_key', 'action', 'fingerprint'],
      update: ['result_id'],
    },
    data_version: { select: true }, // the sequence: read, advanced only by the owner's trigger
  };
  // Row-level security narrows these to the subgraph's own topics and consumer name (applyOutboxPolicies).
  if (producedTopics(subgraph).length > 0 || consumedTopics(subgraph).length > 0) {
    grants.outbox = {
      ...(consumedTopics(subgraph).length > 0 ? { select: true } : {}),
      ...(producedTopics(subgraph).length > 0 ? { insert: true } : {}),
    };
  }
  if (consumedTopics(subgraph).length > 0) grants.outbox_applied = { select: true, insert: true };
  return grants;
}

/** Functions of the `access` schema (and its own schema's upload mapping) each subgraph may call. */
export function accessFunctions(subgraph: SubgraphName): readonly string[] {
  return [
    'access.participants_of_self(text)',
    ...(subgraph === 'participants' ? ['access.verify_access_log()'] : []),
    ...UPLOAD_FUNCTIONS[subgraph],
  ];
}

/** The migrator's bookkeeping: each subgraph reads its own schema's and the shared one's (readiness: are its migrations current?). */
export const MIGRATIONS_TABLE = 'mikro_orm_migrations';

/** One subgraph's whole contract, as `schema.relation` → grant, and the functions it may execute (the test compares PostgreSQL with this). */
export function contractOf(
  subgraph: SubgraphName,
  relations: readonly { schema: string; name: string; kind: 'table' | 'view' | 'sequence' }[],
): { relations: Record<string, Grant>; functions: string[] } {
  const result: Record<string, Grant> = {};
  for (const relation of relations) {
    const grant = grantOn(subgraph, relation.schema, relation.name, relation.kind);
    if (grant && Object.keys(grant).length > 0) result[`${relation.schema}.${relation.name}`] = grant;
  }
  return { relations: result, functions: [...accessFunctions(subgraph), ...VAULT_FUNCTIONS[subgraph]].sort() };
}

/** What `subgraph` holds on one relation of the database (undefined: nothing). */
export function grantOn(
  subgraph: SubgraphName,
  schema: string,
  name: string,
  kind: 'table' | 'view' | 'sequence',
): Grant | undefined {
  if (name === MIGRATIONS_TABLE) return schema === subgraph || schema === 'access' ? { select: true } : undefined;
  if (schema === 'access') return accessGrants(subgraph)[name];
  if (schema !== subgraph)
    return kind === 'view' && PUBLISHED_READS[subgraph].includes(`${schema}.${name}`) ? VIEW_GRANT : undefined;
  if (kind === 'sequence') return SEQUENCE_GRANT;
  if (kind === 'view') return VIEW_GRANT;
  return TABLE_RULES[`${schema}.${name}`]?.own ?? DEFAULT_TABLE_GRANT;
}

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

function grantStatements(grant: Grant, target: string, role: string, sequence: boolean): string[] {
  if (sequence) {
    const privileges = Object.keys(grant).filter((p) => grant[p as TablePrivilege]);
    return privileges.length > 0 ? [`grant ${privileges.join(', ')} on sequence ${target} to ${role}`] : [];
  }
  const whole = (Object.keys(grant) as TablePrivilege[]).filter((p) => grant[p] === true);
  const statements = whole.length > 0 ? [`grant ${whole.join(', ')} on ${target} to ${role}`] : [];
  for (const [privilege, columns] of Object.entries(grant) as [TablePrivilege, Columns][]) {
    if (Array.isArray(columns) && columns.length > 0)
      statements.push(`grant ${privilege} (${columns.map(quote).join(', ')}) on ${target} to ${role}`);
  }
  return statements;
}

/**
 * Applies the contract to one schema, in one transaction (requests of running subgraphs see the old
 * grants or the new, never none). Skipped when no subgraph role exists (an unprovisioned database, a
 * single-URL set-up) or when the one migrating is a subgraph role (revoking would take its own rights away).
 */
export async function grantApplicationPrivileges(client: pg.Client, schema: string): Promise<void> {
  const candidates = [...Object.values(SUBGRAPH_ROLES), LEGACY_APP_ROLE, VAULT_OWNER];
  const { rows: roles } = await client.query<{ rolname: string }>(
    'select rolname from pg_roles where rolname = any($1)',
    [candidates],
  );
  const existing = new Set(roles.map((role) => role.rolname));
  const {
    rows: [me],
  } = await client.query<{ user: string }>('select current_user as user');
  const subgraphs = SUBGRAPH_NAMES.filter((name) => existing.has(SUBGRAPH_ROLES[name]));
  if (subgraphs.length === 0 || (Object.values(SUBGRAPH_ROLES) as string[]).includes(me!.user)) return;
  const { rows: relations } = await client.query<{ name: string; kind: string }>(
    `select c.relname as name, c.relkind as kind from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = $1 and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f') order by c.relname`,
    [schema],
  );
  const s = quote(schema);
  const revokeFrom = [
    ...subgraphs.map((name) => SUBGRAPH_ROLES[name]),
    ...(existing.has(LEGACY_APP_ROLE) ? [LEGACY_APP_ROLE] : []),
  ].join(', ');
  await client.query('begin');
  try {
    await client.query(`revoke all on schema ${s} from ${revokeFrom}`);
    await client.query(`revoke all on all tables in schema ${s} from ${revokeFrom}`);
    await client.query(`revoke all on all sequences in schema ${s} from ${revokeFrom}`);
    // Functions are callable by PUBLIC unless revoked: only the contract's are granted (trigger functions still fire).
    await client.query(`revoke all on all functions in schema ${s} from public, ${revokeFrom}`);
    for (const subgraph of subgraphs) {
      const role = SUBGRAPH_ROLES[subgraph];
      let reaches = schema === subgraph || schema === 'access';
      for (const relation of relations) {
        const kind =
          relation.kind === 'S' ? 'sequence' : relation.kind === 'v' || relation.kind === 'm' ? 'view' : 'table';
        const grant = grantOn(subgraph, schema, relation.name, kind);
        if (!grant) continue;
        reaches = true;
        for (const statement of grantStatements(grant, `${s}.${quote(relation.name)}`, role, kind === 'sequence'))
          await client.query(statement);
      }
      if (reaches) await client.query(`grant usage on schema ${s} to ${role}`);
      for (const signature of accessFunctions(subgraph).filter((f) => f.startsWith(`${schema}.`))) {
        await client.query(`grant execute on function ${signature} to ${role}`);
      }
    }
    for (const relation of relations) {
      for (const [role, grant] of Object.entries(TABLE_RULES[`${schema}.${relation.name}`]?.others ?? {})) {
        if (!existing.has(role)) continue;
        for (const statement of grantStatements(grant, `${s}.${quote(relation.name)}`, role, false))
          await client.query(statement);
        await client.query(`grant usage on schema ${s} to ${role}`);
      }
    }
    if (schema === 'access') await applyOutboxPolicies(client, subgraphs);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
}

/**
 * Row-level security on the outbox: a subgraph inserts only events of the topics it produces, under its
 * own name, reads only the topics it consumes, and claims an event as applied only for itself. (The
 * owner, which migrates, owns the tables and is not subject to it.)
 */
async function applyOutboxPolicies(client: pg.Client, subgraphs: readonly SubgraphName[]): Promise<void> {
  for (const table of ['outbox', 'outbox_applied']) {
    await client.query(`alter table access.${table} enable row level security`);
    const { rows } = await client.query<{ name: string }>(
      `select policyname as name from pg_policies where schemaname = 'access' and tablename = $1`,
      [table],
    );
    for (const { name } of rows) await client.query(`drop policy ${quote(name)} on access.${table}`);
  }
  const list = (topics: readonly string[]) => `array[${topics.map(literal).join(', ')}]::text[]`;
  for (const subgraph of subgraphs) {
    const role = SUBGRAPH_ROLES[subgraph];
    const produced = producedTopics(subgraph);
    const consumed = consumedTopics(subgraph);
    if (produced.length > 0) {
      await client.query(`create policy ${quote(`${subgraph}_publishes`)} on access.outbox for insert to ${role}
        with check (producer = ${literal(subgraph)} and topic = any(${list(produced)}))`);
    }
    if (consumed.length > 0) {
      await client.query(
        `create policy ${quote(`${subgraph}_consumes`)} on access.outbox for select to ${role} using (topic = any(${list(consumed)}))`,
      );
      await client.query(
        `create policy ${quote(`${subgraph}_applies`)} on access.outbox_applied for all to ${role} using (consumer = ${literal(subgraph)}) with check (consumer = ${literal(subgraph)})`,
      );
    }
  }
}
