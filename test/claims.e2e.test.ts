/**
 * Claims under the conventions (R17), through the gateway with each actor's own token:
 * - a partner's month built from constructed staff memberships and pathways, every line checked against
 *   amounts computed by hand here (the funding model: claim-lines.ts);
 * - the same claim submitted ten times at once: one claim, the others CONFLICT; a retry replays the answer;
 * - INAMI decides each line (a rejection needs its reason); an approved claim refuses any change;
 * - a credit note of the partner corrects it and the period's total follows; INAMI records the payment;
 * - another partner's supervisor, an integrator and a coach can neither read nor submit.
 */
import type { Identity } from '../schema/identity.js';
import { CONVENTION_IDS, newKey } from './fixtures.js';
import { errorCodes, startTestPlatform, type TestPlatform } from './harness.js';
import { seed } from './seed.js';

let graph: TestPlatform;
const AGENT_A: Identity = { role: 'INAMI', organisation: 'INAMI', subject: 'claims-agent-a' };
const AGENT_B: Identity = { role: 'INAMI', organisation: 'INAMI', subject: 'claims-agent-b' };
const SUPERVISOR_A23: Identity = { role: 'SUPERVISOR', organisation: 'ARTICLE-23', subject: 'supervisor-claims' };
const SUPERVISOR_ISPPC: Identity = { role: 'SUPERVISOR', organisation: 'ISPPC', subject: 'supervisor-claims-isppc' };
const PERIOD = '2024-02'; // 29 days

const CLAIM_FIELDS = `id code period conventionVersion status claimedCents approvedCents creditedCents totalCents paidCents dueCents submittedBy
  lines { id position kind quantity fundedQuantity paidQuantity unitCents amountCents explanation decision decisionReason decidedBy
    sources { kind reference fteHundredths from to days counted } }
  creditNotes { reason totalCents issuedBy lines { claimLineId amountCents } }
  payments { paidOn reference amountCents recordedBy }`;
const SUBMIT = `mutation($input: SubmitClaimInput!, $key: String!) { submitClaim(input: $input, idempotencyKey: $key) { ${CLAIM_FIELDS} } }`;
const DECIDE = `mutation($input: DecideClaimLineInput!, $key: String!) { decideClaimLine(input: $input, idempotencyKey: $key) { ${CLAIM_FIELDS} } }`;
const CREDIT = `mutation($input: IssueCreditNoteInput!, $key: String!) { issueCreditNote(input: $input, idempotencyKey: $key) { ${CLAIM_FIELDS} } }`;
const PAY = `mutation($input: RecordClaimPaymentInput!, $key: String!) { recordClaimPayment(input: $input, idempotencyKey: $key) { ${CLAIM_FIELDS} } }`;
const READ = `query($id: ID!, $period: String) { convention(id: $id) { code claims(period: $period) { ${CLAIM_FIELDS} } } }`;

interface Line {
  id: string;
  kind: string;
  quantity: number;
  fundedQuantity: number | null;
  paidQuantity: number;
  unitCents: number;
  amountCents: number;
  explanation: string;
  decision: string | null;
  sources: {
    kind: string;
    reference: string;
    fteHundredths: number | null;
    from: string;
    to: string;
    days: number;
    counted: boolean;
  }[];
}
interface Claim {
  id: string;
  status: string;
  claimedCents: number;
  approvedCents: number;
  creditedCents: number;
  totalCents: number;
  paidCents: number;
  dueCents: number;
  conventionVersion: number;
  lines: Line[];
  creditNotes: unknown[];
  payments: unknown[];
}

const pathwayIds: Record<string, string> = {};

beforeAll(async () => {
  graph = await startTestPlatform();
  await seed(graph).trial();
  const admin: Identity = { role: 'INAMI', organisation: 'INAMI', subject: 'inami-directory-admin' };
  for (const agent of [AGENT_A, AGENT_B]) {
    const enrolled = await graph.query(
      admin,
      'mutation($input: EnrolStaffMemberInput!) { enrolStaffMember(input: $input) { id } }',
      { input: { subject: agent.subject, function: 'INAMI_AGENT', displayName: agent.subject } },
    );
    expect(enrolled.errors).toBeUndefined();
  }
  // Article 23's convention pays 250 € per pathway started (illustrative): a change of money, by two INAMI agents.
  const proposed = await graph.query<{ amendConvention: { id: string } }>(
    AGENT_A,
    'mutation($input: AmendConventionInput!, $key: String!) { amendConvention(input: $input, idempotencyKey: $key) { id } }',
    {
      input: {
        conventionId: CONVENTION_IDS['ARTICLE-23'],
        reason: 'Fee per pathway started (claims test)',
        terms: { pathwayStartCents: 25_000 },
      },
      key: newKey(),
    },
  );
  expect(proposed.errors).toBeUndefined();
  expect(
    (
      await graph.query(
        AGENT_B,
        'mutation($id: ID!, $key: String!) { approveConventionAmendment(amendmentId: $id, idempotencyKey: $key) { id } }',
        { id: proposed.data!.amendConvention.id, key: newKey() },
      )
    ).errors,
  ).toBeUndefined();

  // Constructed memberships of Article 23 (5 coaches + ½ supervisor funded) in February 2024.
  const membership = (subject: string, fn: string, from: string, to: string | null, fte: number) =>
    graph.sql(
      `insert into participants.staff_member (id, organisation_code, subject, function, display_name, enrolled_at, enrolled_by, ended_at, ended_by, fte_hundredths)
       values (gen_random_uuid(), 'ARTICLE-23', $1, $2, $1, $3::date::timestamp at time zone 'Europe/Brussels', 'test', $4::date::timestamp at time zone 'Europe/Brussels', case when $4::date is null then null else 'test' end, $5)`,
      [subject, fn, from, to, fte],
    );
  for (let n = 1; n <= 4; n++) await membership(`claim-coach-${n}`, 'JOB_COACH', '2023-06-01', null, 100); // the whole month
  await membership('claim-coach-5', 'JOB_COACH', '2023-06-01', '2024-02-14', 100); // leaves on the 14th: 14 days
  await membership('claim-coach-6', 'JOB_COACH', '2024-02-10', null, 50); // half time from the 10th: 20 days
  await membership('claim-supervisor', 'SUPERVISOR', '2024-02-15', null, 100); // full time from the 15th: 15 days, above the ½ funded
  await membership('claim-coach-gone', 'JOB_COACH', '2023-01-01', '2024-01-31', 100); // gone before the month

  // Pathways registered under Article 23, dated into February 2024: two in the IPS arm, one in the control arm; one in January.
  const started = async (name: string, arm: 'IPS' | 'CONTROL', at: string) => {
    const person = await seed(graph)
      .person()
      .referredBy('MEDECIN_CONSEIL')
      .registered({ convention: 'ARTICLE-23' })
      .randomised({ arm })
      .build();
    await graph.sql('update pathways.pathway set registered_at = $2::timestamptz where id = $1', [
      person.pathwayId,
      at,
    ]);
    pathwayIds[name] = person.pathwayId;
  };
  await started('ips-1', 'IPS', '2024-02-03T10:00:00+01:00');
  await started('ips-2', 'IPS', '2024-02-29T23:30:00+01:00'); // late on the last day, Belgian time
  await started('control', 'CONTROL', '2024-02-10T10:00:00+01:00');
  await started('january', 'IPS', '2024-01-31T23:30:00+01:00');
}, 240_000);
afterAll(async () => {
  await graph?.stop();
});

const submit = (as: Identity | 'INTEGRATOR' | 'JOB_COACH', period = PERIOD, key = newKey()) =>
  graph.query<{ submitClaim: Claim }>(as, SUBMIT, {
    input: { conventionId: CONVENTION_IDS['ARTICLE-23'], period },
    key,
  });
const claimCount = async () =>
  Number(
    (
      await graph.sql<{ n: string }>(
        "select count(*) as n from billing.claim where code = 'ARTICLE-23' and period = $1",
        [PERIOD],
      )
    )[0]!.n,
  );
let claim: Claim;
const line = (kind: string) => claim.lines.find((each) => each.kind === kind)!;

describe("a partner's claim for a month (R17)", () => {
  it('refuses a month not yet ended, naming the period, and writes nothing', async () => {
    const now = new Date().toISOString().slice(0, 7);
    const refused = await submit(SUPERVISOR_A23, now);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.period' });
    expect(await claimCount()).toBe(0);
  });

  it('gives one claim of ten submitted at once: the others CONFLICT, never a second claim or an internal error', async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, () => submit(SUPERVISOR_A23)));
    const won = answers.filter((answer) => !answer.errors);
    expect(won).toHaveLength(1);
    expect(answers.filter((answer) => answer.errors).flatMap(errorCodes)).toEqual(Array(9).fill('CONFLICT'));
    expect(answers.find((answer) => answer.errors)!.errors![0]!.extensions).toMatchObject({
      messageId: 'precondition.noClaimForPeriod',
    });
    expect(await claimCount()).toBe(1);
    claim = won[0]!.data!.submitClaim;
  });

  it('replays a retried submission (same key) with the identical answer, never a second claim', async () => {
    const key = newKey();
    const [first, again] = await Promise.all([
      submit(SUPERVISOR_A23, '2024-03', key),
      submit(SUPERVISOR_A23, '2024-03', key),
    ]);
    expect(first.errors).toBeUndefined();
    expect(again.data).toEqual(first.data);
    expect(
      await graph.sql("select count(*)::int as n from billing.claim where code = 'ARTICLE-23' and period = '2024-03'"),
    ).toEqual([{ n: 1 }]);
  });

  it('computes every line from the convention in force, the memberships and the pathways, as by hand', () => {
    expect(claim).toMatchObject({
      code: 'ARTICLE-23',
      period: PERIOD,
      status: 'SUBMITTED',
      conventionVersion: 2,
      submittedBy: SUPERVISOR_A23.subject,
    });
    // Coaches: 4 × 100 × 29 + 100 × 14 + 50 × 20 = 14 000 FTE-hundredth-days; 14 000 / 29 = 4.83 FTE-months, under the 5.00 funded;
    // 14 000 × 550 000 / (100 × 29) = 2 655 172.41 → 2 655 172 cents.
    expect(line('COACH_FTE_MONTHS')).toMatchObject({
      quantity: 483,
      fundedQuantity: 500,
      paidQuantity: 483,
      unitCents: 550_000,
      amountCents: 2_655_172,
    });
    expect(
      line('COACH_FTE_MONTHS').sources.map((s) => `${s.reference} ${s.fteHundredths} ${s.from}..${s.to} ${s.days}`),
    ).toEqual([
      'claim-coach-1 100 2024-02-01..2024-02-29 29',
      'claim-coach-2 100 2024-02-01..2024-02-29 29',
      'claim-coach-3 100 2024-02-01..2024-02-29 29',
      'claim-coach-4 100 2024-02-01..2024-02-29 29',
      'claim-coach-5 100 2024-02-01..2024-02-14 14',
      'claim-coach-6 50 2024-02-10..2024-02-29 20',
    ]);
    // Supervisor: 100 × 15 = 1 500 FTE-days against 50 × 29 = 1 450 funded: paid at the funded ½, 1 450 × 650 000 / 2 900 = 325 000 cents.
    expect(line('SUPERVISOR_FTE_MONTHS')).toMatchObject({
      quantity: 52,
      fundedQuantity: 50,
      paidQuantity: 50,
      unitCents: 650_000,
      amountCents: 325_000,
    });
    expect(line('SUPERVISOR_FTE_MONTHS').explanation).toMatch(/at most the funded FTE/);
    // Pathways started in February in the IPS arm: 2 × 25 000 = 50 000 cents; the control-arm one named, not paid; January's not there.
    expect(line('PATHWAY_STARTS')).toMatchObject({
      quantity: 2,
      paidQuantity: 2,
      unitCents: 25_000,
      amountCents: 50_000,
    });
    expect(line('PATHWAY_STARTS').sources.map((s) => [s.reference, s.from, s.counted])).toEqual([
      [pathwayIds['ips-1'], '2024-02-03', true],
      [pathwayIds.control, '2024-02-10', false],
      [pathwayIds['ips-2'], '2024-02-29', true],
    ]);
    expect(claim.claimedCents).toBe(2_655_172 + 325_000 + 50_000);
    expect(claim).toMatchObject({ approvedCents: 0, totalCents: 0, dueCents: 0 });
  });
});

describe("INAMI's decisions, the approved claim, the credit note and the payment", () => {
  const decide = (lineId: string, decision: string, reason?: string, as: Identity = AGENT_A) =>
    graph.query<{ decideClaimLine: Claim }>(as, DECIDE, { input: { lineId, decision, reason }, key: newKey() });

  it('needs a reason to reject a line, and decides each line once', async () => {
    const bare = await decide(line('SUPERVISOR_FTE_MONTHS').id, 'REJECTED');
    expect(bare.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.reason' });
    const rejected = await decide(
      line('SUPERVISOR_FTE_MONTHS').id,
      'REJECTED',
      'No supervisor contract on file for February',
    );
    expect(rejected.errors).toBeUndefined();
    expect(rejected.data!.decideClaimLine.status).toBe('SUBMITTED');
    const twice = await decide(line('SUPERVISOR_FTE_MONTHS').id, 'APPROVED', undefined, AGENT_B);
    expect(twice.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', messageId: 'precondition.lineUndecided' });
  });

  it('approves the claim with its last decision: the approved lines are its total', async () => {
    expect((await decide(line('COACH_FTE_MONTHS').id, 'APPROVED')).errors).toBeUndefined();
    const last = await decide(line('PATHWAY_STARTS').id, 'APPROVED', undefined, AGENT_B);
    expect(last.errors).toBeUndefined();
    claim = last.data!.decideClaimLine;
    expect(claim).toMatchObject({
      status: 'APPROVED',
      approvedCents: 2_655_172 + 50_000,
      creditedCents: 0,
      totalCents: 2_705_172,
      dueCents: 2_705_172,
    });
    expect(line('SUPERVISOR_FTE_MONTHS')).toMatchObject({ decision: 'REJECTED' });
  });

  it('refuses any change to the approved claim (CONFLICT) and leaves it as it was', async () => {
    const before = await graph.sql('select status, claimed_cents from billing.claim where id = $1', [claim.id]);
    const linesBefore = await graph.sql(
      'select id, decision, decision_reason, amount_cents from billing.claim_line where claim_id = $1 order by position',
      [claim.id],
    );
    for (const each of claim.lines) {
      const changed = await decide(each.id, each.decision === 'APPROVED' ? 'REJECTED' : 'APPROVED', 'Second thoughts');
      expect(changed.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT' });
    }
    expect(errorCodes(await submit(SUPERVISOR_A23))).toEqual(['CONFLICT']);
    expect(await graph.sql('select status, claimed_cents from billing.claim where id = $1', [claim.id])).toEqual(
      before,
    );
    expect(
      await graph.sql(
        'select id, decision, decision_reason, amount_cents from billing.claim_line where claim_id = $1 order by position',
        [claim.id],
      ),
    ).toEqual(linesBefore);
    // Not even a direct write to the database changes a decided claim or line (a trigger, for every role).
    await expect(
      graph.sql("update billing.claim_line set decision = 'REJECTED', decision_reason = 'x' where claim_id = $1", [
        claim.id,
      ]),
    ).rejects.toThrow(/a decided claim never changes/);
    await expect(graph.sql("update billing.claim set status = 'REJECTED' where id = $1", [claim.id])).rejects.toThrow(
      /a decided claim never changes/,
    );
  });

  it("corrects it by the partner's credit note: negative lines on approved lines, the period's total follows", async () => {
    const credit = (lines: { claimLineId: string; amountCents: number }[], as: Identity = SUPERVISOR_A23) =>
      graph.query<{ issueCreditNote: Claim }>(as, CREDIT, {
        input: { claimId: claim.id, reason: 'One pathway counted twice in February', lines },
        key: newKey(),
      });
    // Not on a rejected line, not more than the line's amount, not a positive amount.
    expect(
      (await credit([{ claimLineId: line('SUPERVISOR_FTE_MONTHS').id, amountCents: -1 }])).errors?.[0]?.extensions,
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.lines.0.claimLineId' });
    expect(
      (await credit([{ claimLineId: line('PATHWAY_STARTS').id, amountCents: -50_001 }])).errors?.[0]?.extensions,
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.lines.0.amountCents' });
    expect(
      (await credit([{ claimLineId: line('PATHWAY_STARTS').id, amountCents: 100 }])).errors?.[0]?.extensions,
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.lines.0.amountCents' });
    const issued = await credit([{ claimLineId: line('PATHWAY_STARTS').id, amountCents: -25_000 }]);
    expect(issued.errors).toBeUndefined();
    const corrected = issued.data!.issueCreditNote;
    // 2 705 172 approved − 25 000 credited = 2 680 172 cents for February.
    expect(corrected).toMatchObject({
      status: 'APPROVED',
      approvedCents: 2_705_172,
      creditedCents: -25_000,
      totalCents: 2_680_172,
      dueCents: 2_680_172,
    });
    expect(corrected.creditNotes).toEqual([
      {
        reason: 'One pathway counted twice in February',
        totalCents: -25_000,
        issuedBy: SUPERVISOR_A23.subject,
        lines: [{ claimLineId: line('PATHWAY_STARTS').id, amountCents: -25_000 }],
      },
    ]);
    // The claim's own lines did not move.
    expect(corrected.lines.map((each) => each.amountCents)).toEqual(claim.lines.map((each) => each.amountCents));
    // The line is credited no further than its amount, across credit notes.
    expect(
      (await credit([{ claimLineId: line('PATHWAY_STARTS').id, amountCents: -25_001 }])).errors?.[0]?.extensions,
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.lines.0.amountCents' });
  });

  it("records INAMI's payment with its date and reference, never above what is due", async () => {
    const pay = (amountCents: number, as: Identity | 'JOB_COACH' = AGENT_A) =>
      graph.query<{ recordClaimPayment: Claim }>(as, PAY, {
        input: { claimId: claim.id, paidOn: '2024-04-15', reference: 'INAMI-2024-0415-A23', amountCents },
        key: newKey(),
      });
    expect((await pay(2_680_173)).errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.amountCents',
    });
    const paid = await pay(2_680_172);
    expect(paid.errors).toBeUndefined();
    expect(paid.data!.recordClaimPayment).toMatchObject({
      paidCents: 2_680_172,
      dueCents: 0,
      payments: [
        { paidOn: '2024-04-15', reference: 'INAMI-2024-0415-A23', amountCents: 2_680_172, recordedBy: AGENT_A.subject },
      ],
    });
    // Only INAMI pays: the partner's supervisor has no such mutation in its schema; nothing is written.
    expect(errorCodes(await pay(1, SUPERVISOR_A23))).toContain('GRAPHQL_VALIDATION_FAILED');
    expect(
      await graph.sql('select count(*)::int as n from billing.claim_payment where claim_id = $1', [claim.id]),
    ).toEqual([{ n: 1 }]);
  });

  it('refuses a credit note or a payment on a claim not approved', async () => {
    const [march] = (
      await graph.query<{ convention: { claims: Claim[] } }>(AGENT_A, READ, {
        id: CONVENTION_IDS['ARTICLE-23'],
        period: '2024-03',
      })
    ).data!.convention.claims;
    const payment = await graph.query(AGENT_A, PAY, {
      input: { claimId: march!.id, paidOn: '2024-04-15', reference: 'EARLY', amountCents: 1 },
      key: newKey(),
    });
    expect(payment.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      messageId: 'precondition.claimApproved',
    });
  });
});

describe('who reads and who writes (read and write matrices)', () => {
  it("shows the partner's supervisor and INAMI the same claim, and another partner's supervisor none", async () => {
    const own = await graph.query<{ convention: { claims: Claim[] } }>(SUPERVISOR_A23, READ, {
      id: CONVENTION_IDS['ARTICLE-23'],
      period: PERIOD,
    });
    const inami = await graph.query<{ convention: { claims: Claim[] } }>(AGENT_B, READ, {
      id: CONVENTION_IDS['ARTICLE-23'],
      period: PERIOD,
    });
    expect(own.errors).toBeUndefined();
    expect(own.data!.convention.claims).toHaveLength(1);
    expect(own.data).toEqual(inami.data);
    expect(own.data!.convention.claims[0]).toMatchObject({ totalCents: 2_680_172, paidCents: 2_680_172 });
    const other = await graph.query<{ convention: { claims: unknown } }>(SUPERVISOR_ISPPC, READ, {
      id: CONVENTION_IDS['ARTICLE-23'],
      period: PERIOD,
    });
    expect(other.errors).toBeUndefined();
    expect(other.data!.convention.claims).toBeNull();
  });

  it.each(['INTEGRATOR', 'JOB_COACH'] as const)(
    'gives %s no claims to ask for (absent from its schema)',
    async (role) => {
      expect(errorCodes(await graph.query(role, READ, { id: CONVENTION_IDS['ARTICLE-23'], period: PERIOD }))).toEqual([
        'GRAPHQL_VALIDATION_FAILED',
      ]);
    },
  );

  it("lets no one but the partner's own supervisor submit, issue a credit note: nothing written", async () => {
    const claims = await graph.sql('select count(*)::int as n from billing.claim');
    const notes = await graph.sql('select count(*)::int as n from billing.credit_note');
    for (const as of [SUPERVISOR_ISPPC, 'INTEGRATOR', 'JOB_COACH'] as const) {
      const submitted = await submit(as, '2024-05');
      expect(submitted.errors).toBeDefined();
      expect(submitted.data?.submitClaim ?? null).toBeNull();
      const credited = await graph.query(as, CREDIT, {
        input: {
          claimId: claim.id,
          reason: 'Not mine',
          lines: [{ claimLineId: line('COACH_FTE_MONTHS').id, amountCents: -1 }],
        },
        key: newKey(),
      });
      expect(credited.errors).toBeDefined();
    }
    // Another partner's supervisor is told exactly what a missing convention or claim tells.
    expect(errorCodes(await submit(SUPERVISOR_ISPPC, '2024-05'))).toEqual(['NOT_FOUND']);
    expect(await graph.sql('select count(*)::int as n from billing.claim')).toEqual(claims);
    expect(await graph.sql('select count(*)::int as n from billing.credit_note')).toEqual(notes);
  });

  it('reads the claims of 2 or 4 conventions in the same number of SQL statements (batched)', async () => {
    const statements = async (query: string) => (await graph.query(AGENT_A, query)).extensions!.sqlStatements as number;
    const fields = `code claims { ${CLAIM_FIELDS} }`;
    const one = await statements(`{ conventions(region: WALLONIA) { ${fields} } }`);
    const four = await statements(`{ conventions { ${fields} } }`);
    console.log(`Conventions with their claims, SQL statements: 2 conventions → ${one}, 4 conventions → ${four}`);
    expect(four).toBe(one);
  });
});
