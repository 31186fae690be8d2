/**
 * The end of a pathway (R14, R16): the incapacity recognition cannot end while the
 * pathway is open; when the referent job coach ends it, the physician's follow-up file
 * receives the news in the same transaction, and only then may the recognition end.
 */
import type { Identity } from '../schema/identity.js';
import { belgianToday } from '../subgraphs/kit/domain.js';
import { errorCodes, startTestPlatform, type TestPlatform } from './harness.js';
import { seed } from './seed.js';

let graph: TestPlatform;
beforeAll(async () => {
  graph = await startTestPlatform();
  await seed(graph).trial(); // a coach is assigned to IPS-arm people only: randomisation first
});
afterAll(async () => {
  await graph?.stop();
});

const TODAY = belgianToday();
const ENGLISH_DAY = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
}).format(new Date(`${TODAY}T00:00:00Z`));
const PHYSICIAN: Identity = { role: 'MEDECIN_CONSEIL', organisation: 'OA-300', subject: 'dr-follow-up' };
const COACH: Identity = { role: 'JOB_COACH', organisation: 'ISPPC', subject: 'coach-isppc-2' };
const END = 'mutation($input: EndPathwayInput!) { endPathway(input: $input) { status endedOn endReason } }';
const END_INCAPACITY =
  'mutation($id: ID!, $on: LocalDate!) { endIncapacityRecognition(participantId: $id, endedOn: $on) { incapacityEndedOn } }';

async function pathwayWithCoach() {
  const person = await seed(graph)
    .person({ postcode: '6000' })
    .referredBy(PHYSICIAN)
    .registered({ convention: 'ISPPC' })
    .withCoach(COACH, { by: { role: 'SUPERVISOR', organisation: 'ISPPC', subject: 'sup-isppc' } })
    .build();
  expect(person.jobCoach).toBe(COACH.subject);
  return person;
}

describe('ending a pathway (R16) with the physician kept informed (R14)', () => {
  it('refuses to end the incapacity recognition while the pathway is open, then informs the physician in the same transaction as the end', async () => {
    const { participantId, pathwayId } = await pathwayWithCoach();
    const refused = await graph.query(PHYSICIAN, END_INCAPACITY, { id: participantId, on: TODAY });
    expect(errorCodes(refused)).toEqual(['CONFLICT']);
    expect(refused.errors![0]!.message).toMatch(/R16/);

    const ended = await graph.query(COACH, END, {
      input: {
        pathwayId,
        endedOn: TODAY,
        reason: 'EMPLOYMENT_SUSTAINED',
        note: 'Stable contract since September.',
        noteCategory: 'EMPLOYMENT',
      },
    });
    expect(ended.data).toEqual({ endPathway: { status: 'ENDED', endedOn: TODAY, endReason: 'EMPLOYMENT_SUSTAINED' } });

    // Same transaction: the pathway's new row version and the message were written by one transaction id.
    const [pathwayTx] = await graph.sql<{ xmin: string }>('select xmin::text from pathways.pathway where id = $1', [
      pathwayId,
    ]);
    const [messageTx] = await graph.sql<{ xmin: string }>(
      'select xmin::text from pathways.physician_message where pathway_id = $1',
      [pathwayId],
    );
    expect(messageTx!.xmin).toBe(pathwayTx!.xmin);

    const inbox = await graph.query<{
      physicianInbox: {
        edges: {
          node: { kind: string; body: string; sentBy: string; readAt: string | null; participant: { id: string } };
        }[];
      };
    }>(
      PHYSICIAN,
      '{ physicianInbox(unreadOnly: true) { edges { node { id kind body sentBy readAt participant { id } } } } }',
    );
    const message = inbox
      .data!.physicianInbox.edges.map((edge) => edge.node)
      .find((entry) => entry.participant.id === participantId);
    expect(message).toMatchObject({
      kind: 'PATHWAY_ENDED',
      sentBy: COACH.subject,
      readAt: null,
      body: expect.stringMatching(new RegExp(`ended on ${ENGLISH_DAY} \\(Employment sustained\\)\\. Stable contract`)),
    }); // told from the catalogue: the day and reason as English readers write them

    const file = await graph.query<{ physicianInbox: { edges: { node: { kind: string } }[] } }>(
      PHYSICIAN,
      'query($p: ID!) { physicianInbox(participantId: $p) { edges { node { kind } } } }',
      { p: participantId },
    );
    expect(file.data).toEqual({ physicianInbox: { edges: [{ node: { kind: 'PATHWAY_ENDED' } }] } }); // this person's follow-up file

    const allowed = await graph.query(PHYSICIAN, END_INCAPACITY, { id: participantId, on: TODAY });
    expect(allowed.data).toEqual({ endIncapacityRecognition: { incapacityEndedOn: TODAY } });
  });

  it('lets only the referent job coach end the pathway, once, with a valid date', async () => {
    const { pathwayId } = await pathwayWithCoach();
    const other = await graph.query({ ...COACH, subject: 'coach-isppc-5' }, END, {
      input: { pathwayId, endedOn: TODAY, reason: 'OTHER' },
    });
    expect(errorCodes(other)).toEqual(['NOT_FOUND']);
    const future = await graph.query(COACH, END, { input: { pathwayId, endedOn: '2999-01-01', reason: 'OTHER' } });
    expect(future.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.endedOn' });
    const early = await graph.query(COACH, END, { input: { pathwayId, endedOn: '2000-01-01', reason: 'OTHER' } });
    expect(early.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.endedOn' });
    expect(await graph.sql('select status from pathways.pathway where id = $1', [pathwayId])).toEqual([
      { status: 'OPEN' },
    ]);
    expect(
      await graph.sql('select count(*) as n from pathways.physician_message where pathway_id = $1', [pathwayId]),
    ).toEqual([{ n: '0' }]);
    await graph.query(COACH, END, { input: { pathwayId, endedOn: TODAY, reason: 'PARTICIPANT_WITHDREW' } });
    expect(
      errorCodes(await graph.query(COACH, END, { input: { pathwayId, endedOn: TODAY, reason: 'OTHER' } })),
    ).toEqual(['CONFLICT']);
    expect(
      await graph.sql('select count(*) as n from pathways.physician_message where pathway_id = $1', [pathwayId]),
    ).toEqual([{ n: '1' }]);
  });

  it("keeps each physician's follow-up file to their own people", async () => {
    const { pathwayId } = await pathwayWithCoach();
    await graph.query(COACH, END, { input: { pathwayId, endedOn: TODAY, reason: 'HEALTH' } });
    const stranger = await graph.query<{ physicianInbox: { edges: unknown[] } }>(
      { ...PHYSICIAN, subject: 'dr-stranger' },
      '{ physicianInbox { edges { node { id } } } }',
    );
    expect(stranger.data).toEqual({ physicianInbox: { edges: [] } });
    const [message] = await graph.sql<{ id: string }>(
      'select id from pathways.physician_message where pathway_id = $1',
      [pathwayId],
    );
    expect(
      errorCodes(
        await graph.query(
          { ...PHYSICIAN, subject: 'dr-stranger' },
          'mutation($id: ID!) { markPhysicianMessageRead(id: $id) { readAt } }',
          { id: message!.id },
        ),
      ),
    ).toEqual(['NOT_FOUND']);
    const read = await graph.query<{ markPhysicianMessageRead: { readAt: string } }>(
      PHYSICIAN,
      'mutation($id: ID!) { markPhysicianMessageRead(id: $id) { readAt } }',
      { id: message!.id },
    );
    expect(read.data!.markPhysicianMessageRead.readAt).toEqual(expect.any(String));
  });
});

describe('work authorisation (R15)', () => {
  const RECORD = `mutation($input: RecordEmploymentContractInput!) { recordEmploymentContract(input: $input) {
    id jobFunction contractType authorisation { id reason decision } } }`;
  const contract = (pathwayId: string, overrides: Record<string, unknown> = {}) => ({
    pathwayId,
    employer: 'Boulangerie Delvaux',
    employerNumber: '0412.345.614',
    jobFunction: 'Vendeur',
    startsOn: TODAY,
    weeklyHours: 19,
    contractType: 'FIXED_TERM',
    ...overrides,
  });
  type Recorded = {
    recordEmploymentContract: { id: string; authorisation: { id: string; reason: string; decision: string } | null };
  };

  it('opens a request for the first contract, a new function and a new employer — none for a training or a renewal — each copied to the physician', async () => {
    const { pathwayId } = await pathwayWithCoach();
    // One contract at a time with an employer: each contract with the bakery ends before the next begins.
    const day = (n: number) => new Date(Date.parse(`${TODAY}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
    const first = await graph.query<Recorded>(COACH, RECORD, { input: contract(pathwayId, { endsOn: TODAY }) });
    expect(first.data!.recordEmploymentContract.authorisation).toMatchObject({
      reason: 'FIRST_CONTRACT',
      decision: 'PENDING',
    });
    const renewal = await graph.query<Recorded>(COACH, RECORD, {
      input: contract(pathwayId, { startsOn: day(1), endsOn: day(1) }),
    });
    expect(renewal.data!.recordEmploymentContract.authorisation).toBeNull();
    const training = await graph.query<Recorded>(COACH, RECORD, {
      input: contract(pathwayId, {
        employer: 'Atelier',
        employerNumber: '0876543270',
        contractType: 'IN_COMPANY_TRAINING',
        startsOn: day(1),
      }),
    });
    expect(training.data!.recordEmploymentContract.authorisation).toBeNull(); // a training is not a contract
    const newFunction = await graph.query<Recorded>(COACH, RECORD, {
      input: contract(pathwayId, { jobFunction: 'Boulanger', startsOn: day(2) }),
    });
    expect(newFunction.data!.recordEmploymentContract.authorisation).toMatchObject({ reason: 'NEW_FUNCTION' });
    const newEmployer = await graph.query<Recorded>(COACH, RECORD, {
      input: contract(pathwayId, {
        employer: 'Colruyt',
        employerNumber: '0203 201 340',
        jobFunction: 'Boulanger',
        startsOn: day(3),
      }),
    });
    expect(newEmployer.data!.recordEmploymentContract.authorisation).toMatchObject({ reason: 'NEW_EMPLOYER' });

    const [copies] = await graph.sql<{ n: string }>(
      "select count(*) as n from pathways.physician_message where pathway_id = $1 and kind = 'WORK_AUTHORISATION_REQUEST'",
      [pathwayId],
    );
    expect(copies!.n).toBe('3');

    const decided = await graph.query(
      PHYSICIAN,
      'mutation($id: ID!) { decideWorkAuthorisation(id: $id, granted: true) { decision decidedAt } }',
      { id: first.data!.recordEmploymentContract.authorisation!.id },
    );
    expect(decided.data).toMatchObject({ decideWorkAuthorisation: { decision: 'GRANTED' } });
    expect(
      errorCodes(
        await graph.query(
          PHYSICIAN,
          'mutation($id: ID!) { decideWorkAuthorisation(id: $id, granted: false, reason: "Horaire de nuit déconseillé.") { decision } }',
          { id: first.data!.recordEmploymentContract.authorisation!.id },
        ),
      ),
    ).toEqual(['CONFLICT']);
    const stranger = await graph.query(
      { ...PHYSICIAN, subject: 'dr-stranger' },
      'mutation($id: ID!) { decideWorkAuthorisation(id: $id, granted: true) { decision } }',
      { id: newFunction.data!.recordEmploymentContract.authorisation!.id },
    );
    expect(errorCodes(stranger)).toEqual(['NOT_FOUND']);

    const seen = await graph.query<{
      pathway: { contracts: { jobFunction: string; authorisation: { reason: string } | null }[] };
    }>(COACH, 'query($id: ID!) { pathway(id: $id) { contracts { jobFunction authorisation { reason } } } }', {
      id: pathwayId,
    });
    expect(seen.data!.pathway.contracts.map((c) => c.authorisation?.reason ?? null)).toEqual([
      'FIRST_CONTRACT',
      null,
      null,
      'NEW_FUNCTION',
      'NEW_EMPLOYER',
    ]);
  });

  it.each([
    ['an enterprise number with a wrong check', { employerNumber: '0412345615' }, 'input.employerNumber'],
    ['no employer', { employer: ' ' }, 'input.employer'],
    ['no function', { jobFunction: '' }, 'input.jobFunction'],
    ['zero hours', { weeklyHours: 0 }, 'input.weeklyHours'],
  ])('refuses a contract with %s, writing nothing', async (_name, override, field) => {
    const { pathwayId } = await pathwayWithCoach();
    const response = await graph.query(COACH, RECORD, { input: contract(pathwayId, override) });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(
      await graph.sql('select count(*) as n from pathways.employment_contract where pathway_id = $1', [pathwayId]),
    ).toEqual([{ n: '0' }]);
  });
});
