/**
 * Every date of a pathway is checked against the pathway's own dates: nothing
 * before INAMI registered it, nothing held in the future, no form signed before the person was born.
 * Each refusal names the field and writes nothing.
 */
import type { Identity } from '../schema/identity.js';
import { belgianToday } from '../subgraphs/kit/domain.js';
import { newKey, referralInput, SUBMIT_REFERRAL } from './fixtures.js';
import { startTestPlatform, type TestPlatform } from './harness.js';
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
const YESTERDAY = belgianToday(new Date(Date.now() - 86_400_000));
const TEN_DAYS_ON = belgianToday(new Date(Date.now() + 10 * 86_400_000));
const COACH: Identity = { role: 'JOB_COACH', organisation: 'ARTICLE-23', subject: 'coach-dates' };
const SUPERVISOR: Identity = { role: 'SUPERVISOR', organisation: 'ARTICLE-23', subject: 'supervisor-dates' };
const SRE: Identity = { role: 'SRE', organisation: 'FOREM', subject: 'forem-dates' };
/** The error's code and field (its extensions also name the catalogue message, schema/i18n). */
const fieldOf = (response: { errors?: { extensions?: Record<string, unknown> }[] }) => {
  const extensions = response.errors?.[0]?.extensions;
  return extensions && { code: extensions.code, field: extensions.field };
};

it('refuses a form signed before the person was born', async () => {
  const response = await graph.query('MEDECIN_CONSEIL', SUBMIT_REFERRAL, {
    input: referralInput({ signedOn: '1984-01-01' }),
    key: newKey(),
  });
  expect(fieldOf(response)).toEqual({ code: 'BAD_USER_INPUT', field: 'input.signedOn' });
});

it('refuses acts, jobs and meetings dated before the pathway was registered — in 1901 or yesterday', async () => {
  const person = await seed(graph)
    .person()
    .referredBy('MEDECIN_CONSEIL')
    .registered({ convention: 'ARTICLE-23' })
    .withCoach(COACH, { by: SUPERVISOR })
    .routed()
    .build();
  for (const day of ['1901-01-01', YESTERDAY]) {
    const act = await graph.query(
      COACH,
      'mutation($input: RecordPathwayActInput!) { recordPathwayAct(input: $input) { id } }',
      { input: { pathwayId: person.pathwayId, kind: 'RP1IPS_SENT', actOn: day } },
    );
    expect(fieldOf(act)).toEqual({ code: 'BAD_USER_INPUT', field: 'input.actOn' });
    const contract = await graph.query(
      COACH,
      'mutation($input: RecordEmploymentContractInput!) { recordEmploymentContract(input: $input) { id } }',
      {
        input: {
          pathwayId: person.pathwayId,
          employer: 'Colruyt',
          employerNumber: '0203201340',
          jobFunction: 'Magasinier',
          startsOn: day,
          weeklyHours: 20,
          contractType: 'OPEN_ENDED',
        },
      },
    );
    expect(fieldOf(contract)).toEqual({ code: 'BAD_USER_INPUT', field: 'input.startsOn' });
  }
  expect(
    await graph.sql(
      'select (select count(*)::int from pathways.pathway_act where pathway_id = $1) + (select count(*)::int from pathways.employment_contract where pathway_id = $1) as n',
      [person.pathwayId],
    ),
  ).toEqual([{ n: 0 }]);

  // A welcome session in ten days: who came cannot be recorded before it is held.
  const organised = await graph.query<{ organiseWelcomeSession: { id: string } }>(
    SRE,
    'mutation($input: OrganiseWelcomeSessionInput!) { organiseWelcomeSession(input: $input) { id } }',
    {
      input: { ipsPartner: 'ARTICLE-23', heldOn: TEN_DAYS_ON, place: 'Liège', pathwayIds: [person.pathwayId] },
    },
  );
  const early = await graph.query(
    SUPERVISOR,
    'mutation($id: ID!, $present: [ID!]!, $on: LocalDate!) { recordWelcomeAttendance(sessionId: $id, present: $present, firstMeetingOn: $on) { id } }',
    {
      id: organised.data!.organiseWelcomeSession.id,
      present: [person.pathwayId],
      on: TEN_DAYS_ON,
    },
  );
  expect(fieldOf(early)).toEqual({ code: 'BAD_USER_INPUT', field: 'sessionId' });
  expect(
    await graph.sql('select count(*)::int as n from pathways.individual_meeting where pathway_id = $1', [
      person.pathwayId,
    ]),
  ).toEqual([{ n: 0 }]);
  expect(TODAY < TEN_DAYS_ON).toBe(true);
});

it('checks follow-up meetings and welcome sessions against the pathway: nothing before registration, nothing planned in the past, nothing held in the future', async () => {
  const person = await seed(graph)
    .person()
    .referredBy('MEDECIN_CONSEIL')
    .registered({ convention: 'ARTICLE-23' })
    .withCoach(COACH, { by: SUPERVISOR })
    .routed()
    .build();
  const PLAN = 'mutation($input: PlanFollowUpMeetingInput!) { planFollowUpMeeting(input: $input) { id } }';
  for (const day of ['1901-01-01', YESTERDAY]) {
    expect(
      fieldOf(await graph.query(COACH, PLAN, { input: { pathwayId: person.pathwayId, scheduledFor: day } })),
    ).toEqual({ code: 'BAD_USER_INPUT', field: 'input.scheduledFor' });
    const session = await graph.query(
      SRE,
      'mutation($input: OrganiseWelcomeSessionInput!) { organiseWelcomeSession(input: $input) { id } }',
      { input: { ipsPartner: 'ARTICLE-23', heldOn: day, place: 'Liège', pathwayIds: [person.pathwayId] } },
    );
    expect(fieldOf(session)).toEqual({ code: 'BAD_USER_INPUT', field: 'input.heldOn' });
  }
  expect(
    await graph.sql(
      'select (select count(*)::int from pathways.individual_meeting where pathway_id = $1) + (select count(*)::int from pathways.welcome_invitation where pathway_id = $1) as n',
      [person.pathwayId],
    ),
  ).toEqual([{ n: 0 }]);

  const planned = await graph.query<{ planFollowUpMeeting: { id: string } }>(COACH, PLAN, {
    input: { pathwayId: person.pathwayId, scheduledFor: TEN_DAYS_ON },
  });
  expect(planned.errors).toBeUndefined();
  const HELD = 'mutation($id: ID!, $on: LocalDate!) { recordMeetingHeld(meetingId: $id, heldOn: $on) { id } }';
  for (const day of [TEN_DAYS_ON, '1901-01-01', YESTERDAY]) {
    expect(fieldOf(await graph.query(COACH, HELD, { id: planned.data!.planFollowUpMeeting.id, on: day }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'heldOn',
    });
  }
  expect(
    await graph.sql('select held_on from pathways.individual_meeting where pathway_id = $1', [person.pathwayId]),
  ).toEqual([{ held_on: null }]);
});
