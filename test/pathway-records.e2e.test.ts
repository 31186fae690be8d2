/**
 * The pathway's records an SRE, an IPS partner and a job coach keep, through the gateway with each
 * actor's own token: the free job seeker registration under the convention's reserved code and its
 * corrections (R3), the welcome session's invitees and their attendance (R8, R11), and employment
 * contracts that never overlap with one employer while jobs with several employers run side by side (R15).
 */
import type { Identity } from '../schema/identity.js';
import { belgianToday } from '../subgraphs/kit/domain.js';
import { errorCodes, startTestPlatform, type TestPlatform } from './harness.js';
import { seed } from './seed.js';

let graph: TestPlatform;
beforeAll(async () => {
  graph = await startTestPlatform();
  await seed(graph).trial();
}, 120_000);
afterAll(async () => {
  await graph?.stop();
});

const TODAY = belgianToday();
const FOREM: Identity = { role: 'SRE', organisation: 'FOREM', subject: 'forem-registrar' };
const FOREM_COLLEAGUE: Identity = { role: 'SRE', organisation: 'FOREM', subject: 'forem-corrector' };
const VDAB: Identity = { role: 'SRE', organisation: 'VDAB', subject: 'vdab-registrar' };
const PHYSICIAN: Identity = { role: 'MEDECIN_CONSEIL', organisation: 'OA-300', subject: 'dr-records' };

const RECORD = 'mutation($input: RecordJobSeekerRegistrationInput!) { recordJobSeekerRegistration(input: $input) { id conventionCode registeredOn } }';
const CORRECT = 'mutation($input: CorrectJobSeekerRegistrationInput!) { correctJobSeekerRegistration(input: $input) { id conventionCode registeredOn corrections { previousConventionCode conventionCode previousRegisteredOn registeredOn correctedBy correctedAt } } }';

describe('the free job seeker registration under the convention (R3)', () => {
  const liegePerson = () => seed(graph).person().referredBy(PHYSICIAN).registered({ convention: 'ARTICLE-23' }).build();

  it.each([
    ['free text', 'ANYTHING-123'],
    ["another region's convention code", 'IPS-VDAB'],
  ])('refuses a code not reserved for the convention (%s), naming the field and writing nothing', async (_name, conventionCode) => {
    const person = await liegePerson();
    const response = await graph.query(FOREM, RECORD, { input: { pathwayId: person.pathwayId, conventionCode, registeredOn: TODAY } });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.conventionCode' });
    expect(response.errors?.[0]?.message).toContain('IPS-FOREM'); // the caller is told which code the convention reserves
    expect(await graph.sql('select count(*) as n from pathways.job_seeker_registration where participant_id = $1', [person.participantId])).toEqual([{ n: '0' }]);
  });

  it("accepts the convention's reserved code, in any case and spacing", async () => {
    const person = await liegePerson();
    const response = await graph.query(FOREM, RECORD, { input: { pathwayId: person.pathwayId, conventionCode: ' ips-forem ', registeredOn: TODAY } });
    expect(response.errors).toBeUndefined();
    expect(response.data).toMatchObject({ recordJobSeekerRegistration: { conventionCode: 'IPS-FOREM', registeredOn: TODAY } });
  });

  it('is corrected by the SRE of the region, the correction kept and shown to whoever reads the registration', async () => {
    const person = await liegePerson();
    const recorded = await graph.query<{ recordJobSeekerRegistration: { id: string } }>(FOREM, RECORD, { input: { pathwayId: person.pathwayId, conventionCode: 'IPS-FOREM', registeredOn: TODAY } });
    const id = recorded.data!.recordJobSeekerRegistration.id;
    // A registration that holds a code the convention does not reserve (the reference data changed since), to be put right.
    await graph.sql("update pathways.job_seeker_registration set convention_code = 'FOREM-OLD-7' where id = $1", [id]);

    const corrected = await graph.query(FOREM_COLLEAGUE, CORRECT, { input: { registrationId: id, conventionCode: 'IPS-FOREM', registeredOn: '2026-11-20' } });
    expect(corrected.errors).toBeUndefined();
    expect(corrected.data).toEqual({
      correctJobSeekerRegistration: {
        id, conventionCode: 'IPS-FOREM', registeredOn: '2026-11-20',
        corrections: [{ previousConventionCode: 'FOREM-OLD-7', conventionCode: 'IPS-FOREM', previousRegisteredOn: TODAY, registeredOn: '2026-11-20', correctedBy: 'forem-corrector', correctedAt: expect.any(String) }],
      },
    });

    // The physician of record reads the registration (employment data, R14) and sees the correction too.
    const seen = await graph.query(PHYSICIAN, 'query($id: ID!) { participant(id: $id) { pathway { jobSeekerRegistration { conventionCode corrections { previousConventionCode conventionCode correctedBy } } } } }', { id: person.participantId });
    expect(seen.errors).toBeUndefined();
    expect(seen.data).toEqual({ participant: { pathway: { jobSeekerRegistration: { conventionCode: 'IPS-FOREM', corrections: [{ previousConventionCode: 'FOREM-OLD-7', conventionCode: 'IPS-FOREM', correctedBy: 'forem-corrector' }] } } } });
  });

  it('refuses a correction to a code not reserved, or to nothing new, and writes nothing; another SRE finds no registration', async () => {
    const person = await liegePerson();
    const recorded = await graph.query<{ recordJobSeekerRegistration: { id: string } }>(FOREM, RECORD, { input: { pathwayId: person.pathwayId, conventionCode: 'IPS-FOREM', registeredOn: TODAY } });
    const id = recorded.data!.recordJobSeekerRegistration.id;
    const wrongCode = await graph.query(FOREM, CORRECT, { input: { registrationId: id, conventionCode: 'IPS-ACTIRIS', registeredOn: TODAY } });
    expect(wrongCode.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.conventionCode' });
    const same = await graph.query(FOREM, CORRECT, { input: { registrationId: id, conventionCode: 'IPS-FOREM', registeredOn: TODAY } });
    expect(same.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.conventionCode' });
    const future = await graph.query(FOREM, CORRECT, { input: { registrationId: id, conventionCode: 'IPS-FOREM', registeredOn: '2999-01-01' } });
    expect(future.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.registeredOn' });
    expect(errorCodes(await graph.query(VDAB, CORRECT, { input: { registrationId: id, conventionCode: 'IPS-FOREM', registeredOn: '2026-11-20' } }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await graph.query('JOB_COACH', CORRECT, { input: { registrationId: id, conventionCode: 'IPS-FOREM', registeredOn: '2026-11-20' } }))).not.toEqual([]);
    expect(await graph.sql('select convention_code, registered_on::text from pathways.job_seeker_registration where id = $1', [id])).toEqual([{ convention_code: 'IPS-FOREM', registered_on: TODAY }]);
    expect(await graph.sql('select count(*) as n from pathways.job_seeker_registration_correction where registration_id = $1', [id])).toEqual([{ n: '0' }]);
  });

  it('queues two corrections made at once on the registration lock: each is kept, the second starting from the first', async () => {
    const person = await liegePerson();
    const recorded = await graph.query<{ recordJobSeekerRegistration: { id: string } }>(FOREM, RECORD, { input: { pathwayId: person.pathwayId, conventionCode: 'IPS-FOREM', registeredOn: TODAY } });
    const id = recorded.data!.recordJobSeekerRegistration.id;
    const answers = await Promise.all(['2026-11-20', '2026-11-21'].map((registeredOn) => graph.query(FOREM, CORRECT, { input: { registrationId: id, conventionCode: 'IPS-FOREM', registeredOn } })));
    expect(answers.map((a) => a.errors)).toEqual([undefined, undefined]);
    const rows = await graph.sql<{ previous_registered_on: string; registered_on: string }>(
      'select previous_registered_on::text, registered_on::text from pathways.job_seeker_registration_correction where registration_id = $1 order by corrected_at', [id]);
    expect(rows).toHaveLength(2);
    expect(rows[0]!.previous_registered_on).toBe(TODAY);
    expect(rows[1]!.previous_registered_on).toBe(rows[0]!.registered_on); // never two corrections from the same old value
    const [final] = await graph.sql<{ registered_on: string }>('select registered_on::text from pathways.job_seeker_registration where id = $1', [id]);
    expect(final!.registered_on).toBe(rows[1]!.registered_on);
  });
});
