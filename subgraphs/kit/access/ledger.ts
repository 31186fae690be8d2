/**
 * The access ledger: read once per request for all the participants it touches
 * (a DataLoader), written by the subgraph that owns each fact, inside the
 * transaction of the change that causes it.
 */
import pg from 'pg';
import type { Identity, Role } from '../../../schema/identity.js';
import { ROLES } from '../../../schema/identity.js';
import {
  ACTIONS,
  CIRCLE,
  FOLLOW_UP_MONTHS,
  LEDGER_FACTS,
  RELATIONS,
  STAFF_FUNCTIONS,
  type LedgerFact,
  type Relation,
  type RelationName,
  type StaffFunction,
} from '../../../schema/policy.js';
import { byKey } from '../context.js';
import { queryRows, type SqlRunner } from '../raw-sql.js';
import type { SubgraphName } from '../../../schema/subgraphs.js';
import { ledgerColumn, type Caller, type LedgerRow } from './decide.js';

const FACTS = Object.keys(LEDGER_FACTS) as LedgerFact[];

/** The facts that name a person by subject and that only their owning subgraph's role may read (a NISS). */
const SELF_FACTS = new Set<LedgerFact>(['selfSubject']);
/** Facts held as a date: read as `YYYY-MM-DD` text, whatever the driver makes of a date. */
const DATE_FACTS = new Set<LedgerFact>(['randomisedOn']);
/** Roles that may hold a relation matched on the self subject (CIRCLE, ACTIONS): the others never need it. */
const SELF_ROLES = new Set<Role>(
  ROLES.filter((role) => {
    const relations: string[] = [
      CIRCLE[role],
      ...Object.values(ACTIONS).flatMap((action) =>
        action.grants.filter((grant) => grant.role === role).map((grant) => grant.relation),
      ),
    ];
    return relations.some((name) => {
      const subject: LedgerFact | undefined =
        name in RELATIONS ? (RELATIONS[name as RelationName] as Relation).subject : undefined;
      return subject !== undefined && SELF_FACTS.has(subject);
    });
  }),
);

/**
 * The ledger's columns under their fact names, for a query on `access.ledger` aliased `l`, as `identity`
 * may need them. The self subject (a NISS) is never read from the column — only the participants
 * subgraph's role may — but answered by `access.participants_of_self` (the owner's rights): the caller's
 * own subject where the row is theirs, else null, which is all a decision compares it with.
 */
export function ledgerColumns(identity: Identity): string {
  const self = SELF_ROLES.has(identity.role)
    ? `case when l.participant_id in (select access.participants_of_self(${pg.escapeLiteral(identity.subject)})) then ${pg.escapeLiteral(identity.subject)}::varchar end`
    : 'null::varchar';
  const column = (fact: LedgerFact) =>
    DATE_FACTS.has(fact) ? `to_char(l.${ledgerColumn(fact)}, 'YYYY-MM-DD')` : `l.${ledgerColumn(fact)}`;
  return `l.participant_id as "participantId", ${FACTS.map((fact) => (SELF_FACTS.has(fact) ? `${self} as "${fact}"` : `${column(fact)} as "${fact}"`)).join(', ')}`;
}

/** Batch loader: every ledger row a request needs, in one statement. */
export const ledgerByParticipant = byKey<string, LedgerRow>(
  (participantIds, context) =>
    queryRows<LedgerRow>(
      context,
      `select ${ledgerColumns(context.identity)} from access.ledger l where l.participant_id in (?)`,
      [[...participantIds]],
    ),
  (row) => row.participantId,
);

export type LedgerFacts = Partial<{
  [F in LedgerFact]: F extends 'consentGrants' ? string[] : F extends 'researchConsent' ? boolean : string | null;
}>;

/**
 * Writes facts that `owner` owns (LEDGER_FACTS), creating the row if needed. Call it with
 * the transaction's EntityManager so the ledger changes with the fact it mirrors.
 */
export async function writeLedgerFacts(
  runner: SqlRunner,
  owner: SubgraphName,
  participantId: string,
  facts: LedgerFacts,
): Promise<void> {
  const entries = Object.entries(facts) as [LedgerFact, unknown][];
  const foreign = entries.filter(([fact]) => LEDGER_FACTS[fact].owner !== owner).map(([fact]) => fact);
  if (foreign.length > 0) throw new Error(`${owner} may not write ledger facts it does not own: ${foreign.join(', ')}`);
  if (entries.length === 0) return;
  const columns = entries.map(([fact]) => ledgerColumn(fact));
  // Arrays go in as text (`{a,b}`): the driver would otherwise expand them into lists.
  const values = entries.map(([fact, value]) =>
    fact === 'consentGrants' ? `{${(value as string[]).join(',')}}` : value,
  );
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
  Object.values(RELATIONS as Readonly<Record<string, Relation>>).flatMap((relation) =>
    relation.staff ? [STAFF_FUNCTIONS[relation.staff].role] : [],
  ),
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

/**
 * The last day of a person's trial follow-up (schema/policy.ts FOLLOW_UP_MONTHS): the end of month 30 counted from the
 * month of randomisation (month 0), or the day of death when earlier. `randomisedOn` and `diedOn` are `YYYY-MM-DD`.
 */
export function followUpEndsOn(randomisedOn: string, diedOn?: string | null): string {
  const year = Number(randomisedOn.slice(0, 4));
  const month = Number(randomisedOn.slice(5, 7)) - 1 + FOLLOW_UP_MONTHS + 1; // the first day of month 31, zero-based
  const end = new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10); // its day 0: the last day of month 30
  return diedOn && diedOn < end ? diedOn : end;
}

/**
 * Whether an outcome dated `day` (`YYYY-MM-DD`; a month's first day for a monthly one) belongs to the person's trial
 * follow-up (the precondition `inFollowUp`): randomised, research consent in force, and not after the follow-up's
 * last day. A day before randomisation is the baseline and counts; the measures start at month 0.
 */
export function inFollowUp(
  ledger: Pick<LedgerRow, 'randomisedOn' | 'researchConsent'> | undefined,
  day: string,
  diedOn?: string | null,
): boolean {
  if (!ledger?.randomisedOn || !ledger.researchConsent) return false;
  return day <= followUpEndsOn(ledger.randomisedOn, diedOn);
}

/**
 * `inFollowUp` as SQL, for decisions taken over many rows at once (outcome files): the ledger row
 * `ledger` and a day (`YYYY-MM-DD` date expression; a month's first day for a monthly outcome). The
 * death is the pathway ended DECEASED, as the measures read it.
 */
export function followUpCondition(ledger: string, day: string): string {
  return `(${ledger}.randomised_on is not null and ${ledger}.research_consent is true
      and ${day} <= (date_trunc('month', ${ledger}.randomised_on) + interval '${FOLLOW_UP_MONTHS + 1} months' - interval '1 day')::date
      and not exists (select 1 from pathways.published_pathway_course c where c.participant_id = ${ledger}.participant_id and c.end_reason = 'DECEASED' and c.ended_on < ${day}))`;
}

/**
 * The ledger's follow-up facts of one person, read and locked inside a command's transaction (its target loader runs
 * before the decision reads the ledger): what `inFollowUp` decides on, as of this transaction.
 */
export async function followUpFacts(
  runner: SqlRunner,
  participantId: string,
): Promise<Pick<LedgerRow, 'randomisedOn' | 'researchConsent'> | undefined> {
  const [row] = await queryRows<{ randomisedOn: string | null; researchConsent: boolean }>(
    runner,
    `select to_char(l.randomised_on, 'YYYY-MM-DD') as "randomisedOn", l.research_consent as "researchConsent" from access.ledger l where l.participant_id = ? for update`,
    [participantId],
  );
  return row;
}
