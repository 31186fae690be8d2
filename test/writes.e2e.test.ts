/**
 * Writes under the policy (schema/policy.ts ACTIONS, through subgraphs/kit/command.ts): who may act
 * on which record, in one locked transaction, nothing revealed, nothing revived (R14–R18). One test
 * per way the write side was found to fail, then the races and retries.
 */
import { randomUUID } from 'node:crypto';
import type { Identity } from '../schema/identity.js';
import { belgianToday } from '../subgraphs/kit/domain.js';
import { newKey, referralInput, SUBMIT_REFERRAL, SUBMIT_REFERRAL_AND_READ } from './fixtures.js';
import { errorCodes, startTestPlatform, type GraphQLResponse, type TestPlatform } from './harness.js';
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
const PHYSICIAN: Identity = { role: 'MEDECIN_CONSEIL', organisation: 'OA-300', subject: 'dr-record' };
const COLLEAGUE: Identity = { role: 'MEDECIN_CONSEIL', organisation: 'OA-300', subject: 'dr-colleague' };
const ELSEWHERE: Identity = { role: 'MEDECIN_CONSEIL', organisation: 'OA-500', subject: 'dr-elsewhere' };
const SUPERVISOR: Identity = { role: 'SUPERVISOR', organisation: 'ARTICLE-23', subject: 'supervisor-article-23' };
const SRE: Identity = { role: 'SRE', organisation: 'FOREM', subject: 'forem-1' };
const coach = (subject: string, organisation = 'ARTICLE-23'): Identity => ({
  role: 'JOB_COACH',
  organisation,
  subject,
});

const WITHDRAW = 'mutation($id: ID!) { withdrawInformationSharingConsent(participantId: $id) { participantId } }';
const WITHDRAW_RESEARCH = 'mutation($id: ID!) { withdrawResearchConsent(participantId: $id) { participantId } }';
const END = 'mutation($input: EndPathwayInput!) { endPathway(input: $input) { status } }';
const ACT =
  'mutation($input: RecordPathwayActInput!, $key: String!) { recordPathwayAct(input: $input, idempotencyKey: $key) { id kind actOn } }';
const CONTRACT =
  'mutation($input: RecordEmploymentContractInput!, $key: String!) { recordEmploymentContract(input: $input, idempotencyKey: $key) { id jobFunction authorisation { id reason } } }';
// A refusal says why (art. 100 §2): every decision here gives its reason.
const DECIDE =
  'mutation($id: ID!, $granted: Boolean!) { decideWorkAuthorisation(id: $id, granted: $granted, reason: "Décidé au vu du contrat.") { decision } }';
const ASSIGN = 'mutation($input: AssignJobCoachInput!) { assignJobCoach(input: $input) { jobCoach } }';
const RANDOMISE_KEYED =
  'mutation($id: ID!, $key: String!) { randomise(participantId: $id, idempotencyKey: $key) { participantId allocationId } }';
const REGISTER = 'mutation($input: RegisterPathwayInput!) { registerPathway(input: $input) { pathwayId } }';
const TIMELINE = 'query ReadTimeline($id: ID!) { pathway(id: $id) { timeline { kind detail } } }';
const contractInput = (pathwayId: string, jobFunction = 'Magasinier') => ({
  pathwayId,
  employer: 'Colruyt',
  employerNumber: '0203201340',
  jobFunction,
  startsOn: TODAY,
  weeklyHours: 20,
  contractType: 'FIXED_TERM',
});

/** A person of Liège with an open IPS pathway at Article 23, their coach assigned and the form forwarded to FOREM. */
const followed = (jobCoach: string) =>
  seed(graph)
    .person()
    .referredBy(PHYSICIAN)
    .registered({ convention: 'ARTICLE-23' })
    .withCoach(jobCoach, { by: SUPERVISOR })
    .routed()
    .build();

async function ledgerOf(participantId: string) {
  const [row] = await graph.sql<{ physician_subject: string; consent_grants: string[]; research_consent: boolean }>(
    'select physician_subject, consent_grants, research_consent from access.ledger where participant_id = $1',
    [participantId],
  );
  return row!;
}

/** Errors as a client sees them, without the path (which names the field asked for). */
const errorsOf = (response: GraphQLResponse) =>
  (response.errors ?? []).map(({ message, extensions }) => ({ message, extensions }));

describe('a person already known: no takeover, no revived consent (R14, R18)', () => {
  it("refuses another insurer's physician a referral of a known NISS with CONFLICT, reveals nothing and moves nothing", async () => {
    const person = await seed(graph).person().referredBy(PHYSICIAN).registered().build();
    const attempt = await graph.query(ELSEWHERE, SUBMIT_REFERRAL_AND_READ, {
      input: referralInput({ person: { niss: person.niss } }),
      key: newKey(),
    });
    expect(errorCodes(attempt)).toEqual(['CONFLICT']);
    expect(attempt.data).toBeNull();
    expect(JSON.stringify(attempt)).not.toMatch(/Camille|Lambert|1985|IPS-|dr-record/);
    expect((await ledgerOf(person.participantId)).physician_subject).toBe('dr-record');
    const stillMine = await graph.query<{ participant: { givenName: string } | null }>(
      PHYSICIAN,
      'query($id: ID!) { participant(id: $id) { givenName } }',
      { id: person.participantId },
    );
    expect(stillMine.data!.participant).toEqual({ givenName: 'Camille' });
  });

  it('never revives a withdrawn consent: a new referral of the person leaves the information-sharing and research consents withdrawn', async () => {
    const person = await seed(graph).person().referredBy(PHYSICIAN).registered().build(); // no form waiting at the intake (R4)
    expect((await graph.query(person.self, WITHDRAW, { id: person.participantId })).errors).toBeUndefined();
    expect((await graph.query(person.self, WITHDRAW_RESEARCH, { id: person.participantId })).errors).toBeUndefined();

    const again = await graph.query<{ submitReferral: { referral: unknown } }>(PHYSICIAN, SUBMIT_REFERRAL_AND_READ, {
      input: referralInput({ person: { niss: person.niss } }),
      key: newKey(),
    });
    expect(again.errors).toBeUndefined();
    expect(again.data!.submitReferral.referral).toBeNull(); // the receipt shows only what the caller may read: nothing now
    expect(await ledgerOf(person.participantId)).toMatchObject({ consent_grants: [], research_consent: false });
    expect(
      await graph.sql(
        'select count(*)::int as n from participants.consent_grant where participant_id = $1 and revoked_at is null',
        [person.participantId],
      ),
    ).toEqual([{ n: 0 }]);
    expect(
      await graph.sql(
        'select count(*)::int as n from participants.research_consent where participant_id = $1 and withdrawn_at is null',
        [person.participantId],
      ),
    ).toEqual([{ n: 0 }]);
  });

  it('lets another physician of the same insurer become physician of record only when nothing is under way', async () => {
    const waiting = await seed(graph).person().referredBy(PHYSICIAN).build(); // a form at INAMI's intake
    expect(
      errorCodes(
        await graph.query(COLLEAGUE, SUBMIT_REFERRAL, {
          input: referralInput({ person: { niss: waiting.niss } }),
          key: newKey(),
        }),
      ),
    ).toEqual(['CONFLICT']);

    const ended = await followed('coach-takeover');
    expect(
      (
        await graph.query(coach('coach-takeover'), END, {
          input: { pathwayId: ended.pathwayId, endedOn: TODAY, reason: 'PILOT_ENDED' },
        })
      ).errors,
    ).toBeUndefined();
    const consentBefore = (await ledgerOf(ended.participantId)).consent_grants;
    const taken = await graph.query(COLLEAGUE, SUBMIT_REFERRAL, {
      input: referralInput({
        person: { niss: ended.niss },
        informationSharing: [{ recipient: 'INAMI', categories: ['ADMINISTRATIVE'] }],
      }),
      key: newKey(),
    });
    expect(taken.errors).toBeUndefined();
    expect(await ledgerOf(ended.participantId)).toMatchObject({
      physician_subject: 'dr-colleague',
      consent_grants: consentBefore,
    }); // the consent in force, not the form's
  });

  it('refuses a known NISS whose names or birth date disagree, without saying what is stored', async () => {
    const person = await seed(graph).person().referredBy(PHYSICIAN).registered().build();
    const response = await graph.query(PHYSICIAN, SUBMIT_REFERRAL, {
      input: referralInput({ person: { niss: person.niss, familyName: 'Martin' } }),
      key: newKey(),
    });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.person' });
    expect(response.errors?.[0]?.message).not.toMatch(/Lambert|Camille/);
  });
});

describe('control characters in any string a client sends', () => {
  it.each([
    ['NUL in a name', { givenName: 'Ca\u0000mille' }, 'input.person.givenName'],
    ['BEL in a name', { familyName: 'Lam\u0007bert' }, 'input.person.familyName'],
    ['an ESC sequence', { familyName: '\u001b[31mLambert' }, 'input.person.familyName'],
  ])('refuses %s with BAD_USER_INPUT naming the field, and writes nothing', async (_name, person, field) => {
    const before = await graph.sql('select count(*)::int as n from participants.participant');
    const response = await graph.query(PHYSICIAN, SUBMIT_REFERRAL, { input: referralInput({ person }), key: newKey() });
    expect(response.status).toBe(200);
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await graph.sql('select count(*)::int as n from participants.participant')).toEqual(before);
  });

  it('refuses them in a lookup too, and keeps line breaks in free text', async () => {
    expect(
      (await graph.query('INAMI', 'query($id: ID!) { pathway(id: $id) { id } }', { id: 'x\u0000' })).errors?.[0]
        ?.extensions,
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    const person = await followed('coach-lines');
    const sent = await graph.query(coach('coach-lines'), ACT, {
      input: {
        pathwayId: person.pathwayId,
        kind: 'MESSAGE_TO_PHYSICIAN',
        actOn: TODAY,
        detail: 'Ligne 1\nLigne 2',
        detailCategory: 'EMPLOYMENT',
      },
      key: newKey(),
    });
    expect(sent.errors).toBeUndefined();
  });
});

describe('free text is shown under the category of its content (R18)', () => {
  // The coach writes health facts to the physician, who reads them; a health message to the coach is refused (free-text-addressee.e2e.test.ts).
  it('shows a health message to the physician only to roles that may see health, and logs its reading as health', async () => {
    const person = await followed('coach-health');
    const sent = await graph.query(coach('coach-health'), ACT, {
      input: {
        pathwayId: person.pathwayId,
        kind: 'MESSAGE_TO_PHYSICIAN',
        actOn: TODAY,
        detail: 'Rechute la semaine dernière, traitement adapté.',
        detailCategory: 'HEALTH',
      },
      key: newKey(),
    });
    expect(sent.errors).toBeUndefined();
    const readers: [Identity, boolean][] = [
      [SRE, false],
      [{ role: 'OA', organisation: 'OA-300', subject: 'oa-1' }, false],
      [SUPERVISOR, false],
      [coach('coach-health'), false],
      [{ role: 'INAMI', organisation: 'INAMI', subject: 'inami-1' }, true],
      [PHYSICIAN, true],
    ];
    for (const [reader, seesIt] of readers) {
      const response = await graph.query<{ pathway: { timeline: { kind: string; detail: string | null }[] } }>(
        reader,
        TIMELINE,
        { id: person.pathwayId },
      );
      const index = response.data!.pathway.timeline.findIndex((event) => event.kind === 'MESSAGE_TO_PHYSICIAN');
      expect({ reader: reader.role, detail: response.data!.pathway.timeline[index]?.detail ?? null }).toEqual({
        reader: reader.role,
        detail: seesIt ? expect.stringContaining('Rechute') : null,
      });
      if (!seesIt)
        expect(
          response.errors?.find((e) => e.path?.join('.') === `pathway.timeline.${index}.detail`)?.extensions?.code,
        ).toBe('FORBIDDEN');
    }
    const logged = await graph.sql<{ role: string; categories: string[] }>(
      "select role, categories from access.access_log where participant_id = $1 and operation = 'ReadTimeline' and subgraph = 'pathways'",
      [person.participantId],
    );
    const healthReaders = logged
      .filter((row) => row.categories.includes('health'))
      .map((row) => row.role)
      .sort();
    expect(healthReaders).toEqual(['INAMI', 'MEDECIN_CONSEIL']);
  });

  it("hides the contract line of the physician's follow-up file once the person narrows employment for their health insurer", async () => {
    const person = await followed('coach-inbox');
    expect(
      (await graph.query(coach('coach-inbox'), CONTRACT, { input: contractInput(person.pathwayId), key: newKey() }))
        .errors,
    ).toBeUndefined();
    const INBOX = 'query($p: ID!) { physicianInbox(participantId: $p) { edges { node { kind body } } } }';
    const before = await graph.query<{ physicianInbox: { edges: { node: { kind: string; body: string | null } }[] } }>(
      PHYSICIAN,
      INBOX,
      { p: person.participantId },
    );
    expect(
      before.data!.physicianInbox.edges.map((edge) => edge.node).find((m) => m.kind === 'WORK_AUTHORISATION_REQUEST')
        ?.body,
    ).toContain('Colruyt');
    const narrowed = await graph.query(
      person.self,
      'mutation($id: ID!) { narrowInformationSharingConsent(participantId: $id, revoke: [{ recipient: HEALTH_INSURER, categories: [EMPLOYMENT] }]) { participantId } }',
      { id: person.participantId },
    );
    expect(narrowed.errors).toBeUndefined();
    const after = await graph.query<{ physicianInbox: { edges: { node: { kind: string; body: string | null } }[] } }>(
      PHYSICIAN,
      INBOX,
      { p: person.participantId },
    );
    const line = after
      .data!.physicianInbox.edges.map((edge) => edge.node)
      .find((m) => m.kind === 'WORK_AUTHORISATION_REQUEST');
    expect(line).toEqual({ kind: 'WORK_AUTHORISATION_REQUEST', body: null });
    expect(JSON.stringify(after)).not.toContain('Colruyt');
  });
});

describe('circles match organisation and subject, not the subject alone', () => {
  it("keeps a coach of another partner, and a physician of another insurer, who share a subject out of the person's record", async () => {
    const person = await followed('coach-shared');
    const twin = coach('coach-shared', 'ISPPC');
    expect(
      (
        await graph.query<{ pathway: unknown }>(twin, 'query($id: ID!) { pathway(id: $id) { id } }', {
          id: person.pathwayId,
        })
      ).data!.pathway,
    ).toBeNull();
    expect(
      errorCodes(
        await graph.query(twin, END, { input: { pathwayId: person.pathwayId, endedOn: TODAY, reason: 'PILOT_ENDED' } }),
      ),
    ).toEqual(['NOT_FOUND']);
    const physicianTwin: Identity = { ...PHYSICIAN, organisation: 'OA-500' };
    expect(
      (
        await graph.query<{ participant: unknown }>(physicianTwin, 'query($id: ID!) { participant(id: $id) { id } }', {
          id: person.participantId,
        })
      ).data!.participant,
    ).toBeNull();
    expect(
      errorCodes(
        await graph.query(
          physicianTwin,
          'mutation($id: ID!) { withdrawInformationSharingConsent(participantId: $id, signedFormReference: "WITHDRAWAL-9") { participantId } }',
          { id: person.participantId },
        ),
      ),
    ).toEqual(['NOT_FOUND']);
    expect((await ledgerOf(person.participantId)).consent_grants.length).toBeGreaterThan(0);
  });
});

describe("assigning a job coach (R11): a coach of the pathway's own partner, in the IPS arm", () => {
  it('refuses a subject that is no active coach of the partner, naming the field, and a control-group pathway', async () => {
    const person = await followed('coach-first');
    await graph.enrol(coach('coach-of-isppc', 'ISPPC'));
    await graph.enrol(coach('coach-leaving'));
    const left = await graph.query(
      SUPERVISOR,
      'mutation { endStaffMembership(subject: "coach-leaving", function: JOB_COACH) { endedAt } }',
    );
    expect(left.errors).toBeUndefined();
    for (const jobCoach of ['coach-typo', 'coach-of-isppc', 'coach-leaving']) {
      const response = await graph.query(SUPERVISOR, ASSIGN, { input: { pathwayId: person.pathwayId, jobCoach } });
      expect({ jobCoach, error: response.errors?.[0]?.extensions }).toMatchObject({
        jobCoach,
        error: { code: 'BAD_USER_INPUT', field: 'input.jobCoach' },
      });
    }
    await graph.enrol(coach('coach-second'));
    expect(
      (await graph.query(SUPERVISOR, ASSIGN, { input: { pathwayId: person.pathwayId, jobCoach: 'coach-second' } }))
        .data,
    ).toEqual({ assignJobCoach: { jobCoach: 'coach-second' } });

    const control = await seed(graph)
      .person()
      .referredBy(PHYSICIAN)
      .registered({ convention: 'ARTICLE-23' })
      .randomised({ arm: 'CONTROL' })
      .build();
    expect(
      errorCodes(
        await graph.query(SUPERVISOR, ASSIGN, { input: { pathwayId: control.pathwayId, jobCoach: 'coach-second' } }),
      ),
    ).toEqual(['CONFLICT']);
  });
});

describe('nothing revealed by an error', () => {
  it('answers randomise for a person hidden by a withdrawal exactly as for an id that does not exist', async () => {
    const person = await seed(graph).person().referredBy(PHYSICIAN).randomised().build();
    await graph.query(person.self, WITHDRAW, { id: person.participantId });
    const hidden = await graph.query('INAMI', 'mutation($id: ID!) { randomise(participantId: $id) { allocationId } }', {
      id: person.participantId,
    });
    const missing = await graph.query(
      'INAMI',
      'mutation($id: ID!) { randomise(participantId: $id) { allocationId } }',
      { id: randomUUID() },
    );
    expect(errorsOf(hidden)).toEqual(errorsOf(missing));
    expect(errorCodes(hidden)).toEqual(['NOT_FOUND']);
  });

  it('answers registerPathway for a hidden, already registered referral exactly as for one that does not exist', async () => {
    const person = await seed(graph).person().referredBy(PHYSICIAN).registered().build();
    await graph.query(person.self, WITHDRAW, { id: person.participantId });
    const conventionId = '0b6f1c1e-5a8e-4c55-9a43-6f3f8c1d0a02';
    const hidden = await graph.query('INAMI', REGISTER, { input: { referralId: person.referralId, conventionId } });
    const missing = await graph.query('INAMI', REGISTER, { input: { referralId: randomUUID(), conventionId } });
    expect(errorsOf(hidden)).toEqual(errorsOf(missing));
  });

  it("answers a physician's decision on another physician's authorisation exactly as on one that does not exist", async () => {
    const person = await followed('coach-unseen');
    const recorded = await graph.query<{ recordEmploymentContract: { authorisation: { id: string } } }>(
      coach('coach-unseen'),
      CONTRACT,
      { input: contractInput(person.pathwayId), key: newKey() },
    );
    const hidden = await graph.query(ELSEWHERE, DECIDE, {
      id: recorded.data!.recordEmploymentContract.authorisation.id,
      granted: true,
    });
    const missing = await graph.query(ELSEWHERE, DECIDE, { id: randomUUID(), granted: true });
    expect(errorsOf(hidden)).toEqual(errorsOf(missing));
  });
});

describe('races and retries: one transaction, the target locked, the loser gets CONFLICT', () => {
  it("gives ten concurrent decisions on one request exactly one success; the stored decision is the winner's", async () => {
    const person = await followed('coach-decisions');
    const recorded = await graph.query<{ recordEmploymentContract: { authorisation: { id: string } } }>(
      coach('coach-decisions'),
      CONTRACT,
      { input: contractInput(person.pathwayId), key: newKey() },
    );
    const id = recorded.data!.recordEmploymentContract.authorisation.id;
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        graph.query<{ decideWorkAuthorisation: { decision: string } }>(PHYSICIAN, DECIDE, { id, granted: i % 2 === 0 }),
      ),
    );
    const winners = answers.filter((answer) => !answer.errors);
    expect(winners).toHaveLength(1);
    expect(answers.filter((answer) => errorCodes(answer).join() === 'CONFLICT')).toHaveLength(9);
    const [stored] = await graph.sql<{ decision: string }>(
      'select decision from pathways.work_authorisation where id = $1',
      [id],
    );
    expect(stored!.decision).toBe(winners[0]!.data!.decideWorkAuthorisation.decision);
  });

  it('ends a pathway once under ten concurrent requests, with one message to the physician', async () => {
    const person = await followed('coach-ends');
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        graph.query(coach('coach-ends'), END, {
          input: { pathwayId: person.pathwayId, endedOn: TODAY, reason: 'PILOT_ENDED' },
        }),
      ),
    );
    expect(answers.filter((answer) => !answer.errors)).toHaveLength(1);
    expect(answers.flatMap(errorCodes).sort()).toEqual(Array(9).fill('CONFLICT'));
    expect(
      await graph.sql(
        "select count(*)::int as n from pathways.physician_message where pathway_id = $1 and kind = 'PATHWAY_ENDED'",
        [person.pathwayId],
      ),
    ).toEqual([{ n: 1 }]);
  });

  it('records an act, a contract and an attendance once when each is sent five times with one key, and answers all five alike', async () => {
    const person = await followed('coach-retries');
    const actKey = newKey();
    const act = { pathwayId: person.pathwayId, kind: 'RP1IPS_SENT', actOn: TODAY };
    const acts = await Promise.all(
      Array.from({ length: 5 }, () => graph.query(coach('coach-retries'), ACT, { input: act, key: actKey })),
    );
    expect(new Set(acts.map((answer) => JSON.stringify(answer.data))).size).toBe(1);
    expect(acts[0]!.errors).toBeUndefined();
    expect(
      await graph.sql(
        "select count(*)::int as n from pathways.pathway_act where pathway_id = $1 and kind = 'RP1IPS_SENT'",
        [person.pathwayId],
      ),
    ).toEqual([{ n: 1 }]);

    const contractKey = newKey();
    const contracts = await Promise.all(
      Array.from({ length: 5 }, () =>
        graph.query(coach('coach-retries'), CONTRACT, { input: contractInput(person.pathwayId), key: contractKey }),
      ),
    );
    expect(new Set(contracts.map((answer) => JSON.stringify(answer.data))).size).toBe(1);
    expect(contracts[0]!.errors).toBeUndefined();
    expect(
      await graph.sql('select count(*)::int as n from pathways.employment_contract where pathway_id = $1', [
        person.pathwayId,
      ]),
    ).toEqual([{ n: 1 }]);
    expect(
      await graph.sql('select count(*)::int as n from pathways.work_authorisation where pathway_id = $1', [
        person.pathwayId,
      ]),
    ).toEqual([{ n: 1 }]);

    const organised = await graph.query<{ organiseWelcomeSession: { id: string } }>(
      SRE,
      'mutation($input: OrganiseWelcomeSessionInput!) { organiseWelcomeSession(input: $input) { id } }',
      {
        input: {
          ipsPartner: 'ARTICLE-23',
          heldOn: TODAY,
          place: 'Liège, rue Natalis 2',
          pathwayIds: [person.pathwayId],
        },
      },
    );
    expect(organised.errors).toBeUndefined();
    const ATTEND =
      'mutation($id: ID!, $present: [ID!]!, $on: LocalDate!, $key: String!) { recordWelcomeAttendance(sessionId: $id, present: $present, firstMeetingOn: $on, idempotencyKey: $key) { id attendanceRecordedAt } }';
    const attendanceKey = newKey();
    const attendances = await Promise.all(
      Array.from({ length: 5 }, () =>
        graph.query(SUPERVISOR, ATTEND, {
          id: organised.data!.organiseWelcomeSession.id,
          present: [person.pathwayId],
          on: TODAY,
          key: attendanceKey,
        }),
      ),
    );
    expect(attendances[0]!.errors).toBeUndefined();
    expect(new Set(attendances.map((answer) => JSON.stringify(answer.data))).size).toBe(1);
    expect(
      await graph.sql(
        "select count(*)::int as n from pathways.individual_meeting where pathway_id = $1 and kind = 'FIRST'",
        [person.pathwayId],
      ),
    ).toEqual([{ n: 1 }]);

    // The same key with other arguments is a reuse, not a retry.
    const reused = await graph.query(coach('coach-retries'), ACT, {
      input: { ...act, kind: 'MESSAGE_TO_PHYSICIAN', detail: 'x', detailCategory: 'ADMINISTRATIVE' },
      key: actKey,
    });
    expect(errorCodes(reused)).toEqual(['CONFLICT']);
  });

  it('allocates once under twenty concurrent randomisations with one key, answers all twenty alike, and keeps answering afterwards', async () => {
    const person = await seed(graph).person().referredBy(PHYSICIAN).registered().build();
    const key = newKey();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => graph.query('INAMI', RANDOMISE_KEYED, { id: person.participantId, key })),
    );
    expect(answers.flatMap(errorCodes)).toEqual([]);
    expect(new Set(answers.map((answer) => JSON.stringify(answer.data))).size).toBe(1);
    expect(
      await graph.sql('select count(*)::int as n from research.allocation where participant_id = $1', [
        person.participantId,
      ]),
    ).toEqual([{ n: 1 }]);
    const stillThere = await graph.query<{ trialDesigns: unknown[]; randomisationIntegrity: { gaps: number } }>(
      'RESEARCHER',
      '{ trialDesigns { version } randomisationIntegrity { gaps } }',
    );
    expect(stillThere.errors).toBeUndefined();
    expect(stillThere.data!.randomisationIntegrity.gaps).toBe(0);
    // No connection of this database left holding a transaction open: its locks would freeze the next writes.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const stuck =
      "select count(*)::int as n from pg_stat_activity where datname = current_database() and usename = 'ips_app' and state like 'idle in transaction%' and now() - state_change > interval '1 second'";
    expect(await graph.sql(stuck)).toEqual([{ n: 0 }]);
  });

  it('gives concurrent welcome sessions inviting the same person one success and CONFLICT for the others, never an internal error', async () => {
    const person = await followed('coach-sessions');
    const ORGANISE = 'mutation($input: OrganiseWelcomeSessionInput!) { organiseWelcomeSession(input: $input) { id } }';
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        graph.query(SRE, ORGANISE, {
          input: { ipsPartner: 'ARTICLE-23', heldOn: TODAY, place: `Salle ${i}`, pathwayIds: [person.pathwayId] },
        }),
      ),
    );
    expect(answers.filter((answer) => !answer.errors)).toHaveLength(1);
    expect(answers.flatMap(errorCodes).sort()).toEqual(Array(5).fill('CONFLICT'));
  });
});
