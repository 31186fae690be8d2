/**
 * After routing, in the IPS arm (R8, R11): the welcome session, a first individual meeting
 * for everyone present or absent, and the job coach's caseload of next due actions, whose
 * SQL statements do not grow with its size.
 */
import type { Identity } from '../schema/identity.js';
import { belgianToday } from '../subgraphs/kit/domain.js';
import { errorCodes, startTestPlatform, type TestPlatform } from './harness.js';
import { seed, type Arm } from './seed.js';

let graph: TestPlatform;
beforeAll(async () => {
  graph = await startTestPlatform();
  await seed(graph).trial();
});
afterAll(async () => {
  await graph?.stop();
});

const TODAY = belgianToday();
const SRE: Identity = { role: 'SRE', organisation: 'FOREM', subject: 'forem-ips' };
const SUPERVISOR: Identity = { role: 'SUPERVISOR', organisation: 'ISPPC', subject: 'sup-isppc' };
const coach = (subject: string): Identity => ({ role: 'JOB_COACH', organisation: 'ISPPC', subject });
const CASELOAD = `query Caseload { caseload { pathway { id registryNumber participant { givenName } meetings { kind scheduledFor heldOn } } nextAction { kind dueOn } } }`;

/** A Charleroi person with a registered ISPPC pathway. */
const charleroi = () => seed(graph).person({ postcode: '6000' }).registered({ convention: 'ISPPC' });

/** A Charleroi person, randomised (into `arm` when given); assigned to `jobCoach` when given. */
function person(jobCoach?: string, arm?: Arm) {
  const randomised = charleroi().randomised({ arm });
  return jobCoach ? randomised.withCoach(jobCoach, { by: SUPERVISOR }).build() : randomised.build();
}

describe('welcome session and first meetings (R8, R11)', () => {
  it('plans a first individual meeting for every invitee, present or absent: nobody is dropped', async () => {
    const ips = [
      await person('coach-welcome', 'IPS'),
      await person('coach-welcome', 'IPS'),
      await person('coach-welcome', 'IPS'),
    ];
    const control = await person(undefined, 'CONTROL');

    const ORGANISE =
      'mutation($input: OrganiseWelcomeSessionInput!) { organiseWelcomeSession(input: $input) { id heldOn place } }';
    const refused = await graph.query(SRE, ORGANISE, {
      input: {
        ipsPartner: 'ISPPC',
        heldOn: TODAY,
        place: 'FOREM Charleroi',
        pathwayIds: [ips[0]!.pathwayId, control.pathwayId],
      },
    });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.pathwayIds.1' }); // the control group meets a reference counsellor (R9)
    const otherRegion = await graph.query({ ...SRE, organisation: 'ACTIRIS' }, ORGANISE, {
      input: { ipsPartner: 'ISPPC', heldOn: TODAY, place: 'Bruxelles', pathwayIds: [ips[0]!.pathwayId] },
    });
    expect(otherRegion.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.pathwayIds.0' });

    const organised = await graph.query<{ organiseWelcomeSession: { id: string } }>(SRE, ORGANISE, {
      input: { ipsPartner: 'ISPPC', heldOn: TODAY, place: 'FOREM Charleroi', pathwayIds: ips.map((p) => p.pathwayId) },
    });
    expect(organised.errors).toBeUndefined();
    const sessionId = organised.data!.organiseWelcomeSession.id;

    const present = ips.slice(0, 2).map((p) => p.pathwayId); // the third is absent
    const recorded = await graph.query(
      SUPERVISOR,
      'mutation($id: ID!, $present: [ID!]!, $on: LocalDate!) { recordWelcomeAttendance(sessionId: $id, present: $present, firstMeetingOn: $on) { attendanceRecordedAt } }',
      { id: sessionId, present, on: TODAY },
    );
    expect(recorded.errors).toBeUndefined();

    const caseload = await graph.query<{
      caseload: {
        pathway: { id: string; meetings: { kind: string; scheduledFor: string }[] };
        nextAction: { kind: string; dueOn: string };
      }[];
    }>(coach('coach-welcome'), CASELOAD);
    for (const invitee of ips) {
      const entry = caseload.data!.caseload.find((e) => e.pathway.id === invitee.pathwayId);
      expect({ pathway: invitee.pathwayId, meetings: entry?.pathway.meetings, next: entry?.nextAction }).toEqual({
        pathway: invitee.pathwayId,
        meetings: [{ kind: 'FIRST', scheduledFor: TODAY, heldOn: null }],
        next: { kind: 'FIRST_MEETING_NOT_HELD', dueOn: TODAY },
      });
    }
    const [absent] = await graph.sql<{ attended: boolean }>(
      'select attended from pathways.welcome_invitation where pathway_id = $1',
      [ips[2]!.pathwayId],
    );
    expect(absent!.attended).toBe(false);
    const again = await graph.query(
      SUPERVISOR,
      'mutation($id: ID!, $present: [ID!]!, $on: LocalDate!) { recordWelcomeAttendance(sessionId: $id, present: $present, firstMeetingOn: $on) { id } }',
      { id: sessionId, present: [], on: TODAY },
    );
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });
});

describe("the job coach's caseload (R11)", () => {
  it('runs the same number of SQL statements for 5 and for 20 people', async () => {
    for (let i = 0; i < 5; i++) await person('coach-five');
    for (let i = 0; i < 20; i++) await person('coach-twenty');
    const five = await graph.query<{ caseload: unknown[] }>(coach('coach-five'), CASELOAD);
    const twenty = await graph.query<{ caseload: unknown[] }>(coach('coach-twenty'), CASELOAD);
    expect(five.errors).toBeUndefined();
    expect(five.data!.caseload).toHaveLength(5);
    expect(twenty.data!.caseload).toHaveLength(20);
    console.log(
      `Caseload SQL statements: 5 people → ${String(five.extensions!.sqlStatements)}, 20 people → ${String(twenty.extensions!.sqlStatements)}`,
    );
    expect(twenty.extensions!.sqlStatements).toBe(five.extensions!.sqlStatements);

    const team = await graph.query<{
      teamCaseloads: { jobCoach: string; openPathways: number; overGuideline: boolean }[];
    }>(SUPERVISOR, '{ teamCaseloads { jobCoach openPathways overGuideline } }');
    expect(team.data!.teamCaseloads).toContainEqual({
      jobCoach: 'coach-twenty',
      openPathways: 20,
      overGuideline: false,
    });
    await person('coach-twenty');
    const over = await graph.query<{
      teamCaseloads: { jobCoach: string; openPathways: number; overGuideline: boolean }[];
    }>(SUPERVISOR, '{ teamCaseloads { jobCoach openPathways overGuideline } }');
    expect(over.data!.teamCaseloads).toContainEqual({
      jobCoach: 'coach-twenty',
      openPathways: 21,
      overGuideline: true,
    });
  });

  it('shows a pending work authorisation as the next action, and nothing of it to another coach', async () => {
    const { pathwayId } = await person('coach-next');
    await graph.query(
      coach('coach-next'),
      'mutation($input: RecordEmploymentContractInput!) { recordEmploymentContract(input: $input) { id } }',
      {
        input: {
          pathwayId,
          employer: 'Colruyt',
          employerNumber: '0203201340',
          jobFunction: 'Magasinier',
          startsOn: TODAY,
          weeklyHours: 20,
          contractType: 'FIXED_TERM',
        },
      },
    );
    const caseload = await graph.query<{ caseload: { pathway: { id: string }; nextAction: { kind: string } }[] }>(
      coach('coach-next'),
      CASELOAD,
    );
    expect(caseload.data!.caseload.find((e) => e.pathway.id === pathwayId)!.nextAction.kind).toBe(
      'AUTHORISATION_PENDING',
    );
    const others = await graph.query<{ caseload: unknown[] }>(coach('coach-nobody'), CASELOAD);
    expect(others.data!.caseload).toEqual([]);
  });
});

describe('acts along both arms, and the timeline each actor sees (R8–R10, R13, R14)', () => {
  const ACT = 'mutation($input: RecordPathwayActInput!) { recordPathwayAct(input: $input) { id kind } }';
  const TIMELINE = 'query($id: ID!) { pathway(id: $id) { timeline { kind actor detail } } }';
  const PHYSICIAN: Identity = { role: 'MEDECIN_CONSEIL', organisation: 'OA-300', subject: 'dr-dupont' };
  const act = (pathwayId: string, kind: string, extra: Record<string, unknown> = {}) => ({
    input: { pathwayId, kind, actOn: TODAY, ...extra },
  });

  it('records each act by its own actor and arm, copies the physician where the rules say, and shows each actor only what the policy allows', async () => {
    const ips = await charleroi()
      .randomised({ arm: 'IPS' })
      .withCoach('coach-acts', { by: SUPERVISOR })
      .routed()
      .build();
    const control = await charleroi().randomised({ arm: 'CONTROL' }).routed().build(); // no coach in the control group (R9)

    // R8 (IPS) and R9 (control): the SRE names a resource person, or holds the reference interview — not the other way round.
    expect(
      (await graph.query(SRE, ACT, act(ips.pathwayId, 'RESOURCE_PERSON_NAMED', { person: 'Mme Leroy (FOREM)' })))
        .errors,
    ).toBeUndefined();
    expect(
      (
        await graph.query(
          SRE,
          ACT,
          act(control.pathwayId, 'REFERENCE_INTERVIEW_HELD', { person: 'M. Dubois, conseiller référent' }),
        )
      ).errors,
    ).toBeUndefined();
    // The arm is a state of the person, checked by the policy's preconditions: CONFLICT.
    expect(
      (await graph.query(SRE, ACT, act(ips.pathwayId, 'REFERENCE_INTERVIEW_HELD', { person: 'x' }))).errors?.[0]
        ?.extensions,
    ).toMatchObject({ code: 'CONFLICT' });
    expect(
      (await graph.query(SRE, ACT, act(control.pathwayId, 'RESOURCE_PERSON_NAMED', { person: 'x' }))).errors?.[0]
        ?.extensions,
    ).toMatchObject({ code: 'CONFLICT' });
    expect(
      (await graph.query(SRE, ACT, act(ips.pathwayId, 'RESOURCE_PERSON_NAMED'))).errors?.[0]?.extensions,
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.person' });

    // R10: an RP1 for both arms; R13: the RP1IPS for the IPS arm only; R14: messages both ways. Copies go to the physician.
    for (const p of [ips, control])
      expect((await graph.query(SRE, ACT, act(p.pathwayId, 'RP1_FILED'))).errors).toBeUndefined();
    expect(
      (
        await graph.query(
          coach('coach-acts'),
          ACT,
          act(ips.pathwayId, 'RP1IPS_SENT', {
            detail: 'Demande de prise en charge IPS',
            detailCategory: 'ADMINISTRATIVE',
          }),
        )
      ).errors,
    ).toBeUndefined();
    // The coach is nobody's referent in the control group: that pathway does not exist for them.
    expect(
      (await graph.query(coach('coach-acts'), ACT, act(control.pathwayId, 'RP1IPS_SENT'))).errors?.[0]?.extensions,
    ).toMatchObject({ code: 'NOT_FOUND' });
    expect(
      (
        await graph.query(
          coach('coach-acts'),
          ACT,
          act(ips.pathwayId, 'MESSAGE_TO_PHYSICIAN', {
            detail: 'Premier entretien très positif.',
            detailCategory: 'EMPLOYMENT',
          }),
        )
      ).errors,
    ).toBeUndefined();
    // Free text says what it holds (R18).
    expect(
      (
        await graph.query(
          PHYSICIAN,
          ACT,
          act(ips.pathwayId, 'MESSAGE_TO_JOB_COACH', { detail: 'Merci, tenez-moi informé.' }),
        )
      ).errors?.[0]?.extensions,
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.detailCategory' });
    expect(
      (
        await graph.query(
          PHYSICIAN,
          ACT,
          act(ips.pathwayId, 'MESSAGE_TO_JOB_COACH', {
            detail: 'Merci, tenez-moi informé.',
            detailCategory: 'ADMINISTRATIVE',
          }),
        )
      ).errors,
    ).toBeUndefined();
    // Each act by its own actor (schema/policy.ts ACTIONS.recordPathwayAct).
    expect(
      (await graph.query(coach('coach-acts'), ACT, act(ips.pathwayId, 'RP1_FILED'))).errors?.[0]?.extensions,
    ).toMatchObject({ code: 'FORBIDDEN' });
    const copies = await graph.sql<{ kind: string }>(
      'select kind from pathways.physician_message where pathway_id = $1 order by sent_at',
      [ips.pathwayId],
    );
    expect(copies.map((c) => c.kind)).toEqual(['RP1', 'RP1IPS', 'COACH_MESSAGE']);

    await graph.query(
      coach('coach-acts'),
      'mutation($input: RecordEmploymentContractInput!) { recordEmploymentContract(input: $input) { id } }',
      {
        input: {
          pathwayId: ips.pathwayId,
          employer: 'Colruyt',
          employerNumber: '0203201340',
          jobFunction: 'Magasinier',
          startsOn: TODAY,
          weeklyHours: 20,
          contractType: 'FIXED_TERM',
        },
      },
    );

    const coachView = await graph.query<{ pathway: { timeline: { kind: string }[] } }>(coach('coach-acts'), TIMELINE, {
      id: ips.pathwayId,
    });
    expect(coachView.errors).toBeUndefined();
    expect(coachView.data!.pathway.timeline.map((e) => e.kind)).toEqual(
      expect.arrayContaining([
        'PATHWAY_REGISTERED',
        'FORWARDED_TO_SRE',
        'RESOURCE_PERSON_NAMED',
        'RP1_FILED',
        'RP1IPS_SENT',
        'MESSAGE_TO_PHYSICIAN',
        'MESSAGE_TO_JOB_COACH',
        'CONTRACT_RECORDED',
        'AUTHORISATION_REQUESTED',
      ]),
    );
    expect(coachView.data!.pathway.timeline[0]!.kind).toBe('PATHWAY_REGISTERED');

    // The person narrows what the SRE may receive: the employment events leave the SRE's timeline, the rest stays.
    const [{ niss }] = (await graph.sql<{ niss: string }>('select niss from participants.participant where id = $1', [
      ips.participantId,
    ])) as [{ niss: string }];
    await graph.query(
      { role: 'PARTICIPANT', organisation: 'SELF', subject: niss },
      'mutation($id: ID!) { narrowInformationSharingConsent(participantId: $id, revoke: [{ recipient: SRE, categories: [EMPLOYMENT] }]) { participantId } }',
      { id: ips.participantId },
    );
    const sreView = await graph.query<{ pathway: { timeline: { kind: string }[] } }>(SRE, TIMELINE, {
      id: ips.pathwayId,
    });
    const sreKinds = sreView.data!.pathway.timeline.map((e) => e.kind);
    expect(sreKinds).toContain('RP1_FILED');
    expect(sreKinds).not.toContain('CONTRACT_RECORDED');
    expect(coachView.data!.pathway.timeline.length).toBeGreaterThan(sreKinds.length);

    // The IPS pathway ends; the physician learns of it at once (R16), and the timeline closes with it.
    // (The control group's pathway has no coach: a coach cannot see it, and its referent, the SRE's
    // reference counsellor, ends it — R9.)
    expect(
      errorCodes(
        await graph.query(
          coach('coach-acts'),
          'mutation($input: EndPathwayInput!) { endPathway(input: $input) { status } }',
          { input: { pathwayId: control.pathwayId, endedOn: TODAY, reason: 'PILOT_ENDED' } },
        ),
      ),
    ).toEqual(['NOT_FOUND']);
    for (const p of [ips]) {
      const ended = await graph.query(
        coach('coach-acts'),
        'mutation($input: EndPathwayInput!) { endPathway(input: $input) { status } }',
        { input: { pathwayId: p.pathwayId, endedOn: TODAY, reason: 'PILOT_ENDED' } },
      );
      expect(ended.data).toEqual({ endPathway: { status: 'ENDED' } });
      const timeline = await graph.query<{ pathway: { timeline: { kind: string }[] } }>(coach('coach-acts'), TIMELINE, {
        id: p.pathwayId,
      });
      expect(timeline.data!.pathway.timeline.map((e) => e.kind)).toContain('PATHWAY_ENDED');
    }
    expect(
      await graph.sql(
        "select count(*) as n from pathways.physician_message where kind = 'PATHWAY_ENDED' and pathway_id = any($1)",
        [[ips.pathwayId, control.pathwayId]],
      ),
    ).toEqual([{ n: '1' }]);
    expect(errorCodes(await graph.query(SRE, ACT, act(ips.pathwayId, 'RP1_FILED')))).toEqual(['CONFLICT']); // nothing more on an ended pathway
  });

  it.each([
    ['an attendee who was not invited', 'present.0'],
    ['a first meeting before the session', 'firstMeetingOn'],
  ])('refuses attendance naming %s, writing nothing', async (name, field) => {
    const invitee = await person('coach-attendance', 'IPS');
    const organised = await graph.query<{ organiseWelcomeSession: { id: string } }>(
      SRE,
      'mutation($input: OrganiseWelcomeSessionInput!) { organiseWelcomeSession(input: $input) { id } }',
      {
        input: { ipsPartner: 'ISPPC', heldOn: TODAY, place: 'FOREM Charleroi', pathwayIds: [invitee.pathwayId] },
      },
    );
    const stranger = await person();
    const variables =
      field === 'present.0' ? { present: [stranger.pathwayId], on: TODAY } : { present: [], on: '2000-01-01' };
    const response = await graph.query(
      SUPERVISOR,
      'mutation($id: ID!, $present: [ID!]!, $on: LocalDate!) { recordWelcomeAttendance(sessionId: $id, present: $present, firstMeetingOn: $on) { id } }',
      { id: organised.data!.organiseWelcomeSession.id, ...variables },
    );
    expect({ name, error: response.errors?.[0]?.extensions }).toMatchObject({
      name,
      error: { code: 'BAD_USER_INPUT', field },
    });
    expect(
      await graph.sql('select count(*) as n from pathways.individual_meeting where pathway_id = $1', [
        invitee.pathwayId,
      ]),
    ).toEqual([{ n: '0' }]);
  });
});

describe('the meetings a pathway actually has, beyond the first', () => {
  const ORGANISE = 'mutation($input: OrganiseWelcomeSessionInput!) { organiseWelcomeSession(input: $input) { id } }';
  const ATTENDANCE =
    'mutation($id: ID!, $present: [ID!]!, $on: LocalDate!) { recordWelcomeAttendance(sessionId: $id, present: $present, firstMeetingOn: $on) { id } }';
  const PLAN =
    'mutation($input: PlanFollowUpMeetingInput!) { planFollowUpMeeting(input: $input) { id kind scheduledFor heldOn plannedBy heldBy } }';
  const HELD =
    'mutation($id: ID!, $on: LocalDate!) { recordMeetingHeld(meetingId: $id, heldOn: $on) { id kind heldOn heldBy } }';
  const MEETINGS = 'query($id: ID!) { pathway(id: $id) { meetings { kind scheduledFor heldOn plannedBy heldBy } } }';
  const organise = async (pathwayIds: string[]) =>
    graph.query<{ organiseWelcomeSession: { id: string } }>(SRE, ORGANISE, {
      input: { ipsPartner: 'ISPPC', heldOn: TODAY, place: 'FOREM Charleroi', pathwayIds },
    });

  it('lets the referent coach plan follow-up meetings and record them held (R11), each once, and shows what is due next', async () => {
    const ips = await person('coach-follow', 'IPS');
    const planned = await graph.query<{ planFollowUpMeeting: { id: string } }>(coach('coach-follow'), PLAN, {
      input: { pathwayId: ips.pathwayId, scheduledFor: TODAY },
    });
    expect(planned.data).toEqual({
      planFollowUpMeeting: {
        id: expect.any(String),
        kind: 'FOLLOW_UP',
        scheduledFor: TODAY,
        heldOn: null,
        plannedBy: 'coach-follow',
        heldBy: null,
      },
    });
    const caseload = await graph.query<{
      caseload: { pathway: { id: string }; nextAction: { kind: string; dueOn: string } }[];
    }>(coach('coach-follow'), CASELOAD);
    expect(caseload.data!.caseload.find((e) => e.pathway.id === ips.pathwayId)!.nextAction).toEqual({
      kind: 'FOLLOW_UP_MEETING_DUE',
      dueOn: TODAY,
    }); // due before the first meeting's default (registration + 14 days)

    const held = await graph.query(coach('coach-follow'), HELD, {
      id: planned.data!.planFollowUpMeeting.id,
      on: TODAY,
    });
    expect(held.data).toEqual({
      recordMeetingHeld: {
        id: planned.data!.planFollowUpMeeting.id,
        kind: 'FOLLOW_UP',
        heldOn: TODAY,
        heldBy: 'coach-follow',
      },
    });
    expect(
      errorCodes(
        await graph.query(coach('coach-follow'), HELD, { id: planned.data!.planFollowUpMeeting.id, on: TODAY }),
      ),
    ).toEqual(['CONFLICT']); // held once
    const next = await graph.query<{ planFollowUpMeeting: { id: string } }>(coach('coach-follow'), PLAN, {
      input: { pathwayId: ips.pathwayId, scheduledFor: belgianToday(new Date(Date.now() + 14 * 86_400_000)) },
    });
    expect(next.errors).toBeUndefined();
    const meetings = await graph.query<{ pathway: { meetings: { kind: string; heldOn: string | null }[] } }>(
      coach('coach-follow'),
      MEETINGS,
      { id: ips.pathwayId },
    );
    expect(meetings.data!.pathway.meetings.map((m) => [m.kind, m.heldOn])).toEqual([
      ['FOLLOW_UP', TODAY],
      ['FOLLOW_UP', null],
    ]);

    // Only the referent: another coach of the partner, or the supervisor, cannot.
    expect(
      errorCodes(
        await graph.query(coach('coach-other'), PLAN, { input: { pathwayId: ips.pathwayId, scheduledFor: TODAY } }),
      ),
    ).toEqual(['NOT_FOUND']);
    expect(
      new Set(
        errorCodes(await graph.query(SUPERVISOR, PLAN, { input: { pathwayId: ips.pathwayId, scheduledFor: TODAY } })),
      ),
    ).toEqual(new Set(['GRAPHQL_VALIDATION_FAILED'])); // not in the supervisor's schema
  });

  it("lets the control group's reference counsellor plan and hold follow-up meetings (R9)", async () => {
    const control = await charleroi().randomised({ arm: 'CONTROL' }).routed().build();
    const counsellor: Identity = { role: 'SRE', organisation: 'FOREM', subject: 'forem-referent' };
    await graph.enrol(counsellor);
    expect(
      (
        await graph.query(
          SRE,
          'mutation($input: AssignReferenceCounsellorInput!) { assignReferenceCounsellor(input: $input) { id } }',
          { input: { pathwayId: control.pathwayId, referenceCounsellor: counsellor.subject } },
        )
      ).errors,
    ).toBeUndefined();
    const planned = await graph.query<{ planFollowUpMeeting: { id: string } }>(counsellor, PLAN, {
      input: { pathwayId: control.pathwayId, scheduledFor: TODAY },
    });
    expect(planned.errors).toBeUndefined();
    const held = await graph.query(counsellor, HELD, { id: planned.data!.planFollowUpMeeting.id, on: TODAY });
    expect(held.data).toEqual({
      recordMeetingHeld: {
        id: planned.data!.planFollowUpMeeting.id,
        kind: 'FOLLOW_UP',
        heldOn: TODAY,
        heldBy: counsellor.subject,
      },
    });
    // The SRE's other counsellors are not the referent; a coach is nobody's referent in the control group.
    expect(
      errorCodes(await graph.query(SRE, PLAN, { input: { pathwayId: control.pathwayId, scheduledFor: TODAY } })),
    ).toEqual(['FORBIDDEN']);
  });

  it('invites someone absent from a welcome session to a later one (R8, R11), but never twice to sessions pending, nor someone who came', async () => {
    const [absent, present, pending] = [
      await person(undefined, 'IPS'),
      await person(undefined, 'IPS'),
      await person(undefined, 'IPS'),
    ];
    const first = await organise([absent.pathwayId, present.pathwayId]);
    expect(first.errors).toBeUndefined();
    // Still pending: not yet recorded.
    expect(errorCodes(await organise([absent.pathwayId]))).toEqual(['CONFLICT']);
    expect(
      (
        await graph.query(SUPERVISOR, ATTENDANCE, {
          id: first.data!.organiseWelcomeSession.id,
          present: [present.pathwayId],
          on: TODAY,
        })
      ).errors,
    ).toBeUndefined();

    const later = await organise([absent.pathwayId, pending.pathwayId]);
    expect(later.errors).toBeUndefined();
    const cameAlready = await organise([present.pathwayId]);
    expect(cameAlready.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.pathwayIds.0' });
    expect(
      await graph.sql('select count(*)::int as n from pathways.welcome_invitation where pathway_id = $1', [
        absent.pathwayId,
      ]),
    ).toEqual([{ n: 2 }]);
    // At the later session the absent person comes: still one first meeting, planned at the first session.
    expect(
      (
        await graph.query(SUPERVISOR, ATTENDANCE, {
          id: later.data!.organiseWelcomeSession.id,
          present: [absent.pathwayId],
          on: TODAY,
        })
      ).errors,
    ).toBeUndefined();
    expect(
      await graph.sql(
        "select count(*)::int as n from pathways.individual_meeting where pathway_id = $1 and kind = 'FIRST'",
        [absent.pathwayId],
      ),
    ).toEqual([{ n: 1 }]);
  });
});
