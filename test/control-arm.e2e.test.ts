/**
 * The control arm to the end (R9, R10, R15, R16): the SRE names a reference counsellor, who holds
 * the reference interview, files the RP1, records the person's job — the art. 100 §2 request opens
 * for the physician as in the IPS arm — and ends the pathway; only then does the physician end the
 * recognition of incapacity. Each step with the token of the actor who does it.
 */
import type { Identity } from '../schema/identity.js';
import { belgianToday } from '../subgraphs/kit/domain.js';
import { errorCodes, startTestPlatform, type TestPlatform } from './harness.js';
import { seed } from './seed.js';

let graph: TestPlatform;
beforeAll(async () => {
  graph = await startTestPlatform();
  await seed(graph).trial();
});
afterAll(async () => {
  await graph?.stop();
});

const TODAY = belgianToday();
const PHYSICIAN: Identity = { role: 'MEDECIN_CONSEIL', organisation: 'OA-300', subject: 'dr-control' };
const SRE_DESK: Identity = { role: 'SRE', organisation: 'FOREM', subject: 'forem-desk' };
const COUNSELLOR: Identity = { role: 'SRE', organisation: 'FOREM', subject: 'counsellor-control' };
const OTHER_COUNSELLOR: Identity = { role: 'SRE', organisation: 'FOREM', subject: 'counsellor-other' };
const ASSIGN =
  'mutation($input: AssignReferenceCounsellorInput!) { assignReferenceCounsellor(input: $input) { referenceCounsellor } }';
const ACT = 'mutation($input: RecordPathwayActInput!) { recordPathwayAct(input: $input) { kind } }';
const CONTRACT =
  'mutation($input: RecordEmploymentContractInput!) { recordEmploymentContract(input: $input) { id authorisation { id reason } } }';
const END = 'mutation($input: EndPathwayInput!) { endPathway(input: $input) { status endReason } }';
const contract = (pathwayId: string) => ({
  input: {
    pathwayId,
    employer: 'Colruyt',
    employerNumber: '0203201340',
    jobFunction: 'Réassortisseur',
    startsOn: TODAY,
    weeklyHours: 19,
    contractType: 'OPEN_ENDED',
  },
});

it('walks a control-group person from the referral to the end of the incapacity recognition', async () => {
  const person = await seed(graph)
    .person()
    .referredBy(PHYSICIAN)
    .registered({ convention: 'ARTICLE-23' })
    .randomised({ arm: 'CONTROL' })
    .routed()
    .build();
  await graph.enrol(COUNSELLOR);
  await graph.enrol(OTHER_COUNSELLOR);

  // R9: the SRE names the reference counsellor; the counsellor holds the first interview and files the RP1 (R10).
  expect(
    (
      await graph.query(SRE_DESK, ASSIGN, {
        input: { pathwayId: person.pathwayId, referenceCounsellor: COUNSELLOR.subject },
      })
    ).data,
  ).toEqual({ assignReferenceCounsellor: { referenceCounsellor: COUNSELLOR.subject } });
  expect(
    (
      await graph.query(COUNSELLOR, ACT, {
        input: {
          pathwayId: person.pathwayId,
          kind: 'REFERENCE_INTERVIEW_HELD',
          actOn: TODAY,
          person: 'M. Dubois, conseiller référent',
        },
      })
    ).errors,
  ).toBeUndefined();
  expect(
    (await graph.query(COUNSELLOR, ACT, { input: { pathwayId: person.pathwayId, kind: 'RP1_FILED', actOn: TODAY } }))
      .errors,
  ).toBeUndefined();

  // R15 in both arms: the job opens the art. 100 §2 request, copied to the physician, who decides it.
  const recorded = await graph.query<{ recordEmploymentContract: { authorisation: { id: string; reason: string } } }>(
    COUNSELLOR,
    CONTRACT,
    contract(person.pathwayId),
  );
  expect(recorded.errors).toBeUndefined();
  expect(recorded.data!.recordEmploymentContract.authorisation.reason).toBe('FIRST_CONTRACT');
  const decided = await graph.query(
    PHYSICIAN,
    'mutation($id: ID!) { decideWorkAuthorisation(id: $id, granted: true) { decision } }',
    { id: recorded.data!.recordEmploymentContract.authorisation.id },
  );
  expect(decided.data).toEqual({ decideWorkAuthorisation: { decision: 'GRANTED' } });

  // R16: the recognition of incapacity runs until the referent ends the pathway, the physician informed at once.
  const early = await graph.query(
    PHYSICIAN,
    'mutation($id: ID!) { endIncapacityRecognition(participantId: $id, endedOn: "' +
      TODAY +
      '") { incapacityEndedOn } }',
    { id: person.participantId },
  );
  expect(errorCodes(early)).toEqual(['CONFLICT']);
  expect(
    (
      await graph.query(COUNSELLOR, END, {
        input: { pathwayId: person.pathwayId, endedOn: TODAY, reason: 'EMPLOYMENT_SUSTAINED' },
      })
    ).data,
  ).toEqual({ endPathway: { status: 'ENDED', endReason: 'EMPLOYMENT_SUSTAINED' } });
  const messages = await graph.sql<{ kind: string }>(
    'select kind from pathways.physician_message where pathway_id = $1 order by sent_at',
    [person.pathwayId],
  );
  expect(messages.map((m) => m.kind)).toEqual(['RP1', 'WORK_AUTHORISATION_REQUEST', 'PATHWAY_ENDED']);
  const ended = await graph.query(
    PHYSICIAN,
    'mutation($id: ID!) { endIncapacityRecognition(participantId: $id, endedOn: "' +
      TODAY +
      '") { incapacityEndedOn } }',
    { id: person.participantId },
  );
  expect(ended.data).toEqual({ endIncapacityRecognition: { incapacityEndedOn: TODAY } });
});

it('keeps each arm to its own referent: no coach in the control group, no counsellor in IPS, no other counsellor', async () => {
  const control = await seed(graph)
    .person()
    .referredBy(PHYSICIAN)
    .registered({ convention: 'ARTICLE-23' })
    .randomised({ arm: 'CONTROL' })
    .routed()
    .build();
  const ips = await seed(graph)
    .person()
    .referredBy(PHYSICIAN)
    .registered({ convention: 'ARTICLE-23' })
    .withCoach('coach-arm', { by: { role: 'SUPERVISOR', organisation: 'ARTICLE-23', subject: 'sup-arm' } })
    .routed()
    .build();
  await graph.enrol(COUNSELLOR);
  await graph.enrol(OTHER_COUNSELLOR);
  await graph.query(SRE_DESK, ASSIGN, {
    input: { pathwayId: control.pathwayId, referenceCounsellor: COUNSELLOR.subject },
  });

  expect(
    errorCodes(
      await graph.query(SRE_DESK, ASSIGN, {
        input: { pathwayId: ips.pathwayId, referenceCounsellor: COUNSELLOR.subject },
      }),
    ),
  ).toEqual(['CONFLICT']); // R9: control group only
  expect(
    (
      await graph.query(SRE_DESK, ASSIGN, {
        input: { pathwayId: control.pathwayId, referenceCounsellor: 'nobody-at-forem' },
      })
    ).errors?.[0]?.extensions,
  ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.referenceCounsellor' });
  expect(
    errorCodes(
      await graph.query({ ...SRE_DESK, organisation: 'VDAB' }, ASSIGN, {
        input: { pathwayId: control.pathwayId, referenceCounsellor: COUNSELLOR.subject },
      }),
    ),
  ).toEqual(['NOT_FOUND']); // another region's SRE

  expect(errorCodes(await graph.query(OTHER_COUNSELLOR, CONTRACT, contract(control.pathwayId)))).toEqual(['FORBIDDEN']); // not the referent
  expect(errorCodes(await graph.query(COUNSELLOR, CONTRACT, contract(ips.pathwayId)))).toEqual(['FORBIDDEN']); // the coach's person
  expect(
    errorCodes(
      await graph.query(
        { role: 'JOB_COACH', organisation: 'ARTICLE-23', subject: 'coach-arm' },
        CONTRACT,
        contract(control.pathwayId),
      ),
    ),
  ).toEqual(['NOT_FOUND']);
  expect(
    errorCodes(
      await graph.query(OTHER_COUNSELLOR, END, {
        input: { pathwayId: control.pathwayId, endedOn: TODAY, reason: 'PILOT_ENDED' },
      }),
    ),
  ).toEqual(['FORBIDDEN']);
  expect(
    await graph.sql('select count(*)::int as n from pathways.employment_contract where pathway_id = any($1)', [
      [control.pathwayId, ips.pathwayId],
    ]),
  ).toEqual([{ n: 0 }]);
});
