/**
 * Conventions as versioned agreements (R17), through the gateway with each actor's own token:
 * - terms (period, capacity, staffing, funding lines in euro cents, illustrative) and their history;
 * - INAMI amends through the command path; a change of money needs a second INAMI agent (four eyes,
 *   as the trial design), once, on the version in force; the loser of a race is a CONFLICT;
 * - capacity: at a full convention registration is paused (FULL_CONVENTION_RULE) and the referral waits in the intake;
 * - staffing: each month's coaches and supervisors (FTE hundredths, by days active) against the convention's;
 * - read matrix: INAMI and the partner's own supervisor; another partner's supervisor sees none, an
 *   integrator and a coach cannot ask at all (absent from their schema).
 */
import type { Identity } from '../schema/identity.js';
import { CONVENTION_IDS, newKey, REGISTER_PATHWAY_ID } from './fixtures.js';
import { errorCodes, startTestPlatform, type TestPlatform } from './harness.js';
import { seed } from './seed.js';

let graph: TestPlatform;
const AGENT_A: Identity = { role: 'INAMI', organisation: 'INAMI', subject: 'finance-agent-a' };
const AGENT_B: Identity = { role: 'INAMI', organisation: 'INAMI', subject: 'finance-agent-b' };
const AGENT_C: Identity = { role: 'INAMI', organisation: 'INAMI', subject: 'finance-agent-c' };
const SUPERVISOR_A23: Identity = { role: 'SUPERVISOR', organisation: 'ARTICLE-23', subject: 'supervisor-terms' };
const SUPERVISOR_ISPPC: Identity = { role: 'SUPERVISOR', organisation: 'ISPPC', subject: 'supervisor-terms-isppc' };

beforeAll(async () => {
  graph = await startTestPlatform();
  // INAMI's agents are enrolled by INAMI's directory admin, as INAMI would.
  const admin: Identity = { role: 'INAMI', organisation: 'INAMI', subject: 'inami-directory-admin' };
  for (const agent of [AGENT_A, AGENT_B, AGENT_C]) {
    const enrolled = await graph.query(
      admin,
      'mutation($input: EnrolStaffMemberInput!) { enrolStaffMember(input: $input) { id } }',
      { input: { subject: agent.subject, function: 'INAMI_AGENT', displayName: agent.subject } },
    );
    expect(enrolled.errors).toBeUndefined();
  }
  for (const supervisor of [SUPERVISOR_A23, SUPERVISOR_ISPPC]) await graph.enrol(supervisor);
}, 120_000);
afterAll(async () => {
  await graph?.stop();
});

const TERMS = `query($id: ID!) { convention(id: $id) { code terms { version validFrom validTo partnerPathways coachFteHundredths supervisorFteHundredths
  coachFteMonthCents supervisorFteMonthCents pathwayStartCents fundedStaffingMonthCents illustrative
  amendments { version basedOnVersion status reason changesMoney proposedBy approvedBy changes { term before after } } } } }`;
const AMEND = `mutation($input: AmendConventionInput!, $key: String!) { amendConvention(input: $input, idempotencyKey: $key) {
  id version basedOnVersion status changesMoney proposedBy approvedBy changes { term before after } } }`;
const APPROVE =
  'mutation($id: ID!, $key: String!) { approveConventionAmendment(amendmentId: $id, idempotencyKey: $key) { id version status approvedBy } }';

interface Amendment {
  id: string;
  version: number | null;
  status: string;
  changesMoney: boolean;
  approvedBy: string | null;
  changes: { term: string; before: string | null; after: string | null }[];
}
interface Terms {
  version: number;
  partnerPathways: number;
  coachFteHundredths: number;
  supervisorFteHundredths: number;
  coachFteMonthCents: number;
  supervisorFteMonthCents: number;
  fundedStaffingMonthCents: number;
  illustrative: boolean;
  validTo: string | null;
  amendments: (Amendment & { reason: string; proposedBy: string })[];
}

async function termsOf(as: Identity | 'INAMI', code: keyof typeof CONVENTION_IDS): Promise<Terms | null> {
  const { data, errors } = await graph.query<{ convention: { terms: Terms | null } }>(as, TERMS, {
    id: CONVENTION_IDS[code],
  });
  expect(errors).toBeUndefined();
  return data!.convention.terms;
}
async function amend(
  as: Identity,
  code: keyof typeof CONVENTION_IDS,
  terms: Record<string, unknown>,
  reason = 'Amendment signed on 1 December (ref. test)',
  key = newKey(),
) {
  return graph.query<{ amendConvention: Amendment }>(as, AMEND, {
    input: { conventionId: CONVENTION_IDS[code], reason, terms },
    key,
  });
}

describe('the convention as a versioned agreement', () => {
  it('holds its period, funded staffing and funding lines in euro cents, the demo amounts marked illustrative, version 1 in its history', async () => {
    const terms = (await termsOf(AGENT_A, 'ARTICLE-23'))!;
    expect(terms).toMatchObject({
      version: 1,
      partnerPathways: 100,
      coachFteHundredths: 500,
      supervisorFteHundredths: 50,
      coachFteMonthCents: 550000,
      supervisorFteMonthCents: 650000,
      illustrative: true,
    });
    // 5.00 × 5 500.00 € + 0.50 × 6 500.00 € = 30 750.00 € a month, computed by hand.
    expect(terms.fundedStaffingMonthCents).toBe(3_075_000);
    expect(terms.amendments).toHaveLength(1);
    expect(terms.amendments[0]).toMatchObject({ version: 1, status: 'APPLIED', proposedBy: 'migration' });
  });

  it('changes money only with two INAMI agents: proposed by one, refused to its author, approved by another, once', async () => {
    const proposed = await amend(
      AGENT_A,
      'ISPPC',
      { coachFteMonthCents: 560000 },
      'Indexation of salaries (ref. test-money)',
    );
    expect(proposed.errors).toBeUndefined();
    expect(proposed.data!.amendConvention).toMatchObject({
      status: 'PROPOSED',
      version: null,
      changesMoney: true,
      changes: [{ term: 'coachFteMonthCents', before: '550000', after: '560000' }],
    });
    expect((await termsOf(AGENT_A, 'ISPPC'))!.coachFteMonthCents).toBe(550000); // nothing paid differently yet

    const byAuthor = await graph.query(AGENT_A, APPROVE, { id: proposed.data!.amendConvention.id, key: newKey() });
    expect(byAuthor.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      messageId: 'precondition.notAmendmentAuthor',
    });

    const approved = await graph.query<{ approveConventionAmendment: Amendment }>(AGENT_B, APPROVE, {
      id: proposed.data!.amendConvention.id,
      key: newKey(),
    });
    expect(approved.errors).toBeUndefined();
    expect(approved.data!.approveConventionAmendment).toMatchObject({
      status: 'APPLIED',
      version: 2,
      approvedBy: AGENT_B.subject,
    });
    const terms = (await termsOf(AGENT_C, 'ISPPC'))!;
    expect(terms).toMatchObject({ version: 2, coachFteMonthCents: 560000 });
    expect(terms.fundedStaffingMonthCents).toBe(500 * 5600 + 50 * 6500); // 5.00 × 5 600 € + 0.50 × 6 500 €, in cents
    expect(terms.amendments.at(-1)).toMatchObject({
      reason: 'Indexation of salaries (ref. test-money)',
      proposedBy: AGENT_A.subject,
      approvedBy: AGENT_B.subject,
    });

    const again = await graph.query(AGENT_C, APPROVE, { id: proposed.data!.amendConvention.id, key: newKey() });
    expect(again.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      messageId: 'precondition.amendmentProposed',
    });
  });

  it('applies a change of period alone at once, and replays a retried amendment (same key) without a second version', async () => {
    const key = newKey();
    const first = await amend(AGENT_A, 'VDAB-GTB', { validTo: '2027-06-30' }, 'Pilot extended by six months', key);
    const retry = await amend(AGENT_A, 'VDAB-GTB', { validTo: '2027-06-30' }, 'Pilot extended by six months', key);
    expect(first.errors).toBeUndefined();
    expect(retry.data).toEqual(first.data);
    expect(first.data!.amendConvention).toMatchObject({
      status: 'APPLIED',
      version: 2,
      changesMoney: false,
      changes: [{ term: 'validTo', before: '2026-12-31', after: '2027-06-30' }],
    });
    expect(
      await graph.sql('select count(*)::int as n from billing.convention_amendment where convention_id = $1', [
        CONVENTION_IDS['VDAB-GTB'],
      ]),
    ).toEqual([{ n: 2 }]);
  });

  it('gives one approval of two at once, the other a CONFLICT, and never applies an amendment twice', async () => {
    const proposed = await amend(
      AGENT_A,
      'EQUIPE-MASS',
      { supervisorFteMonthCents: 660000 },
      'Supervisor scale (ref. race)',
    );
    const answers = await Promise.all(
      [AGENT_B, AGENT_C].map((agent) =>
        graph.query(agent, APPROVE, { id: proposed.data!.amendConvention.id, key: newKey() }),
      ),
    );
    expect(answers.filter((answer) => !answer.errors)).toHaveLength(1);
    expect(answers.flatMap(errorCodes)).toEqual(['CONFLICT']);
    expect((await termsOf(AGENT_A, 'EQUIPE-MASS'))!.version).toBe(2);
  });

  it('refuses an approval on a version no longer in force: propose again', async () => {
    const stale = await amend(
      AGENT_A,
      'ARTICLE-23',
      { pathwayStartCents: 25000 },
      'A fee per pathway started (ref. stale)',
    );
    await amend(AGENT_B, 'ARTICLE-23', { validTo: '2027-03-31' }, 'Period extended');
    const refused = await graph.query(AGENT_C, APPROVE, { id: stale.data!.amendConvention.id, key: newKey() });
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      messageId: 'precondition.amendmentCurrent',
    });
    expect((await termsOf(AGENT_A, 'ARTICLE-23'))!).toMatchObject({ version: 2, validTo: '2027-03-31' });
  });

  it('names the bad term, writes nothing: no change, a negative amount, a share above the region', async () => {
    const before = await graph.sql('select count(*)::int as n from billing.convention_amendment');
    const none = await amend(AGENT_A, 'ISPPC', { partnerPathways: 100 });
    expect(none.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.terms' });
    const negative = await amend(AGENT_A, 'ISPPC', { coachFteMonthCents: -1 });
    expect(negative.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.terms.coachFteMonthCents',
    });
    const above = await amend(AGENT_A, 'ISPPC', { partnerPathways: 201 });
    expect(above.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.terms.partnerPathways',
    });
    expect(await graph.sql('select count(*)::int as n from billing.convention_amendment')).toEqual(before);
  });
});

describe('who reads and who amends (read and write matrices)', () => {
  it("shows a partner's supervisor their own convention's terms, capacity and staffing, and another partner's as none", async () => {
    expect(await termsOf(SUPERVISOR_A23, 'ARTICLE-23')).toMatchObject({ coachFteHundredths: 500 });
    expect(await termsOf(SUPERVISOR_ISPPC, 'ARTICLE-23')).toBeNull();
    const other = await graph.query<{ convention: { capacity: unknown; staffing: unknown } }>(
      SUPERVISOR_ISPPC,
      'query($id: ID!) { convention(id: $id) { capacity { counted } staffing { month } } }',
      { id: CONVENTION_IDS['ARTICLE-23'] },
    );
    expect(other.data!.convention).toEqual({ capacity: null, staffing: null });
  });

  it.each(['INTEGRATOR', 'JOB_COACH', 'RESEARCHER', 'OA'] as const)(
    'gives %s no terms, capacity or staffing to ask for (absent from its schema)',
    async (role) => {
      for (const field of ['terms { version }', 'capacity { counted }', 'staffing { month }']) {
        const response = await graph.query(role, `query($id: ID!) { convention(id: $id) { code ${field} } }`, {
          id: CONVENTION_IDS['ARTICLE-23'],
        });
        expect(errorCodes(response)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      }
    },
  );

  it('lets no one but an INAMI agent amend: a supervisor, an integrator, a coach are refused and nothing is written', async () => {
    const before = await graph.sql('select count(*)::int as n from billing.convention_amendment');
    for (const as of [SUPERVISOR_A23, 'INTEGRATOR', 'JOB_COACH'] as const) {
      const refused = await graph.query(as, AMEND, {
        input: {
          conventionId: CONVENTION_IDS['ARTICLE-23'],
          reason: 'Not mine to change',
          terms: { partnerPathways: 90 },
        },
        key: newKey(),
      });
      expect(refused.errors).toBeDefined();
      expect(refused.data?.amendConvention ?? null).toBeNull();
    }
    const notListed = await graph.query({ role: 'INAMI', organisation: 'INAMI', subject: 'not-in-directory' }, AMEND, {
      input: { conventionId: CONVENTION_IDS['ARTICLE-23'], reason: 'Not listed', terms: { partnerPathways: 90 } },
      key: newKey(),
    });
    expect(errorCodes(notListed)).toEqual(['FORBIDDEN']);
    expect(await graph.sql('select count(*)::int as n from billing.convention_amendment')).toEqual(before);
  });
});

describe('capacity at a full convention (FULL_CONVENTION_RULE: registration paused)', () => {
  const CAPACITY =
    'query($id: ID!) { convention(id: $id) { capacity { capacity counted activeIps awaitingRandomisation registered state warning } } }';
  const brussels = () =>
    seed(graph).person({ postcode: '1000', region: 'BRUSSELS' }).referredBy('MEDECIN_CONSEIL', { form: 'FIA' }).build();

  it('registers up to the capacity, then keeps the referral waiting in the intake with a CONFLICT that says why', async () => {
    const first = await brussels();
    const second = await brussels();
    const counted = async () =>
      (
        await graph.query<{
          convention: { capacity: { counted: number; state: string; warning: string | null; capacity: number } };
        }>('INAMI', CAPACITY, { id: CONVENTION_IDS['EQUIPE-MASS'] })
      ).data!.convention.capacity;
    const used = (await counted()).counted;
    // INAMI sets the capacity to one more place than in use (a change of capacity alone applies at once).
    expect(
      (await amend(AGENT_A, 'EQUIPE-MASS', { partnerPathways: used + 1 }, 'Capacity for the test')).errors,
    ).toBeUndefined();
    const registered = await graph.query('INAMI', REGISTER_PATHWAY_ID, {
      input: { referralId: first.referralId },
      key: newKey(),
    });
    expect(registered.errors).toBeUndefined();
    expect(await counted()).toMatchObject({ counted: used + 1, capacity: used + 1, state: 'FULL' });
    expect((await counted()).warning).toMatch(/registration is paused/);

    const paused = await graph.query('INAMI', REGISTER_PATHWAY_ID, {
      input: { referralId: second.referralId },
      key: newKey(),
    });
    expect(paused.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      messageId: 'precondition.conventionHasRoom',
    });
    expect(paused.errors?.[0]?.message).toMatch(
      /^Registration paused: the partner's convention is full; the referral stays waiting in the intake/,
    );
    expect(await graph.sql('select 1 from pathways.pathway where referral_id = $1', [second.referralId])).toHaveLength(
      0,
    );
    const intake = await graph.query<{ intakeQueue: { edges: { node: { referralId: string } }[] } }>(
      'INAMI',
      '{ intakeQueue(first: 500) { edges { node { referralId } } } }',
    );
    expect(intake.data!.intakeQueue.edges.map((edge) => edge.node.referralId)).toContain(second.referralId);

    // Room again (INAMI raises the capacity): the waiting referral is registered.
    expect(
      (await amend(AGENT_A, 'EQUIPE-MASS', { partnerPathways: used + 2 }, 'Capacity raised')).errors,
    ).toBeUndefined();
    expect(
      (await graph.query('INAMI', REGISTER_PATHWAY_ID, { input: { referralId: second.referralId }, key: newKey() }))
        .errors,
    ).toBeUndefined();
    await amend(AGENT_A, 'EQUIPE-MASS', { partnerPathways: 60 }, 'Capacity restored');
  });

  it('gives the last place to one of two registrations at once, the other a CONFLICT: never one pathway above the capacity', async () => {
    const people = [await brussels(), await brussels()];
    const used = (
      await graph.query<{ convention: { capacity: { counted: number } } }>('INAMI', CAPACITY, {
        id: CONVENTION_IDS['EQUIPE-MASS'],
      })
    ).data!.convention.capacity.counted;
    expect(
      (await amend(AGENT_A, 'EQUIPE-MASS', { partnerPathways: used + 1 }, 'One place left')).errors,
    ).toBeUndefined();
    const answers = await Promise.all(
      people.map((person) =>
        graph.query('INAMI', REGISTER_PATHWAY_ID, { input: { referralId: person.referralId }, key: newKey() }),
      ),
    );
    expect(answers.filter((answer) => !answer.errors)).toHaveLength(1);
    expect(answers.flatMap(errorCodes)).toEqual(['CONFLICT']);
    const after = (
      await graph.query<{ convention: { capacity: { counted: number; capacity: number; state: string } } }>(
        'INAMI',
        CAPACITY,
        { id: CONVENTION_IDS['EQUIPE-MASS'] },
      )
    ).data!.convention.capacity;
    expect(after).toMatchObject({ counted: used + 1, capacity: used + 1, state: 'FULL' });
    await amend(AGENT_A, 'EQUIPE-MASS', { partnerPathways: 60 }, 'Capacity restored');
  });

  it("shows the capacity to the partner's supervisor too, counting IPS and not yet randomised pathways only", async () => {
    const mass: Identity = { role: 'SUPERVISOR', organisation: 'EQUIPE-MASS', subject: 'supervisor-mass-terms' };
    await graph.enrol(mass);
    const { data } = await graph.query<{
      convention: {
        capacity: {
          counted: number;
          activeIps: number;
          awaitingRandomisation: number;
          registered: number;
          state: string;
        };
      };
    }>(mass, CAPACITY, { id: CONVENTION_IDS['EQUIPE-MASS'] });
    const capacity = data!.convention.capacity;
    expect(capacity.counted).toBe(capacity.activeIps + capacity.awaitingRandomisation);
    expect(capacity.registered).toBeGreaterThanOrEqual(capacity.counted);
    expect(capacity.state).toBe('OPEN');
  });
});

describe('staffing against the convention', () => {
  const STAFFING =
    'query($id: ID!, $from: String, $to: String) { convention(id: $id) { staffing(from: $from, to: $to) { month coachFteHundredths supervisorFteHundredths conventionCoachFteHundredths coachDifferenceHundredths supervisorDifferenceHundredths state } } }';

  it('counts each membership for its FTE and the days it was active: six coaches against five (above), then four (below)', async () => {
    // Constructed memberships of Article 23 (5 coaches + ½ supervisor funded), in 2024.
    const membership = (subject: string, fn: string, from: string, to: string | null, fte: number) =>
      graph.sql(
        `insert into participants.staff_member (id, organisation_code, subject, function, display_name, enrolled_at, enrolled_by, ended_at, ended_by, fte_hundredths)
         values (gen_random_uuid(), 'ARTICLE-23', $1, $2, $1, $3::date::timestamp at time zone 'Europe/Brussels', 'test', $4::date::timestamp at time zone 'Europe/Brussels', case when $4::date is null then null else 'test' end, $5)`,
        [subject, fn, from, to, fte],
      );
    for (let n = 1; n <= 4; n++) await membership(`staffing-coach-${n}`, 'JOB_COACH', '2024-01-01', '2024-12-31', 100);
    await membership('staffing-coach-5', 'JOB_COACH', '2024-01-01', '2024-02-29', 100); // leaves at the end of February
    await membership('staffing-coach-6', 'JOB_COACH', '2024-02-01', '2024-02-29', 100); // February only
    await membership('staffing-supervisor', 'SUPERVISOR', '2024-02-15', '2024-12-31', 50); // half time from 15 February
    // The helper's own enrolments (now) do not reach 2024: only the constructed memberships count.
    const { data, errors } = await graph.query<{ convention: { staffing: Record<string, unknown>[] } }>(
      AGENT_A,
      STAFFING,
      { id: CONVENTION_IDS['ARTICLE-23'], from: '2024-01', to: '2024-03' },
    );
    expect(errors).toBeUndefined();
    expect(data!.convention.staffing).toEqual([
      {
        month: '2024-01',
        coachFteHundredths: 500,
        supervisorFteHundredths: 0,
        conventionCoachFteHundredths: 500,
        coachDifferenceHundredths: 0,
        supervisorDifferenceHundredths: -50,
        state: 'BELOW',
      },
      // 6 coaches; the supervisor ½ × 15 of 29 days = 25.86 → 26 hundredths.
      {
        month: '2024-02',
        coachFteHundredths: 600,
        supervisorFteHundredths: 26,
        conventionCoachFteHundredths: 500,
        coachDifferenceHundredths: 100,
        supervisorDifferenceHundredths: -24,
        state: 'MIXED',
      },
      {
        month: '2024-03',
        coachFteHundredths: 400,
        supervisorFteHundredths: 50,
        conventionCoachFteHundredths: 500,
        coachDifferenceHundredths: -100,
        supervisorDifferenceHundredths: 0,
        state: 'BELOW',
      },
    ]);
    // The partner's supervisor sees the same months.
    const own = await graph.query<{ convention: { staffing: unknown[] } }>(SUPERVISOR_A23, STAFFING, {
      id: CONVENTION_IDS['ARTICLE-23'],
      from: '2024-01',
      to: '2024-03',
    });
    expect(own.data!.convention.staffing).toEqual(data!.convention.staffing);
  });

  it('reads terms, capacity and staffing of 1 or 4 conventions in the same number of SQL statements (batched)', async () => {
    const statements = async (query: string) => (await graph.query(AGENT_A, query)).extensions!.sqlStatements as number;
    const fields =
      'code terms { version amendments { version } } capacity { counted state } staffing(from: "2024-01", to: "2024-06") { month coachFteHundredths }';
    const one = await statements(`{ conventions(region: BRUSSELS) { ${fields} } }`);
    const four = await statements(`{ conventions { ${fields} } }`);
    console.log(
      `Conventions with terms, capacity and staffing, SQL statements: 1 convention → ${one}, 4 conventions → ${four}`,
    );
    expect(four).toBe(one);
  });

  it('names a bad month', async () => {
    const response = await graph.query(AGENT_A, STAFFING, {
      id: CONVENTION_IDS['ARTICLE-23'],
      from: '2024-13',
      to: '2024-03',
    });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from' });
  });
});
