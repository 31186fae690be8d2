import { ROLES, type Identity } from '../../../schema/identity.js';
import {
  ACTIONS,
  CIRCLE,
  CONSENT_SCOPE,
  LEDGER_FACTS,
  RECIPIENT_OF_ROLE,
  RECIPIENTS,
  REFERENT,
  RELATIONS,
  ROLE_SCOPE,
  STAFF_FUNCTIONS,
  type Relation,
} from '../../../schema/policy.js';
import { SqlStatementCounter } from '../orm.js';
import {
  accessCondition,
  consentCovers,
  decideAction,
  holdsRelation,
  inCircle,
  mayAccess,
  relationCondition,
  type Caller,
  type LedgerRow,
} from './decide.js';
import { writeLedgerFacts } from './ledger.js';

const ledger: LedgerRow = {
  participantId: 'p-1',
  selfSubject: '85073003328',
  employmentService: 'FOREM',
  healthInsurer: 'OA-300',
  physicianSubject: 'dr-1',
  ipsPartner: 'ISPPC',
  jobCoachSubject: 'coach-1',
  consentGrants: ['SRE/identity', 'SRE/administrative', 'INAMI/administrative', 'HEALTH_INSURER/administrative'],
  researchConsent: true,
};
const sre = (organisation: string): Identity => ({ role: 'SRE', organisation, subject: 'x' });
/** A staff member as the subgraph sees them: their active functions read from the directory. */
const coach = (organisation: string, subject: string): Caller => ({
  role: 'JOB_COACH',
  organisation,
  subject,
  activeStaff: new Set(['JOB_COACH']),
});
const doctor = (organisation: string, subject: string): Caller => ({
  role: 'MEDECIN_CONSEIL',
  organisation,
  subject,
  activeStaff: new Set(['ADVISING_PHYSICIAN']),
});

describe('the access decision (R18)', () => {
  it('puts in the circle exactly the parties CIRCLE names', () => {
    expect(inCircle(sre('FOREM'), ledger)).toBe(true);
    expect(inCircle(sre('VDAB'), ledger)).toBe(false);
    expect(inCircle(coach('ISPPC', 'coach-1'), ledger)).toBe(true);
    expect(inCircle(coach('ISPPC', 'coach-2'), ledger)).toBe(false);
  });

  it('matches a physician or a coach on organisation and subject, never on the subject alone', () => {
    expect(inCircle(doctor('OA-300', 'dr-1'), ledger)).toBe(true);
    expect(inCircle(doctor('OA-500', 'dr-1'), ledger)).toBe(false); // same subject, another insurer
    expect(inCircle(coach('ARTICLE-23', 'coach-1'), ledger)).toBe(false); // same subject, another partner
    expect(inCircle({ role: 'PARTICIPANT', organisation: 'ANYTHING', subject: '85073003328' }, ledger)).toBe(false); // a NISS is the person only logged in as SELF
    expect(inCircle({ role: 'INAMI', organisation: 'INAMI', subject: 'i' }, ledger)).toBe(true);
    expect(inCircle({ role: 'RESEARCHER', organisation: 'ULB', subject: 'r' }, ledger)).toBe(false);
    expect(inCircle({ role: 'PARTICIPANT', organisation: 'SELF', subject: '85073003328' }, ledger)).toBe(true);
  });

  it('needs the consent to name the recipient and category, except for the person themself', () => {
    expect(consentCovers(sre('FOREM'), ledger, 'identity')).toBe(true);
    expect(consentCovers(sre('FOREM'), ledger, 'contact')).toBe(false);
    expect(consentCovers({ role: 'PARTICIPANT', organisation: 'SELF', subject: '85073003328' }, ledger, 'health')).toBe(
      true,
    );
    expect(mayAccess(sre('FOREM'), ledger, 'health')).toBe(false); // never in the SRE's scope, whatever the consent
    expect(mayAccess(sre('FOREM'), undefined, 'identity')).toBe(false); // no ledger row: nobody
  });

  it('gives the same decision in SQL as in code', () => {
    expect(accessCondition(sre('FOREM'), 'identity')).toEqual({
      sql: '(l.employment_service = ? and ? = any(l.consent_grants))',
      params: ['FOREM', 'SRE/identity'],
    });
    expect(accessCondition({ role: 'INAMI', organisation: 'INAMI', subject: 'i' }, 'administrative')).toEqual({
      sql: '(? = any(l.consent_grants))',
      params: ['INAMI/administrative'],
    });
    // A person (physician, coach) is matched on organisation and subject, in SQL as in code.
    expect(accessCondition(coach('ISPPC', 'coach-1'), 'identity')).toEqual({
      sql: '(l.ips_partner = ? and l.job_coach_subject = ? and ? = any(l.consent_grants))',
      params: ['ISPPC', 'coach-1', 'IPS_PARTNER/identity'],
    });
    expect(accessCondition(sre('FOREM'), 'health').sql).toBe('false');
    expect(accessCondition({ role: 'INTEGRATOR', organisation: 'X', subject: 'x' }, 'administrative').sql).toBe(
      'false',
    );
  });
});

describe('staff who leave (RELATIONS: a subject-matched relation holds only while the membership is active)', () => {
  const relations = [
    { name: 'referentCoach', caller: coach('ISPPC', 'coach-1') },
    { name: 'physicianOfRecord', caller: doctor('OA-300', 'dr-1') },
    {
      name: 'referentCounsellor',
      caller: {
        role: 'SRE',
        organisation: 'FOREM',
        subject: 'c-1',
        activeStaff: new Set(['SRE_COUNSELLOR']),
      } as Caller,
    },
  ] as const;
  const counselled = { ...ledger, counsellorSubject: 'c-1' };

  it.each(relations)('$name holds for an active member, in code and in SQL', ({ name, caller }) => {
    expect(holdsRelation(caller, counselled, name)).toBe(true);
    expect(relationCondition(caller, name).sql).not.toBe('false');
  });

  it.each(relations)(
    '$name holds for no one whose membership ended, or who was never listed, in code and in SQL',
    ({ name, caller }) => {
      for (const gone of [
        { ...caller, activeStaff: new Set<never>() },
        { role: caller.role, organisation: caller.organisation, subject: caller.subject },
      ]) {
        expect(holdsRelation(gone, counselled, name)).toBe(false);
        expect(relationCondition(gone, name)).toEqual({ sql: 'false', params: [] });
      }
    },
  );

  it('takes from the person who left every category their role reads, in code and in SQL', () => {
    const gone: Caller = { ...coach('ISPPC', 'coach-1'), activeStaff: new Set(['SUPERVISOR']) }; // another function does not stand in
    for (const category of ROLE_SCOPE.JOB_COACH) {
      expect(mayAccess(gone, { ...ledger, consentGrants: [`IPS_PARTNER/${category}`] }, category)).toBe(false);
      expect(accessCondition(gone, category)).toEqual({ sql: 'false', params: [] });
    }
  });
});

describe('the policy tables hold together', () => {
  it("binds every relation matched on a staff member's subject to the staff function its role holds", () => {
    for (const [name, relation] of Object.entries(RELATIONS) as [string, Relation][]) {
      if (!relation.subject || relation.subject === 'selfSubject') continue;
      expect({ name, staff: relation.staff }).toEqual({ name, staff: expect.any(String) });
      const roles = ROLES.filter((role) => CIRCLE[role] === name || REFERENT[role] === name);
      for (const role of roles) expect({ name, role }).toEqual({ name, role: STAFF_FUNCTIONS[relation.staff!].role });
    }
  });

  it('never lets a consent grant a recipient more than its roles may ever see', () => {
    for (const recipient of RECIPIENTS) {
      const roles = ROLES.filter((role) => RECIPIENT_OF_ROLE[role] === recipient);
      const seeable = new Set(roles.flatMap((role) => ROLE_SCOPE[role]));
      expect({ recipient, beyond: CONSENT_SCOPE[recipient].filter((category) => !seeable.has(category)) }).toEqual({
        recipient,
        beyond: [],
      });
    }
  });

  it('refuses a subgraph writing a ledger fact it does not own', async () => {
    const runner = { em: undefined as never, sqlCounter: new SqlStatementCounter() };
    await expect(writeLedgerFacts(runner, 'pathways', 'p-1', { consentGrants: [] })).rejects.toThrow(
      'pathways may not write ledger facts it does not own: consentGrants',
    );
    expect(LEDGER_FACTS.consentGrants.owner).toBe('participants');
  });
});

describe('the write decision (ACTIONS)', () => {
  const physician = doctor('OA-300', 'dr-1');
  const open = { participantId: 'p-1', state: { authorisationPending: true } };

  it('allows the holder of the relation in the state the domain sets', () => {
    expect(decideAction(ACTIONS.decideWorkAuthorisation!, physician, open, ledger)).toMatchObject({ allowed: true });
    expect(
      decideAction(
        ACTIONS.decideWorkAuthorisation!,
        physician,
        { ...open, state: { authorisationPending: false } },
        ledger,
      ),
    ).toMatchObject({ allowed: false, code: 'CONFLICT' });
  });

  it('answers NOT_FOUND for a record the caller may not see, exactly as for a missing one', () => {
    const elsewhere = { ...physician, organisation: 'OA-500' };
    expect(decideAction(ACTIONS.decideWorkAuthorisation!, elsewhere, open, ledger)).toEqual(
      decideAction(ACTIONS.decideWorkAuthorisation!, elsewhere, undefined, undefined),
    );
    const withdrawn = { ...ledger, consentGrants: [] };
    expect(decideAction(ACTIONS.decideWorkAuthorisation!, physician, open, withdrawn)).toMatchObject({
      allowed: false,
      code: 'NOT_FOUND',
    });
  });

  it('lets a design be approved only by a researcher other than its author, once (R6, four eyes: precondition notAuthor)', () => {
    const author = { organisation: 'ULB', subject: 'researcher-1' };
    const proposal = { author, state: { designProposed: true } };
    const approve = (subject: string, organisation = 'ULB', target: object = proposal) =>
      decideAction(
        ACTIONS.approveTrialDesign!,
        { role: 'RESEARCHER', organisation, subject, activeStaff: new Set(['RESEARCHER']) },
        target,
        undefined,
      );
    expect(approve('researcher-1')).toEqual({
      allowed: false,
      code: 'CONFLICT',
      message: { id: 'precondition.notAuthor' },
    });
    expect(approve('researcher-2')).toMatchObject({ allowed: true });
    expect(approve('researcher-1', 'KU-LEUVEN')).toMatchObject({ allowed: true }); // a namesake of another team is another person
    expect(approve('researcher-2', 'ULB', { author, state: { designProposed: false } })).toEqual({
      allowed: false,
      code: 'CONFLICT',
      message: { id: 'precondition.designProposed' },
    });
    expect(() => approve('researcher-2', 'ULB', { state: { designProposed: true } })).toThrow(/author/);
  });

  it('lets an amendment of money be approved only by an INAMI agent other than its proposer, on the version in force (R17, four eyes)', () => {
    const author = { organisation: 'INAMI', subject: 'agent-1' };
    const amendment = { author, state: { amendmentProposed: true, amendmentCurrent: true } };
    const approve = (subject: string, target: object = amendment) =>
      decideAction(
        ACTIONS.approveConventionAmendment!,
        { role: 'INAMI', organisation: 'INAMI', subject, activeStaff: new Set(['INAMI_AGENT']) },
        target,
        undefined,
      );
    expect(approve('agent-1')).toEqual({
      allowed: false,
      code: 'CONFLICT',
      message: { id: 'precondition.notAmendmentAuthor' },
    });
    expect(approve('agent-2')).toMatchObject({ allowed: true });
    expect(approve('agent-2', { author, state: { amendmentProposed: true, amendmentCurrent: false } })).toEqual({
      allowed: false,
      code: 'CONFLICT',
      message: { id: 'precondition.amendmentCurrent' },
    });
    expect(() => approve('agent-2', { state: { amendmentProposed: true, amendmentCurrent: true } })).toThrow(/author/);
  });

  it('needs an active directory entry where the grant names one', () => {
    expect(
      decideAction(ACTIONS.decideWorkAuthorisation!, { ...physician, activeStaff: new Set() }, open, ledger),
    ).toMatchObject({ allowed: false, code: 'FORBIDDEN' });
  });

  it('lets the consent be changed by the physician of record whatever the consent in force, by no one else', () => {
    const withdrawn = { ...ledger, consentGrants: [] };
    expect(
      decideAction(ACTIONS.giveInformationSharingConsent!, physician, { participantId: 'p-1' }, withdrawn),
    ).toMatchObject({ allowed: true });
    expect(
      decideAction(
        ACTIONS.giveInformationSharingConsent!,
        { ...physician, subject: 'dr-2' },
        { participantId: 'p-1' },
        withdrawn,
      ),
    ).toMatchObject({ allowed: false, code: 'NOT_FOUND' });
  });

  it('selects the grant by the variant: each act by its actor, for its arm', () => {
    const sre: Identity = { role: 'SRE', organisation: 'FOREM', subject: 'c-1' };
    const pathway = { participantId: 'p-1', state: { pathwayOpen: true } };
    const ips = { ...ledger, trialArm: 'IPS' };
    expect(
      decideAction(ACTIONS.recordPathwayAct!, sre, pathway, ips, { variant: 'RESOURCE_PERSON_NAMED' }),
    ).toMatchObject({ allowed: true });
    expect(
      decideAction(ACTIONS.recordPathwayAct!, sre, pathway, ips, { variant: 'REFERENCE_INTERVIEW_HELD' }),
    ).toMatchObject({ allowed: false, code: 'CONFLICT' });
    expect(
      decideAction(ACTIONS.recordPathwayAct!, sre, pathway, ips, { variant: 'MESSAGE_TO_JOB_COACH' }),
    ).toMatchObject({ allowed: false, code: 'FORBIDDEN' });
  });

  it('refuses a known person to a physician of another insurer with CONFLICT, and a takeover while a referral is open', () => {
    const person = { participantId: 'p-1', state: { noOpenReferral: true, noOpenPathway: true } };
    expect(
      decideAction(ACTIONS.submitReferral!, { ...physician, organisation: 'OA-500' }, person, ledger),
    ).toMatchObject({ allowed: false, code: 'CONFLICT' });
    const colleague = { ...physician, subject: 'dr-2' };
    expect(decideAction(ACTIONS.submitReferral!, colleague, person, ledger)).toMatchObject({
      allowed: true,
      grant: { relation: 'healthInsurer' },
    });
    expect(
      decideAction(
        ACTIONS.submitReferral!,
        colleague,
        { ...person, state: { noOpenReferral: false, noOpenPathway: true } },
        ledger,
      ),
    ).toMatchObject({ allowed: false, code: 'CONFLICT' });
    expect(decideAction(ACTIONS.submitReferral!, physician, undefined, undefined)).toMatchObject({ allowed: true }); // a new person
  });
});
