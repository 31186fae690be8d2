import { ROLES, type Identity } from '../../../schema/identity.js';
import { CONSENT_SCOPE, LEDGER_FACTS, RECIPIENT_OF_ROLE, RECIPIENTS, ROLE_SCOPE } from '../../../schema/policy.js';
import { SqlStatementCounter } from '../orm.js';
import { accessCondition, consentCovers, inCircle, mayAccess, type LedgerRow } from './decide.js';
import { writeLedgerFacts } from './ledger.js';

const ledger: LedgerRow = {
  participantId: 'p-1',
  selfSubject: '85073003328',
  employmentService: 'FOREM',
  healthInsurer: 'OA-300',
  physicianSubject: 'dr-1',
  ipsPartner: 'ISPPC',
  jobCoachSubject: 'coach-1',
  consentGrants: ['SRE/identity', 'SRE/administrative', 'INAMI/administrative'],
  researchConsent: true,
};
const sre = (organisation: string): Identity => ({ role: 'SRE', organisation, subject: 'x' });

describe('the access decision (R18)', () => {
  it('puts in the circle exactly the parties CIRCLE names', () => {
    expect(inCircle(sre('FOREM'), ledger)).toBe(true);
    expect(inCircle(sre('VDAB'), ledger)).toBe(false);
    expect(inCircle({ role: 'JOB_COACH', organisation: 'ISPPC', subject: 'coach-1' }, ledger)).toBe(true);
    expect(inCircle({ role: 'JOB_COACH', organisation: 'ISPPC', subject: 'coach-2' }, ledger)).toBe(false);
    expect(inCircle({ role: 'INAMI', organisation: 'INAMI', subject: 'i' }, ledger)).toBe(true);
    expect(inCircle({ role: 'RESEARCHER', organisation: 'ULB', subject: 'r' }, ledger)).toBe(false);
    expect(inCircle({ role: 'PARTICIPANT', organisation: 'SELF', subject: '85073003328' }, ledger)).toBe(true);
  });

  it('needs the consent to name the recipient and category, except for the person themself', () => {
    expect(consentCovers(sre('FOREM'), ledger, 'identity')).toBe(true);
    expect(consentCovers(sre('FOREM'), ledger, 'contact')).toBe(false);
    expect(consentCovers({ role: 'PARTICIPANT', organisation: 'SELF', subject: '85073003328' }, ledger, 'health')).toBe(true);
    expect(mayAccess(sre('FOREM'), ledger, 'health')).toBe(false); // never in the SRE's scope, whatever the consent
    expect(mayAccess(sre('FOREM'), undefined, 'identity')).toBe(false); // no ledger row: nobody
  });

  it('gives the same decision in SQL as in code', () => {
    expect(accessCondition(sre('FOREM'), 'identity')).toEqual({ sql: '(l.employment_service = ? and ? = any(l.consent_grants))', params: ['FOREM', 'SRE/identity'] });
    expect(accessCondition({ role: 'INAMI', organisation: 'INAMI', subject: 'i' }, 'administrative')).toEqual({ sql: '(true and ? = any(l.consent_grants))', params: ['INAMI/administrative'] });
    expect(accessCondition(sre('FOREM'), 'health').sql).toBe('false');
    expect(accessCondition({ role: 'INTEGRATOR', organisation: 'X', subject: 'x' }, 'administrative').sql).toBe('false');
  });
});

describe('the policy tables hold together', () => {
  it('never lets a consent grant a recipient more than its roles may ever see', () => {
    for (const recipient of RECIPIENTS) {
      const roles = ROLES.filter((role) => RECIPIENT_OF_ROLE[role] === recipient);
      const seeable = new Set(roles.flatMap((role) => ROLE_SCOPE[role]));
      expect({ recipient, beyond: CONSENT_SCOPE[recipient].filter((category) => !seeable.has(category)) }).toEqual({ recipient, beyond: [] });
    }
  });

  it('refuses a subgraph writing a ledger fact it does not own', async () => {
    const runner = { em: undefined as never, sqlCounter: new SqlStatementCounter() };
    await expect(writeLedgerFacts(runner, 'pathways', 'p-1', { consentGrants: [] })).rejects.toThrow('pathways may not write ledger facts it does not own: consentGrants');
    expect(LEDGER_FACTS.consentGrants.owner).toBe('participants');
  });
});
