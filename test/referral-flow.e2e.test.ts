/**
 * One referral through the whole house (R1–R5): the advising physician submits it
 * through the gateway, INAMI reads it and registers its pathway, and the person's
 * record joins fields from four subgraphs.
 */
import {
  CONVENTION_IDS,
  newKey,
  REGISTER_PATHWAY,
  referralInput,
  SUBMIT_REFERRAL,
  SUBMIT_REFERRAL_AND_READ,
} from './fixtures.js';
import { errorCodes, startTestPlatform, type TestPlatform } from './harness.js';

let graph: TestPlatform;
beforeAll(async () => {
  graph = await startTestPlatform();
});
afterAll(async () => {
  await graph?.stop();
});

interface Submitted {
  submitReferral: { referralId: string; participantId: string };
}

async function rowCounts() {
  const [row] = await graph.sql<{ participants: string; referrals: string; pathways: string }>(
    `select (select count(*) from participants.participant) as participants,
            (select count(*) from participants.referral) as referrals,
            (select count(*) from pathways.pathway) as pathways`,
  );
  return row;
}

describe('submitting a referral (R3, R4)', () => {
  it('stores a referral that INAMI can then read through the gateway', async () => {
    const input = referralInput();
    const submitted = await graph.query<{ submitReferral: { referralId: string; referral: unknown } }>(
      'MEDECIN_CONSEIL',
      SUBMIT_REFERRAL_AND_READ,
      { input, key: newKey() },
    );
    expect(submitted.errors).toBeUndefined();
    const { referralId, referral } = submitted.data!.submitReferral;
    expect(referral).toMatchObject({
      id: referralId,
      form: 'FIF',
      region: 'WALLONIA',
      referringPhysician: 'dr-dupont',
      healthInsurer: 'OA-300',
      participant: {
        niss: input.person.niss,
        givenName: 'Camille',
        birthDate: '1985-07-30',
        postcode: '4000',
        healthInsurer: 'OA-300',
      },
    });

    const read = await graph.query(
      'INAMI',
      `query($id: ID!) { referral(id: $id) { id form signedOn participant { niss familyName } } }`,
      { id: referralId },
    );
    expect(read.errors).toBeUndefined();
    expect(read.data).toEqual({
      referral: {
        id: referralId,
        form: 'FIF',
        signedOn: '2026-11-02',
        participant: { niss: input.person.niss, familyName: 'Lambert' },
      },
    });
  });

  it('returns the same referral and writes nothing when retried with the same idempotency key', async () => {
    const input = referralInput();
    const key = newKey();
    const first = await graph.query<Submitted>('MEDECIN_CONSEIL', SUBMIT_REFERRAL, { input, key });
    const before = await rowCounts();
    const retry = await graph.query<Submitted>('MEDECIN_CONSEIL', SUBMIT_REFERRAL, { input, key });
    expect(retry.errors).toBeUndefined();
    expect(retry.data!.submitReferral.referralId).toBe(first.data!.submitReferral.referralId);
    expect(await rowCounts()).toEqual(before);
  });

  it('creates one referral when the same submission arrives five times at once', async () => {
    const input = referralInput();
    const key = newKey();
    const before = await rowCounts();
    const results = await Promise.all(
      Array.from({ length: 5 }, () => graph.query<Submitted>('MEDECIN_CONSEIL', SUBMIT_REFERRAL, { input, key })),
    );
    expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
    expect(new Set(results.map((r) => r.data!.submitReferral.referralId)).size).toBe(1);
    const after = await rowCounts();
    expect(Number(after!.referrals) - Number(before!.referrals)).toBe(1);
  });

  it('refuses an idempotency key reused for a different form with CONFLICT', async () => {
    const key = newKey();
    await graph.query('MEDECIN_CONSEIL', SUBMIT_REFERRAL, { input: referralInput(), key });
    const before = await rowCounts();
    const reused = await graph.query('MEDECIN_CONSEIL', SUBMIT_REFERRAL, { input: referralInput(), key });
    expect(errorCodes(reused)).toEqual(['CONFLICT']);
    expect(await rowCounts()).toEqual(before);
  });
});

describe('bad input writes nothing and names the field', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['a NISS with wrong check digits', { person: { niss: '85073003329' } }, 'input.person.niss'],
    ['a NISS that is not 11 digits', { person: { niss: '1234' } }, 'input.person.niss'],
    ['a birth date the NISS contradicts', { person: { birthDate: '1985-07-31' } }, 'input.person.birthDate'],
    ['a postcode outside the region', { person: { postcode: '9000' } }, 'input.person.postcode'],
    ['a postcode that does not exist', { person: { postcode: '0999' } }, 'input.person.postcode'],
    ['an empty family name', { person: { familyName: '   ' } }, 'input.person.familyName'],
    ["another region's form (R3)", { form: 'FIA' }, 'input.form'],
    ['a form signed in the future', { signedOn: '2999-01-01' }, 'input.signedOn'],
    ...(
      [
        'meetsIncapacityAndMentalDisorderConditions',
        'needsVocationalRehabilitation',
        'needsIntensiveSupport',
        'wantsToReturnToWork',
        'consentsToInformationSharing',
        'consentsToResearch',
      ] as const
    ).map((confirmation): [string, Record<string, unknown>, string] => [
      `R1 confirmation ${confirmation} not given`,
      { eligibility: { [confirmation]: false } },
      `input.eligibility.${confirmation}`,
    ]),
  ];

  it.each(cases)('refuses %s', async (_name, overrides, field) => {
    const before = await rowCounts();
    const response = await graph.query('MEDECIN_CONSEIL', SUBMIT_REFERRAL, {
      input: referralInput(overrides),
      key: newKey(),
    });
    expect(response.data).toBeNull();
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(response.errors![0]!.message).toContain(field);
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses a malformed idempotency key', async () => {
    const before = await rowCounts();
    const response = await graph.query('MEDECIN_CONSEIL', SUBMIT_REFERRAL, { input: referralInput(), key: 'x' });
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'idempotencyKey' });
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses a wrongly typed variable with a validation error and no stack trace', async () => {
    const response = await graph.query('MEDECIN_CONSEIL', SUBMIT_REFERRAL, {
      input: referralInput({ signedOn: 'yesterday' }),
      key: newKey(),
    });
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(JSON.stringify(response)).not.toMatch(/stacktrace|at .*\.js:\d+/);
  });

  it.each([
    // An unknown referral is NOT_FOUND, exactly as one INAMI may not see (schema/policy.ts ACTIONS).
    ['an unknown referral', { referralId: '7d1c0c55-3b7e-4a47-9d0c-4b1f5f9c0a11' }, undefined],
    ['a malformed referral id', { referralId: 'not-a-uuid' }, 'input.referralId'],
    ['an unknown convention', { conventionId: '7d1c0c55-3b7e-4a47-9d0c-4b1f5f9c0a11' }, 'input.conventionId'],
    ["another region's convention", { conventionId: CONVENTION_IDS['VDAB-GTB'] }, 'input.conventionId'],
  ])('refuses to register a pathway for %s', async (_name, override, field) => {
    const submitted = await graph.query<Submitted>('MEDECIN_CONSEIL', SUBMIT_REFERRAL, {
      input: referralInput(),
      key: newKey(),
    });
    const before = await rowCounts();
    const input = {
      referralId: submitted.data!.submitReferral.referralId,
      conventionId: CONVENTION_IDS['ARTICLE-23'],
      ...override,
    };
    const response = await graph.query('INAMI', REGISTER_PATHWAY, { input, key: newKey() });
    expect(response.errors![0]!.extensions).toMatchObject(
      field ? { code: 'BAD_USER_INPUT', field } : { code: 'NOT_FOUND' },
    );
    expect(await rowCounts()).toEqual(before);
  });
});

describe('registering the pathway (R5) and reading across subgraphs', () => {
  it('joins participants, pathways, research and billing for one person', async () => {
    const input = referralInput();
    const submitted = await graph.query<Submitted>('MEDECIN_CONSEIL', SUBMIT_REFERRAL, { input, key: newKey() });
    const { referralId, participantId } = submitted.data!.submitReferral;
    const participant = { id: participantId, niss: input.person.niss };
    const key = newKey();
    const registered = await graph.query<{
      registerPathway: { pathwayId: string; pathway: { registryNumber: string } };
    }>('INAMI', REGISTER_PATHWAY, {
      input: { referralId, conventionId: CONVENTION_IDS['ARTICLE-23'] },
      key,
    });
    expect(registered.errors).toBeUndefined();
    expect(registered.data!.registerPathway.pathway).toMatchObject({
      status: 'OPEN',
      referralId,
      participant: { id: participant.id },
      convention: { code: 'ARTICLE-23' },
    });
    expect(registered.data!.registerPathway.pathway.registryNumber).toMatch(/^IPS-\d{6}$/);

    const retried = await graph.query<{ registerPathway: { pathwayId: string } }>('INAMI', REGISTER_PATHWAY, {
      input: { referralId, conventionId: CONVENTION_IDS['ARTICLE-23'] },
      key,
    });
    expect(retried.data!.registerPathway.pathwayId).toBe(registered.data!.registerPathway.pathwayId);

    const second = await graph.query('INAMI', REGISTER_PATHWAY, {
      input: { referralId, conventionId: CONVENTION_IDS['ARTICLE-23'] },
      key: newKey(),
    });
    expect(errorCodes(second)).toEqual(['CONFLICT']);

    const person = await graph.query(
      'INAMI',
      `query($id: ID!) { participant(id: $id) {
        niss region
        referrals { form }
        pathway { registryNumber status convention { partner site regionalPathways } }
        allocation { arm }
      } }`,
      { id: participant.id },
    );
    expect(person.errors).toBeUndefined();
    expect(person.data).toEqual({
      participant: {
        niss: participant.niss,
        region: 'WALLONIA',
        referrals: [{ form: 'FIF' }],
        pathway: {
          registryNumber: registered.data!.registerPathway.pathway.registryNumber,
          status: 'OPEN',
          convention: { partner: 'Article 23 ASBL', site: 'Liège', regionalPathways: 200 },
        },
        allocation: null, // registered but not randomised yet: INAMI randomises after registration (R6)
      },
    });
  });

  it('lets the participant read their own record through `me`', async () => {
    const input = referralInput();
    await graph.query('MEDECIN_CONSEIL', SUBMIT_REFERRAL, { input, key: newKey() });
    const me = await graph.query(
      { role: 'PARTICIPANT', organisation: 'SELF', subject: input.person.niss },
      '{ me { niss givenName referrals { form } } }',
    );
    expect(me.errors).toBeUndefined();
    expect(me.data).toEqual({ me: { niss: input.person.niss, givenName: 'Camille', referrals: [{ form: 'FIF' }] } });
  });
});
