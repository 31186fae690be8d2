/**
 * The access decision, from the policy tables alone: a caller may see a category of a
 * participant's data when their role may ever see it, they are in the participant's
 * circle, and the participant's information-sharing consent covers their recipient (R18).
 * The same decision is also given as SQL, so that lists are filtered in the database.
 */
import type { Identity } from '../../../schema/identity.js';
import { CIRCLE, grantKey, RECIPIENT_OF_ROLE, roleMaySee, type DataCategory, type LedgerFact } from '../../../schema/policy.js';

/** One row of the access ledger. */
export type LedgerRow = { participantId: string; consentGrants: string[]; researchConsent: boolean } & Partial<
  Record<Exclude<LedgerFact, 'consentGrants' | 'researchConsent'>, string | null>
>;

export function inCircle(identity: Identity, ledger: LedgerRow): boolean {
  const rule = CIRCLE[identity.role];
  if ('everyone' in rule) return true;
  if ('noOne' in rule) return false;
  const fact = ledger[rule.ledger];
  return typeof fact === 'string' && fact === identity[rule.equalsCaller];
}

export function consentCovers(identity: Identity, ledger: LedgerRow, category: DataCategory): boolean {
  const recipient = RECIPIENT_OF_ROLE[identity.role];
  if (recipient === 'SELF') return true; // a person needs no consent to see their own data
  if (recipient === null) return false;
  return ledger.consentGrants.includes(grantKey(recipient, category));
}

export function mayAccess(identity: Identity, ledger: LedgerRow | undefined, category: DataCategory): boolean {
  return roleMaySee(identity.role, category) && ledger !== undefined && inCircle(identity, ledger) && consentCovers(identity, ledger, category);
}

export function ledgerColumn(fact: LedgerFact): string {
  return fact.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** `mayAccess` as a SQL condition over `access.ledger` aliased `l`, with its parameters. */
export function accessCondition(identity: Identity, category: DataCategory): { sql: string; params: unknown[] } {
  if (!roleMaySee(identity.role, category)) return { sql: 'false', params: [] };
  const rule = CIRCLE[identity.role];
  const params: unknown[] = [];
  let circle: string;
  if ('everyone' in rule) circle = 'true';
  else if ('noOne' in rule) circle = 'false';
  else {
    circle = `l.${ledgerColumn(rule.ledger)} = ?`;
    params.push(identity[rule.equalsCaller]);
  }
  const recipient = RECIPIENT_OF_ROLE[identity.role];
  let consent: string;
  if (recipient === 'SELF') consent = 'true';
  else if (recipient === null) consent = 'false';
  else {
    consent = '? = any(l.consent_grants)';
    params.push(grantKey(recipient, category));
  }
  return { sql: `(${circle} and ${consent})`, params };
}
