/**
 * R12 questionnaire waves, end to end through the gateway: the person opens a wave at home, saves
 * answers as they go and completes it once; the partner opens one at its computer and never reads an
 * answer (answers are research data, R18/R19: no care role's scope holds them); the coach's reminder
 * comes from the wave status and closes on completion. Waves open only within their window, for an
 * allocated person whose research consent (R1f) holds; another person's wave answers as a missing one.
 */
import type { Identity } from '../schema/identity.js';
import { belgianToday } from '../subgraphs/kit/domain.js';
import { newKey } from './fixtures.js';
import { errorCodes, startTestPlatform, type GraphQLResponse, type TestPlatform } from './harness.js';
import { seed, type RandomisedPerson } from './seed.js';

let graph: TestPlatform;
beforeAll(async () => {
  graph = await startTestPlatform();
  await seed(graph).trial();
}, 120_000);
afterAll(async () => {
  await graph?.stop();
});

const TODAY = belgianToday();
const SUPERVISOR: Identity = { role: 'SUPERVISOR', organisation: 'ISPPC', subject: 'sup-q' };
const COACH: Identity = { role: 'JOB_COACH', organisation: 'ISPPC', subject: 'coach-q' };
const SRE_DESK: Identity = { role: 'SRE', organisation: 'FOREM', subject: 'forem-desk-q' };
const COUNSELLOR: Identity = { role: 'SRE', organisation: 'FOREM', subject: 'forem-counsellor-q' };
const PHYSICIAN: Identity = { role: 'MEDECIN_CONSEIL', organisation: 'OA-300', subject: 'dr-dupont' };
const INAMI: Identity = { role: 'INAMI', organisation: 'INAMI', subject: 'inami-agent-1' };
const OA: Identity = { role: 'OA', organisation: 'OA-300', subject: 'oa-agent-1' };

const WAVE_FIELDS = 'wave dueOn windowOpensOn windowClosesOn state openedWhere instrumentVersion completedOn';
const OPEN = `mutation($input: QuestionnaireWaveInput!) { openQuestionnaireWave(input: $input) { ${WAVE_FIELDS} } }`;
const OPEN_AS_PERSON = `mutation($input: QuestionnaireWaveInput!) { openQuestionnaireWave(input: $input) { ${WAVE_FIELDS} answers { linkId valueCode valueInteger valueBoolean } } }`;
const SAVE = `mutation($input: SaveQuestionnaireAnswersInput!) { saveQuestionnaireAnswers(input: $input) { ${WAVE_FIELDS} answers { linkId valueCode valueInteger valueBoolean } } }`;
const COMPLETE = `mutation($input: CompleteQuestionnaireWaveInput!, $key: String!) { completeQuestionnaireWave(input: $input, idempotencyKey: $key) { ${WAVE_FIELDS} answers { linkId } } }`;
const MY_WAVES = `{ me { questionnaireWaves { ${WAVE_FIELDS} answers { linkId valueCode valueInteger valueBoolean } } } }`;
const CASELOAD = '{ caseload { pathway { id } nextAction { kind dueOn } } }';

interface Wave {
  wave: number;
  dueOn: string;
  windowOpensOn: string;
  windowClosesOn: string;
  state: string;
  openedWhere: string | null;
  instrumentVersion: string | null;
  completedOn: string | null;
  answers?: {
    linkId: string;
    valueCode?: string | null;
    valueInteger?: number | null;
    valueBoolean?: boolean | null;
  }[];
}

/** A Charleroi person in the IPS arm with COACH as referent, allocated today: wave 0 (baseline) is due today. */
const ipsPerson = () =>
  seed(graph)
    .person({ postcode: '6000' })
    .registered({ convention: 'ISPPC' })
    .randomised({ arm: 'IPS' })
    .withCoach(COACH, { by: SUPERVISOR })
    .routed()
    .build();

/** Every required item answered (the optional benefit-worry left out). */
const FIRST_HALF = [
  { linkId: 'work-status', valueCode: 'competitive' },
  { linkId: 'work-hours', valueInteger: 19 },
  { linkId: 'job-search', valueBoolean: false },
  { linkId: 'qol-mobility', valueCode: '1' },
  { linkId: 'qol-self-care', valueCode: '1' },
];
const SECOND_HALF = [
  { linkId: 'qol-usual-activities', valueCode: '2' },
  { linkId: 'qol-pain', valueCode: '1' },
  { linkId: 'qol-anxiety-depression', valueCode: '3' },
  { linkId: 'health-today', valueInteger: 70 },
  { linkId: 'recovery-hope', valueCode: '4' },
  { linkId: 'recovery-goals', valueCode: '5' },
];

const wave0 = (person: RandomisedPerson) => ({ participantId: person.participantId, wave: 0 });

function ok<T>(response: GraphQLResponse<T>): T {
  if (response.errors) throw new Error(JSON.stringify(response.errors));
  return response.data!;
}

async function storedAnswers(person: RandomisedPerson, wave = 0): Promise<unknown> {
  const [row] = await graph.sql<{ answers: unknown }>(
    'select answers from research.questionnaire_wave where participant_id = $1 and wave = $2',
    [person.participantId, wave],
  );
  return row?.answers;
}

/** Moves a person's allocation back in time (the vault's trigger refuses changes: this is test set-up, as an administrator). */
async function allocatedMonthsAgo(person: RandomisedPerson, months: number): Promise<void> {
  await graph.sql(`begin; set local session_replication_role = replica;
    update research.allocation set allocated_at = allocated_at - interval '${Number(months)} months' where participant_id = '${person.participantId}'; commit;`);
}

describe('the person answers a wave at home (R12)', () => {
  it('opens, saves partially, completes; the coach reminder for that wave disappears, and stays for a person whose wave is due', async () => {
    const person = await ipsPerson();
    const other = await ipsPerson();

    // Waves 0…5 from the allocation, every six months; only the baseline's window is running.
    const before = ok(await graph.query<{ me: { questionnaireWaves: Wave[] } }>(person.self, MY_WAVES)).me
      .questionnaireWaves;
    expect(before.map((w) => [w.wave, w.state])).toEqual([
      [0, 'DUE'],
      [1, 'SCHEDULED'],
      [2, 'SCHEDULED'],
      [3, 'SCHEDULED'],
      [4, 'SCHEDULED'],
      [5, 'SCHEDULED'],
    ]);
    expect(before[0]).toMatchObject({ dueOn: TODAY, openedWhere: null, answers: [] });

    // The coach's caseload shows the due baseline, with its due date, for both people (R12).
    const reminders = async () =>
      ok(
        await graph.query<{ caseload: { pathway: { id: string }; nextAction: { kind: string; dueOn: string } }[] }>(
          COACH,
          CASELOAD,
        ),
      ).caseload;
    for (const p of [person, other])
      expect((await reminders()).find((e) => e.pathway.id === p.pathwayId)?.nextAction).toEqual({
        kind: 'QUESTIONNAIRE_WAVE_DUE',
        dueOn: TODAY,
      });

    const opened = ok(
      await graph.query<{ openQuestionnaireWave: Wave }>(person.self, OPEN_AS_PERSON, { input: wave0(person) }),
    );
    expect(opened.openQuestionnaireWave).toMatchObject({
      state: 'OPEN',
      openedWhere: 'HOME',
      instrumentVersion: '1.0.0',
      completedOn: null,
    });

    const partial = ok(
      await graph.query<{ saveQuestionnaireAnswers: Wave }>(person.self, SAVE, {
        input: { ...wave0(person), answers: FIRST_HALF },
      }),
    );
    expect(partial.saveQuestionnaireAnswers.answers).toHaveLength(FIRST_HALF.length);
    expect(partial.saveQuestionnaireAnswers.answers).toContainEqual({
      linkId: 'work-hours',
      valueCode: null,
      valueInteger: 19,
      valueBoolean: null,
    });
    // An answer saved again replaces the earlier one.
    ok(
      await graph.query(person.self, SAVE, {
        input: { ...wave0(person), answers: [{ linkId: 'work-hours', valueInteger: 20 }] },
      }),
    );

    // Not complete yet: the first required item left unanswered is named, and nothing is written.
    const early = await graph.query(person.self, COMPLETE, { input: wave0(person), key: newKey() });
    expect(early.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.answers' });
    expect(early.errors?.[0]?.message).toContain('qol-usual-activities');

    const done = ok(
      await graph.query<{ completeQuestionnaireWave: Wave }>(person.self, COMPLETE, {
        input: { ...wave0(person), answers: SECOND_HALF },
        key: newKey(),
      }),
    );
    expect(done.completeQuestionnaireWave).toMatchObject({
      state: 'COMPLETED',
      completedOn: TODAY,
      openedWhere: 'HOME',
    });
    expect(await storedAnswers(person)).toMatchObject({ 'work-hours': 20, 'recovery-goals': '5', 'job-search': false });
    // No direct identifier in the research table: the person opened it as "self", not by NISS (R19).
    const [opener] = await graph.sql<{ opened_by: string }>(
      'select opened_by from research.questionnaire_wave where participant_id = $1',
      [person.participantId],
    );
    expect(opener!.opened_by).toBe('PARTICIPANT:self');

    // The status view, the one contract other readers use, says the same.
    const [status] = await graph.sql<{ state: string; opened_where: string; completed_on: Date }>(
      'select state, opened_where, completed_on from research.questionnaire_wave_status where participant_id = $1 and wave = 0',
      [person.participantId],
    );
    expect(status).toMatchObject({ state: 'COMPLETED', opened_where: 'HOME' });

    // The reminder closes for the person who completed; the other's stays, with its due date.
    const after = await reminders();
    expect(after.find((e) => e.pathway.id === person.pathwayId)?.nextAction.kind).not.toBe('QUESTIONNAIRE_WAVE_DUE');
    expect(after.find((e) => e.pathway.id === other.pathwayId)?.nextAction).toEqual({
      kind: 'QUESTIONNAIRE_WAVE_DUE',
      dueOn: TODAY,
    });

    // Completed once: no more answers, no second completion.
    const again = await graph.query(person.self, COMPLETE, { input: wave0(person), key: newKey() });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT' });
    const more = await graph.query(person.self, SAVE, {
      input: { ...wave0(person), answers: [{ linkId: 'health-today', valueInteger: 10 }] },
    });
    expect(more.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT' });
    const reopen = await graph.query(person.self, OPEN, { input: wave0(person) });
    expect(reopen.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      messageId: 'precondition.waveNotCompleted',
    });
  });
});

describe('the partner opens a wave at its computer and never reads an answer (R12, R18, R19)', () => {
  it('opens for the person (PARTNER); no care role has the answers in its schema; the person still answers and completes', async () => {
    const person = await ipsPerson();
    const opened = ok(await graph.query<{ openQuestionnaireWave: Wave }>(COACH, OPEN, { input: wave0(person) }));
    expect(opened.openQuestionnaireWave).toMatchObject({ wave: 0, state: 'OPEN', openedWhere: 'PARTNER' });
    ok(await graph.query(person.self, SAVE, { input: { ...wave0(person), answers: FIRST_HALF } }));
    expect(await storedAnswers(person)).toMatchObject({ 'work-status': 'competitive' }); // something there to hide

    // The answers are research data: the field is not in any care role's schema.
    const WITH_ANSWERS =
      'query($id: ID!) { participant(id: $id) { questionnaireWaves { wave state answers { linkId valueCode } } } }';
    for (const role of [COACH, SUPERVISOR, SRE_DESK, PHYSICIAN, INAMI, OA]) {
      const answer = await graph.query(role, WITH_ANSWERS, { id: person.participantId });
      expect({ role: role.role, codes: errorCodes(answer), data: answer.data ?? null }).toEqual({
        role: role.role,
        codes: ['GRAPHQL_VALIDATION_FAILED'],
        data: null,
      });
      expect(answer.errors?.[0]?.message).toContain('answers');
    }
    // The researcher reads no identified record at all (R19: pseudonymised datasets only).
    expect(errorCodes(await graph.query('RESEARCHER', WITH_ANSWERS, { id: person.participantId }))).toEqual([
      'GRAPHQL_VALIDATION_FAILED',
    ]);
    const researcherMutation = await graph.query('RESEARCHER', OPEN, { input: wave0(person) }); // not in the researcher's schema either
    expect([...new Set(errorCodes(researcherMutation))]).toEqual(['GRAPHQL_VALIDATION_FAILED']);

    // The partner's side sees the wave's state only.
    const STATES = 'query($id: ID!) { participant(id: $id) { questionnaireWaves { wave state openedWhere } } }';
    for (const role of [COACH, SUPERVISOR]) {
      const states = ok(
        await graph.query<{ participant: { questionnaireWaves: Wave[] } }>(role, STATES, { id: person.participantId }),
      );
      expect(states.participant.questionnaireWaves[0]).toEqual({ wave: 0, state: 'OPEN', openedWhere: 'PARTNER' });
    }
    // Only the person saves or completes answers: the mutations are not even in the partner's schema.
    expect([
      ...new Set(errorCodes(await graph.query(COACH, SAVE, { input: { ...wave0(person), answers: SECOND_HALF } }))),
    ]).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect([
      ...new Set(errorCodes(await graph.query(SUPERVISOR, COMPLETE, { input: wave0(person), key: newKey() }))),
    ]).toEqual(['GRAPHQL_VALIDATION_FAILED']);

    const done = ok(
      await graph.query<{ completeQuestionnaireWave: Wave }>(person.self, COMPLETE, {
        input: { ...wave0(person), answers: SECOND_HALF },
        key: newKey(),
      }),
    );
    expect(done.completeQuestionnaireWave).toMatchObject({ state: 'COMPLETED', openedWhere: 'PARTNER' });
  });

  it("in the control arm, the SRE's reference counsellor (the person's referent, R9) opens the wave; the region's other SRE staff may not", async () => {
    const person = await seed(graph)
      .person({ postcode: '6000' })
      .registered({ convention: 'ISPPC' })
      .randomised({ arm: 'CONTROL' })
      .routed()
      .build();
    await graph.enrol(COUNSELLOR);
    ok(
      await graph.query(
        SRE_DESK,
        'mutation($input: AssignReferenceCounsellorInput!) { assignReferenceCounsellor(input: $input) { id } }',
        { input: { pathwayId: person.pathwayId, referenceCounsellor: COUNSELLOR.subject } },
      ),
    );
    expect(errorCodes(await graph.query(SRE_DESK, OPEN, { input: wave0(person) }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await graph.query(COACH, OPEN, { input: wave0(person) }))).toEqual(['NOT_FOUND']); // not in the IPS partner's circle
    const opened = ok(await graph.query<{ openQuestionnaireWave: Wave }>(COUNSELLOR, OPEN, { input: wave0(person) }));
    expect(opened.openQuestionnaireWave).toMatchObject({ state: 'OPEN', openedWhere: 'PARTNER' });
    const reminder = ok(
      await graph.query<{ caseload: { pathway: { id: string }; nextAction: { kind: string; dueOn: string } }[] }>(
        COUNSELLOR,
        CASELOAD,
      ),
    ).caseload;
    expect(reminder.find((e) => e.pathway.id === person.pathwayId)?.nextAction).toEqual({
      kind: 'QUESTIONNAIRE_WAVE_DUE',
      dueOn: TODAY,
    });
  });
});

describe('answers checked against the instrument', () => {
  it.each([
    ['a value of the wrong type', { linkId: 'work-hours', valueCode: 'twenty' }, 'work-hours'],
    ['an option not in the list', { linkId: 'qol-pain', valueCode: '9' }, 'qol-pain'],
    ['an unknown item', { linkId: 'diagnosis', valueCode: 'F20' }, 'diagnosis'],
    ['a number out of bounds', { linkId: 'health-today', valueInteger: 150 }, 'health-today'],
  ])('refuses %s with BAD_USER_INPUT naming the item, and writes nothing', async (_what, bad, item) => {
    const person = await ipsPerson();
    ok(await graph.query(person.self, OPEN, { input: wave0(person) }));
    ok(
      await graph.query(person.self, SAVE, {
        input: { ...wave0(person), answers: [{ linkId: 'job-search', valueBoolean: true }] },
      }),
    );
    const refused = await graph.query(person.self, SAVE, {
      input: { ...wave0(person), answers: [{ linkId: 'work-status', valueCode: 'none' }, bad] },
    });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.answers.1' });
    expect(refused.errors?.[0]?.message).toContain(item);
    expect(await storedAnswers(person)).toEqual({ 'job-search': true }); // not even the valid first answer
  });
});

describe('when a wave may be opened (R1f, R6, R12)', () => {
  it('refuses outside the window: a wave to come, and one missed', async () => {
    const person = await ipsPerson();
    const scheduled = await graph.query(person.self, OPEN, { input: { participantId: person.participantId, wave: 1 } });
    expect(scheduled.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      messageId: 'precondition.waveWindowOpen',
    });
    expect(
      errorCodes(await graph.query(COACH, OPEN, { input: { participantId: person.participantId, wave: 1 } })),
    ).toEqual(['CONFLICT']);
    expect(
      (await graph.query(person.self, OPEN, { input: { participantId: person.participantId, wave: 6 } })).errors?.[0]
        ?.extensions,
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.wave' });

    // Allocated 15 months ago: waves 0–2 are missed (wave 2's window closed 8 weeks after its due date), wave 3 is to come.
    const late = await ipsPerson();
    await allocatedMonthsAgo(late, 15);
    const waves = ok(await graph.query<{ me: { questionnaireWaves: Wave[] } }>(late.self, MY_WAVES)).me
      .questionnaireWaves;
    expect(waves.map((w) => w.state)).toEqual(['MISSED', 'MISSED', 'MISSED', 'SCHEDULED', 'SCHEDULED', 'SCHEDULED']);
    const missed = await graph.query(late.self, OPEN, { input: { participantId: late.participantId, wave: 2 } });
    expect(missed.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      messageId: 'precondition.waveWindowOpen',
    });
    // The missed baseline is not a reminder any more.
    const caseload = ok(
      await graph.query<{ caseload: { pathway: { id: string }; nextAction: { kind: string } }[] }>(COACH, CASELOAD),
    ).caseload;
    expect(caseload.find((e) => e.pathway.id === late.pathwayId)?.nextAction.kind).not.toBe('QUESTIONNAIRE_WAVE_DUE');

    // Allocated a year ago: wave 2 is due today.
    const yearAgo = await ipsPerson();
    await allocatedMonthsAgo(yearAgo, 12);
    const due = ok(
      await graph.query<{ openQuestionnaireWave: Wave }>(yearAgo.self, OPEN, {
        input: { participantId: yearAgo.participantId, wave: 2 },
      }),
    );
    expect(due.openQuestionnaireWave).toMatchObject({ wave: 2, state: 'OPEN', dueOn: TODAY });
  });

  it('refuses for a person not allocated (no wave at all) and after the research consent is withdrawn', async () => {
    const registered = await seed(graph).person({ postcode: '6000' }).registered({ convention: 'ISPPC' }).build();
    expect(
      ok(await graph.query<{ me: { questionnaireWaves: Wave[] } }>(registered.self, MY_WAVES)).me.questionnaireWaves,
    ).toEqual([]);
    const unallocated = await graph.query(registered.self, OPEN, {
      input: { participantId: registered.participantId, wave: 0 },
    });
    expect(unallocated.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      messageId: 'precondition.randomised',
    });

    const person = await ipsPerson();
    ok(await graph.query(person.self, OPEN, { input: wave0(person) }));
    ok(
      await graph.query(
        person.self,
        'mutation($id: ID!) { withdrawResearchConsent(participantId: $id) { participantId } }',
        { id: person.participantId },
      ),
    );
    for (const caller of [person.self, COACH]) {
      const refused = await graph.query(caller, OPEN, { input: wave0(person) });
      expect(refused.errors?.[0]?.extensions).toMatchObject({
        code: 'CONFLICT',
        messageId: 'precondition.researchConsent',
      });
    }
    const save = await graph.query(person.self, SAVE, { input: { ...wave0(person), answers: FIRST_HALF } });
    expect(save.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', messageId: 'precondition.researchConsent' });
    expect(await storedAnswers(person)).toEqual({});
  });

  it("answers another person's wave exactly like a missing one", async () => {
    const person = await ipsPerson();
    const stranger = await ipsPerson();
    const theirs = await graph.query(stranger.self, OPEN, { input: wave0(person) });
    const nobody = await graph.query(stranger.self, OPEN, {
      input: { participantId: '00000000-0000-4000-8000-000000000000', wave: 0 },
    });
    expect(theirs.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect({
      message: theirs.errors?.[0]?.message,
      extensions: theirs.errors?.[0]?.extensions,
      data: theirs.data,
    }).toEqual({ message: nobody.errors?.[0]?.message, extensions: nobody.errors?.[0]?.extensions, data: nobody.data });
    const save = await graph.query(stranger.self, SAVE, { input: { ...wave0(person), answers: FIRST_HALF } });
    expect(save.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(
      await graph.sql('select 1 from research.questionnaire_wave where participant_id = $1', [person.participantId]),
    ).toEqual([]);
  });
});

describe('completing twice at once', () => {
  it('gives one success and one CONFLICT to two keys; the winner retried with its key replays its answer', async () => {
    const person = await ipsPerson();
    ok(await graph.query(person.self, OPEN, { input: wave0(person) }));
    ok(await graph.query(person.self, SAVE, { input: { ...wave0(person), answers: [...FIRST_HALF, ...SECOND_HALF] } }));
    const keys = [newKey(), newKey()];
    const results = await Promise.all(
      keys.map((key) =>
        graph.query<{ completeQuestionnaireWave: Wave }>(person.self, COMPLETE, { input: wave0(person), key }),
      ),
    );
    expect(results.map((r) => errorCodes(r)[0] ?? 'OK').sort()).toEqual(['CONFLICT', 'OK']);
    const winner = results.findIndex((r) => !r.errors);
    const replay = await graph.query<{ completeQuestionnaireWave: Wave }>(person.self, COMPLETE, {
      input: wave0(person),
      key: keys[winner],
    });
    expect(replay.errors).toBeUndefined();
    expect(replay.data).toEqual(results[winner]!.data);
    const [row] = await graph.sql<{ n: string }>(
      "select count(*) as n from access.command_log where action = 'completeQuestionnaireWave' and result_id = $1",
      [`${person.participantId}:0`],
    );
    expect(Number(row!.n)).toBe(1);
  });
});

describe("the instrument in the caller's language", () => {
  const INSTRUMENT =
    '{ questionnaireInstrument { url version language title items { linkId text type required minValue maxValue options { code display } } fhirJson } }';
  type Instrument = {
    url: string;
    version: string;
    language: string;
    title: string;
    items: { linkId: string; text: string; type: string; options: { code: string; display: string }[] }[];
    fhirJson: string;
  };

  it.each([
    [
      'fr-BE,fr;q=0.9',
      'fr',
      'Essai IPS',
      'Quelle phrase décrit',
      'Un emploi rémunéré sur le marché ordinaire du travail',
    ],
    ['nl-BE', 'nl', 'IPS-studie', 'Welke zin beschrijft', 'Een betaalde baan op de gewone arbeidsmarkt'],
    [undefined, 'en', 'IPS trial', 'Which describes', 'A paid job on the open labour market'],
  ])('Accept-Language %s → %s', async (header, language, title, firstText, firstOption) => {
    const answer = ok(
      await graph.query<{ questionnaireInstrument: Instrument }>(
        COACH,
        INSTRUMENT,
        {},
        header ? { 'accept-language': header } : {},
      ),
    );
    const instrument = answer.questionnaireInstrument;
    expect(instrument).toMatchObject({ version: '1.0.0', language });
    expect(instrument.title).toContain(title);
    expect(instrument.items[0]).toMatchObject({ linkId: 'work-status', type: 'CHOICE' });
    expect(instrument.items[0]!.text).toContain(firstText);
    expect(instrument.items[0]!.options[0]).toEqual({ code: 'competitive', display: firstOption });
    expect(JSON.parse(instrument.fhirJson)).toMatchObject({
      resourceType: 'Questionnaire',
      version: '1.0.0',
      url: instrument.url,
    });
  });

  it("tells a refused answer in the caller's language, naming the item, with the same code, field and messageId", async () => {
    const person = await ipsPerson();
    ok(await graph.query(person.self, OPEN, { input: wave0(person) }));
    const bad = { input: { ...wave0(person), answers: [{ linkId: 'qol-pain', valueCode: '9' }] } };
    const fr = await graph.query(person.self, SAVE, bad, { 'accept-language': 'fr-BE' });
    const nl = await graph.query(person.self, SAVE, bad, { 'accept-language': 'nl-BE' });
    for (const answer of [fr, nl])
      expect(answer.errors?.[0]?.extensions).toEqual({
        code: 'BAD_USER_INPUT',
        field: 'input.answers.0',
        messageId: 'questionnaire.notAnOption',
      });
    expect(fr.errors?.[0]?.message).toBe(
      'input.answers.0 : la question qol-pain attend une de ses options : 1, 2, 3, 4, 5',
    );
    expect(nl.errors?.[0]?.message).toBe('input.answers.0: vraag qol-pain verwacht een van haar opties: 1, 2, 3, 4, 5');
  });

  it('is served to the person too, and refuses a version that does not exist', async () => {
    const person = await ipsPerson();
    expect(
      ok(await graph.query<{ questionnaireInstrument: Instrument }>(person.self, INSTRUMENT)).questionnaireInstrument
        .items.length,
    ).toBeGreaterThanOrEqual(10);
    const unknown = await graph.query(person.self, '{ questionnaireInstrument(version: "9.9.9") { version } }');
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'version' });
  });
});

describe('SQL statements', () => {
  it('reads the waves of 2 or of every person on a page in as many statements (one batch through the status view)', async () => {
    for (let i = 0; i < 3; i++) await ipsPerson();
    const statements = async (first: number) => {
      const answer = await graph.query<{ participants: unknown[] }>(
        INAMI,
        `{ participants(first: ${first}) { id questionnaireWaves { wave state dueOn } } }`,
      );
      expect(answer.errors).toBeUndefined();
      return { people: answer.data!.participants.length, statements: answer.extensions!.sqlStatements as number };
    };
    const [two, many] = [await statements(2), await statements(100)];
    console.log(
      `Questionnaire waves, SQL statements: ${two.people} people → ${two.statements}, ${many.people} people → ${many.statements}`,
    );
    expect(many.people).toBeGreaterThan(10);
    expect(many.statements).toBe(two.statements);
  });
});
