/**
 * The access decision, from the policy tables alone: a caller may see a category of a
 * participant's data when their role may ever see it, they hold their role's circle relation
 * to the participant, and the participant's information-sharing consent covers their recipient
 * (R18). The same decision is also given as SQL, so that lists are filtered in the database.
 * Writes are decided here too (`decideAction`), from the ACTIONS table.
 */
import type { Localised } from '../../../schema/errors.js';
import type { Identity } from '../../../schema/identity.js';
import {
  CIRCLE,
  DOWNLOADS,
  FILER_RECORDS,
  grantKey,
  NOTICES,
  preconditionMessageId,
  RECIPIENT_OF_ROLE,
  RELATIONS,
  roleMaySee,
  type ActionGrant,
  type ActionRule,
  type DataCategory,
  type LedgerFact,
  type Precondition,
  type Relation,
  type RelationName,
  type StaffFunction,
} from '../../../schema/policy.js';

/**
 * Who asks, as every decision sees them: the verified identity and the staff functions the
 * directory lists them in as active now, read by the subgraph at the start of each request (and
 * again inside a write's transaction). Absent, every staff-bound relation fails: deny by default.
 */
export type Caller = Identity & { readonly activeStaff?: ReadonlySet<StaffFunction> };

/** One row of the access ledger. */
export type LedgerRow = { participantId: string; consentGrants: string[]; researchConsent: boolean } & Partial<
  Record<Exclude<LedgerFact, 'consentGrants' | 'researchConsent'>, string | null>
>;

/** Whether the caller may hold the relation at all: its organisation, and its staff function active in the directory. */
function mayHold(identity: Caller, relation: Relation): boolean {
  if (relation.noOne) return false;
  if (relation.organisationIs !== undefined && identity.organisation !== relation.organisationIs) return false;
  return relation.staff === undefined || identity.activeStaff?.has(relation.staff) === true;
}

/** Whether the caller holds a relation to the participant: every named fact equals the caller's own. */
export function holdsRelation(identity: Caller, ledger: LedgerRow, name: RelationName): boolean {
  const relation: Relation = RELATIONS[name];
  if (!mayHold(identity, relation)) return false;
  if (relation.everyone) return true;
  const matches = (fact: LedgerFact | undefined, own: string) =>
    fact === undefined || ledger[fact as keyof LedgerRow] === own;
  return matches(relation.organisation, identity.organisation) && matches(relation.subject, identity.subject);
}

export function inCircle(identity: Caller, ledger: LedgerRow): boolean {
  return holdsRelation(identity, ledger, CIRCLE[identity.role]);
}

export function consentCovers(identity: Caller, ledger: LedgerRow, category: DataCategory): boolean {
  const recipient = RECIPIENT_OF_ROLE[identity.role];
  if (recipient === 'SELF') return true; // a person needs no consent to see their own data
  if (recipient === null) return false;
  return ledger.consentGrants.includes(grantKey(recipient, category));
}

export function mayAccess(identity: Caller, ledger: LedgerRow | undefined, category: DataCategory): boolean {
  return (
    roleMaySee(identity.role, category) &&
    ledger !== undefined &&
    inCircle(identity, ledger) &&
    consentCovers(identity, ledger, category)
  );
}

export function ledgerColumn(fact: LedgerFact): string {
  return fact.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/**
 * Whether the caller reads a notice's field by their relation alone (NOTICES, R16): the record is
 * flagged a notice, the caller is its addressee's role and holds the addressee's relation.
 */
export function mayReadNotice(
  identity: Caller,
  ledger: LedgerRow | undefined,
  typeName: string,
  record: object,
  field?: string,
): boolean {
  const rule = NOTICES[typeName];
  if (
    !rule ||
    (record as Record<string, unknown>)[rule.flag] !== true ||
    identity.role !== rule.addressee.role ||
    !ledger
  )
    return false;
  if (field !== undefined && !rule.fields.includes(field)) return false;
  return holdsRelation(identity, ledger, rule.addressee.relation);
}

/** The conditions over `access.ledger` aliased `l` that hold when the caller has the relation to the person. */
function relationTerms(identity: Caller, name: RelationName): { conditions: string[]; params: unknown[] } {
  const relation: Relation = RELATIONS[name];
  const conditions: string[] = [];
  const params: unknown[] = [];
  for (const [fact, own] of [
    [relation.organisation, identity.organisation],
    [relation.subject, identity.subject],
  ] as const) {
    if (!fact) continue;
    // The self subject (a NISS) is matched with the owner's rights, never read (kit/access/ledger.ts ledgerColumns).
    conditions.push(
      fact === 'selfSubject'
        ? 'l.participant_id in (select access.participants_of_self(?))'
        : `l.${ledgerColumn(fact)} = ?`,
    );
    params.push(own);
  }
  return { conditions, params };
}

const conjunction = (conditions: string[]) => `(${conditions.length ? conditions.join(' and ') : 'true'})`;

/** The relation alone (no consent) as a SQL condition over `access.ledger` aliased `l`: a notice's addressee, a referent's caseload. */
export function relationCondition(identity: Caller, name: RelationName): { sql: string; params: unknown[] } {
  if (!mayHold(identity, RELATIONS[name])) return { sql: 'false', params: [] };
  const { conditions, params } = relationTerms(identity, name);
  return { sql: conjunction(conditions), params };
}

/** `mayAccess` as a SQL condition over `access.ledger` aliased `l`, with its parameters: the caller's CIRCLE relation and the person's consent naming them. */
export function accessCondition(identity: Caller, category: DataCategory): { sql: string; params: unknown[] } {
  if (!roleMaySee(identity.role, category) || !mayHold(identity, RELATIONS[CIRCLE[identity.role]]))
    return { sql: 'false', params: [] };
  const { conditions, params } = relationTerms(identity, CIRCLE[identity.role]);
  const recipient = RECIPIENT_OF_ROLE[identity.role];
  if (recipient === null) conditions.push('false');
  else if (recipient !== 'SELF') {
    conditions.push('? = any(l.consent_grants)');
    params.push(grantKey(recipient, category));
  }
  return { sql: conjunction(conditions), params };
}

/** What a command knows of its target, read under the target's lock. */
export interface TargetFacts {
  /** The participant the record belongs to (absent for an organisation's or the trial's records). */
  participantId?: string;
  /** The organisation the record belongs to (for `ownOrganisation`). */
  organisation?: string;
  /** States of the record the ACTIONS preconditions read. */
  state?: Partial<Record<Precondition, boolean>>;
  /** The record is a notice (NOTICES): its addressee acts on it by relation alone. */
  notice?: boolean;
  /** Who wrote the record (for `notAuthor`: a second person acts on it, never its author). */
  author?: { organisation: string; subject: string };
}

export type ActionDecision =
  | { allowed: true; grant: ActionGrant }
  | { allowed: false; code: 'NOT_FOUND' | 'FORBIDDEN' | 'CONFLICT'; message: Localised };

/** Facts of the ledger (or the caller against the target's author) a precondition reads; the rest come from the target. */
function preconditionHolds(
  precondition: Precondition,
  target: TargetFacts,
  ledger: LedgerRow | undefined,
  identity: Identity,
): boolean {
  switch (precondition) {
    case 'notAuthor':
    case 'notAmendmentAuthor': // the same four eyes on a convention's money (R17), told in its own words
      if (!target.author)
        throw new Error(`The command did not load the author its action's "${precondition}" requires`);
      return target.author.organisation !== identity.organisation || target.author.subject !== identity.subject;
    case 'ipsArm':
      return ledger?.trialArm === 'IPS';
    case 'controlArm':
      return ledger?.trialArm === 'CONTROL';
    case 'randomised':
      return Boolean(ledger?.trialArm);
    case 'notRandomised':
      return !ledger?.trialArm;
    case 'researchConsent':
      return ledger?.researchConsent === true;
    default: {
      const value = target.state?.[precondition];
      if (value === undefined)
        throw new Error(`The command did not load the state "${precondition}" its action requires`);
      return value;
    }
  }
}

/**
 * Decides one write from the ACTIONS table (R18): the caller's role and variant must have a
 * grant; a target the caller may not read is NOT_FOUND, exactly like a missing one; a readable
 * target without the grant's relation is FORBIDDEN; an unmet state is CONFLICT.
 */
export function decideAction(
  action: ActionRule,
  identity: Caller,
  target: TargetFacts | undefined,
  ledger: LedgerRow | undefined,
  options: { variant?: string; idCategory?: DataCategory } = {},
): ActionDecision {
  const grants = action.grants.filter(
    (grant) =>
      grant.role === identity.role &&
      (!grant.variants || (options.variant !== undefined && grant.variants.includes(options.variant))),
  );
  const notFound: ActionDecision = {
    allowed: false,
    code: 'NOT_FOUND',
    message: { id: 'error.notFound', params: { what: action.target } },
  };
  if (grants.length === 0) {
    return action.grants.some((grant) => grant.role === identity.role)
      ? {
          allowed: false,
          code: 'FORBIDDEN',
          message: options.variant
            ? { id: 'forbidden.variantNotForRole', params: { variant: options.variant, role: identity.role } }
            : { id: 'forbidden.actionNotForRole', params: { role: identity.role } },
        }
      : { allowed: false, code: 'FORBIDDEN', message: { id: 'error.forbidden' } };
  }
  const staffed = grants.filter((grant) => !grant.staff || identity.activeStaff?.has(grant.staff));
  if (staffed.length === 0) return { allowed: false, code: 'FORBIDDEN', message: { id: 'forbidden.notActiveStaff' } };
  if (!target) return action.createsTarget ? { allowed: true, grant: staffed[0]! } : notFound;

  const related = staffed.filter((grant) => {
    if (grant.relation === 'anyone') return true;
    if (grant.relation === 'ownOrganisation')
      return target.organisation !== undefined && target.organisation === identity.organisation;
    return ledger !== undefined && holdsRelation(identity, ledger, grant.relation);
  });
  const readable =
    target.participantId === undefined ||
    (action.visibility === 'relation'
      ? related.length > 0
      : mayAccess(identity, ledger, options.idCategory ?? 'administrative')) ||
    (target.notice === true &&
      mayReadNotice(identity, ledger, action.target, { [NOTICES[action.target]?.flag ?? 'notice']: true }));
  const named: ActionDecision | undefined =
    action.deniedAsConflict && target.participantId !== undefined
      ? { allowed: false, code: 'CONFLICT', message: { id: action.deniedAsConflict } }
      : undefined;
  if (!readable || (related.length === 0 && target.participantId === undefined)) return named ?? notFound;
  if (related.length === 0) {
    return (
      named ?? {
        allowed: false,
        code: 'FORBIDDEN',
        message: {
          id: 'forbidden.relationRequired',
          params: { relations: [...new Set(grants.map((grant) => grant.relation))].join(' | ') },
        },
      }
    );
  }
  let unmet: Precondition | undefined;
  for (const grant of related) {
    const failed = (grant.requires ?? []).find(
      (precondition) => !preconditionHolds(precondition, target, ledger, identity),
    );
    if (!failed) return { allowed: true, grant };
    unmet ??= failed;
  }
  // The catalogue tells the precondition (precondition.<name>: PRECONDITIONS' sentence, in the caller's language).
  return { allowed: false, code: 'CONFLICT', message: { id: preconditionMessageId(unmet!) } };
}

/** A record filed by a staff member (FILER_RECORDS): who filed it. */
export interface FiledRecord {
  filerOrganisation: string;
  filerSubject: string;
}

/** Whether the caller's role reads only the records of this type it filed itself (FILER_RECORDS). */
export function readsOnlyOwnFiled(identity: Identity, typeName: string): boolean {
  return FILER_RECORDS[typeName]?.includes(identity.role) ?? false;
}

/** The filer's condition as SQL over the record's filer columns, with its parameters: `true` for roles that read every record. */
export function filerCondition(
  identity: Identity,
  typeName: string,
  organisationColumn: string,
  subjectColumn: string,
): { sql: string; params: unknown[] } {
  if (!readsOnlyOwnFiled(identity, typeName)) return { sql: 'true', params: [] };
  return {
    sql: `(${organisationColumn} = ? and ${subjectColumn} = ?)`,
    params: [identity.organisation, identity.subject],
  };
}

/**
 * Decides a file download from DOWNLOADS alone: the caller's role is listed, they filed the record
 * when only its filer may, and the record is in a state the rule names. A record that fails any of
 * these is answered as a missing one, so a caller learns nothing of another's records.
 */
export function mayDownload(
  name: string,
  identity: Identity,
  record: (FiledRecord & { status: string }) | undefined,
): boolean {
  const rule = DOWNLOADS[name];
  if (!rule || !record || !rule.roles.includes(identity.role)) return false;
  if (
    rule.filerOnly &&
    (record.filerOrganisation !== identity.organisation || record.filerSubject !== identity.subject)
  )
    return false;
  return rule.status.includes(record.status);
}
