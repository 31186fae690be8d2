/**
 * Worklists and lookups: each actor finds their own work
 * in a Relay cursor connection — keyset-paginated in SQL, with a total — and finds a person by
 * NISS or a pathway by registry number only within their circle (R18). Every list holds exactly
 * the rows a read by id would show the caller (the policy's CIRCLE relation and the consent), and
 * the SQL statements per request do not grow with the page (10 vs 100 items, printed) — nor those of
 * any other list of the graph, nested lists included (./lists.ts derives them from the supergraph).
 * Each `describe` names the fault it guards against.
 */
import type { Identity } from '../schema/identity.js';
import { belgianToday } from '../subgraphs/kit/domain.js';
import { makeNiss } from '../subgraphs/participants/services/niss.js';
import { errorCodes, startTestPlatform, type GraphQLResponse, type TestPlatform } from './harness.js';
import {
  at,
  buildListData,
  COACH,
  DR_A,
  FOREM,
  itemsOf,
  LIST_EXEMPTIONS,
  LIST_MEASURES,
  listFieldsOfGraph,
  measureQuery,
  OA_300,
  SUPERVISOR,
  type Size,
} from './lists.js';
import { seed, type RandomisedPerson } from './seed.js';

let graph: TestPlatform;
const TODAY = belgianToday();

type Connection<T> = {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
};
const PAGE = 'pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount';
const nodes = <T>(list: Connection<T> | undefined | null): T[] => (list?.edges ?? []).map((edge) => edge.node);

// Physicians of one health insurer and of another, the partners' supervisors and coaches (dr A, the OA-300 desk,
// COACH, SUPERVISOR and FOREM are those of ./lists.ts, whose lists they read).
const DR_B: Identity = { role: 'MEDECIN_CONSEIL', organisation: 'OA-300', subject: 'dr-worklist-b' };
const DR_OTHER_OA: Identity = { role: 'MEDECIN_CONSEIL', organisation: 'OA-100', subject: 'dr-worklist-c' };
const OA_100: Identity = { role: 'OA', organisation: 'OA-100', subject: 'oa-100-desk' };
const OTHER_COACH: Identity = { role: 'JOB_COACH', organisation: 'ARTICLE-23', subject: 'coach-worklist-other' };
const OTHER_SUPERVISOR: Identity = { role: 'SUPERVISOR', organisation: 'ISPPC', subject: 'supervisor-isppc' };
const VDAB: Identity = { role: 'SRE', organisation: 'VDAB', subject: 'vdab-worklist' };

const ACT = 'mutation($input: RecordPathwayActInput!) { recordPathwayAct(input: $input) { id } }';
const CONTRACT =
  'mutation($input: RecordEmploymentContractInput!) { recordEmploymentContract(input: $input) { id authorisation { id } } }';

let coached: RandomisedPerson & { jobCoach: string }; // dr A's patient, IPS arm, with COACH
let waiting: RandomisedPerson; // dr A's patient, IPS arm, no coach yet
let otherPatient: RandomisedPerson; // dr B's patient
let elsewhere: RandomisedPerson; // another health insurer's member
let authorisationId: string;

beforeAll(async () => {
  graph = await startTestPlatform();
  await seed(graph).trial();
  coached = await seed(graph)
    .person()
    .referredBy(DR_A)
    .registered({ convention: 'ARTICLE-23' })
    .withCoach(COACH, { by: SUPERVISOR })
    .build();
  waiting = await seed(graph)
    .person()
    .referredBy(DR_A)
    .registered({ convention: 'ARTICLE-23' })
    .randomised({ arm: 'IPS' })
    .build();
  otherPatient = await seed(graph)
    .person()
    .referredBy(DR_B)
    .registered({ convention: 'ARTICLE-23' })
    .randomised()
    .build();
  elsewhere = await seed(graph)
    .person({ region: 'FLANDERS', postcode: '9000' })
    .referredBy(DR_OTHER_OA, { form: 'AANMELDINGSFORMULIER' })
    .registered({ convention: 'VDAB-GTB' })
    .randomised()
    .build();
  await graph.enrol(OTHER_COACH);

  // The coach records a job (R15: the request goes to dr A), sends an RP1IPS (R13); dr A writes to the coach (R14).
  const job = await graph.query<{ recordEmploymentContract: { authorisation: { id: string } } }>(COACH, CONTRACT, {
    input: {
      pathwayId: coached.pathwayId,
      employer: 'Colruyt',
      employerNumber: '0203201340',
      jobFunction: 'Réassortisseur',
      startsOn: TODAY,
      weeklyHours: 19,
      contractType: 'OPEN_ENDED',
    },
  });
  expect(job.errors).toBeUndefined();
  authorisationId = job.data!.recordEmploymentContract.authorisation.id;
  expect(
    (await graph.query(COACH, ACT, { input: { pathwayId: coached.pathwayId, kind: 'RP1IPS_SENT', actOn: TODAY } }))
      .errors,
  ).toBeUndefined();
  expect(
    (
      await graph.query(DR_A, ACT, {
        input: {
          pathwayId: coached.pathwayId,
          kind: 'MESSAGE_TO_JOB_COACH',
          actOn: TODAY,
          detail: 'Pas plus de 20 h par semaine au début.',
          detailCategory: 'EMPLOYMENT',
        },
      })
    ).errors,
  ).toBeUndefined();
}, 240_000);
afterAll(async () => {
  await graph?.stop();
});

/** The test's own account of who is whose: the participants' facts as the referral recorded them. */
async function ofRecord(fact: 'physician_subject' | 'health_insurer', value: string): Promise<string[]> {
  const rows = await graph.sql<{ id: string }>(`select participant_id as id from access.ledger where ${fact} = $1`, [
    value,
  ]);
  return rows.map((row) => row.id).sort();
}
const answer = (response: GraphQLResponse) => ({
  status: response.status,
  data: response.data,
  errors: response.errors,
});

describe('the physician has a list of their patients and of pending authorisations (R14, R15)', () => {
  const PATIENTS = `{ patients(first: 100) { edges { cursor node { id niss } } ${PAGE} } }`;
  const PENDING = `{ pendingAuthorisations(first: 100) { edges { node { id decision contract { employer } pathway { id registryNumber } } } ${PAGE} } }`;

  it("lists exactly the people whose physician of record they are, not a colleague's nor another insurer's", async () => {
    for (const [physician, own, notOwn] of [
      [DR_A, [coached, waiting], [otherPatient, elsewhere]],
      [DR_B, [otherPatient], [coached, waiting, elsewhere]],
      [DR_OTHER_OA, [elsewhere], [coached, waiting, otherPatient]],
    ] as const) {
      const listed = await graph.query<{ patients: Connection<{ id: string; niss: string }> }>(physician, PATIENTS);
      expect(listed.errors).toBeUndefined();
      const ids = nodes(listed.data!.patients).map((p) => p.id);
      // Exactly the people referred by this physician (seeding an arm may refer a few more: they are theirs too).
      expect(ids.sort()).toEqual(await ofRecord('physician_subject', physician.subject));
      expect(listed.data!.patients.totalCount).toBe(ids.length);
      for (const person of own) expect(ids).toContain(person.participantId);
      for (const person of notOwn) expect(ids).not.toContain(person.participantId);
    }
  });

  it('lists the undecided art. 100 §2 requests addressed to them; a decided one leaves the list', async () => {
    const mine = await graph.query<{
      pendingAuthorisations: Connection<{
        id: string;
        decision: string;
        contract: { employer: string };
        pathway: { id: string };
      }>;
    }>(DR_A, PENDING);
    expect(mine.errors).toBeUndefined();
    expect(nodes(mine.data!.pendingAuthorisations)).toEqual([
      {
        id: authorisationId,
        decision: 'PENDING',
        contract: { employer: 'Colruyt' },
        pathway: { id: coached.pathwayId, registryNumber: expect.stringMatching(/^IPS-\d{6}$/) },
      },
    ]);
    const colleague = await graph.query<{ pendingAuthorisations: Connection<unknown> }>(DR_B, PENDING);
    expect(colleague.data!.pendingAuthorisations).toMatchObject({ edges: [], totalCount: 0 });
    expect(errorCodes(await graph.query(COACH, PENDING))).toEqual(['GRAPHQL_VALIDATION_FAILED']); // not in the coach's schema
  });
});

describe("the coach has an inbox of the physician's messages (R14)", () => {
  const INBOX = `{ coachInbox(first: 50) { edges { node { kind actOn actor detail pathway { id } } } ${PAGE} } }`;

  it('holds what the physician wrote on the pathways the coach is the referent of, and nothing for another coach', async () => {
    const mine = await graph.query<{
      coachInbox: Connection<{ kind: string; actor: string; detail: string; pathway: { id: string } }>;
    }>(COACH, INBOX);
    expect(mine.errors).toBeUndefined();
    expect(nodes(mine.data!.coachInbox)).toEqual([
      {
        kind: 'MESSAGE_TO_JOB_COACH',
        actOn: TODAY,
        actor: DR_A.subject,
        detail: 'Pas plus de 20 h par semaine au début.',
        pathway: { id: coached.pathwayId },
      },
    ]);
    const other = await graph.query<{ coachInbox: Connection<unknown> }>(OTHER_COACH, INBOX);
    expect(other.data!.coachInbox).toMatchObject({ edges: [], totalCount: 0 });
  });
});

describe('INAMI has an inbox for RP1IPS (R13) and RP1 (R10)', () => {
  it('lists the forms across the registry, newest first, by kind', async () => {
    const INBOX = `query($kind: ActInboxKind) { actInbox(kind: $kind, first: 50) { edges { node { kind actor pathway { id } } } ${PAGE} } }`;
    const rp1ips = await graph.query<{
      actInbox: Connection<{ kind: string; actor: string; pathway: { id: string } }>;
    }>('INAMI', INBOX, { kind: 'RP1IPS_SENT' });
    expect(rp1ips.errors).toBeUndefined();
    expect(nodes(rp1ips.data!.actInbox)).toEqual([
      { kind: 'RP1IPS_SENT', actor: COACH.subject, pathway: { id: coached.pathwayId } },
    ]);
    const rp1 = await graph.query<{ actInbox: Connection<unknown> }>('INAMI', INBOX, { kind: 'RP1_FILED' });
    expect(rp1.data!.actInbox.totalCount).toBe(0);
    expect(new Set(errorCodes(await graph.query('SRE', INBOX, {})))).toEqual(new Set(['GRAPHQL_VALIDATION_FAILED'])); // not in the SRE's schema
  });
});

describe('the OA lists its members in the pilot', () => {
  it("lists its own members and not another insurer's", async () => {
    const MEMBERS = `{ members(first: 100) { edges { node { id healthInsurer } } ${PAGE} } }`;
    const mine = await graph.query<{ members: Connection<{ id: string; healthInsurer: string }> }>(OA_300, MEMBERS);
    expect(mine.errors).toBeUndefined();
    const ids = nodes(mine.data!.members).map((p) => p.id);
    expect(ids.sort()).toEqual(await ofRecord('health_insurer', 'OA-300'));
    for (const person of [coached, waiting, otherPatient]) expect(ids).toContain(person.participantId);
    expect(ids).not.toContain(elsewhere.participantId);
    expect(nodes(mine.data!.members).every((p) => p.healthInsurer === 'OA-300')).toBe(true);
    const other = await graph.query<{ members: Connection<{ id: string }> }>(OA_100, MEMBERS);
    expect(
      nodes(other.data!.members)
        .map((p) => p.id)
        .sort(),
    ).toEqual(await ofRecord('health_insurer', 'OA-100'));
    expect(nodes(other.data!.members).map((p) => p.id)).toContain(elsewhere.participantId);
  });
});

describe('the supervisor finds pathways waiting for a coach and the welcome sessions (R8, R11)', () => {
  it("lists the partner's IPS-arm pathways without a coach, not those with one nor another partner's", async () => {
    const UNASSIGNED = `{ unassignedPathways(first: 100) { edges { node { id jobCoach } } ${PAGE} } }`;
    const mine = await graph.query<{ unassignedPathways: Connection<{ id: string; jobCoach: string | null }> }>(
      SUPERVISOR,
      UNASSIGNED,
    );
    expect(mine.errors).toBeUndefined();
    const ids = nodes(mine.data!.unassignedPathways).map((p) => p.id);
    expect(ids).toContain(waiting.pathwayId);
    expect(ids).not.toContain(coached.pathwayId);
    const arms = await graph.sql<{ pathway_id: string }>(
      `select p.id as pathway_id from pathways.pathway p join access.ledger l on l.participant_id = p.participant_id
       where p.ips_partner = 'ARTICLE-23' and p.job_coach is null and p.status = 'OPEN' and l.trial_arm = 'IPS'`,
    );
    expect(ids.sort()).toEqual(arms.map((row) => row.pathway_id).sort()); // exactly: control-arm people never wait for a coach (R9)
    const other = await graph.query<{ unassignedPathways: Connection<{ id: string }> }>(OTHER_SUPERVISOR, UNASSIGNED);
    expect(nodes(other.data!.unassignedPathways).map((p) => p.id)).not.toContain(waiting.pathwayId);

    // Once the supervisor names a coach, the pathway leaves the list.
    await graph.query(SUPERVISOR, 'mutation($input: AssignJobCoachInput!) { assignJobCoach(input: $input) { id } }', {
      input: { pathwayId: waiting.pathwayId, jobCoach: OTHER_COACH.subject },
    });
    const after = await graph.query<{ unassignedPathways: Connection<{ id: string }> }>(SUPERVISOR, UNASSIGNED);
    expect(nodes(after.data!.unassignedPathways).map((p) => p.id)).not.toContain(waiting.pathwayId);
    expect(after.data!.unassignedPathways.totalCount).toBe(mine.data!.unassignedPathways.totalCount - 1);
  });

  it("lists the partner's welcome sessions (and the SRE's own), latest first, not another partner's or SRE's", async () => {
    const ORGANISE = 'mutation($input: OrganiseWelcomeSessionInput!) { organiseWelcomeSession(input: $input) { id } }';
    const sessions: string[] = [];
    // Days to come, whatever day the suite runs (a session is held after the registration).
    const inDays = (days: number) =>
      new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels' }).format(
        new Date(Date.now() + days * 86_400_000),
      );
    for (const heldOn of [inDays(7), inDays(21)]) {
      const person = await seed(graph)
        .person()
        .referredBy(DR_A)
        .registered({ convention: 'ARTICLE-23' })
        .randomised({ arm: 'IPS' })
        .build();
      const organised = await graph.query<{ organiseWelcomeSession: { id: string } }>(FOREM, ORGANISE, {
        input: { ipsPartner: 'ARTICLE-23', heldOn, place: 'FOREM Liège', pathwayIds: [person.pathwayId] },
      });
      expect(organised.errors).toBeUndefined();
      sessions.push(organised.data!.organiseWelcomeSession.id);
    }
    const SESSIONS = `query($from: LocalDate) { welcomeSessions(first: 10, heldFrom: $from) { edges { node { id heldOn place } } ${PAGE} } }`;
    const mine = await graph.query<{ welcomeSessions: Connection<{ id: string; heldOn: string }> }>(
      SUPERVISOR,
      SESSIONS,
      {},
    );
    expect(mine.errors).toBeUndefined();
    expect(nodes(mine.data!.welcomeSessions).map((s) => s.id)).toEqual([sessions[1], sessions[0]]);
    const later = await graph.query<{ welcomeSessions: Connection<{ id: string }> }>(SUPERVISOR, SESSIONS, {
      from: inDays(14),
    });
    expect(nodes(later.data!.welcomeSessions).map((s) => s.id)).toEqual([sessions[1]]);
    const sre = await graph.query<{ welcomeSessions: Connection<{ id: string }> }>(FOREM, SESSIONS, {});
    expect(nodes(sre.data!.welcomeSessions).map((s) => s.id)).toEqual([sessions[1], sessions[0]]);
    for (const outsider of [OTHER_SUPERVISOR, VDAB]) {
      const none = await graph.query<{ welcomeSessions: Connection<unknown> }>(outsider, SESSIONS, {});
      expect(none.data!.welcomeSessions).toMatchObject({ edges: [], totalCount: 0 });
    }
  });
});

describe('the intake queue is filtered (region, status, date) and newest first', () => {
  const INTAKE = `query($region: Region, $status: IntakeStatus, $from: LocalDate, $to: LocalDate, $first: Int) {
    intakeQueue(region: $region, status: $status, receivedFrom: $from, receivedTo: $to, first: $first) { edges { node { referralId region receivedAt } } ${PAGE} } }`;
  type Item = { referralId: string; region: string; receivedAt: string };

  it('shows the newest form first, filters by region, state and day received — and a 2019 form last, not first', async () => {
    const flemish = await seed(graph)
      .person({ region: 'FLANDERS', postcode: '9000' })
      .referredBy(DR_OTHER_OA, { form: 'AANMELDINGSFORMULIER' })
      .build();
    const walloon = await seed(graph).person().referredBy(DR_A).build();
    // A form received in 2019 (its row as it would stand; a submitted form is immutable, so it is inserted as such).
    const [old] = await graph.sql<{ id: string }>(
      `insert into participants.referral select (jsonb_populate_record(null::participants.referral, to_jsonb(r) || jsonb_build_object('id', gen_random_uuid(), 'submitted_at', '2019-03-01T09:00:00+01:00', 'idempotency_key', gen_random_uuid()::text))).*
       from participants.referral r where r.id = $1 returning id`,
      [walloon.referralId],
    );
    // Each referral stays in the queue while no pathway is registered; the old one is a second form of the same person.
    const all = await graph.query<{ intakeQueue: Connection<Item> }>('INAMI', INTAKE, { first: 500 });
    expect(all.errors).toBeUndefined();
    const items = nodes(all.data!.intakeQueue);
    const received = items.map((item) => item.receivedAt);
    expect(received).toEqual([...received].sort().reverse());
    expect(items[0]!.referralId).toBe(walloon.referralId);
    expect(items[items.length - 1]!.referralId).toBe(old!.id);
    expect(all.data!.intakeQueue.totalCount).toBe(items.length);

    const flanders = await graph.query<{ intakeQueue: Connection<Item> }>('INAMI', INTAKE, {
      region: 'FLANDERS',
      first: 500,
    });
    expect(nodes(flanders.data!.intakeQueue).map((item) => item.referralId)).toContain(flemish.referralId);
    expect(nodes(flanders.data!.intakeQueue).every((item) => item.region === 'FLANDERS')).toBe(true);

    const in2019 = await graph.query<{ intakeQueue: Connection<Item> }>('INAMI', INTAKE, {
      from: '2019-01-01',
      to: '2019-12-31',
    });
    expect(nodes(in2019.data!.intakeQueue).map((item) => item.referralId)).toEqual([old!.id]);
    const today = await graph.query<{ intakeQueue: Connection<Item> }>('INAMI', INTAKE, {
      from: TODAY,
      to: TODAY,
      first: 500,
    });
    expect(nodes(today.data!.intakeQueue).map((item) => item.referralId)).not.toContain(old!.id);

    const registered = await graph.query<{ intakeQueue: Connection<Item> }>('INAMI', INTAKE, {
      status: 'REGISTERED',
      first: 500,
    });
    const registeredIds = nodes(registered.data!.intakeQueue).map((item) => item.referralId);
    expect(registeredIds).toContain(coached.referralId);
    expect(registeredIds).not.toContain(walloon.referralId);

    const backwards = await graph.query('INAMI', INTAKE, { from: '2026-12-31', to: '2026-01-01' });
    expect(backwards.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'receivedTo' });
  });
});

describe('lists take a cursor and give a total (Relay connections)', () => {
  const REGISTRY = `query($first: Int, $after: String, $last: Int, $before: String) { registry(first: $first, after: $after, last: $last, before: $before) { edges { cursor node { id } } ${PAGE} } }`;
  type Page = { registry: Connection<{ id: string }> };

  it('walks the registry two at a time forward and back: every person once, in order, with the total', async () => {
    const whole = await graph.query<Page>('INAMI', REGISTRY, { first: 500 });
    expect(whole.errors).toBeUndefined();
    const everyone = nodes(whole.data!.registry).map((p) => p.id);
    expect(everyone.length).toBeGreaterThanOrEqual(5);
    expect(whole.data!.registry.totalCount).toBe(everyone.length);

    const walked: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page: GraphQLResponse<Page> = await graph.query<Page>('INAMI', REGISTRY, { first: 2, after });
      const list: Connection<{ id: string }> = page.data!.registry;
      expect(list.totalCount).toBe(everyone.length);
      expect(list.pageInfo.hasPreviousPage).toBe(after !== null);
      walked.push(...nodes(list).map((p) => p.id));
      pages++;
      if (!list.pageInfo.hasNextPage) break;
      expect(list.pageInfo.endCursor).toBe(list.edges[list.edges.length - 1]!.cursor);
      after = list.pageInfo.endCursor;
    }
    expect(walked).toEqual(everyone);
    expect(pages).toBe(Math.ceil(everyone.length / 2));

    // Backwards from the end: the last two, then the two before them.
    const last = await graph.query<Page>('INAMI', REGISTRY, { last: 2 });
    expect(nodes(last.data!.registry).map((p) => p.id)).toEqual(everyone.slice(-2));
    expect(last.data!.registry.pageInfo).toMatchObject({ hasPreviousPage: everyone.length > 2, hasNextPage: false });
    const before = await graph.query<Page>('INAMI', REGISTRY, {
      last: 2,
      before: last.data!.registry.pageInfo.startCursor,
    });
    expect(nodes(before.data!.registry).map((p) => p.id)).toEqual(everyone.slice(-4, -2));
    expect(before.data!.registry.pageInfo.hasNextPage).toBe(true);
  });

  it.each([
    ['a cursor that is not one', { first: 2, after: 'not-a-cursor' }, 'after'],
    ['a cursor of another shape', { first: 2, after: Buffer.from('["k1","x","y"]').toString('base64url') }, 'after'],
    [
      'an offset disguised as a cursor',
      { first: 2, before: Buffer.from('arrayconnection:100000').toString('base64') },
      'before',
    ],
    ['first 0', { first: 0 }, 'first'],
    ['first above 500', { first: 501 }, 'first'],
    ['last negative', { last: -1 }, 'last'],
    ['first and last together', { first: 2, last: 2 }, 'last'],
  ])('refuses %s: BAD_USER_INPUT naming the argument', async (_what, variables, field) => {
    const response = await graph.query('INAMI', REGISTRY, variables);
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(response.data?.registry ?? null).toBeNull();
  });
});

describe('lookups by NISS and registry number, for the circle only (R18)', () => {
  const BY_NISS = 'query($niss: String!) { participantByNiss(niss: $niss) { id familyName } }';
  const BY_NUMBER = 'query($n: String!) { pathwayByRegistryNumber(registryNumber: $n) { id registryNumber } }';

  it('finds the person by NISS for those in their circle; an outsider gets exactly the answer for a number no one has', async () => {
    for (const insider of [DR_A, OA_300, 'INAMI' as const, COACH, SUPERVISOR]) {
      const found = await graph.query<{ participantByNiss: { id: string } | null }>(insider, BY_NISS, {
        niss: coached.niss,
      });
      expect({ insider, found: found.data }).toEqual({
        insider,
        found: { participantByNiss: { id: coached.participantId, familyName: 'Lambert' } },
      });
    }
    const nobody = makeNiss('1971-02-03', 997);
    for (const outsider of [DR_B, DR_OTHER_OA, OA_100, OTHER_COACH, OTHER_SUPERVISOR, VDAB]) {
      const hidden = await graph.query(outsider, BY_NISS, { niss: coached.niss });
      const missing = await graph.query(outsider, BY_NISS, { niss: nobody });
      expect(answer(hidden)).toEqual(answer(missing));
      expect(hidden.data).toEqual({ participantByNiss: null });
    }
    // The written forms of a NISS are the same number; a malformed one says nothing about anyone.
    const dotted = `${coached.niss.slice(0, 2)}.${coached.niss.slice(2, 4)}.${coached.niss.slice(4, 6)}-${coached.niss.slice(6, 9)}.${coached.niss.slice(9)}`;
    expect(
      (await graph.query<{ participantByNiss: { id: string } }>(DR_A, BY_NISS, { niss: dotted })).data!
        .participantByNiss.id,
    ).toBe(coached.participantId);
    const malformed = await graph.query(DR_A, BY_NISS, { niss: '12345678901' });
    expect(malformed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'niss' });
  });

  it('finds the pathway by registry number for the circle; an outsider gets the answer for a number never given', async () => {
    const [row] = await graph.sql<{ registry_number: string }>(
      'select registry_number from pathways.pathway where id = $1',
      [coached.pathwayId],
    );
    const number = row!.registry_number;
    for (const insider of [DR_A, 'INAMI' as const, COACH, SUPERVISOR, FOREM]) {
      const found = await graph.query(insider, BY_NUMBER, { n: number.toLowerCase() });
      expect({ insider, found: found.data }).toEqual({
        insider,
        found: { pathwayByRegistryNumber: { id: coached.pathwayId, registryNumber: number } },
      });
    }
    for (const outsider of [DR_B, DR_OTHER_OA, OTHER_COACH, OTHER_SUPERVISOR, VDAB]) {
      const hidden = await graph.query(outsider, BY_NUMBER, { n: number });
      const missing = await graph.query(outsider, BY_NUMBER, { n: 'IPS-999999' });
      expect(answer(hidden)).toEqual(answer(missing));
      expect(hidden.data).toEqual({ pathwayByRegistryNumber: null });
    }
    expect((await graph.query(DR_A, BY_NUMBER, { n: '42' })).errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'registryNumber',
    });
    expect(errorCodes(await graph.query('RESEARCHER', BY_NUMBER, { n: number }))).toEqual([
      'GRAPHQL_VALIDATION_FAILED',
    ]);
  });
});

describe('SQL statements per request do not grow with the list (10 vs 100 items), for every list of the graph', () => {
  beforeAll(async () => {
    await buildListData(graph);
  }, 120_000);

  it('measures every list of the graph: each list field of the supergraph is in LIST_MEASURES or LIST_EXEMPTIONS, not both', () => {
    const lists = listFieldsOfGraph();
    expect(lists.query.length).toBeGreaterThan(20);
    expect(lists.nested.length).toBeGreaterThan(10);
    const measured = new Set([
      ...LIST_MEASURES.map((measure) => `Query.${measure.field}`),
      ...LIST_MEASURES.flatMap((measure) => Object.keys(measure.nested ?? {})),
    ]);
    const unaccounted = [...lists.query, ...lists.nested].filter(
      (field) => !measured.has(field) && !(field in LIST_EXEMPTIONS),
    );
    expect(unaccounted).toEqual([]);
    // Neither a measure nor an exemption of a field the graph no longer has, nor a field both measured and exempted.
    expect(
      [...measured, ...Object.keys(LIST_EXEMPTIONS)].filter(
        (field) => ![...lists.query, ...lists.nested].includes(field),
      ),
    ).toEqual([]);
    expect([...measured].filter((field) => field in LIST_EXEMPTIONS)).toEqual([]);
  });

  it.each(LIST_MEASURES)('$field', async (measure) => {
    const run = async (size: Size) => {
      const { query, variables } = measureQuery(measure, size);
      const response = await graph.query(measure.as(size), query, variables);
      expect(response.errors).toBeUndefined();
      const items = itemsOf(measure, response);
      expect(items).toHaveLength(size);
      // Each nested list non-empty in every item: N+1 would show as statements growing with the items.
      for (const [nested, path] of Object.entries(measure.nested ?? {})) {
        expect({
          nested,
          empty: items.filter((item) => !Array.isArray(at(item, path)) || (at(item, path) as unknown[]).length === 0)
            .length,
        }).toEqual({ nested, empty: 0 });
      }
      return response.extensions!.sqlStatements as number;
    };
    const [ten, hundred] = [await run(10), await run(100)];
    console.log(
      `List ${measure.field}${measure.nested ? ` (with ${Object.keys(measure.nested).join(', ')})` : ''}: SQL statements for 10 items → ${ten}, for 100 items → ${hundred}`,
    );
    expect(ten).toBeGreaterThan(0);
    expect(hundred).toBe(ten);
  });
});
