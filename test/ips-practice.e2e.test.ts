/**
 * The IPS principles as measured practice (DOMAIN.md "The eight IPS principles"), through the gateway with each actor's
 * own token: the coach records employer contacts (on a person's behalf, or the team's job development), benefits
 * counselling and follow-along support once a job has started — after the pathway's end too (time-unlimited, principle 6);
 * bad input is named and nothing written; another team's coach and the roles the policy does not name are refused.
 * Then a constructed quarter of one team: its indicators (rapid job search, contacts per coach per week, counselling and
 * follow-along shares) checked against values computed by hand below, shown to the team's supervisor beside its IPS-25
 * reviews in one request; another team's supervisor sees only their own team, in which none of it is counted.
 */
import type { Identity } from '../schema/identity.js';
import { belgianToday } from '../subgraphs/kit/domain.js';
import { FIDELITY_ITEMS } from '../subgraphs/research/services/fidelity-scale.js';
import { DEFAULT_IDENTITY, errorCodes, startTestPlatform, type GraphQLResponse, type TestPlatform } from './harness.js';
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
const daysAgo = (days: number) =>
  new Date(Date.parse(`${TODAY}T12:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
const COACH: Identity = { role: 'JOB_COACH', organisation: 'ARTICLE-23', subject: 'coach-practice' };
const SUPERVISOR: Identity = DEFAULT_IDENTITY.SUPERVISOR; // Article 23
const OTHER_COACH: Identity = { role: 'JOB_COACH', organisation: 'ISPPC', subject: 'coach-practice' };

async function ok<T>(pending: Promise<GraphQLResponse<T>>): Promise<T> {
  const response = await pending;
  if (response.errors) throw new Error(JSON.stringify(response.errors));
  return response.data!;
}
function badInput(response: GraphQLResponse, field: string) {
  expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
  expect(response.errors![0]!.extensions?.field).toBe(field);
}

const CONTACT =
  'mutation($input: RecordEmployerContactInput!) { recordEmployerContact(input: $input) { id contactedOn employer kind jobCoach } }';
const TEAM_CONTACT =
  'mutation($input: RecordJobDevelopmentContactInput!) { recordJobDevelopmentContact(input: $input) { id contactedOn employer kind jobCoach } }';
const COUNSELLING =
  'mutation($input: RecordBenefitsCounsellingInput!) { recordBenefitsCounselling(input: $input) { id heldOn topic counsellor } }';
const SUPPORT =
  'mutation($input: RecordFollowAlongSupportInput!) { recordFollowAlongSupport(input: $input) { id supportedOn kind afterPathwayEnd jobCoach } }';
const CONTRACT = 'mutation($input: RecordEmploymentContractInput!) { recordEmploymentContract(input: $input) { id } }';
const PRACTICE = `query($id: ID!) { pathway(id: $id) {
  employerContacts { id contactedOn employer kind jobCoach }
  benefitsCounselling { id heldOn topic counsellor }
  followAlongSupport { id supportedOn kind afterPathwayEnd }
} }`;
const job = (pathwayId: string, startsOn: string) => ({
  input: {
    pathwayId,
    employer: 'Colruyt',
    employerNumber: '0203201340',
    jobFunction: 'Magasinier',
    startsOn,
    weeklyHours: 20,
    contractType: 'OPEN_ENDED',
  },
});

describe('recording the practice (IPS principles 5–8)', () => {
  it("records the coach's employer contacts, counselling and support, each read back under the person's policy", async () => {
    const person = await seed(graph).person().registered({ convention: 'ARTICLE-23' }).withCoach(COACH).build();
    const contact = await ok(
      graph.query<{ recordEmployerContact: { jobCoach: string; kind: string } }>(COACH, CONTACT, {
        input: { pathwayId: person.pathwayId, contactedOn: TODAY, employer: 'Delhaize Liège', kind: 'FIRST_CONTACT' },
      }),
    );
    expect(contact.recordEmployerContact).toMatchObject({ jobCoach: COACH.subject, kind: 'FIRST_CONTACT' });
    await ok(
      graph.query(COACH, COUNSELLING, {
        input: { pathwayId: person.pathwayId, heldOn: TODAY, topic: 'PARTIAL_WORK_AUTHORISATION' },
      }),
    );
    // Follow-along follows a job: refused before one starts, named; then recorded once the job has started.
    badInput(
      await graph.query(COACH, SUPPORT, {
        input: { pathwayId: person.pathwayId, supportedOn: TODAY, kind: 'CONTACT_WITH_PERSON' },
      }),
      'input.supportedOn',
    );
    await ok(graph.query(COACH, CONTRACT, job(person.pathwayId, TODAY)));
    const support = await ok(
      graph.query<{ recordFollowAlongSupport: { afterPathwayEnd: boolean } }>(COACH, SUPPORT, {
        input: { pathwayId: person.pathwayId, supportedOn: TODAY, kind: 'WORKPLACE_VISIT' },
      }),
    );
    expect(support.recordFollowAlongSupport.afterPathwayEnd).toBe(false);

    for (const reader of [COACH, SUPERVISOR]) {
      const read = await ok(
        graph.query<{
          pathway: {
            employerContacts: { employer: string }[];
            benefitsCounselling: { topic: string }[];
            followAlongSupport: { kind: string }[];
          };
        }>(reader, PRACTICE, { id: person.pathwayId }),
      );
      expect(read.pathway.employerContacts.map((c) => c.employer)).toEqual(['Delhaize Liège']);
      expect(read.pathway.benefitsCounselling.map((s) => s.topic)).toEqual(['PARTIAL_WORK_AUTHORISATION']);
      expect(read.pathway.followAlongSupport.map((s) => s.kind)).toEqual(['WORKPLACE_VISIT']);
    }
    // Another team's coach: the person is unseen (as missing); nothing written.
    const outsider = await graph.query(OTHER_COACH, CONTACT, {
      input: { pathwayId: person.pathwayId, contactedOn: TODAY, employer: 'Carrefour', kind: 'FOLLOW_UP' },
    });
    expect(errorCodes(outsider)).toEqual(['NOT_FOUND']);
    // Roles the policy names no grant for: refused.
    for (const role of ['SRE', 'MEDECIN_CONSEIL', 'INAMI', 'INTEGRATOR'] as const) {
      const refused = await graph.query(role, COUNSELLING, {
        input: { pathwayId: person.pathwayId, heldOn: TODAY, topic: 'WORK_INCENTIVES_PLAN' },
      });
      expect(refused.errors).toBeDefined();
    }
    const [counts] = await graph.sql<{ contacts: string; sessions: string }>(
      `select (select count(*) from pathways.employer_contact where pathway_id = $1) as contacts,
              (select count(*) from pathways.benefits_counselling where pathway_id = $1) as sessions`,
      [person.pathwayId],
    );
    expect(counts).toEqual({ contacts: '1', sessions: '1' });
  });

  it('names each bad field and writes nothing', async () => {
    const person = await seed(graph).person().registered({ convention: 'ARTICLE-23' }).withCoach(COACH).build();
    const tomorrow = new Date(Date.parse(`${TODAY}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const contact = (input: Record<string, unknown>) =>
      graph.query(COACH, CONTACT, {
        input: { pathwayId: person.pathwayId, contactedOn: TODAY, employer: 'Delhaize', kind: 'FOLLOW_UP', ...input },
      });
    badInput(await contact({ contactedOn: tomorrow }), 'input.contactedOn');
    badInput(await contact({ contactedOn: '2000-01-01' }), 'input.contactedOn'); // before the registration
    badInput(await contact({ employer: '' }), 'input.employer');
    badInput(await contact({ employer: 'x'.repeat(201) }), 'input.employer');
    badInput(await contact({ pathwayId: 'not-an-id' }), 'input.pathwayId');
    badInput(
      await graph.query(COACH, COUNSELLING, {
        input: { pathwayId: person.pathwayId, heldOn: tomorrow, topic: 'WORK_INCENTIVES_PLAN' },
      }),
      'input.heldOn',
    );
    badInput(
      await graph.query(COACH, TEAM_CONTACT, {
        input: { team: 'ARTICLE-23', contactedOn: TODAY, employer: ' ', kind: 'FIRST_CONTACT' },
      }),
      'input.employer',
    );
    badInput(
      await graph.query(SUPERVISOR, 'query { practiceIndicators(quarters: ["2026-Q5"]) { quarter } }'),
      'quarters.0',
    );
    const [written] = await graph.sql<{ n: string }>(
      'select count(*) as n from pathways.employer_contact where pathway_id = $1',
      [person.pathwayId],
    );
    expect(written!.n).toBe('0');
  });

  it("continues follow-along support after the pathway's formal end (time-unlimited); counselling stops with it", async () => {
    const person = await seed(graph).person().registered({ convention: 'ARTICLE-23' }).withCoach(COACH).build();
    // Registered ten days ago (moved into the past as the database's administrator: a test cannot wait).
    await graph.sql("update pathways.pathway set registered_at = now() - interval '10 days' where id = $1", [
      person.pathwayId,
    ]);
    await ok(graph.query(COACH, CONTRACT, job(person.pathwayId, daysAgo(5))));
    await ok(
      graph.query(COACH, 'mutation($input: EndPathwayInput!) { endPathway(input: $input) { id } }', {
        input: { pathwayId: person.pathwayId, endedOn: daysAgo(2), reason: 'EMPLOYMENT_SUSTAINED' },
      }),
    );
    const support = await ok(
      graph.query<{ recordFollowAlongSupport: { afterPathwayEnd: boolean; jobCoach: string } }>(COACH, SUPPORT, {
        input: { pathwayId: person.pathwayId, supportedOn: TODAY, kind: 'CONTACT_WITH_EMPLOYER' },
      }),
    );
    expect(support.recordFollowAlongSupport).toMatchObject({ afterPathwayEnd: true, jobCoach: COACH.subject });
    const read = await ok(
      graph.query<{ pathway: { followAlongSupport: { afterPathwayEnd: boolean }[] } }>(SUPERVISOR, PRACTICE, {
        id: person.pathwayId,
      }),
    );
    expect(read.pathway.followAlongSupport).toEqual([expect.objectContaining({ afterPathwayEnd: true })]);
    const counselling = await graph.query(COACH, COUNSELLING, {
      input: { pathwayId: person.pathwayId, heldOn: TODAY, topic: 'BENEFIT_AFTER_JOB_ENDS' },
    });
    expect(errorCodes(counselling)).toEqual(['CONFLICT']);
  });

  it("records the team's job development for the caller's own team only", async () => {
    const recorded = await ok(
      graph.query<{ recordJobDevelopmentContact: { jobCoach: string; kind: string } }>(COACH, TEAM_CONTACT, {
        input: { team: 'ARTICLE-23', contactedOn: TODAY, employer: 'Ikea Hognoul', kind: 'JOB_DEVELOPMENT_VISIT' },
      }),
    );
    expect(recorded.recordJobDevelopmentContact).toMatchObject({
      jobCoach: COACH.subject,
      kind: 'JOB_DEVELOPMENT_VISIT',
    });
    const [row] = await graph.sql<{ ips_partner: string; pathway_id: string | null }>(
      "select ips_partner, pathway_id from pathways.employer_contact where employer = 'Ikea Hognoul'",
    );
    expect(row).toEqual({ ips_partner: 'ARTICLE-23', pathway_id: null });
    // Another team's coach, an SRE, INAMI: refused, nothing written.
    for (const caller of [OTHER_COACH, DEFAULT_IDENTITY.SRE, DEFAULT_IDENTITY.INAMI])
      expect(
        (
          await graph.query(caller, TEAM_CONTACT, {
            input: { team: 'ARTICLE-23', contactedOn: TODAY, employer: 'Brico Ans', kind: 'FIRST_CONTACT' },
          })
        ).errors,
      ).toBeDefined();
    expect(await graph.sql("select 1 from pathways.employer_contact where employer = 'Brico Ans'")).toEqual([]);
  });
});

/**
 * A constructed 2026-Q3 (1 July – 30 September: 92 days) of the ISPPC team. Registration and the coaches' memberships
 * are moved into the past as the database's administrator (a test cannot wait months); everything else goes through
 * the gateway as its actor. By hand:
 * - first meetings held in the quarter: P1 (6 July), P2 (13 July), P3 (3 August) = 3; first employer contact since:
 *   P1 on 16 July (10 days), P2 on 10 August (28 days; its contact of 10 July came before the meeting), P3 none:
 *   n = 2, median (10 + 28) / 2 = 19;
 * - employer contacts dated in the quarter: P1 ×2, P2 ×2, the team's 1 = 5; coaches: one full time all quarter
 *   (92 days) and one half time from 1 August (61 days × 0.5 = 30.5): 122.5 FTE-days = 17.5 weeks; 5 / 17.5 = 0.29;
 * - in a pathway during the quarter: P1, P2, P3 = 3; counselled by its end: P1 = 1 → 0.333;
 * - working during the quarter: P1 (from 1 August), P2 (from 1 September) = 2; supported in it: P1 → 0.5.
 */
describe('practice indicators per team and quarter', () => {
  const TEAM_COACH: Identity = { role: 'JOB_COACH', organisation: 'ISPPC', subject: 'coach-isppc-1' };
  const HALF_TIME: Identity = { role: 'JOB_COACH', organisation: 'ISPPC', subject: 'coach-isppc-2' };
  const TEAM_SUPERVISOR: Identity = { role: 'SUPERVISOR', organisation: 'ISPPC', subject: 'supervisor-isppc' };
  const SRE: Identity = { role: 'SRE', organisation: 'FOREM', subject: 'sre-practice' };
  const INDICATORS = `query { practiceIndicators(quarters: ["2026-Q3"]) { team quarter firstMeetings firstEmployerContacts
    medianDaysToFirstEmployerContact employerContacts coachFteWeeks employerContactsPerCoachPerWeek peopleInPathway
    peopleCounselled shareCounselled peopleWorking peopleWorkingSupported shareWorkingSupported } }`;

  it('computes them from the recorded work as counted by hand, beside the IPS-25 reviews', async () => {
    const people = [];
    for (let i = 0; i < 3; i++)
      people.push(
        await seed(graph)
          .person()
          .registered({ convention: 'ISPPC' })
          .withCoach(TEAM_COACH, { by: TEAM_SUPERVISOR })
          .routed()
          .build(),
      );
    const [p1, p2, p3] = people.map((p) => p.pathwayId);
    await graph.sql(
      "update pathways.pathway set registered_at = '2026-06-15T10:00:00+02:00' where id = any($1::uuid[])",
      [[p1, p2, p3]],
    );
    await graph.query(HALF_TIME, 'query { caseload { pathway { id } } }'); // enrols the second coach
    await graph.sql(
      `update participants.staff_member set enrolled_at = case subject when 'coach-isppc-1' then '2026-01-01T10:00:00+01:00'::timestamptz
         else '2026-08-01T10:00:00+02:00'::timestamptz end, fte_hundredths = case subject when 'coach-isppc-1' then 100 else 50 end
       where organisation_code = 'ISPPC' and function = 'JOB_COACH' and subject in ('coach-isppc-1', 'coach-isppc-2')`,
    );
    const session = await ok(
      graph.query<{ organiseWelcomeSession: { id: string } }>(
        SRE,
        'mutation($input: OrganiseWelcomeSessionInput!) { organiseWelcomeSession(input: $input) { id } }',
        { input: { ipsPartner: 'ISPPC', heldOn: '2026-07-01', place: 'Charleroi', pathwayIds: [p1, p2, p3] } },
      ),
    );
    await ok(
      graph.query(
        TEAM_SUPERVISOR,
        'mutation($id: ID!, $present: [ID!]!) { recordWelcomeAttendance(sessionId: $id, present: $present, firstMeetingOn: "2026-07-06") { id } }',
        { id: session.organiseWelcomeSession.id, present: [p1, p2, p3] },
      ),
    );
    const meetings = await graph.sql<{ id: string; pathway_id: string }>(
      "select id, pathway_id from pathways.individual_meeting where pathway_id = any($1::uuid[]) and kind = 'FIRST'",
      [[p1, p2, p3]],
    );
    const heldOn = new Map([
      [p1, '2026-07-06'],
      [p2, '2026-07-13'],
      [p3, '2026-08-03'],
    ]);
    for (const meeting of meetings)
      await ok(
        graph.query(
          TEAM_COACH,
          'mutation($id: ID!, $on: LocalDate!) { recordMeetingHeld(meetingId: $id, heldOn: $on) { id } }',
          {
            id: meeting.id,
            on: heldOn.get(meeting.pathway_id),
          },
        ),
      );
    const contact = (pathwayId: string | undefined, contactedOn: string) =>
      ok(
        graph.query(TEAM_COACH, CONTACT, {
          input: { pathwayId, contactedOn, employer: 'Caterpillar', kind: 'FOLLOW_UP' },
        }),
      );
    await contact(p1, '2026-07-16');
    await contact(p1, '2026-07-20');
    await contact(p2, '2026-07-10');
    await contact(p2, '2026-08-10');
    await ok(
      graph.query(TEAM_COACH, TEAM_CONTACT, {
        input: { team: 'ISPPC', contactedOn: '2026-09-01', employer: 'Brico', kind: 'JOB_DEVELOPMENT_VISIT' },
      }),
    );
    await ok(
      graph.query(TEAM_COACH, COUNSELLING, {
        input: { pathwayId: p1, heldOn: '2026-07-20', topic: 'WORK_INCENTIVES_PLAN' },
      }),
    );
    await ok(graph.query(TEAM_COACH, CONTRACT, job(p1!, '2026-08-01')));
    await ok(graph.query(TEAM_COACH, CONTRACT, job(p2!, '2026-09-01')));
    await ok(
      graph.query(TEAM_COACH, SUPPORT, {
        input: { pathwayId: p1, supportedOn: '2026-08-15', kind: 'CONTACT_WITH_PERSON' },
      }),
    );

    // A review of the team, recorded by its outside reviewers, read with the indicators in one request.
    await graph.enrol({ role: 'RESEARCHER', organisation: 'ULB', subject: 'researcher-2' });
    await ok(
      graph.query(
        'RESEARCHER',
        'mutation($input: RecordFidelityReviewInput!) { recordFidelityReview(input: $input) { id } }',
        {
          input: {
            team: 'ISPPC',
            reviewedOn: '2026-09-15',
            secondReviewer: 'researcher-2',
            scores: FIDELITY_ITEMS.map((item) => ({ item: item.key, score: 4 })),
            actionPlan: 'More employer contacts per coach.',
            actionPlanCategory: 'ADMINISTRATIVE',
          },
        },
      ),
    );
    const both = await ok(
      graph.query<{ practiceIndicators: unknown[]; fidelityReviews: { team: string; total: number }[] }>(
        TEAM_SUPERVISOR,
        INDICATORS.replace('query {', 'query { fidelityReviews { team total }'),
      ),
    );
    expect(both.fidelityReviews).toEqual([{ team: 'ISPPC', total: 100 }]);
    expect(both.practiceIndicators).toEqual([
      {
        team: 'ISPPC',
        quarter: '2026-Q3',
        firstMeetings: 3,
        firstEmployerContacts: 2,
        medianDaysToFirstEmployerContact: 19,
        employerContacts: 5,
        coachFteWeeks: 17.5,
        employerContactsPerCoachPerWeek: 0.29,
        peopleInPathway: 3,
        peopleCounselled: 1,
        shareCounselled: 0.333,
        peopleWorking: 2,
        peopleWorkingSupported: 1,
        shareWorkingSupported: 0.5,
      },
    ]);

    // Another team's supervisor: their own team only, in which none of ISPPC's work is counted.
    const other = await ok(graph.query<{ practiceIndicators: Record<string, unknown>[] }>(SUPERVISOR, INDICATORS));
    expect(other.practiceIndicators).toHaveLength(1);
    expect(other.practiceIndicators[0]).toMatchObject({ team: 'ARTICLE-23', firstMeetings: 0, peopleWorking: 0 });
    // Only supervisors read a team's indicators.
    for (const role of ['JOB_COACH', 'INAMI', 'INTEGRATOR', 'RESEARCHER'] as const)
      expect((await graph.query(role, INDICATORS)).errors).toBeDefined();
  });
});
