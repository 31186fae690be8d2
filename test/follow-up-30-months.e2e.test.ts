/**
 * Outcomes of the trial for everyone randomised, 30 months from randomisation (intention to treat, DOMAIN.md):
 * a person whose pathway ended in month 8 and who took a competitive job in month 12 and kept it is counted as
 * employed in months 12 to 30 of their arm — in the extract and in `trialOutcomes` — and never after month 30;
 * after month 30 nothing more is recorded for the trial, neither a job nor a benefit statement. A control-group
 * person walks alongside. Who records an outcome once the pathway ended is the policy's (ACTIONS): INAMI's
 * registry (R5), within the follow-up (`inFollowUp`); the job still opens the art. 100 §2 request (R15).
 *
 * The vault stamps each allocation with now(): the history is written by backdating the randomisation and the
 * registration as the administrator (harness `backdateRandomisation`), 34 months back, so that month 30 lies in
 * an earlier calendar quarter than today.
 */
import { createHmac } from 'node:crypto';
import type { Identity } from '../schema/identity.js';
import { belgianToday } from '../subgraphs/kit/domain.js';
import { errorCodes, startTestPlatform, type GraphQLResponse, type TestPlatform } from './harness.js';
import { seed, type RandomisedPerson } from './seed.js';

let graph: TestPlatform;
beforeAll(async () => {
  graph = await startTestPlatform();
  // Blocks of two: the two people seeded here are one per arm, and no one else is randomised on the way.
  await seed(graph).trial({
    procedure: 'PERMUTED_BLOCKS',
    blockSizes: [2],
    rationale: 'Follow-up test: blocks of two, one person per arm.',
  });
  // INAMI acts as one of its agents in the staff directory.
  await ok(
    graph.query(
      { role: 'INAMI', organisation: 'INAMI', subject: 'inami-directory-admin' },
      'mutation($input: EnrolStaffMemberInput!) { enrolStaffMember(input: $input) { id } }',
      {
        input: { subject: INAMI.subject, function: 'INAMI_AGENT', displayName: 'INAMI registry' },
      },
    ),
  );
}, 120_000);
afterAll(async () => {
  await graph?.stop();
});

const PHYSICIAN: Identity = { role: 'MEDECIN_CONSEIL', organisation: 'OA-300', subject: 'dr-follow-up' };
const OA: Identity = { role: 'OA', organisation: 'OA-300', subject: 'oa-follow-up' };
const COACH: Identity = { role: 'JOB_COACH', organisation: 'ARTICLE-23', subject: 'coach-follow-up' };
const SUPERVISOR: Identity = { role: 'SUPERVISOR', organisation: 'ARTICLE-23', subject: 'supervisor-follow-up' };
const SRE_DESK: Identity = { role: 'SRE', organisation: 'FOREM', subject: 'forem-desk-follow-up' };
const COUNSELLOR: Identity = { role: 'SRE', organisation: 'FOREM', subject: 'counsellor-follow-up' };
const INAMI: Identity = { role: 'INAMI', organisation: 'INAMI', subject: 'inami-follow-up' };
const RESEARCHER: Identity = { role: 'RESEARCHER', organisation: 'ULB', subject: 'researcher-follow-up' };

const CONTRACT =
  'mutation($input: RecordEmploymentContractInput!) { recordEmploymentContract(input: $input) { id competitive authorisation { reason decision } } }';
const END_EPISODE =
  'mutation($input: EndEmploymentEpisodeInput!) { endEmploymentEpisode(input: $input) { id endedOn } }';
const END_PATHWAY = 'mutation($input: EndPathwayInput!) { endPathway(input: $input) { status endReason endedOn } }';
const STATEMENT = 'mutation($input: RecordBenefitStatementInput!) { recordBenefitStatement(input: $input) { month } }';
const OUTCOMES = `query($from: String!, $to: String!) { trialOutcomes(from: $from, to: $to) { arms { arm people
    benefitPerMonth { personMonths }
    competitiveEmploymentRate { quarter inFollowUp competitivelyEmployed rate }
    byMonthSinceRandomisation { month people competitiveJob { numerator denominator } workingWhileOnBenefit { numerator denominator } } } } }`;
const COMPETITIVE = { openLabourMarket: true, paidAtLeastMinimumWage: true, reservedForDisabledPeople: false };

/** The 10th of month `k` since randomisation, randomisation being on the 10th, 34 months before this month. */
const TODAY = belgianToday();
const monthDay = (k: number) =>
  new Date(Date.UTC(Number(TODAY.slice(0, 4)), Number(TODAY.slice(5, 7)) - 1 - 34 + k, 10)).toISOString().slice(0, 10);
const RANDOMISED_ON = monthDay(0);
const monthOf = (k: number) => monthDay(k).slice(0, 7);
const quarterOf = (day: string) => `${day.slice(0, 4)}-Q${Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1}`;

const job = (pathwayId: string, startsOn: string) => ({
  input: {
    pathwayId,
    employer: 'Colruyt',
    employerNumber: '0203201340',
    jobFunction: 'Magasinier',
    startsOn,
    weeklyHours: 24,
    contractType: 'OPEN_ENDED',
    ...COMPETITIVE,
  },
});
const statement = (participantId: string, k: number, partialWorkAuthorised = true) => ({
  input: {
    participantId,
    month: monthOf(k),
    benefitType: 'INVALIDITY',
    amountCents: 95_000,
    days: 20,
    partialWorkAuthorised,
  },
});
const fieldOf = (response: GraphQLResponse) => response.errors?.[0]?.extensions;

async function ok<T>(pending: Promise<GraphQLResponse<T>>): Promise<T> {
  const response = await pending;
  if (response.errors) throw new Error(JSON.stringify(response.errors));
  return response.data!;
}

let ips: RandomisedPerson;
let control: RandomisedPerson;
let ipsJobId: string;
beforeAll(async () => {
  const pair = [
    await seed(graph)
      .person()
      .referredBy(PHYSICIAN)
      .registered({ convention: 'ARTICLE-23' })
      .randomised()
      .routed()
      .build(),
    await seed(graph)
      .person()
      .referredBy(PHYSICIAN)
      .registered({ convention: 'ARTICLE-23' })
      .randomised()
      .routed()
      .build(),
  ];
  [ips, control] = [pair.find((p) => p.arm === 'IPS')!, pair.find((p) => p.arm === 'CONTROL')!];
  expect([ips, control].every(Boolean)).toBe(true);
  await graph.enrol(COACH);
  await ok(
    graph.query(SUPERVISOR, 'mutation($input: AssignJobCoachInput!) { assignJobCoach(input: $input) { id } }', {
      input: { pathwayId: ips.pathwayId, jobCoach: COACH.subject },
    }),
  );
  await graph.enrol(COUNSELLOR);
  await ok(
    graph.query(
      SRE_DESK,
      'mutation($input: AssignReferenceCounsellorInput!) { assignReferenceCounsellor(input: $input) { id } }',
      { input: { pathwayId: control.pathwayId, referenceCounsellor: COUNSELLOR.subject } },
    ),
  );
  // Registered and randomised on the same day, 34 months ago.
  await graph.sql(
    "update pathways.pathway set registered_at = ($1::date + time '09:00') at time zone 'Europe/Brussels' where id = any($2::uuid[])",
    [RANDOMISED_ON, [ips.pathwayId, control.pathwayId]],
  );
  await graph.backdateRandomisation([ips.participantId, control.participantId], RANDOMISED_ON);
}, 120_000);

describe('a person whose pathway ended in month 8, who took a competitive job in month 12 and kept it', () => {
  it('has the job recorded after the pathway, by INAMI not the former referent, the R15 request opening with it', async () => {
    expect(
      (
        await ok(
          graph.query<{ endPathway: unknown }>(COACH, END_PATHWAY, {
            input: { pathwayId: ips.pathwayId, endedOn: monthDay(8), reason: 'PARTICIPANT_WITHDREW' },
          }),
        )
      ).endPathway,
    ).toEqual({
      status: 'ENDED',
      endReason: 'PARTICIPANT_WITHDREW',
      endedOn: monthDay(8),
    });
    // The coach was the referent while the pathway ran (R11); it has ended.
    expect(fieldOf(await graph.query(COACH, CONTRACT, job(ips.pathwayId, monthDay(12))))).toMatchObject({
      code: 'CONFLICT',
      messageId: 'precondition.pathwayOpen',
    });
    const recorded = await ok(
      graph.query<{
        recordEmploymentContract: {
          id: string;
          competitive: boolean;
          authorisation: { reason: string; decision: string };
        };
      }>(INAMI, CONTRACT, job(ips.pathwayId, monthDay(12))),
    );
    expect(recorded.recordEmploymentContract).toMatchObject({
      competitive: true,
      authorisation: { reason: 'FIRST_CONTRACT', decision: 'PENDING' },
    });
    ipsJobId = recorded.recordEmploymentContract.id;
    // R15, R14: the physician of record is asked, whoever records the job.
    const messages = await graph.sql<{ kind: string }>(
      'select kind from pathways.physician_message where participant_id = $1 order by sent_at',
      [ips.participantId],
    );
    expect(
      messages.map((m) => m.kind).filter((kind) => kind === 'PATHWAY_ENDED' || kind === 'WORK_AUTHORISATION_REQUEST'),
    ).toEqual(['PATHWAY_ENDED', 'WORK_AUTHORISATION_REQUEST']);
    // The health insurer states the months: work authorised from month 12.
    await ok(graph.query(OA, STATEMENT, statement(ips.participantId, 11, false)));
    await ok(graph.query(OA, STATEMENT, statement(ips.participantId, 12)));
    await ok(graph.query(OA, STATEMENT, statement(ips.participantId, 30)));
  });

  it('lets the control-group person be followed the same way: a competitive job from month 18 to month 22 after their pathway ended', async () => {
    // While the pathway is open its referent records the outcomes (R11), not INAMI.
    expect(fieldOf(await graph.query(INAMI, CONTRACT, job(control.pathwayId, monthDay(2))))).toMatchObject({
      code: 'CONFLICT',
      messageId: 'precondition.afterPathway',
    });
    await ok(
      graph.query(COUNSELLOR, END_PATHWAY, {
        input: { pathwayId: control.pathwayId, endedOn: monthDay(3), reason: 'HEALTH' },
      }),
    );
    const recorded = await ok(
      graph.query<{ recordEmploymentContract: { id: string } }>(INAMI, CONTRACT, job(control.pathwayId, monthDay(18))),
    );
    expect(
      errorCodes(
        await graph.query(COUNSELLOR, END_EPISODE, {
          input: { contractId: recorded.recordEmploymentContract.id, endedOn: monthDay(22), reason: 'RESIGNATION' },
        }),
      ),
    ).toEqual(['CONFLICT']);
    await ok(
      graph.query(INAMI, END_EPISODE, {
        input: { contractId: recorded.recordEmploymentContract.id, endedOn: monthDay(22), reason: 'RESIGNATION' },
      }),
    );
  });

  it('refuses every outcome dated after month 30, whoever records it, and writes nothing', async () => {
    const before = await graph.sql<{ contracts: number; statements: number }>(
      `select (select count(*)::int from pathways.employment_contract where participant_id = any($1::uuid[])) as contracts,
              (select count(*)::int from billing.benefit_statement where participant_id = any($1::uuid[])) as statements`,
      [[ips.participantId, control.participantId]],
    );
    for (const person of [ips, control]) {
      for (const startsOn of [monthDay(31), TODAY]) {
        const refused = await graph.query(INAMI, CONTRACT, job(person.pathwayId, startsOn));
        expect(fieldOf(refused)).toMatchObject({ code: 'CONFLICT', messageId: 'precondition.inFollowUp' });
      }
      expect(fieldOf(await graph.query(OA, STATEMENT, statement(person.participantId, 31)))).toMatchObject({
        code: 'CONFLICT',
        messageId: 'precondition.inFollowUp',
      });
      expect(fieldOf(await graph.query(OA, STATEMENT, statement(person.participantId, 33)))).toMatchObject({
        code: 'CONFLICT',
        messageId: 'precondition.inFollowUp',
      });
    }
    // The end of a kept job, after month 30, is no outcome of the trial either.
    expect(
      fieldOf(
        await graph.query(INAMI, END_EPISODE, {
          input: { contractId: ipsJobId, endedOn: monthDay(32), reason: 'RESIGNATION' },
        }),
      ),
    ).toMatchObject({ code: 'CONFLICT', messageId: 'precondition.inFollowUp' });
    const after = await graph.sql(
      `select (select count(*)::int from pathways.employment_contract where participant_id = any($1::uuid[])) as contracts,
              (select count(*)::int from billing.benefit_statement where participant_id = any($1::uuid[])) as statements`,
      [[ips.participantId, control.participantId]],
    );
    expect(after).toEqual(before);
    expect(await graph.sql('select ended_on from pathways.employment_contract where id = $1', [ipsJobId])).toEqual([
      { ended_on: null },
    ]);
  });

  it('counts the job in months 12 to 30 of the IPS arm in trialOutcomes, and nothing after month 30', async () => {
    const { trialOutcomes } = await ok(
      graph.query<{
        trialOutcomes: {
          arms: {
            arm: string;
            people: number;
            benefitPerMonth: { personMonths: number };
            competitiveEmploymentRate: {
              quarter: string;
              inFollowUp: number;
              competitivelyEmployed: number;
              rate: number | null;
            }[];
            byMonthSinceRandomisation: {
              month: number;
              people: number;
              competitiveJob: { numerator: number; denominator: number };
              workingWhileOnBenefit: { numerator: number; denominator: number };
            }[];
          }[];
        };
      }>(RESEARCHER, OUTCOMES, { from: monthOf(0), to: TODAY.slice(0, 7) }),
    );
    const [ipsArm, controlArm] = [
      trialOutcomes.arms.find((a) => a.arm === 'IPS')!,
      trialOutcomes.arms.find((a) => a.arm === 'CONTROL')!,
    ];
    // One person per arm, followed months 0..30 whatever the pathway: 31 person-months of the window's 35.
    expect([ipsArm.people, controlArm.people]).toEqual([1, 1]);
    expect([ipsArm.benefitPerMonth.personMonths, controlArm.benefitPerMonth.personMonths]).toEqual([31, 31]);
    const employedMonths = (arm: typeof ipsArm) =>
      arm.byMonthSinceRandomisation.filter((m) => m.competitiveJob.numerator === 1).map((m) => m.month);
    expect(ipsArm.byMonthSinceRandomisation.map((m) => m.month)).toEqual(Array.from({ length: 31 }, (_, k) => k));
    expect(ipsArm.byMonthSinceRandomisation.every((m) => m.people === 1 && m.competitiveJob.denominator === 1)).toBe(
      true,
    );
    expect(employedMonths(ipsArm)).toEqual(Array.from({ length: 19 }, (_, k) => 12 + k));
    expect(employedMonths(controlArm)).toEqual([18, 19, 20, 21, 22]);
    // Working while on benefit: the statement authorises work and the job runs (months 12 and 30), not month 11.
    expect(
      ipsArm.byMonthSinceRandomisation.filter((m) => m.workingWhileOnBenefit.numerator === 1).map((m) => m.month),
    ).toEqual([12, 30]);

    // The quarterly rate's denominator is everyone in follow-up in the quarter, whatever the pathway.
    const rate = (arm: typeof ipsArm, day: string) =>
      arm.competitiveEmploymentRate.find((q) => q.quarter === quarterOf(day))!;
    expect(rate(ipsArm, monthDay(9))).toMatchObject({ inFollowUp: 1, competitivelyEmployed: 0 }); // after the pathway ended, before the job
    expect(rate(ipsArm, monthDay(15))).toMatchObject({ inFollowUp: 1, competitivelyEmployed: 1, rate: 1 });
    expect(rate(ipsArm, monthDay(30))).toMatchObject({ inFollowUp: 1, competitivelyEmployed: 1 });
    expect(rate(controlArm, monthDay(20))).toMatchObject({ inFollowUp: 1, competitivelyEmployed: 1 });
    // After month 30 the job is still held, but no one is followed: the quarter counts no one.
    expect(rate(ipsArm, TODAY)).toMatchObject({ inFollowUp: 0, competitivelyEmployed: 0, rate: null });
  });

  it('gives the same months in the extract: one row per month 0..30, the job in months 12..30, the pathway a covariate', async () => {
    // An extract holds at least k people (schema/policy.ts EXTRACT_DISCLOSURE): three more randomised people make it one.
    for (let i = 0; i < 3; i++)
      await seed(graph).person().referredBy(PHYSICIAN).registered({ convention: 'ARTICLE-23' }).randomised().build();
    const requested = await ok(
      graph.query<{ fileDataRequest: { id: string } }>(
        RESEARCHER,
        'mutation($input: FileDataRequestInput!) { fileDataRequest(input: $input) { id } }',
        {
          input: {
            project: 'FOLLOW-UP-30',
            purpose: 'Competitive employment over 30 months from randomisation (ITT).',
            purposeCategory: 'EMPLOYMENT',
            variables: ['month_since_randomisation', 'arm', 'pathway_status', 'competitive_job', 'working_on_benefit'],
          },
        },
      ),
    );
    const id = requested.fileDataRequest.id;
    await ok(
      graph.query(INAMI, 'mutation($input: DecideDataRequestInput!) { decideDataRequest(input: $input) { id } }', {
        input: { requestId: id, decision: 'APPROVE', reason: 'Protocol v1.' },
      }),
    );
    const response = await fetch(`${graph.platform.gateway.url}datasets/${id}.csv`, {
      headers: { authorization: `Bearer ${await graph.tokenFor(RESEARCHER)}` },
    });
    expect(response.status).toBe(200);
    const [header, ...lines] = (await response.text())
      .split('\r\n')
      .filter((line) => line !== '')
      .map((line) => line.split(','));
    const rows = lines.map((cells) => Object.fromEntries(header!.map((name, i) => [name, cells[i]!])));
    const [key] = await graph.sql<{ key: Buffer }>(
      "select key from pseudonym_vault.project_key where project = 'FOLLOW-UP-30'",
    );
    const pseudonymOf = (person: RandomisedPerson) =>
      createHmac('sha256', key!.key).update(person.niss, 'utf8').digest('hex');

    const ipsRows = rows.filter((row) => row.pseudonym === pseudonymOf(ips));
    expect(ipsRows.map((row) => row.month_since_randomisation)).toEqual(
      Array.from({ length: 31 }, (_, k) => String(k)),
    );
    expect(ipsRows.every((row) => row.arm === 'IPS')).toBe(true);
    expect(
      ipsRows.filter((row) => row.competitive_job === 'true').map((row) => Number(row.month_since_randomisation)),
    ).toEqual(Array.from({ length: 19 }, (_, k) => 12 + k));
    expect(
      ipsRows.filter((row) => row.pathway_status === 'IN_PATHWAY').map((row) => Number(row.month_since_randomisation)),
    ).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(
      ipsRows.filter((row) => row.working_on_benefit === 'true').map((row) => Number(row.month_since_randomisation)),
    ).toEqual([12, 30]);

    const controlRows = rows.filter((row) => row.pseudonym === pseudonymOf(control));
    expect(controlRows.length).toBe(31);
    expect(controlRows.every((row) => row.arm === 'CONTROL')).toBe(true);
    expect(
      controlRows.filter((row) => row.competitive_job === 'true').map((row) => Number(row.month_since_randomisation)),
    ).toEqual([18, 19, 20, 21, 22]);
  });
});
