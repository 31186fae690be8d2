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

const RECORD =
  'mutation($input: RecordJobSeekerRegistrationInput!) { recordJobSeekerRegistration(input: $input) { id conventionCode registeredOn } }';
const CORRECT =
  'mutation($input: CorrectJobSeekerRegistrationInput!) { correctJobSeekerRegistration(input: $input) { id conventionCode registeredOn corrections { previousConventionCode conventionCode previousRegisteredOn registeredOn correctedBy correctedAt } } }';

describe('the free job seeker registration under the convention (R3)', () => {
  const liegePerson = () => seed(graph).person().referredBy(PHYSICIAN).registered({ convention: 'ARTICLE-23' }).build();

  it.each([
    ['free text', 'ANYTHING-123'],
    ["another region's convention code", 'IPS-VDAB'],
  ])(
    'refuses a code not reserved for the convention (%s), naming the field and writing nothing',
    async (_name, conventionCode) => {
      const person = await liegePerson();
      const response = await graph.query(FOREM, RECORD, {
        input: { pathwayId: person.pathwayId, conventionCode, registeredOn: TODAY },
      });
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.conventionCode' });
      expect(response.errors?.[0]?.message).toContain('IPS-FOREM'); // the caller is told which code the convention reserves
      expect(
        await graph.sql('select count(*) as n from pathways.job_seeker_registration where participant_id = $1', [
          person.participantId,
        ]),
      ).toEqual([{ n: '0' }]);
    },
  );

  it("accepts the convention's reserved code, in any case and spacing", async () => {
    const person = await liegePerson();
    const response = await graph.query(FOREM, RECORD, {
      input: { pathwayId: person.pathwayId, conventionCode: ' ips-forem ', registeredOn: TODAY },
    });
    expect(response.errors).toBeUndefined();
    expect(response.data).toMatchObject({
      recordJobSeekerRegistration: { conventionCode: 'IPS-FOREM', registeredOn: TODAY },
    });
  });

  it('is corrected by the SRE of the region, the correction kept and shown to whoever reads the registration', async () => {
    const person = await liegePerson();
    const recorded = await graph.query<{ recordJobSeekerRegistration: { id: string } }>(FOREM, RECORD, {
      input: { pathwayId: person.pathwayId, conventionCode: 'IPS-FOREM', registeredOn: TODAY },
    });
    const id = recorded.data!.recordJobSeekerRegistration.id;
    // A registration that holds a code the convention does not reserve (the reference data changed since), to be put right.
    await graph.sql("update pathways.job_seeker_registration set convention_code = 'FOREM-OLD-7' where id = $1", [id]);

    const corrected = await graph.query(FOREM_COLLEAGUE, CORRECT, {
      input: { registrationId: id, conventionCode: 'IPS-FOREM', registeredOn: '2026-11-20' },
    });
    expect(corrected.errors).toBeUndefined();
    expect(corrected.data).toEqual({
      correctJobSeekerRegistration: {
        id,
        conventionCode: 'IPS-FOREM',
        registeredOn: '2026-11-20',
        corrections: [
          {
            previousConventionCode: 'FOREM-OLD-7',
            conventionCode: 'IPS-FOREM',
            previousRegisteredOn: TODAY,
            registeredOn: '2026-11-20',
            correctedBy: 'forem-corrector',
            correctedAt: expect.any(String),
          },
        ],
      },
    });

    // The physician of record reads the registration (employment data, R14) and sees the correction too.
    const seen = await graph.query(
      PHYSICIAN,
      'query($id: ID!) { participant(id: $id) { pathway { jobSeekerRegistration { conventionCode corrections { previousConventionCode conventionCode correctedBy } } } } }',
      { id: person.participantId },
    );
    expect(seen.errors).toBeUndefined();
    expect(seen.data).toEqual({
      participant: {
        pathway: {
          jobSeekerRegistration: {
            conventionCode: 'IPS-FOREM',
            corrections: [
              { previousConventionCode: 'FOREM-OLD-7', conventionCode: 'IPS-FOREM', correctedBy: 'forem-corrector' },
            ],
          },
        },
      },
    });
  });

  it('refuses a correction to a code not reserved, or to nothing new, and writes nothing; another SRE finds no registration', async () => {
    const person = await liegePerson();
    const recorded = await graph.query<{ recordJobSeekerRegistration: { id: string } }>(FOREM, RECORD, {
      input: { pathwayId: person.pathwayId, conventionCode: 'IPS-FOREM', registeredOn: TODAY },
    });
    const id = recorded.data!.recordJobSeekerRegistration.id;
    const wrongCode = await graph.query(FOREM, CORRECT, {
      input: { registrationId: id, conventionCode: 'IPS-ACTIRIS', registeredOn: TODAY },
    });
    expect(wrongCode.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.conventionCode' });
    const same = await graph.query(FOREM, CORRECT, {
      input: { registrationId: id, conventionCode: 'IPS-FOREM', registeredOn: TODAY },
    });
    expect(same.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.conventionCode' });
    const future = await graph.query(FOREM, CORRECT, {
      input: { registrationId: id, conventionCode: 'IPS-FOREM', registeredOn: '2999-01-01' },
    });
    expect(future.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.registeredOn' });
    expect(
      errorCodes(
        await graph.query(VDAB, CORRECT, {
          input: { registrationId: id, conventionCode: 'IPS-FOREM', registeredOn: '2026-11-20' },
        }),
      ),
    ).toEqual(['NOT_FOUND']);
    expect(
      errorCodes(
        await graph.query('JOB_COACH', CORRECT, {
          input: { registrationId: id, conventionCode: 'IPS-FOREM', registeredOn: '2026-11-20' },
        }),
      ),
    ).not.toEqual([]);
    expect(
      await graph.sql(
        'select convention_code, registered_on::text from pathways.job_seeker_registration where id = $1',
        [id],
      ),
    ).toEqual([{ convention_code: 'IPS-FOREM', registered_on: TODAY }]);
    expect(
      await graph.sql(
        'select count(*) as n from pathways.job_seeker_registration_correction where registration_id = $1',
        [id],
      ),
    ).toEqual([{ n: '0' }]);
  });

  it('queues two corrections made at once on the registration lock: each is kept, the second starting from the first', async () => {
    const person = await liegePerson();
    const recorded = await graph.query<{ recordJobSeekerRegistration: { id: string } }>(FOREM, RECORD, {
      input: { pathwayId: person.pathwayId, conventionCode: 'IPS-FOREM', registeredOn: TODAY },
    });
    const id = recorded.data!.recordJobSeekerRegistration.id;
    const answers = await Promise.all(
      ['2026-11-20', '2026-11-21'].map((registeredOn) =>
        graph.query(FOREM, CORRECT, { input: { registrationId: id, conventionCode: 'IPS-FOREM', registeredOn } }),
      ),
    );
    expect(answers.map((a) => a.errors)).toEqual([undefined, undefined]);
    const rows = await graph.sql<{ previous_registered_on: string; registered_on: string }>(
      'select previous_registered_on::text, registered_on::text from pathways.job_seeker_registration_correction where registration_id = $1 order by corrected_at',
      [id],
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]!.previous_registered_on).toBe(TODAY);
    expect(rows[1]!.previous_registered_on).toBe(rows[0]!.registered_on); // never two corrections from the same old value
    const [final] = await graph.sql<{ registered_on: string }>(
      'select registered_on::text from pathways.job_seeker_registration where id = $1',
      [id],
    );
    expect(final!.registered_on).toBe(rows[1]!.registered_on);
  });
});

describe("the welcome session's invitees and their attendance (R8, R11)", () => {
  const SUPERVISOR: Identity = { role: 'SUPERVISOR', organisation: 'ISPPC', subject: 'sup-welcome-list' };
  const OTHER_SUPERVISOR: Identity = { role: 'SUPERVISOR', organisation: 'ARTICLE-23', subject: 'sup-elsewhere' };
  const COACH: Identity = { role: 'JOB_COACH', organisation: 'ISPPC', subject: 'coach-welcome-list' };
  const charleroiIps = () =>
    seed(graph)
      .person({ postcode: '6000' })
      .registered({ convention: 'ISPPC' })
      .withCoach(COACH, { by: SUPERVISOR })
      .build();
  const SESSIONS = `query { welcomeSessions(first: 50) { edges { node { id invitations { id attended attendanceMarkedBy pathway { id } } } } } }`;
  const MARK =
    'mutation($input: MarkWelcomeAttendanceInput!) { markWelcomeAttendance(input: $input) { id attended attendanceMarkedBy } }';
  type Sessions = {
    welcomeSessions: {
      edges: {
        node: {
          id: string;
          invitations: {
            id: string;
            attended: boolean | null;
            attendanceMarkedBy: string | null;
            pathway: { id: string };
          }[];
        };
      }[];
    };
  };

  async function organised(pathwayIds: string[]): Promise<string> {
    const response = await graph.query<{ organiseWelcomeSession: { id: string } }>(
      FOREM,
      'mutation($input: OrganiseWelcomeSessionInput!) { organiseWelcomeSession(input: $input) { id } }',
      {
        input: { ipsPartner: 'ISPPC', heldOn: TODAY, place: 'FOREM Charleroi', pathwayIds },
      },
    );
    expect(response.errors).toBeUndefined();
    return response.data!.organiseWelcomeSession.id;
  }
  const listed = async (as: Identity, sessionId: string) =>
    (await graph.query<Sessions>(as, SESSIONS)).data!.welcomeSessions.edges.find((edge) => edge.node.id === sessionId)
      ?.node.invitations;

  it('lists its invitees to the partner; the partner marks each present or absent from that list, and the absent keep their first meeting', async () => {
    const people = [await charleroiIps(), await charleroiIps(), await charleroiIps()];
    const sessionId = await organised(people.map((p) => p.pathwayId));

    // The partner's supervisor and the SRE see whom to mark, nobody marked yet.
    const before = await listed(SUPERVISOR, sessionId);
    expect(
      before
        ?.map((i) => ({ pathway: i.pathway.id, attended: i.attended }))
        .sort((a, b) => a.pathway.localeCompare(b.pathway)),
    ).toEqual(
      people.map((p) => ({ pathway: p.pathwayId, attended: null })).sort((a, b) => a.pathway.localeCompare(b.pathway)),
    );
    expect(await listed(FOREM, sessionId)).toHaveLength(3);

    const invitationOf = (pathwayId: string) => before!.find((i) => i.pathway.id === pathwayId)!.id;
    const marks = [true, false, false];
    for (const [index, person] of people.entries()) {
      const marked = await graph.query(SUPERVISOR, MARK, {
        input: { invitationId: invitationOf(person.pathwayId), attended: marks[index], firstMeetingOn: TODAY },
      });
      expect(marked.errors).toBeUndefined();
      expect(marked.data).toMatchObject({
        markWelcomeAttendance: { attended: marks[index], attendanceMarkedBy: 'sup-welcome-list' },
      });
    }
    const after = await listed(SUPERVISOR, sessionId);
    expect(people.map((p) => after!.find((i) => i.pathway.id === p.pathwayId)!.attended)).toEqual(marks);
    // Everyone marked: the session's attendance is recorded, so the whole-session form no longer applies.
    const [session] = await graph.sql<{ recorded: boolean }>(
      'select attendance_recorded_at is not null as recorded from pathways.welcome_session where id = $1',
      [sessionId],
    );
    expect(session!.recorded).toBe(true);

    // R11: present or absent, each person has a first individual meeting on the coach's caseload.
    const caseload = await graph.query<{
      caseload: { pathway: { id: string; meetings: { kind: string }[] }; nextAction: { kind: string } }[];
    }>(COACH, '{ caseload { pathway { id meetings { kind } } nextAction { kind } } }');
    for (const person of people) {
      const entry = caseload.data!.caseload.find((e) => e.pathway.id === person.pathwayId);
      expect({ pathway: person.pathwayId, meetings: entry?.pathway.meetings, next: entry?.nextAction.kind }).toEqual({
        pathway: person.pathwayId,
        meetings: [{ kind: 'FIRST' }],
        next: 'FIRST_MEETING_NOT_HELD',
      });
    }

    // A mark corrected (absent → present) keeps the one first meeting: never a second, never removed.
    const corrected = await graph.query(SUPERVISOR, MARK, {
      input: { invitationId: invitationOf(people[1]!.pathwayId), attended: true, firstMeetingOn: TODAY },
    });
    expect(corrected.errors).toBeUndefined();
    expect(
      await graph.sql(
        "select count(*)::int as n from pathways.individual_meeting where pathway_id = $1 and kind = 'FIRST'",
        [people[1]!.pathwayId],
      ),
    ).toEqual([{ n: 1 }]);

    // The coach reads the person's invitations with their attendance on the pathway.
    const own = await graph.query<{ participant: { pathway: { welcomeInvitations: { attended: boolean }[] } } }>(
      COACH,
      'query($id: ID!) { participant(id: $id) { pathway { welcomeInvitations { attended } } } }',
      { id: people[2]!.participantId },
    );
    expect(own.errors).toBeUndefined();
    expect(own.data!.participant.pathway.welcomeInvitations).toEqual([{ attended: false }]);
  });

  it("keeps an absent person's follow-up when marked absent alone, and refuses another partner, a meeting before the session, writing nothing", async () => {
    const [absent] = [await charleroiIps()];
    const sessionId = await organised([absent.pathwayId]);
    const [invitation] = (await listed(SUPERVISOR, sessionId))!;

    expect(
      errorCodes(
        await graph.query(OTHER_SUPERVISOR, MARK, {
          input: { invitationId: invitation!.id, attended: false, firstMeetingOn: TODAY },
        }),
      ),
    ).toEqual(['NOT_FOUND']);
    expect(await listed(OTHER_SUPERVISOR, sessionId)).toBeUndefined(); // another partner's session is not on its list
    const early = await graph.query(SUPERVISOR, MARK, {
      input: { invitationId: invitation!.id, attended: false, firstMeetingOn: '2020-01-01' },
    });
    expect(early.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.firstMeetingOn' });
    expect(
      await graph.sql(
        'select attended, (select count(*)::int from pathways.individual_meeting m where m.pathway_id = i.pathway_id) as meetings from pathways.welcome_invitation i where i.id = $1',
        [invitation!.id],
      ),
    ).toEqual([{ attended: null, meetings: 0 }]);

    const marked = await graph.query(SUPERVISOR, MARK, {
      input: { invitationId: invitation!.id, attended: false, firstMeetingOn: TODAY },
    });
    expect(marked.errors).toBeUndefined();
    expect(
      await graph.sql('select kind, scheduled_for::text as on from pathways.individual_meeting where pathway_id = $1', [
        absent.pathwayId,
      ]),
    ).toEqual([{ kind: 'FIRST', on: TODAY }]);
    // Absent, the person may be invited to a later session (R8).
    expect(
      (
        await graph.query(
          FOREM,
          'mutation($input: OrganiseWelcomeSessionInput!) { organiseWelcomeSession(input: $input) { id } }',
          {
            input: { ipsPartner: 'ISPPC', heldOn: TODAY, place: 'FOREM Charleroi', pathwayIds: [absent.pathwayId] },
          },
        )
      ).errors,
    ).toBeUndefined();
  });
});

describe('employment contracts: one at a time with an employer, several employers side by side (R15)', () => {
  const SUPERVISOR: Identity = { role: 'SUPERVISOR', organisation: 'ISPPC', subject: 'sup-jobs' };
  const COACH: Identity = { role: 'JOB_COACH', organisation: 'ISPPC', subject: 'coach-jobs' };
  const withJobCoach = () =>
    seed(graph)
      .person({ postcode: '6000' })
      .registered({ convention: 'ISPPC' })
      .withCoach(COACH, { by: SUPERVISOR })
      .build();
  const RECORD = 'mutation($input: RecordEmploymentContractInput!) { recordEmploymentContract(input: $input) { id } }';
  const day = (n: number) => new Date(Date.parse(`${TODAY}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
  const BAKERY = {
    employer: 'Boulangerie Delvaux',
    employerNumber: '0412345614',
    jobFunction: 'Vendeur',
    weeklyHours: 19,
    contractType: 'FIXED_TERM',
  };
  const SHOP = {
    employer: 'Colruyt',
    employerNumber: '0203201340',
    jobFunction: 'Magasinier',
    weeklyHours: 12,
    contractType: 'OPEN_ENDED',
  };
  const contracts = async (participantId: string) =>
    Number(
      (
        await graph.sql<{ n: string }>(
          'select count(*) as n from pathways.employment_contract where participant_id = $1',
          [participantId],
        )
      )[0]!.n,
    );

  it.each([
    ['a running contract', { startsOn: day(0) }, { startsOn: day(5) }],
    ['a fixed term it starts within', { startsOn: day(0), endsOn: day(10) }, { startsOn: day(10), endsOn: day(20) }],
    [
      'a later contract it would run into',
      { startsOn: day(10), endsOn: day(20) },
      { startsOn: day(0), endsOn: day(10) },
    ],
  ])(
    'refuses a contract with the same employer overlapping %s, naming the start and writing nothing',
    async (_name, first, second) => {
      const person = await withJobCoach();
      expect(
        (await graph.query(COACH, RECORD, { input: { pathwayId: person.pathwayId, ...BAKERY, ...first } })).errors,
      ).toBeUndefined();
      const refused = await graph.query(COACH, RECORD, {
        input: { pathwayId: person.pathwayId, ...BAKERY, jobFunction: 'Boulanger', ...second },
      });
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.startsOn' });
      expect(await contracts(person.participantId)).toBe(1);
      expect(
        await graph.sql(
          "select count(*)::int as n from pathways.physician_message where participant_id = $1 and kind = 'WORK_AUTHORISATION_REQUEST'",
          [person.participantId],
        ),
      ).toEqual([{ n: 1 }]);
    },
  );

  it('accepts the next contract with the employer once the earlier one ends, and jobs with two employers at once, their hours reported apart', async () => {
    const person = await withJobCoach();
    expect(
      (
        await graph.query(COACH, RECORD, {
          input: { pathwayId: person.pathwayId, ...BAKERY, startsOn: day(0), endsOn: day(9) },
        })
      ).errors,
    ).toBeUndefined();
    expect(
      (
        await graph.query(COACH, RECORD, {
          input: { pathwayId: person.pathwayId, ...BAKERY, startsOn: day(10), endsOn: day(30) },
        })
      ).errors,
    ).toBeUndefined();
    expect(
      (await graph.query(COACH, RECORD, { input: { pathwayId: person.pathwayId, ...SHOP, startsOn: day(5) } })).errors,
    ).toBeUndefined();

    const HOURS =
      'query($id: ID!, $on: LocalDate) { pathway(id: $id) { weeklyHoursByEmployer(on: $on) { employer employerNumber weeklyHours } } }';
    const on = async (date: string) =>
      (
        await graph.query<{ pathway: { weeklyHoursByEmployer: unknown[] } }>(COACH, HOURS, {
          id: person.pathwayId,
          on: date,
        })
      ).data!.pathway.weeklyHoursByEmployer;
    expect(await on(day(0))).toEqual([
      { employer: 'Boulangerie Delvaux', employerNumber: '0412345614', weeklyHours: 19 },
    ]);
    expect(await on(day(12))).toEqual([
      // in the order the running jobs began: the shop on day 5, the bakery's second contract on day 10
      { employer: 'Colruyt', employerNumber: '0203201340', weeklyHours: 12 },
      { employer: 'Boulangerie Delvaux', employerNumber: '0412345614', weeklyHours: 19 },
    ]);
    expect(await on(day(31))).toEqual([{ employer: 'Colruyt', employerNumber: '0203201340', weeklyHours: 12 }]);
    // The physician of record reads the same (employment data, R14).
    const seen = await graph.query<{ pathway: { weeklyHoursByEmployer: unknown[] } }>(
      { role: 'MEDECIN_CONSEIL', organisation: 'OA-300', subject: 'dr-dupont' },
      HOURS,
      { id: person.pathwayId, on: day(12) },
    );
    expect(seen.data?.pathway?.weeklyHoursByEmployer).toHaveLength(2);
  });

  it('never records two overlapping contracts with one employer sent at once: one succeeds, the other is refused', async () => {
    const person = await withJobCoach();
    const answers = await Promise.all([
      graph.query(COACH, RECORD, { input: { pathwayId: person.pathwayId, ...BAKERY, startsOn: day(0) } }),
      graph.query(COACH, RECORD, {
        input: { pathwayId: person.pathwayId, ...BAKERY, jobFunction: 'Boulanger', startsOn: day(3) },
      }),
    ]);
    const codes = answers.map((answer) => answer.errors?.[0]?.extensions?.code ?? 'OK').sort();
    expect(codes.filter((code) => code === 'OK')).toHaveLength(1);
    expect(
      codes.filter((code) => code !== 'OK').every((code) => code === 'BAD_USER_INPUT' || code === 'CONFLICT'),
    ).toBe(true);
    expect(await contracts(person.participantId)).toBe(1);
  });
});
