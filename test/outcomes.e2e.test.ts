/**
 * Outcomes for everyone: employment episodes in both arms (recorded and ended by
 * the referent: the coach in IPS, the SRE's reference counsellor in the control group — R9, R11,
 * R15), the health insurer's monthly benefit statements (by the person's own OA only), and the
 * trial's outcome measures per arm computed from them — aggregates only, small cells suppressed
 * (R19) — on a seeded dataset whose figures are known exactly.
 */
import type { Identity } from '../schema/identity.js';
import { belgianToday } from '../subgraphs/kit/domain.js';
import { newKey } from './fixtures.js';
import { errorCodes, startTestPlatform, type GraphQLResponse, type TestPlatform } from './harness.js';
import { seed, type RandomisedPerson } from './seed.js';

let graph: TestPlatform;
beforeAll(async () => {
  graph = await startTestPlatform();
  // Blocks of two: every second allocation of a stratum balances the arms, so 24 people are 12 + 12.
  await seed(graph).trial({
    procedure: 'PERMUTED_BLOCKS',
    blockSizes: [2],
    rationale: 'Outcomes test: blocks of two, so each arm holds exactly half.',
  });
}, 120_000);
afterAll(async () => {
  await graph?.stop();
});

const TODAY = belgianToday();
const THIS_MONTH = TODAY.slice(0, 7);
const LAST_MONTH = belgianToday(new Date(Date.UTC(Number(TODAY.slice(0, 4)), Number(TODAY.slice(5, 7)) - 2, 15))).slice(
  0,
  7,
);
const NEXT_MONTH = belgianToday(new Date(Date.UTC(Number(TODAY.slice(0, 4)), Number(TODAY.slice(5, 7)), 15))).slice(
  0,
  7,
);
const YESTERDAY = belgianToday(new Date(Date.now() - 86_400_000));
const TOMORROW = belgianToday(new Date(Date.now() + 86_400_000));
const QUARTER = `${TODAY.slice(0, 4)}-Q${Math.floor((Number(TODAY.slice(5, 7)) - 1) / 3) + 1}`;

const PHYSICIAN: Identity = { role: 'MEDECIN_CONSEIL', organisation: 'OA-300', subject: 'dr-outcomes' };
const OA: Identity = { role: 'OA', organisation: 'OA-300', subject: 'oa-outcomes' };
const OTHER_OA: Identity = { role: 'OA', organisation: 'OA-500', subject: 'oa-outcomes' };
const COACH: Identity = { role: 'JOB_COACH', organisation: 'ARTICLE-23', subject: 'coach-outcomes' };
const OTHER_COACH: Identity = { role: 'JOB_COACH', organisation: 'ARTICLE-23', subject: 'coach-other' };
const SUPERVISOR: Identity = { role: 'SUPERVISOR', organisation: 'ARTICLE-23', subject: 'supervisor-outcomes' };
const SRE_DESK: Identity = { role: 'SRE', organisation: 'FOREM', subject: 'forem-desk' };
const COUNSELLOR: Identity = { role: 'SRE', organisation: 'FOREM', subject: 'counsellor-outcomes' };
const RESEARCHER: Identity = { role: 'RESEARCHER', organisation: 'ULB', subject: 'researcher-outcomes' };

const CONTRACT =
  'mutation($input: RecordEmploymentContractInput!) { recordEmploymentContract(input: $input) { id competitive openLabourMarket paidAtLeastMinimumWage reservedForDisabledPeople endedOn } }';
const END =
  'mutation($input: EndEmploymentEpisodeInput!, $key: String!) { endEmploymentEpisode(input: $input, idempotencyKey: $key) { id endedOn endReason competitive } }';
const STATEMENT =
  'mutation($input: RecordBenefitStatementInput!, $key: String!) { recordBenefitStatement(input: $input, idempotencyKey: $key) { id month benefitType amountCents days partialWorkAuthorised } }';
const ASSIGN_COUNSELLOR =
  'mutation($input: AssignReferenceCounsellorInput!) { assignReferenceCounsellor(input: $input) { id } }';
const ASSIGN_COACH = 'mutation($input: AssignJobCoachInput!) { assignJobCoach(input: $input) { id } }';

const COMPETITIVE = { openLabourMarket: true, paidAtLeastMinimumWage: true, reservedForDisabledPeople: false };
const SHELTERED = { openLabourMarket: false, paidAtLeastMinimumWage: true, reservedForDisabledPeople: true };
const UNDER_MINIMUM_WAGE = { openLabourMarket: true, paidAtLeastMinimumWage: false, reservedForDisabledPeople: false };
const job = (pathwayId: string, criteria: Record<string, boolean> = COMPETITIVE, contractType = 'OPEN_ENDED') => ({
  input: {
    pathwayId,
    employer: 'Colruyt',
    employerNumber: '0203201340',
    jobFunction: 'Magasinier',
    startsOn: TODAY,
    weeklyHours: 19,
    contractType,
    ...criteria,
  },
});
const statement = (participantId: string, fields: Record<string, unknown> = {}) => ({
  input: {
    participantId,
    month: THIS_MONTH,
    benefitType: 'INVALIDITY',
    amountCents: 120_000,
    days: 20,
    partialWorkAuthorised: false,
    ...fields,
  },
  key: newKey(),
});
const codes = (response: GraphQLResponse) => [...new Set(errorCodes(response))];
const fieldOf = (response: GraphQLResponse) => response.errors?.[0]?.extensions;

async function ok<T>(pending: Promise<GraphQLResponse<T>>): Promise<T> {
  const response = await pending;
  if (response.errors) throw new Error(JSON.stringify(response.errors));
  return response.data!;
}

/** A Liège person in the IPS arm with COACH as referent, or in the control group with COUNSELLOR. */
async function ipsPerson() {
  return seed(graph)
    .person()
    .referredBy(PHYSICIAN)
    .registered({ convention: 'ARTICLE-23' })
    .withCoach(COACH, { by: SUPERVISOR })
    .routed()
    .build();
}
async function controlPerson() {
  const person = await seed(graph)
    .person()
    .referredBy(PHYSICIAN)
    .registered({ convention: 'ARTICLE-23' })
    .randomised({ arm: 'CONTROL' })
    .routed()
    .build();
  await graph.enrol(COUNSELLOR);
  await ok(
    graph.query(SRE_DESK, ASSIGN_COUNSELLOR, {
      input: { pathwayId: person.pathwayId, referenceCounsellor: COUNSELLOR.subject },
    }),
  );
  return person;
}

describe('employment episodes in both arms', () => {
  it('lets the coach record a competitive job and end it once; no one else, and no end before the start or in the future', async () => {
    const person = await ipsPerson();
    await graph.enrol(OTHER_COACH);
    const recorded = await graph.query<{ recordEmploymentContract: { id: string; competitive: boolean } }>(
      COACH,
      CONTRACT,
      job(person.pathwayId),
    );
    expect(recorded.data?.recordEmploymentContract).toMatchObject({
      competitive: true,
      openLabourMarket: true,
      paidAtLeastMinimumWage: true,
      reservedForDisabledPeople: false,
      endedOn: null,
    });
    const contractId = recorded.data!.recordEmploymentContract.id;
    const end = (endedOn: string, key = newKey()) => ({ input: { contractId, endedOn, reason: 'RESIGNATION' }, key });

    // Others: another coach of the partner does not see the job (NOT_FOUND, as a missing one); the region's
    // counsellor sees it but is not this person's referent (FORBIDDEN); roles without a grant lack the mutation.
    expect(errorCodes(await graph.query(OTHER_COACH, END, end(TODAY)))).toEqual(['NOT_FOUND']);
    await graph.enrol(COUNSELLOR);
    expect(errorCodes(await graph.query(COUNSELLOR, END, end(TODAY)))).toEqual(['FORBIDDEN']);
    expect(codes(await graph.query(SUPERVISOR, END, end(TODAY)))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(codes(await graph.query(PHYSICIAN, END, end(TODAY)))).toEqual(['GRAPHQL_VALIDATION_FAILED']);

    // Dates: not before the start (which is the registration day), not in the future; each names the field.
    expect(fieldOf(await graph.query(COACH, END, end(YESTERDAY)))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.endedOn',
    });
    expect(fieldOf(await graph.query(COACH, END, end('1901-01-01')))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.endedOn',
    });
    expect(fieldOf(await graph.query(COACH, END, end(TOMORROW)))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.endedOn',
    });
    expect(await graph.sql('select ended_on from pathways.employment_contract where id = $1', [contractId])).toEqual([
      { ended_on: null },
    ]);

    const key = newKey();
    const ended = await graph.query(COACH, END, end(TODAY, key));
    expect(ended.data).toEqual({
      endEmploymentEpisode: { id: contractId, endedOn: TODAY, endReason: 'RESIGNATION', competitive: true },
    });
    expect((await graph.query(COACH, END, end(TODAY, key))).data).toEqual(ended.data); // a retry gets the first answer
    expect(errorCodes(await graph.query(COACH, END, end(TODAY)))).toEqual(['CONFLICT']); // ended once
  });

  it('derives competitive from the three IPS criteria: a sheltered job, one under the minimum wage and a training are not; an unsaid criterion is unknown', async () => {
    const person = await ipsPerson();
    // Five jobs at once, so each with its own employer (one contract at a time with an employer, R15).
    const employers = ['0203201340', '0402206045', '0412345614', '0400000086', '0450000024'];
    const competitive = async (criteria: Record<string, boolean>, contractType?: string) => {
      const { input } = job(person.pathwayId, criteria, contractType);
      return (
        await ok(
          graph.query<{ recordEmploymentContract: { competitive: boolean | null } }>(COACH, CONTRACT, {
            input: { ...input, employerNumber: employers.pop() },
          }),
        )
      ).recordEmploymentContract.competitive;
    };
    expect(await competitive(SHELTERED)).toBe(false);
    expect(await competitive(UNDER_MINIMUM_WAGE)).toBe(false);
    expect(await competitive(COMPETITIVE, 'IN_COMPANY_TRAINING')).toBe(false);
    expect(await competitive({ openLabourMarket: true })).toBeNull();
    expect(await competitive(COMPETITIVE, 'FIXED_TERM')).toBe(true);
  });

  it('lets the reference counsellor record and end a control-group job; the coach does not find it', async () => {
    const person = await controlPerson();
    const recorded = await ok(
      graph.query<{ recordEmploymentContract: { id: string; competitive: boolean } }>(
        COUNSELLOR,
        CONTRACT,
        job(person.pathwayId, SHELTERED),
      ),
    );
    expect(recorded.recordEmploymentContract.competitive).toBe(false);
    const end = {
      input: { contractId: recorded.recordEmploymentContract.id, endedOn: TODAY, reason: 'HEALTH' },
      key: newKey(),
    };
    expect(errorCodes(await graph.query(COACH, END, { ...end, key: newKey() }))).toEqual(['NOT_FOUND']);
    expect(
      errorCodes(await graph.query({ ...COUNSELLOR, organisation: 'VDAB' }, END, { ...end, key: newKey() })),
    ).toEqual(['NOT_FOUND']);
    expect((await graph.query(COUNSELLOR, END, end)).data).toEqual({
      endEmploymentEpisode: {
        id: recorded.recordEmploymentContract.id,
        endedOn: TODAY,
        endReason: 'HEALTH',
        competitive: false,
      },
    });
  });
});

describe("the health insurer's monthly benefit statements", () => {
  let person: RandomisedPerson;
  beforeAll(async () => {
    person = await seed(graph)
      .person()
      .referredBy(PHYSICIAN)
      .registered({ convention: 'ARTICLE-23' })
      .randomised()
      .build();
  });
  const count = async () =>
    (
      await graph.sql<{ n: number }>(
        'select count(*)::int as n from billing.benefit_statement where participant_id = $1',
        [person.participantId],
      )
    )[0]!.n;

  it("is recorded by the person's own health insurer only: another OA is told NOT_FOUND, as for no one", async () => {
    const other = await graph.query(OTHER_OA, STATEMENT, statement(person.participantId));
    const nobody = await graph.query(OA, STATEMENT, statement('0b6f1c1e-5a8e-4c55-9a43-000000000000'));
    expect(fieldOf(other)).toMatchObject({ code: 'NOT_FOUND' });
    expect(other.errors?.[0]?.message).toBe(nobody.errors?.[0]?.message);
    expect(codes(await graph.query(PHYSICIAN, STATEMENT, statement(person.participantId)))).toEqual([
      'GRAPHQL_VALIDATION_FAILED',
    ]);
    expect(codes(await graph.query(SUPERVISOR, STATEMENT, statement(person.participantId)))).toEqual([
      'GRAPHQL_VALIDATION_FAILED',
    ]);
    expect(await count()).toBe(0);

    const key = newKey();
    const recorded = await graph.query(OA, STATEMENT, {
      ...statement(person.participantId, { month: LAST_MONTH, amountCents: 98_765, partialWorkAuthorised: true }),
      key,
    });
    expect(recorded.data).toMatchObject({
      recordBenefitStatement: {
        month: LAST_MONTH,
        benefitType: 'INVALIDITY',
        amountCents: 98_765,
        days: 20,
        partialWorkAuthorised: true,
      },
    });
    // A retry with the same key is the same answer; another statement for the month is a CONFLICT.
    expect(
      (
        await graph.query(OA, STATEMENT, {
          ...statement(person.participantId, { month: LAST_MONTH, amountCents: 98_765, partialWorkAuthorised: true }),
          key,
        })
      ).data,
    ).toEqual(recorded.data);
    expect(
      errorCodes(
        await graph.query(OA, STATEMENT, statement(person.participantId, { month: LAST_MONTH, amountCents: 1 })),
      ),
    ).toEqual(['CONFLICT']);
    expect(await count()).toBe(1);
  });

  it('refuses bad input, naming the field, and writes nothing', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ month: '2026-13' }, 'input.month'],
      [{ month: `${THIS_MONTH}-01` }, 'input.month'],
      [{ month: NEXT_MONTH }, 'input.month'],
      [{ month: '2015-12' }, 'input.month'],
      [{ amountCents: -1 }, 'input.amountCents'],
      [{ amountCents: 1_000_001 }, 'input.amountCents'],
      [{ days: 32 }, 'input.days'],
      [{ month: '2025-02', days: 29 }, 'input.days'],
      [{ days: 0, amountCents: 100 }, 'input.amountCents'],
    ];
    for (const [fields, field] of cases) {
      expect({
        fields,
        error: fieldOf(await graph.query(OA, STATEMENT, statement(person.participantId, fields))),
      }).toEqual({ fields, error: expect.objectContaining({ code: 'BAD_USER_INPUT', field }) });
    }
    expect(fieldOf(await graph.query(OA, STATEMENT, statement('not-an-id')))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.participantId',
    });
    expect(await count()).toBe(1);
  });

  it('is read by the OA, the physician of record and the person; the supervisors and the SRE have no such field', async () => {
    const READ =
      'query($id: ID!) { participant(id: $id) { benefitStatements { month amountCents partialWorkAuthorised } } }';
    const expected = {
      participant: { benefitStatements: [{ month: LAST_MONTH, amountCents: 98_765, partialWorkAuthorised: true }] },
    };
    expect((await graph.query(OA, READ, { id: person.participantId })).data).toEqual(expected);
    expect((await graph.query(PHYSICIAN, READ, { id: person.participantId })).data).toEqual(expected);
    expect((await graph.query(person.self, '{ me { benefitStatements { amountCents } } }')).data).toEqual({
      me: { benefitStatements: [{ amountCents: 98_765 }] },
    });
    expect(codes(await graph.query(SUPERVISOR, READ, { id: person.participantId }))).toEqual([
      'GRAPHQL_VALIDATION_FAILED',
    ]);
    expect(codes(await graph.query(SRE_DESK, READ, { id: person.participantId }))).toEqual([
      'GRAPHQL_VALIDATION_FAILED',
    ]);
    expect((await graph.query(OTHER_OA, READ, { id: person.participantId })).data).toEqual({ participant: null });
  });
});

describe('the outcome measures per arm', () => {
  /**
   * 24 Flemish people, 12 per arm (blocks of two), followed from this month. IPS, in the order they land:
   * 5 competitive jobs + authorised work (800 €), 2 sheltered jobs + authorised work (900 €), 1 competitive
   * job without a statement, 1 in-company training with "work authorised" (1 200 €: a training is no job),
   * 3 without a job (1 200 €). Control: 5 competitive jobs + authorised work (1 000 €), 1 job under the
   * minimum wage + authorised work (1 100 €), 6 without a job (1 300 €). Person 1 of IPS also has a
   * statement for last month, before their follow-up began: not counted.
   */
  const FLANDERS_PHYSICIAN: Identity = { role: 'MEDECIN_CONSEIL', organisation: 'OA-300', subject: 'dr-flanders' };
  const FLEMISH_COACH: Identity = { role: 'JOB_COACH', organisation: 'VDAB-GTB', subject: 'coach-flanders' };
  const FLEMISH_SUPERVISOR: Identity = { role: 'SUPERVISOR', organisation: 'VDAB-GTB', subject: 'supervisor-flanders' };
  const VDAB_DESK: Identity = { role: 'SRE', organisation: 'VDAB', subject: 'vdab-desk' };
  const VDAB_COUNSELLOR: Identity = { role: 'SRE', organisation: 'VDAB', subject: 'counsellor-flanders' };
  const OUTCOMES = `query($from: String!, $to: String!, $region: Region) { trialOutcomes(from: $from, to: $to, region: $region) {
      from to region smallCellThreshold
      arms { arm people
        workingWhileOnBenefit { numerator denominator share suppressed }
        benefitPerMonth { people personMonths personMonthsWithStatement meanCents medianCents suppressed }
        competitiveEmploymentRate { quarter inFollowUp competitivelyEmployed rate suppressed } } } }`;

  beforeAll(async () => {
    await graph.enrol(FLEMISH_COACH);
    await graph.enrol(VDAB_COUNSELLOR);
    const people: RandomisedPerson[] = [];
    for (let i = 0; i < 24; i++) {
      people.push(
        await seed(graph)
          .person({ region: 'FLANDERS', postcode: '2000' })
          .referredBy(FLANDERS_PHYSICIAN, { form: 'AANMELDINGSFORMULIER' })
          .registered({ convention: 'VDAB-GTB' })
          .randomised()
          .build(),
      );
    }
    const ips = people.filter((p) => p.arm === 'IPS');
    const control = people.filter((p) => p.arm === 'CONTROL');
    expect([ips.length, control.length]).toEqual([12, 12]);
    for (const p of ips)
      await ok(
        graph.query(FLEMISH_SUPERVISOR, ASSIGN_COACH, {
          input: { pathwayId: p.pathwayId, jobCoach: FLEMISH_COACH.subject },
        }),
      );
    for (const p of control)
      await ok(
        graph.query(VDAB_DESK, ASSIGN_COUNSELLOR, {
          input: { pathwayId: p.pathwayId, referenceCounsellor: VDAB_COUNSELLOR.subject },
        }),
      );

    const plan: [RandomisedPerson, Identity, Record<string, boolean> | null, string, number | null, boolean][] = [
      ...ips.slice(0, 5).map((p) => [p, FLEMISH_COACH, COMPETITIVE, 'OPEN_ENDED', 80_000, true] as const),
      ...ips.slice(5, 7).map((p) => [p, FLEMISH_COACH, SHELTERED, 'OPEN_ENDED', 90_000, true] as const),
      [ips[7]!, FLEMISH_COACH, COMPETITIVE, 'FIXED_TERM', null, false] as const,
      [ips[8]!, FLEMISH_COACH, COMPETITIVE, 'IN_COMPANY_TRAINING', 120_000, true] as const,
      ...ips.slice(9).map((p) => [p, FLEMISH_COACH, null, '', 120_000, false] as const),
      ...control.slice(0, 5).map((p) => [p, VDAB_COUNSELLOR, COMPETITIVE, 'OPEN_ENDED', 100_000, true] as const),
      [control[5]!, VDAB_COUNSELLOR, UNDER_MINIMUM_WAGE, 'FIXED_TERM', 110_000, true] as const,
      ...control.slice(6).map((p) => [p, VDAB_COUNSELLOR, null, '', 130_000, false] as const),
    ].map(
      (row) => [...row] as [RandomisedPerson, Identity, Record<string, boolean> | null, string, number | null, boolean],
    );
    for (const [p, referent, criteria, contractType, amount, authorised] of plan) {
      if (criteria) {
        const { recordEmploymentContract } = await ok(
          graph.query<{ recordEmploymentContract: { id: string } }>(
            referent,
            CONTRACT,
            job(p.pathwayId, criteria, contractType),
          ),
        );
        // An episode ended today still covers today.
        if (p === ips[1])
          await ok(
            graph.query(referent, END, {
              input: { contractId: recordEmploymentContract.id, endedOn: TODAY, reason: 'DISMISSAL' },
              key: newKey(),
            }),
          );
      }
      if (amount !== null)
        await ok(
          graph.query(
            OA,
            STATEMENT,
            statement(p.participantId, { amountCents: amount, partialWorkAuthorised: authorised }),
          ),
        );
    }
    await ok(
      graph.query(
        OA,
        STATEMENT,
        statement(ips[1]!.participantId, { month: LAST_MONTH, amountCents: 150_000, partialWorkAuthorised: true }),
      ),
    );
  }, 300_000);

  it('computes working while on benefit, benefit per month and the quarterly competitive employment rate per arm, exactly', async () => {
    const response = await graph.query(RESEARCHER, OUTCOMES, { from: LAST_MONTH, to: THIS_MONTH, region: 'FLANDERS' });
    expect(response.errors).toBeUndefined();
    const quarter = (inFollowUp: number, employed: number) => ({
      quarter: QUARTER,
      inFollowUp,
      competitivelyEmployed: employed,
      rate: Math.round((employed / inFollowUp) * 10_000) / 10_000,
      suppressed: false,
    });
    const rates = (row: { competitiveEmploymentRate: { quarter: string }[] }) =>
      row.competitiveEmploymentRate.filter((q) => q.quarter === QUARTER);
    const { arms, ...window } = (
      response.data as {
        trialOutcomes: { arms: (Record<string, unknown> & { competitiveEmploymentRate: { quarter: string }[] })[] };
      }
    ).trialOutcomes;
    expect(window).toEqual({ from: LAST_MONTH, to: THIS_MONTH, region: 'FLANDERS', smallCellThreshold: 0 }); // the researcher reads exact counts (COUNT_READERS)
    expect(arms.map((arm) => ({ ...arm, competitiveEmploymentRate: rates(arm) }))).toEqual([
      {
        arm: 'IPS',
        people: 12,
        workingWhileOnBenefit: { numerator: 7, denominator: 12, share: 0.5833, suppressed: false },
        // 5 × 800 € + 2 × 900 € + 0 (no statement) + 4 × 1 200 € over 12 person-months; median between 800 € and 900 €.
        // The one person-month without a statement counted apart too: the researcher's extract has it.
        benefitPerMonth: {
          people: 12,
          personMonths: 12,
          personMonthsWithStatement: 11,
          meanCents: 88_333,
          medianCents: 85_000,
          suppressed: false,
        },
        competitiveEmploymentRate: [quarter(12, 6)],
      },
      {
        arm: 'CONTROL',
        people: 12,
        workingWhileOnBenefit: { numerator: 6, denominator: 12, share: 0.5, suppressed: false },
        benefitPerMonth: {
          people: 12,
          personMonths: 12,
          personMonthsWithStatement: 12,
          meanCents: 115_833,
          medianCents: 120_000,
          suppressed: false,
        },
        competitiveEmploymentRate: [quarter(12, 5)],
      },
    ]);
    // No id, no name, no date of a person: only counts and figures.
    expect(JSON.stringify(response.data)).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
  });

  it("gives a reader of exact counts a stratum's small cells as its exact CONSORT flow does (one disclosure system per reader)", async () => {
    const response = await graph.query<{
      trialOutcomes: {
        smallCellThreshold: number;
        arms: {
          arm: 'IPS' | 'CONTROL';
          people: number | null;
          workingWhileOnBenefit: { suppressed: boolean };
          benefitPerMonth: { suppressed: boolean };
        }[];
      };
    }>(RESEARCHER, OUTCOMES, { from: THIS_MONTH, to: THIS_MONTH, region: 'WALLONIA' });
    expect(response.errors).toBeUndefined();
    const flow = await graph.query<{ consortFlow: { arms: { arm: 'IPS' | 'CONTROL'; analysed: number | null }[] } }>(
      RESEARCHER,
      '{ consortFlow(region: WALLONIA) { arms { arm analysed } } }',
    );
    expect(flow.errors).toBeUndefined();
    const { smallCellThreshold, arms } = response.data!.trialOutcomes;
    expect(smallCellThreshold).toBe(0);
    expect(arms.some((arm) => arm.people! > 0 && arm.people! < 5)).toBe(true); // a stratum the suppressed rule would hide
    for (const arm of arms) {
      expect({ arm: arm.arm, people: arm.people }).toEqual({
        arm: arm.arm,
        people: flow.data!.consortFlow.arms.find((a) => a.arm === arm.arm)!.analysed,
      });
      expect([arm.workingWhileOnBenefit.suppressed, arm.benefitPerMonth.suppressed]).toEqual([false, false]);
    }
    // Any other reader would get the pilot's small-cell rule: a share whose complement is small is suppressed too.
    const { suppressedShare, suppressedMonthlyShare } =
      await import('../subgraphs/research/services/outcome.service.js');
    expect(suppressedShare(8, 12)).toEqual({ numerator: null, denominator: 12, share: null, suppressed: true });
    expect(suppressedShare(5, 10)).toEqual({ numerator: 5, denominator: 10, share: 0.5, suppressed: false });
    expect(suppressedMonthlyShare(40, 120, 10, 4)).toEqual({
      numerator: null,
      denominator: 120,
      share: null,
      suppressed: true,
    });
  });

  it("gives the researcher aggregates only: no person's record, and bad windows are refused naming the argument", async () => {
    expect(codes(await graph.query(RESEARCHER, '{ participants(first: 1) { id } }'))).toEqual([
      'GRAPHQL_VALIDATION_FAILED',
    ]);
    expect(
      codes(
        await graph.query(
          RESEARCHER,
          'query($id: ID!) { participant(id: $id) { benefitStatements { amountCents } } }',
          { id: newKey() },
        ),
      ),
    ).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(codes(await graph.query(COACH, OUTCOMES, { from: THIS_MONTH, to: THIS_MONTH }))).toEqual([
      'GRAPHQL_VALIDATION_FAILED',
    ]);
    expect(fieldOf(await graph.query(RESEARCHER, OUTCOMES, { from: '2026-1', to: THIS_MONTH }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'from',
    });
    expect(fieldOf(await graph.query(RESEARCHER, OUTCOMES, { from: THIS_MONTH, to: '2016-01' }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'to',
    });
    expect(fieldOf(await graph.query(RESEARCHER, OUTCOMES, { from: '2000-01', to: THIS_MONTH }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'to',
    });
  });
});

describe('under ten at once (every write: one winner, the losers CONFLICT, a retried key answered alike)', () => {
  it('records one benefit statement per person and month, ends an episode once, and replays a key', async () => {
    const person = await ipsPerson();
    const statements = await Promise.all(
      Array.from({ length: 10 }, () =>
        graph.query(OA, STATEMENT, statement(person.participantId, { month: LAST_MONTH })),
      ),
    );
    expect(statements.filter((answer) => !answer.errors)).toHaveLength(1);
    expect(statements.flatMap(errorCodes).sort()).toEqual(Array(9).fill('CONFLICT'));
    expect(
      await graph.sql('select count(*)::int as n from billing.benefit_statement where participant_id = $1', [
        person.participantId,
      ]),
    ).toEqual([{ n: 1 }]);

    const { recordEmploymentContract } = await ok(
      graph.query<{ recordEmploymentContract: { id: string } }>(COACH, CONTRACT, job(person.pathwayId)),
    );
    const ends = await Promise.all(
      Array.from({ length: 10 }, () =>
        graph.query(COACH, END, {
          input: { contractId: recordEmploymentContract.id, endedOn: TODAY, reason: 'RESIGNATION' },
          key: newKey(),
        }),
      ),
    );
    expect(ends.filter((answer) => !answer.errors)).toHaveLength(1);
    expect(ends.flatMap(errorCodes).sort()).toEqual(Array(9).fill('CONFLICT'));

    const retried = statement(person.participantId);
    const replays = await Promise.all(Array.from({ length: 10 }, () => graph.query(OA, STATEMENT, retried)));
    expect(replays.every((answer) => !answer.errors)).toBe(true);
    expect(new Set(replays.map((answer) => JSON.stringify(answer.data))).size).toBe(1);
    expect(
      await graph.sql('select count(*)::int as n from billing.benefit_statement where participant_id = $1', [
        person.participantId,
      ]),
    ).toEqual([{ n: 2 }]);
  });
});

describe('the end of follow-up before month 30 (intention to treat: every randomised person, whatever the pathway)', () => {
  const monthsAgo = (k: number, day = 10) =>
    new Date(Date.UTC(Number(TODAY.slice(0, 4)), Number(TODAY.slice(5, 7)) - 1 - k, day)).toISOString().slice(0, 10);
  const END_PATHWAY = 'mutation($input: EndPathwayInput!) { endPathway(input: $input) { status } }';
  const MEASURES = `query($from: String!, $to: String!, $region: Region) { trialOutcomes(from: $from, to: $to, region: $region) { arms { arm people benefitPerMonth { personMonths } } } }`;
  const BRUSSELS_PHYSICIAN: Identity = {
    role: 'MEDECIN_CONSEIL',
    organisation: 'OA-300',
    subject: 'dr-brussels-outcomes',
  };
  const personMonths = async () => {
    const { trialOutcomes } = await ok(
      graph.query<{ trialOutcomes: { arms: { arm: string; benefitPerMonth: { personMonths: number } }[] } }>(
        RESEARCHER,
        MEASURES,
        { from: monthsAgo(12).slice(0, 7), to: LAST_MONTH, region: 'BRUSSELS' },
      ),
    );
    return trialOutcomes.arms.reduce((sum, arm) => sum + arm.benefitPerMonth.personMonths, 0);
  };
  const brusselsPerson = async () => {
    const person = await seed(graph)
      .person({ region: 'BRUSSELS', postcode: '1000' })
      .referredBy(BRUSSELS_PHYSICIAN, { form: 'FIA' })
      .registered()
      .randomised({ arm: 'CONTROL' })
      .routed()
      .build();
    await graph.sql(
      "update pathways.pathway set registered_at = ($1::date + time '09:00') at time zone 'Europe/Brussels' where id = $2",
      [monthsAgo(6), person.pathwayId],
    );
    await graph.backdateRandomisation([person.participantId], monthsAgo(6));
    return person;
  };

  it('ends at death: no statement for a month after it, and the months after it are no person-months', async () => {
    const before = await personMonths();
    const person = await brusselsPerson();
    // Up to last month: the people the seed randomises on the way today (another arm) add none.
    expect(await personMonths()).toBe(before + 6); // months 0..5
    const ACTIRIS_DESK: Identity = { role: 'SRE', organisation: 'ACTIRIS', subject: 'actiris-desk' };
    const ACTIRIS_COUNSELLOR: Identity = {
      role: 'SRE',
      organisation: 'ACTIRIS',
      subject: 'counsellor-brussels-outcomes',
    };
    await graph.enrol(ACTIRIS_COUNSELLOR);
    await ok(
      graph.query(ACTIRIS_DESK, ASSIGN_COUNSELLOR, {
        input: { pathwayId: person.pathwayId, referenceCounsellor: ACTIRIS_COUNSELLOR.subject },
      }),
    );
    await ok(
      graph.query(ACTIRIS_COUNSELLOR, END_PATHWAY, {
        input: { pathwayId: person.pathwayId, endedOn: monthsAgo(4, 20), reason: 'DECEASED' },
      }),
    );
    // The month of death is followed (its first days); the next is not.
    await ok(graph.query(OA, STATEMENT, statement(person.participantId, { month: monthsAgo(4).slice(0, 7) })));
    expect(
      fieldOf(await graph.query(OA, STATEMENT, statement(person.participantId, { month: monthsAgo(3).slice(0, 7) }))),
    ).toMatchObject({ code: 'CONFLICT', messageId: 'precondition.inFollowUp' });
    expect(await personMonths()).toBe(before + 3); // months 0, 1 and 2 (the month of death)
  });

  it('ends at the withdrawal of the research consent, which takes the person out of every measure, earlier months too', async () => {
    const before = await personMonths();
    const person = await brusselsPerson();
    await ok(graph.query(OA, STATEMENT, statement(person.participantId, { month: LAST_MONTH })));
    expect(await personMonths()).toBe(before + 6);
    await ok(
      graph.query(
        BRUSSELS_PHYSICIAN,
        'mutation($id: ID!) { withdrawResearchConsent(participantId: $id, signedFormReference: "RESEARCH-WITHDRAWAL-OUTCOMES") { participantId } }',
        { id: person.participantId },
      ),
    );
    expect(fieldOf(await graph.query(OA, STATEMENT, statement(person.participantId)))).toMatchObject({
      code: 'CONFLICT',
      messageId: 'precondition.inFollowUp',
    });
    expect(await personMonths()).toBe(before);
  });

  it('is not begun for someone never randomised: the insurer records no outcome of the trial for them', async () => {
    const person = await seed(graph).person().referredBy(PHYSICIAN).registered({ convention: 'ARTICLE-23' }).build();
    expect(fieldOf(await graph.query(OA, STATEMENT, statement(person.participantId)))).toMatchObject({
      code: 'CONFLICT',
      messageId: 'precondition.inFollowUp',
    });
  });
});
