/**
 * From the physician's referral to the SRE's mailbox (R1–R7), in each region: the form
 * reaches INAMI's single intake, INAMI registers the pathway, randomises and forwards it;
 * the SRE of the region finds it in the mailbox of the person's arm and records the free
 * job seeker registration. Each actor sees each step with only the fields the policy allows.
 */
import { readFileSync } from 'node:fs';
import { getNamedType, isEnumType, isInputObjectType, isObjectType } from 'graphql';
import { roleSupergraphPath, SUPERGRAPH_PATH } from '../platform/compose.js';
import { apiSchemaOf } from '../platform/contracts.js';
import type { Identity } from '../schema/identity.js';
import { makeNiss } from '../subgraphs/participants/services/niss.js';
import {
  CONVENTION_IDS,
  newKey,
  PERMUTED_BLOCKS_DESIGN,
  RANDOMISE,
  REGISTER_PATHWAY,
  referralInput,
  ROUTE_TO_EMPLOYMENT_SERVICE as ROUTE,
  SUBMIT_REFERRAL,
} from './fixtures.js';
import { errorCodes, startTestPlatform, type TestPlatform } from './harness.js';
import { seed } from './seed.js';

let graph: TestPlatform;
beforeAll(async () => {
  graph = await startTestPlatform();
});
afterAll(async () => {
  await graph?.stop();
});

const REGIONS = [
  {
    region: 'FLANDERS',
    form: 'AANMELDINGSFORMULIER',
    postcode: '9000',
    convention: CONVENTION_IDS['VDAB-GTB'],
    sre: 'VDAB',
    physician: { role: 'MEDECIN_CONSEIL', organisation: 'OA-100', subject: 'dr-gent' },
  },
  {
    region: 'WALLONIA',
    form: 'FIF',
    postcode: '6000',
    convention: CONVENTION_IDS.ISPPC,
    sre: 'FOREM',
    physician: { role: 'MEDECIN_CONSEIL', organisation: 'OA-300', subject: 'dr-charleroi' },
  },
  {
    region: 'BRUSSELS',
    form: 'FIA',
    postcode: '1030',
    convention: CONVENTION_IDS['EQUIPE-MASS'],
    sre: 'ACTIRIS',
    physician: { role: 'MEDECIN_CONSEIL', organisation: 'OA-500', subject: 'dr-schaerbeek' },
  },
] as const;

const INTAKE =
  '{ intakeQueue(first: 500) { edges { node { referralId region receivedAt referral { form } participant { id } } } } }';
type Connection<T> = { edges: { node: T }[] };
const nodes = <T>(list: Connection<T>): T[] => list.edges.map((edge) => edge.node);
const INBOX = `query Inbox($mailbox: Mailbox) { sreInbox(mailbox: $mailbox, first: 500) { edges { node {
  id mailbox employmentService acknowledgedAt
  participant { id givenName familyName niss postcode }
  referral { form signedOn eligibility { wantsToReturnToWork } }
  pathway { registryNumber }
} } } }`;

describe.each(REGIONS)('a referral in $region', ({ region, form, postcode, convention, sre, physician }) => {
  it('walks from the physician to the mailbox of the SRE of the region, each actor seeing only what the policy allows', async () => {
    await seed(graph).trial(PERMUTED_BLOCKS_DESIGN); // proposed, and approved by a second researcher (R6)
    const sreAgent: Identity = { role: 'SRE', organisation: sre, subject: `${sre.toLowerCase()}-counsellor` };

    // R1–R4: the physician fills the region's form; it goes to INAMI's single intake.
    const input = referralInput({ form, person: { region, postcode } });
    const submitted = await graph.query<{ submitReferral: { referralId: string; participantId: string } }>(
      physician,
      SUBMIT_REFERRAL,
      { input, key: newKey() },
    );
    expect(submitted.errors).toBeUndefined();
    const { referralId, participantId } = submitted.data!.submitReferral;
    const intake = await graph.query<{
      intakeQueue: Connection<{ referralId: string; region: string; referral: { form: string } }>;
    }>('INAMI', INTAKE);
    expect(nodes(intake.data!.intakeQueue)).toContainEqual(
      expect.objectContaining({ referralId, region, referral: { form } }),
    );

    // R5: INAMI registers the pathway; the form leaves the intake queue.
    const registered = await graph.query<{ registerPathway: { pathwayId: string } }>('INAMI', REGISTER_PATHWAY, {
      input: { referralId, conventionId: convention },
      key: newKey(),
    });
    expect(registered.errors).toBeUndefined();
    const { pathwayId } = registered.data!.registerPathway;
    const after = await graph.query<{ intakeQueue: Connection<{ referralId: string }> }>('INAMI', INTAKE);
    expect(nodes(after.data!.intakeQueue).map((item) => item.referralId)).not.toContain(referralId);

    // R7 cannot come before R6.
    expect(errorCodes(await graph.query('INAMI', ROUTE, { id: pathwayId }))).toEqual(['CONFLICT']);

    // R6: INAMI randomises, once; a retry with the same key returns the same allocation.
    const key = newKey();
    const randomised = await graph.query<{
      randomise: { allocationId: string; allocation: { arm: string; stratum: string } };
    }>('INAMI', RANDOMISE, { participantId, key });
    expect(randomised.errors).toBeUndefined();
    const { arm, stratum } = randomised.data!.randomise.allocation;
    expect(stratum).toBe(region);
    const retried = await graph.query<{ randomise: { allocationId: string } }>('INAMI', RANDOMISE, {
      participantId,
      key,
    });
    expect(retried.data!.randomise.allocationId).toBe(randomised.data!.randomise.allocationId);
    expect(errorCodes(await graph.query('INAMI', RANDOMISE, { participantId, key: newKey() }))).toEqual(['CONFLICT']);

    // R7: INAMI forwards the form to the region's SRE, in the mailbox of the arm.
    const mailbox = arm === 'IPS' ? 'IPS' : 'IPS_CONTROL_GROUP';
    const routed = await graph.query<{
      routeToEmploymentService: { item: { mailbox: string; employmentService: string } };
    }>('INAMI', ROUTE, { id: pathwayId });
    expect(routed.errors).toBeUndefined();
    expect(routed.data!.routeToEmploymentService.item).toEqual({ mailbox, employmentService: sre });

    // The SRE of the region finds it in that mailbox, with identity and the form's employment facts, not its health ones.
    const inbox = await graph.query<{
      sreInbox: Connection<{
        id: string;
        mailbox: string;
        participant: { id: string; niss: string };
        referral: { form: string; eligibility: { wantsToReturnToWork: boolean } };
      }>;
    }>(sreAgent, INBOX, { mailbox });
    expect(inbox.errors).toBeUndefined();
    const item = nodes(inbox.data!.sreInbox).find((entry) => entry.participant.id === participantId);
    expect(item).toMatchObject({
      mailbox,
      employmentService: sre,
      acknowledgedAt: null,
      participant: { niss: input.person.niss, postcode },
      referral: { form, eligibility: { wantsToReturnToWork: true } },
    });
    const otherMailbox = await graph.query<{ sreInbox: Connection<{ participant: { id: string } }> }>(sreAgent, INBOX, {
      mailbox: mailbox === 'IPS' ? 'IPS_CONTROL_GROUP' : 'IPS',
    });
    expect(nodes(otherMailbox.data!.sreInbox).map((entry) => entry.participant.id)).not.toContain(participantId);
    // …and no other region's SRE sees it at all.
    for (const other of REGIONS.filter((r) => r.sre !== sre)) {
      const foreign = await graph.query<{ sreInbox: Connection<{ participant: { id: string } }> }>(
        { role: 'SRE', organisation: other.sre, subject: 'x' },
        INBOX,
        {},
      );
      expect(nodes(foreign.data!.sreInbox).map((entry) => entry.participant.id)).not.toContain(participantId);
    }

    // The SRE reads it and records the free job seeker registration under the convention's code (R3).
    const acknowledged = await graph.query<{ acknowledgeInboxItem: { acknowledgedAt: string | null } }>(
      sreAgent,
      'mutation($id: ID!) { acknowledgeInboxItem(id: $id) { acknowledgedAt acknowledgedBy } }',
      { id: item!.id },
    );
    expect(acknowledged.data!.acknowledgeInboxItem.acknowledgedAt).not.toBeNull();
    const recorded = await graph.query(
      sreAgent,
      'mutation($input: RecordJobSeekerRegistrationInput!) { recordJobSeekerRegistration(input: $input) { conventionCode registeredOn employmentService } }',
      {
        input: { pathwayId, conventionCode: `IPS-${sre}`, registeredOn: '2026-11-10' },
      },
    );
    expect(recorded.data).toEqual({
      recordJobSeekerRegistration: { conventionCode: `IPS-${sre}`, registeredOn: '2026-11-10', employmentService: sre },
    });

    // Each actor sees the outcome through their own lens.
    const seenByPhysician = await graph.query(
      physician,
      'query($id: ID!) { participant(id: $id) { allocation { arm } pathway { status jobSeekerRegistration { conventionCode } } referrals { eligibility { meetsIncapacityAndMentalDisorderConditions } } } }',
      { id: participantId },
    );
    expect(seenByPhysician.data).toEqual({
      participant: {
        allocation: { arm },
        pathway: { status: 'OPEN', jobSeekerRegistration: { conventionCode: `IPS-${sre}` } },
        referrals: [{ eligibility: { meetsIncapacityAndMentalDisorderConditions: true } }],
      },
    });
    const sreSchema = apiSchemaOf(readFileSync(roleSupergraphPath('SRE'), 'utf8'));
    expect(
      Object.keys((sreSchema.getType('ReferralEligibility') as { getFields(): object }).getFields()),
    ).not.toContain('meetsIncapacityAndMentalDisorderConditions'); // health: never the SRE's
    const seenByResearcher = await graph.query('RESEARCHER', 'query($id: ID!) { participant(id: $id) { id } }', {
      id: participantId,
    });
    expect(errorCodes(seenByResearcher)).toContain('GRAPHQL_VALIDATION_FAILED'); // R19: no person in the researcher's graph
  });
});

describe('INAMI registry and routing rules', () => {
  async function referred(overrides: Parameters<typeof referralInput>[0] = {}) {
    const input = referralInput(overrides);
    const submitted = await graph.query<{ submitReferral: { referralId: string; participantId: string } }>(
      'MEDECIN_CONSEIL',
      SUBMIT_REFERRAL,
      { input, key: newKey() },
    );
    return { ...submitted.data!.submitReferral, niss: input.person.niss };
  }

  it('refuses a second open pathway for the same person (one NISS) with CONFLICT, not a second pathway (R5)', async () => {
    const first = await seed(graph).person().registered({ convention: 'ARTICLE-23' }).build();
    const again = await referred({ person: { niss: first.niss } }); // a second form for the same NISS
    expect(again.participantId).toBe(first.participantId);
    const [before] = await graph.sql<{ n: string }>(
      'select count(*) as n from pathways.pathway where participant_id = $1',
      [first.participantId],
    );
    const second = await graph.query('INAMI', REGISTER_PATHWAY, {
      input: { referralId: again.referralId, conventionId: CONVENTION_IDS['ARTICLE-23'] },
      key: newKey(),
    });
    expect(errorCodes(second)).toEqual(['CONFLICT']);
    expect(
      await graph.sql('select count(*) as n from pathways.pathway where participant_id = $1', [first.participantId]),
    ).toEqual([before]);
  });

  it('refuses to randomise a person without a registered pathway, or whose research consent was withdrawn', async () => {
    const unregistered = await referred();
    expect(
      errorCodes(await graph.query('INAMI', RANDOMISE, { participantId: unregistered.participantId, key: newKey() })),
    ).toEqual(['CONFLICT']);
    const withdrawn = await seed(graph).person().registered({ convention: 'ARTICLE-23' }).build();
    await graph.query(
      { role: 'PARTICIPANT', organisation: 'SELF', subject: withdrawn.niss },
      'mutation($id: ID!) { withdrawResearchConsent(participantId: $id) { participantId } }',
      { id: withdrawn.participantId },
    );
    expect(
      errorCodes(await graph.query('INAMI', RANDOMISE, { participantId: withdrawn.participantId, key: newKey() })),
    ).toEqual(['CONFLICT']);
    const [row] = await graph.sql<{ n: string }>(
      'select count(*) as n from research.allocation where participant_id = any($1)',
      [[unregistered.participantId, withdrawn.participantId]],
    );
    expect(row!.n).toBe('0');
  });

  it.each([
    ['a malformed participant id', RANDOMISE, { participantId: 'nope', key: newKey() }, 'BAD_USER_INPUT'],
    ['an unknown pathway', ROUTE, { id: '7d1c0c55-3b7e-4a47-9d0c-4b1f5f9c0a11' }, 'NOT_FOUND'],
    ['a malformed pathway id', ROUTE, { id: 'nope' }, 'BAD_USER_INPUT'],
  ])('answers %s with a clear error', async (_name, operation, variables, code) => {
    expect(errorCodes(await graph.query('INAMI', operation, variables))).toEqual([code]);
  });

  it.each([
    ['a registration date in the future', { registeredOn: '2999-01-01' }, 'input.registeredOn'],
    ['a convention code that is not one', { conventionCode: 'no spaces please' }, 'input.conventionCode'],
  ])('refuses a job seeker registration with %s, writing nothing', async (_name, override, field) => {
    const person = await seed(graph).person().registered({ convention: 'ARTICLE-23' }).build();
    const response = await graph.query(
      { role: 'SRE', organisation: 'FOREM', subject: 'forem-1' },
      'mutation($input: RecordJobSeekerRegistrationInput!) { recordJobSeekerRegistration(input: $input) { id } }',
      {
        input: { pathwayId: person.pathwayId, conventionCode: 'IPS-FOREM', registeredOn: '2026-11-10', ...override },
      },
    );
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(
      await graph.sql('select count(*) as n from pathways.job_seeker_registration where participant_id = $1', [
        person.participantId,
      ]),
    ).toEqual([{ n: '0' }]);
  });

  it('accepts a referral of someone born in 2000 or later (the other NISS century rule)', async () => {
    const person = await referred({ person: { niss: makeNiss('2003-04-12', 57), birthDate: '2003-04-12' } });
    expect(person.participantId).toEqual(expect.any(String));
  });
});

describe('the schema itself (R2, R4)', () => {
  it('offers no way to record a refusal or an exclusion, on any ground (zero exclusion, R2)', () => {
    const schema = apiSchemaOf(readFileSync(SUPERGRAPH_PATH, 'utf8'));
    const names: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__')) continue;
      names.push(type.name);
      if (isObjectType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          names.push(`${type.name}.${field.name}`);
          if ('args' in field)
            for (const argument of field.args) names.push(`${type.name}.${field.name}(${argument.name})`);
        }
      }
      if (isEnumType(type)) for (const value of type.getValues()) names.push(`${type.name}.${value.name}`);
    }
    const forbidden =
      /exclu|refus|reject|denied|declin|ineligib|unsuitab|diagnos|behavio|appearance|criminal|violen|conviction|history|addiction|disabilit|comorbid/i;
    // The physician's answer to a work authorisation (R15) is not an admission decision.
    // The IPS-25 item that scores how well a team keeps to zero exclusion (R2) names the principle, it records no one's exclusion.
    // A person who did not want to take part (their own choice, IPS principle 2) is logged as DECLINED by the screening log and counted in
    // the CONSORT flow; the log has no other reason than the six R1 conditions (consort.e2e.test.ts), so no ground held against a person.
    // INAMI's answer to a researcher's data request (R19) concerns a study's access to pseudonymised data, no participant.
    // INAMI's decision on a line of a partner's claim (R17) is about money owed to an organisation, no participant.
    const notAboutAdmission = new Set([
      'ClaimLineDecision.REJECTED',
      'ClaimStatus.REJECTED',
      'AuthorisationDecision.REFUSED',
      'FidelityItem.ZERO_EXCLUSION',
      'ScreeningOutcome.DECLINED',
      'ScreeningCounts.declined',
      'ConsortFlow.declined',
      'DataRequestDecision.REFUSE',
      'DataRequestStatus.REFUSED',
    ]);
    expect(names.filter((name) => forbidden.test(name) && !notAboutAdmission.has(name))).toEqual([]);
    // The only confirmations a form takes are the six of R1, and a form is accepted only with all six.
    expect(
      Object.keys((schema.getType('ReferralEligibilityInput') as { getFields(): object }).getFields()),
    ).toHaveLength(6);
  });

  it("lets a physician send a form only to INAMI's single intake, never to a region (R4)", () => {
    const physician = apiSchemaOf(readFileSync(roleSupergraphPath('MEDECIN_CONSEIL'), 'utf8'));
    const mutations = physician.getMutationType()!.getFields();
    // Forwarding is INAMI's alone (R7), as are registration and randomisation.
    for (const inamiOnly of ['routeToEmploymentService', 'registerPathway', 'randomise'])
      expect(Object.keys(mutations)).not.toContain(inamiOnly);
    // No physician operation takes a destination: not as an argument, nor inside an input.
    const fieldsOf = (typeName: string) =>
      Object.keys((physician.getType(typeName) as { getFields(): object }).getFields());
    for (const mutation of Object.values(mutations)) {
      for (const argument of mutation.args) {
        const type = getNamedType(argument.type);
        const names = [argument.name, ...(isInputObjectType(type) ? fieldsOf(type.name) : [])];
        expect({
          mutation: mutation.name,
          destinations: names.filter((name) => /employmentService|mailbox|destination|recipientRegion|sre/i.test(name)),
        }).toEqual({ mutation: mutation.name, destinations: [] });
      }
    }
  });
});

describe('amending a form (R3: the person keeps a copy; the signed version never changes)', () => {
  const AMEND =
    'mutation($id: ID!, $input: SubmitReferralInput!, $key: String!) { amendReferral(referralId: $id, input: $input, idempotencyKey: $key) { referralId referral { version supersedes signedOn } } }';

  it('makes a new version that supersedes the signed one, which stays as it was and leaves the intake queue', async () => {
    const input = referralInput();
    const first = await graph.query<{ submitReferral: { referralId: string; participantId: string } }>(
      'MEDECIN_CONSEIL',
      SUBMIT_REFERRAL,
      { input, key: newKey() },
    );
    const { referralId, participantId } = first.data!.submitReferral;
    const key = newKey();
    const amended = await graph.query<{
      amendReferral: { referralId: string; referral: { version: number; supersedes: string } };
    }>('MEDECIN_CONSEIL', AMEND, { id: referralId, input: { ...input, signedOn: '2026-11-05' }, key });
    expect(amended.errors).toBeUndefined();
    expect(amended.data!.amendReferral.referral).toEqual({
      version: 2,
      supersedes: referralId,
      signedOn: '2026-11-05',
    });
    const retried = await graph.query<{ amendReferral: { referralId: string } }>('MEDECIN_CONSEIL', AMEND, {
      id: referralId,
      input: { ...input, signedOn: '2026-11-05' },
      key,
    });
    expect(retried.data!.amendReferral.referralId).toBe(amended.data!.amendReferral.referralId);

    // The person sees both versions: their copy of what was signed is untouched.
    const own = await graph.query<{ me: { referrals: { version: number; signedOn: string }[] } }>(
      { role: 'PARTICIPANT', organisation: 'SELF', subject: input.person.niss },
      '{ me { referrals { version signedOn } } }',
    );
    expect(own.data!.me.referrals).toEqual([
      { version: 2, signedOn: '2026-11-05' },
      { version: 1, signedOn: '2026-11-02' },
    ]);
    await expect(
      graph.sql("update participants.referral set signed_on = '2026-01-01' where id = $1", [referralId]),
    ).rejects.toThrow(/immutable/);

    // INAMI's intake holds only the latest version, and only it can be registered.
    const intake = await graph.query<{ intakeQueue: Connection<{ referralId: string }> }>('INAMI', INTAKE);
    const queued = nodes(intake.data!.intakeQueue).map((item) => item.referralId);
    expect(queued).toContain(amended.data!.amendReferral.referralId);
    expect(queued).not.toContain(referralId);
    const old = await graph.query('INAMI', REGISTER_PATHWAY, {
      input: { referralId, conventionId: CONVENTION_IDS['ARTICLE-23'] },
      key: newKey(),
    });
    expect(old.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.referralId' });

    // A version is amended once; a form is never amended into another person's.
    expect(errorCodes(await graph.query('MEDECIN_CONSEIL', AMEND, { id: referralId, input, key: newKey() }))).toEqual([
      'CONFLICT',
    ]);
    const otherPerson = await graph.query('MEDECIN_CONSEIL', AMEND, {
      id: amended.data!.amendReferral.referralId,
      input: referralInput(),
      key: newKey(),
    });
    expect(otherPerson.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.person.niss' });
    expect(
      await graph.sql('select count(*) as n from participants.referral where participant_id = $1', [participantId]),
    ).toEqual([{ n: '2' }]);
  });

  it('refuses to amend once INAMI registered the pathway, and to anyone but the physician of record', async () => {
    const input = referralInput();
    const first = await graph.query<{ submitReferral: { referralId: string } }>('MEDECIN_CONSEIL', SUBMIT_REFERRAL, {
      input,
      key: newKey(),
    });
    const { referralId } = first.data!.submitReferral;
    const other = await graph.query(
      { role: 'MEDECIN_CONSEIL', organisation: 'OA-300', subject: 'dr-someone-else' },
      AMEND,
      { id: referralId, input, key: newKey() },
    );
    expect(errorCodes(other)).toEqual(['NOT_FOUND']);
    await graph.query('INAMI', REGISTER_PATHWAY, {
      input: { referralId, conventionId: CONVENTION_IDS['ARTICLE-23'] },
      key: newKey(),
    });
    expect(errorCodes(await graph.query('MEDECIN_CONSEIL', AMEND, { id: referralId, input, key: newKey() }))).toEqual([
      'CONFLICT',
    ]);
  });
});
