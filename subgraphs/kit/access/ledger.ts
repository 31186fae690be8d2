/**
 * The access ledger: read once per request for all the participants it touches
 * (a DataLoader), written by the subgraph that owns each fact, inside the
 * transaction of the change that causes it.
 */
import { LEDGER_FACTS, RELATIONS, STAFF_FUNCTIONS, type LedgerFact, type Relation, type StaffFunction } from '../../../schema/policy.js';
import type { Identity, Role } from '../../../schema/identity.js';
import { byKey } from '../context.js';
import { queryRows, type SqlRunner } from '../raw-sql.js';
import type { SubgraphName } from '../../../schema/subgraphs.js';
import { ledgerColumn, type Caller, type LedgerRow } from './decide.js';

const FACTS = Object.keys(LEDGER_FACTS) as LedgerFact[];
/** The ledger's columns under their fact names, for a query on `access.ledger` aliased `l`. */
export const LEDGER_COLUMNS = `l.participant_id as "participantId", ${FACTS.map((fact) => `l.${ledgerColumn(fact)} as "${fact}"`).join(', ')}`;
const SELECT = `select ${LEDGER_COLUMNS} from access.ledger l`;

/** Batch loader: every ledger row a request needs, in one statement. */
export const ledgerByParticipant = byKey<string, LedgerRow>(
  (participantIds, context) => queryRows<LedgerRow>(context, `${SELECT} where l.participant_id in (?)`, [[...participantIds]]),
  (row) => row.participantId,
);

export type LedgerFacts = Partial<{ [F in LedgerFact]: F extends 'consentGrants' ? string[] : F extends 'researchConsent' ? boolean : string | null }>;

/**
 * Writes facts that `owner` owns (LEDGER_FACTS), creating the row if needed. Call it with
 * the transaction's EntityManager so the ledger changes with the fact it mirrors.
 */
export async function writeLedgerFacts(runner: SqlRunner, owner: SubgraphName, participantId: string, facts: LedgerFacts): Promise<void> {
  const entries = Object.entries(facts) as [LedgerFact, unknown][];
  const foreign = entries.filter(([fact]) => LEDGER_FACTS[fact].owner !== owner).map(([fact]) => fact);
  if (foreign.length > 0) throw new Error(`${owner} may not write ledger facts it does not own: ${foreign.join(', ')}`);
  if (entries.length === 0) return;
  const columns = entries.map(([fact]) => ledgerColumn(fact));
  // Arrays go in as text (`{a,b}`): the driver would otherwise expand them into lists.
  const values = entries.map(([fact, value]) => (fact === 'consentGrants' ? `{${(value as string[]).join(',')}}` : value));
  const placeholders = entries.map(([fact]) => (fact === 'consentGrants' ? '?::text[]' : '?'));
  await queryRows(
    runner,
    `insert into access.ledger (participant_id, ${columns.join(', ')}) values (?, ${placeholders.join(', ')})
     on conflict (participant_id) do update set ${columns.map((c) => `${c} = excluded.${c}`).join(', ')}, updated_at = now()`,
    [participantId, ...values],
  );
}

/** Roles some relation holds only while their staff membership is active (RELATIONS' `staff`): their requests read the directory. */
const DIRECTORY_BOUND_ROLES: ReadonlySet<Role> = new Set(
  Object.values(RELATIONS as Readonly<Record<string, Relation>>).flatMap((relation) => (relation.staff ? [STAFF_FUNCTIONS[relation.staff].role] : [])),
);

/** The staff functions the directory lists the caller in as active now (its published view). */
export async function activeStaffFunctions(runner: SqlRunner, identity: Identity): Promise<Set<StaffFunction>> {
  const rows = await queryRows<{ function: StaffFunction }>(
    runner,
    'select function from participants.published_staff_member where organisation = ? and subject = ? and active',
    [identity.organisation, identity.subject],
  );
  return new Set(rows.map((row) => row.function));
}

/**
 * The caller as decisions see them: with their active staff functions when a relation of their
 * role depends on them (or `always`, for a write whose grant names a function), read once, so
 * that reads and writes decide on the same directory fact.
 */
export async function callerOf(runner: SqlRunner, identity: Identity, always = false): Promise<Caller> {
  if (!always && !DIRECTORY_BOUND_ROLES.has(identity.role)) return identity;
  return { ...identity, activeStaff: await activeStaffFunctions(runner, identity) };
}
