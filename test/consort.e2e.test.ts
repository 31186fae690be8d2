/**
 * The CONSORT 2010 flow from the data: the physicians' anonymous screening log
 * (never an R2 ground), the counts of each stage and arm (R1, R5, R6, R9, R11, R12, R18), the SVG
 * flow diagram drawn from them, and the four-eyes rule on the randomisation design (R6, CONSORT
 * 8b/9): a design proposed by one researcher goes live only when another approves it, and each
 * allocation carries the version it was drawn under.
 *
 * The CONSORT people are built in Brussels with the seed builder and the real mutations, so the
 * Brussels flow has exactly the numbers this file constructs; the design tests use Wallonia people.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Identity } from '../schema/identity.js';
import { DISCLOSURE_CONTROL } from '../schema/policy.js';
import { belgianToday } from '../subgraphs/kit/domain.js';
import {
  APPROVE_TRIAL_DESIGN,
  ASSIGN_JOB_COACH,
  CONFIGURE_TRIAL,
  newKey,
  RANDOMISE,
  ROUTE_TO_EMPLOYMENT_SERVICE,
  SECOND_RESEARCHER,
} from './fixtures.js';
import { errorCodes, startTestPlatform, type GraphQLResponse, type TestPlatform } from './harness.js';
import { seed, type RegisteredPerson } from './seed.js';

let graph: TestPlatform;
let firstVersion: number;
beforeAll(async () => {
  graph = await startTestPlatform();
  firstVersion = await seed(graph).trial();
}, 120_000);
afterAll(async () => {
  await graph?.stop();
});

const TODAY = belgianToday();
const THIS_MONTH = TODAY.slice(0, 7);
const THIRD_RESEARCHER: Identity = { role: 'RESEARCHER', organisation: 'ULB', subject: 'researcher-3' };
const PHYSICIAN: Identity = { role: 'MEDECIN_CONSEIL', organisation: 'OA-300', subject: 'dr-dupont' };
const OTHER_PHYSICIAN: Identity = { role: 'MEDECIN_CONSEIL', organisation: 'OA-300', subject: 'dr-martin' };

async function ok<T>(pending: Promise<GraphQLResponse<T>>): Promise<T> {
  const response = await pending;
  if (response.errors) throw new Error(JSON.stringify(response.errors));
  return response.data!;
}

const RECORD_SCREENING =
  'mutation($input: RecordScreeningInput!) { recordScreening(input: $input) { id screenedIn region outcome unmetCondition } }';
const screen = (input: Record<string, unknown>, as: Identity = PHYSICIAN) =>
  graph.query<{ recordScreening: { id: string } }>(as, RECORD_SCREENING, { input });
const screeningRows = async () =>
  Number((await graph.sql<{ n: string }>('select count(*) as n from participants.screening_entry'))[0]!.n);

describe('the anonymous screening log (CONSORT enrolment; R1, R2)', () => {
  it('logs a person assessed and not referred with no identity: month, region, declined or which R1 condition', async () => {
    const logged = await ok(
      screen({ screenedIn: THIS_MONTH, region: 'WALLONIA', outcome: 'R1_NOT_MET', unmetCondition: 'R1C' }),
    );
    expect(logged.recordScreening).toMatchObject({
      screenedIn: THIS_MONTH,
      region: 'WALLONIA',
      outcome: 'R1_NOT_MET',
      unmetCondition: 'R1C',
    });
    const [row] = await graph.sql('select * from participants.screening_entry where id = $1', [
      logged.recordScreening.id,
    ]);
    // Nothing in the row could name a person: its columns are the month, region, the physician's organisation and subject (staff), the reason and the request.
    expect(Object.keys(row!).sort()).toEqual(
      [
        'health_insurer',
        'id',
        'idempotency_key',
        'outcome',
        'physician_subject',
        'recorded_at',
        'region',
        'request_fingerprint',
        'requested_by',
        'screened_in',
        'unmet_condition',
      ].sort(),
    );
  });

  it('offers no R2 ground in the graph: the reasons are « declined » and the six R1 conditions, nothing else (R2 zero exclusion)', async () => {
    const schema = await ok(
      graph.query<{ outcome: { enumValues: { name: string }[] }; condition: { enumValues: { name: string }[] } }>(
        PHYSICIAN,
        '{ outcome: __type(name: "ScreeningOutcome") { enumValues { name } } condition: __type(name: "EligibilityCondition") { enumValues { name } } }',
      ),
    );
    expect(schema.outcome.enumValues.map((v) => v.name)).toEqual(['DECLINED', 'R1_NOT_MET']);
    expect(schema.condition.enumValues.map((v) => v.name)).toEqual(['R1A', 'R1B', 'R1C', 'R1D', 'R1E', 'R1F']);
  });

  it.each([
    ['an R2 ground as the outcome', { screenedIn: THIS_MONTH, region: 'WALLONIA', outcome: 'BEHAVIOUR' }, 'outcome'],
    [
      'an R2 ground as the condition',
      { screenedIn: THIS_MONTH, region: 'WALLONIA', outcome: 'R1_NOT_MET', unmetCondition: 'PAST_VIOLENCE' },
      'unmetCondition',
    ],
    [
      'a free-text reason',
      { screenedIn: THIS_MONTH, region: 'WALLONIA', outcome: 'DECLINED', reason: 'addiction' },
      'reason',
    ],
    [
      'a national number',
      { screenedIn: THIS_MONTH, region: 'WALLONIA', outcome: 'DECLINED', niss: '85073003328' },
      'niss',
    ],
    [
      'a name',
      { screenedIn: THIS_MONTH, region: 'WALLONIA', outcome: 'DECLINED', familyName: 'Lambert' },
      'familyName',
    ],
    [
      'a birth date',
      { screenedIn: THIS_MONTH, region: 'WALLONIA', outcome: 'DECLINED', birthDate: '1985-07-30' },
      'birthDate',
    ],
    ['a postcode', { screenedIn: THIS_MONTH, region: 'WALLONIA', outcome: 'DECLINED', postcode: '4000' }, 'postcode'],
  ])('refuses %s, naming the field, and writes nothing', async (_, input, field) => {
    const before = await screeningRows();
    const response = await screen(input);
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0]!.message).toContain(field);
    expect(await screeningRows()).toBe(before);
  });

  it.each([
    [
      'R1_NOT_MET without its condition',
      { screenedIn: THIS_MONTH, region: 'WALLONIA', outcome: 'R1_NOT_MET' },
      'input.unmetCondition',
    ],
    [
      'DECLINED with a condition',
      { screenedIn: THIS_MONTH, region: 'WALLONIA', outcome: 'DECLINED', unmetCondition: 'R1D' },
      'input.unmetCondition',
    ],
    ['a day, not a month', { screenedIn: TODAY, region: 'WALLONIA', outcome: 'DECLINED' }, 'input.screenedIn'],
    [
      'a month to come',
      { screenedIn: `${Number(TODAY.slice(0, 4)) + 1}-01`, region: 'WALLONIA', outcome: 'DECLINED' },
      'input.screenedIn',
    ],
  ])('refuses %s with BAD_USER_INPUT naming the field, and writes nothing', async (_, input, field) => {
    const before = await screeningRows();
    const response = await screen(input);
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await screeningRows()).toBe(before);
  });

  it('holds the same rule in the database: no R2 ground, no condition without R1_NOT_MET', async () => {
    const insert = (outcome: string, condition: string | null) =>
      graph.sql(
        `insert into participants.screening_entry (id, screened_in, region, health_insurer, physician_subject, outcome, unmet_condition, idempotency_key, requested_by, request_fingerprint)
         values (gen_random_uuid(), date_trunc('month', now())::date, 'WALLONIA', 'OA-300', 'dr-dupont', $1, $2, $3, 'x', 'f')`,
        [outcome, condition, newKey()],
      );
    await expect(insert('BEHAVIOUR', null)).rejects.toThrow(/screening_entry_outcome_check/);
    await expect(insert('R1_NOT_MET', 'ADDICTION')).rejects.toThrow(/screening_entry_condition_check/);
    await expect(insert('DECLINED', 'R1A')).rejects.toThrow(/screening_entry_condition_when_not_met/);
  });

  it('gives a physician the counts of their own entries only; a retry with the same key logs once', async () => {
    const key = newKey();
    const input = { screenedIn: THIS_MONTH, region: 'FLANDERS', outcome: 'DECLINED' };
    const first = await ok(
      graph.query<{ recordScreening: { id: string } }>(
        OTHER_PHYSICIAN,
        'mutation($input: RecordScreeningInput!, $key: String!) { recordScreening(input: $input, idempotencyKey: $key) { id } }',
        { input, key },
      ),
    );
    const retry = await ok(
      graph.query<{ recordScreening: { id: string } }>(
        OTHER_PHYSICIAN,
        'mutation($input: RecordScreeningInput!, $key: String!) { recordScreening(input: $input, idempotencyKey: $key) { id } }',
        { input, key },
      ),
    );
    expect(retry.recordScreening.id).toBe(first.recordScreening.id);
    await ok(
      screen(
        { screenedIn: THIS_MONTH, region: 'FLANDERS', outcome: 'R1_NOT_MET', unmetCondition: 'R1B' },
        OTHER_PHYSICIAN,
      ),
    );
    const COUNTS = '{ screeningCounts { screened declined unmetConditions { condition count } } }';
    const other = await ok(
      graph.query<{
        screeningCounts: {
          screened: number;
          declined: number;
          unmetConditions: { condition: string; count: number }[];
        };
      }>(OTHER_PHYSICIAN, COUNTS),
    );
    expect(other.screeningCounts.screened).toBe(2);
    expect(other.screeningCounts.declined).toBe(1);
    expect(other.screeningCounts.unmetConditions.find((c) => c.condition === 'R1B')!.count).toBe(1);
    const stranger = await ok(
      graph.query<{ screeningCounts: { screened: number } }>({ ...OTHER_PHYSICIAN, organisation: 'OA-500' }, COUNTS),
    );
    expect(stranger.screeningCounts.screened).toBe(0);
  });

  it('is written by advising physicians only', async () => {
    for (const role of ['RESEARCHER', 'INAMI', 'OA', 'INTEGRATOR'] as const) {
      expect(
        errorCodes(
          await graph.query(role, RECORD_SCREENING, {
            input: { screenedIn: THIS_MONTH, region: 'WALLONIA', outcome: 'DECLINED' },
          }),
        ),
      ).toContain('GRAPHQL_VALIDATION_FAILED');
    }
  });
});

const APPROVE = APPROVE_TRIAL_DESIGN;
const propose = async (rationale: string) =>
  (
    await ok(
      graph.query<{ configureTrial: { id: string; status: string } }>('RESEARCHER', CONFIGURE_TRIAL, {
        input: { procedure: 'PERMUTED_BLOCKS', blockSizes: [4, 6], rationale },
      }),
    )
  ).configureTrial;
const ALLOCATION = 'query($id: ID!) { participant(id: $id) { allocation { arm designVersion } } }';
const designVersionOf = async (participantId: string) =>
  (
    await ok(
      graph.query<{ participant: { allocation: { designVersion: number } } }>('INAMI', ALLOCATION, {
        id: participantId,
      }),
    )
  ).participant.allocation.designVersion;

describe('the randomisation design: four eyes (R6, CONSORT 8b/9)', () => {
  let approvedVersion: number;
  let before: { participantId: string };
  let after: { participantId: string };

  it("keeps a design proposed by researcher A out of force until another researcher approves it: A cannot (CONFLICT, the policy's notAuthor), B can", async () => {
    before = await seed(graph).person().randomised().build();
    const proposal = await propose('Amendment 1: blocks of 4 and 6 only, after the steering committee.');
    expect(proposal.status).toBe('PROPOSED');
    const own = await graph.query('RESEARCHER', APPROVE, { id: proposal.id });
    expect(own.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', messageId: 'precondition.notAuthor' });
    const designs = await ok(
      graph.query<{ trialDesigns: { version: number }[] }>('RESEARCHER', '{ trialDesigns { version } }'),
    );
    expect(designs.trialDesigns.map((d) => d.version)).toEqual([firstVersion]);
    // Still proposed: no version yet.
    const listed = await ok(
      graph.query<{ trialDesignProposals: { id: string; status: string; version: number | null }[] }>(
        'INAMI',
        '{ trialDesignProposals { id status version } }',
      ),
    );
    expect(listed.trialDesignProposals.find((p) => p.id === proposal.id)).toEqual({
      id: proposal.id,
      status: 'PROPOSED',
      version: null,
    });

    const approved = await ok(
      graph.query<{
        approveTrialDesign: {
          status: string;
          version: number;
          proposedBy: string;
          approvedBy: string;
          design: { blockSizes: number[] };
        };
      }>({ ...SECOND_RESEARCHER }, APPROVE, { id: proposal.id }),
    );
    expect(approved.approveTrialDesign).toMatchObject({
      status: 'APPROVED',
      version: firstVersion + 1,
      proposedBy: 'researcher-1',
      approvedBy: 'researcher-2',
      design: { blockSizes: [4, 6] },
    });
    approvedVersion = approved.approveTrialDesign.version;
  });

  it('draws every later allocation under the approved version, and each earlier one keeps its own', async () => {
    after = await seed(graph).person().randomised().build();
    expect(await designVersionOf(before.participantId)).toBe(firstVersion);
    expect(await designVersionOf(after.participantId)).toBe(approvedVersion);
    const [row] = await graph.sql<{ config_version: number }>(
      'select config_version from research.allocation where participant_id = $1',
      [after.participantId],
    );
    expect(row!.config_version).toBe(approvedVersion);
  });

  it('gives one of two concurrent approvals the design, the other a CONFLICT; an approved design is not approved again', async () => {
    await graph.enrol(THIRD_RESEARCHER);
    await graph.enrol({ ...SECOND_RESEARCHER });
    const proposal = await propose('Amendment 2: blocks of 4 and 6, re-stated for the race.');
    const answers = await Promise.all([
      graph.query({ ...SECOND_RESEARCHER }, APPROVE, { id: proposal.id }),
      graph.query(THIRD_RESEARCHER, APPROVE, { id: proposal.id }),
    ]);
    expect(answers.map((a) => (a.errors ? a.errors[0]!.extensions!.code : 'OK')).sort()).toEqual(['CONFLICT', 'OK']);
    const [versions] = await graph.sql<{ n: string }>(
      'select count(*) as n from research.trial_design_proposal where id = $1 and version is not null',
      [proposal.id],
    );
    expect(Number(versions!.n)).toBe(1);
    const designs = await ok(
      graph.query<{ trialDesigns: { version: number }[] }>('RESEARCHER', '{ trialDesigns { version } }'),
    );
    expect(designs.trialDesigns.length).toBe(firstVersion + 2);
  });

  it('holds the four eyes in the database too: a proposal approved by its own author is refused', async () => {
    const proposal = await propose('Amendment 3: a proposal the database must keep four-eyed.');
    await expect(
      graph.sql(
        'update research.trial_design_proposal set approved_by = proposed_by, approved_by_organisation = proposed_by_organisation, approved_at = now(), version = 999 where id = $1',
        [proposal.id],
      ),
    ).rejects.toThrow(/trial_design_proposal_four_eyes/);
  });

  it('reports the design history in the CONSORT flow (8b/9): who proposed and approved each version, when, why, and the allocations drawn under it', async () => {
    const flow = await ok(
      graph.query<{
        consortFlow: {
          designChanges: {
            version: number;
            proposedBy: string;
            approvedBy: string | null;
            rationale: string;
            restriction: string;
            liveFrom: string;
            liveUntil: string | null;
            allocatedIps: number;
            allocatedControl: number;
          }[];
        };
      }>(
        'RESEARCHER',
        '{ consortFlow { designChanges { version proposedBy approvedBy rationale restriction liveFrom liveUntil allocatedIps allocatedControl } } }',
      ),
    );
    const changes = flow.consortFlow.designChanges;
    expect(changes.map((c) => c.version)).toEqual([firstVersion, firstVersion + 1, firstVersion + 2]);
    expect(changes[1]).toMatchObject({
      proposedBy: 'researcher-1',
      approvedBy: 'researcher-2',
      rationale: 'Amendment 1: blocks of 4 and 6 only, after the steering committee.',
    });
    expect(changes[1]!.restriction).toMatch(/^8b: .*\{4, 6\}.*Design version 2/);
    expect(changes[0]!.liveUntil).toBe(changes[1]!.liveFrom);
    expect(changes[2]!.liveUntil).toBeNull();
    const perVersion = await graph.sql<{ config_version: number; n: string }>(
      'select config_version, count(*) as n from research.allocation group by config_version',
    );
    for (const change of changes) {
      expect(change.allocatedIps + change.allocatedControl).toBe(
        Number(perVersion.find((r) => r.config_version === change.version)?.n ?? 0),
      );
    }
  });
});

/** Each box of the diagram (`<g id="box-…">`) with its text, lines joined, non-breaking spaces as spaces. */
function diagramBoxes(svg: string): Record<string, string> {
  expect(XMLValidator.validate(svg)).toBe(true);
  const parsed = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseTagValue: false,
    isArray: (name) => name === 'g' || name === 'tspan',
  }).parse(svg);
  return Object.fromEntries(
    (parsed.svg.g as { id?: string; text: { tspan: { '#text': string }[] } }[])
      .filter((g) => g.id?.startsWith('box-'))
      .map((g) => [
        g.id!,
        g.text.tspan
          .map((t) => t['#text'])
          .join(' ')
          .replace(/\u00a0/g, ' '),
      ]),
  );
}

describe('the CONSORT flow reproduces constructed data (Brussels)', () => {
  const BRUSSELS = { region: 'BRUSSELS', postcode: '1000' };
  const referral = { form: 'FIA' };
  const SUPERVISOR: Identity = { role: 'SUPERVISOR', organisation: 'EQUIPE-MASS', subject: 'supervisor-mass' };
  const COACH: Identity = { role: 'JOB_COACH', organisation: 'EQUIPE-MASS', subject: 'coach-mass' };
  const SRE: Identity = { role: 'SRE', organisation: 'ACTIRIS', subject: 'actiris-agent' };
  const COUNSELLOR: Identity = { role: 'SRE', organisation: 'ACTIRIS', subject: 'actiris-counsellor' };
  type Arm = 'IPS' | 'CONTROL';
  const people: Record<Arm, RegisteredPerson[]> = { IPS: [], CONTROL: [] };
  let expected: Record<string, unknown>;

  beforeAll(async () => {
    // Enrolment: 3 declined, 2 R1a and 1 R1f not met in Brussels; 2 in Wallonia, outside the stratum.
    for (const input of [
      ...Array.from({ length: 3 }, () => ({ outcome: 'DECLINED' })),
      ...Array.from({ length: 2 }, () => ({ outcome: 'R1_NOT_MET', unmetCondition: 'R1A' })),
      { outcome: 'R1_NOT_MET', unmetCondition: 'R1F' },
    ]) {
      await ok(screen({ screenedIn: THIS_MONTH, region: 'BRUSSELS', ...input }));
    }
    await ok(screen({ screenedIn: THIS_MONTH, region: 'WALLONIA', outcome: 'DECLINED' }));
    // 2 referred only, 1 registered only.
    for (let i = 0; i < 2; i++) await seed(graph).person(BRUSSELS).referredBy(PHYSICIAN, referral).build();
    await seed(graph).person(BRUSSELS).referredBy(PHYSICIAN, referral).registered().build();
    // Randomised people, one at a time, until each arm holds three (the arm is drawn, never chosen: R6).
    while (people.IPS.length < 3 || people.CONTROL.length < 3) {
      const person = await seed(graph).person(BRUSSELS).referredBy(PHYSICIAN, referral).registered().build();
      const drawn = await ok(
        graph.query<{ randomise: { allocation: { arm: Arm } } }>('INAMI', RANDOMISE, {
          participantId: person.participantId,
          key: newKey(),
        }),
      );
      people[drawn.randomise.allocation.arm].push(person);
    }
    const [ips0, ips1, ips2] = people.IPS as [RegisteredPerson, RegisteredPerson, RegisteredPerson];
    const [control0, control1, control2] = people.CONTROL as [RegisteredPerson, RegisteredPerson, RegisteredPerson];

    // Received the allocated intervention. IPS: a referent coach (R11) and the first meeting held; the third has a coach only.
    await graph.enrol(COACH);
    for (const person of [ips0, ips1, ips2])
      await ok(
        graph.query(SUPERVISOR, ASSIGN_JOB_COACH, { input: { pathwayId: person.pathwayId, jobCoach: COACH.subject } }),
      );
    for (const person of [ips0, ips1]) {
      await graph.sql(
        `insert into pathways.individual_meeting (id, pathway_id, participant_id, kind, scheduled_for, held_on, scheduled_by, planned_at, held_by, held_recorded_at)
         values (gen_random_uuid(), $1, $2, 'FIRST', $3, $3, 'supervisor-mass', now(), 'coach-mass', now())`,
        [person.pathwayId, person.participantId, TODAY],
      );
    }
    // Control: routed to ACTIRIS (R7), a reference counsellor (R9) and the interview recorded; the third has a counsellor only.
    await graph.enrol(COUNSELLOR);
    for (const person of [control0, control1, control2]) {
      await ok(graph.query('INAMI', ROUTE_TO_EMPLOYMENT_SERVICE, { id: person.pathwayId }));
      await ok(
        graph.query(
          SRE,
          'mutation($input: AssignReferenceCounsellorInput!) { assignReferenceCounsellor(input: $input) { id } }',
          { input: { pathwayId: person.pathwayId, referenceCounsellor: COUNSELLOR.subject } },
        ),
      );
    }
    for (const person of [control0, control1]) {
      await ok(
        graph.query(SRE, 'mutation($input: RecordPathwayActInput!) { recordPathwayAct(input: $input) { id } }', {
          input: {
            pathwayId: person.pathwayId,
            kind: 'REFERENCE_INTERVIEW_HELD',
            actOn: TODAY,
            person: 'Conseillère référente',
          },
        }),
      );
    }
    // Withdrawn from the study (R1f): the third of each arm. Discontinued (R18): the second IPS person withdraws the information-sharing consent.
    for (const person of [ips2, control2]) {
      await ok(
        graph.query(
          person.self,
          'mutation($id: ID!) { withdrawResearchConsent(participantId: $id, signedFormReference: "RESEARCH-W") { participantId } }',
          { id: person.participantId },
        ),
      );
    }
    await ok(
      graph.query(
        ips1.self,
        'mutation($id: ID!) { withdrawInformationSharingConsent(participantId: $id) { participantId } }',
        { id: ips1.participantId },
      ),
    );
    await graph.outboxSettled();
    // Follow-up (R12): allocated 13 months ago, waves 0 (baseline) and 1 (6 months) have closed. Completed: IPS 0 wave 0, control 0 waves 0 and 1.
    const backdated = [ips0, ips1, control0, control1, control2].map((p) => p.participantId);
    await graph.sql('alter table research.allocation disable trigger allocation_is_immutable');
    await graph.sql(
      "update research.allocation set allocated_at = now() - interval '13 months' where participant_id = any($1::uuid[])",
      [backdated],
    );
    await graph.sql('alter table research.allocation enable trigger allocation_is_immutable');
    for (const [person, wave] of [
      [ips0, 0],
      [control0, 0],
      [control0, 1],
    ] as const) {
      await graph.sql(
        `insert into research.questionnaire_wave (participant_id, wave, instrument_version, opened_at, opened_where, opened_by, answers, completed_at) values ($1, $2, 'test', now() - interval '12 months', 'HOME', 'PARTICIPANT:self', '{}'::jsonb, now() - interval '12 months')`,
        [person.participantId, wave],
      );
    }

    const randomised = people.IPS.length + people.CONTROL.length;
    const referred = 2 + 1 + randomised;
    expected = {
      assessed: 6 + referred,
      notReferred: 6,
      declined: 3,
      referred,
      notRegistered: 2,
      registered: 1 + randomised,
      notRandomised: 1,
      randomised,
      unmetConditions: [
        { condition: 'R1A', count: 2 },
        { condition: 'R1B', count: 0 },
        { condition: 'R1C', count: 0 },
        { condition: 'R1D', count: 0 },
        { condition: 'R1E', count: 0 },
        { condition: 'R1F', count: 1 },
      ],
      arms: [
        {
          arm: 'IPS',
          allocated: people.IPS.length,
          received: 2,
          notReceived: people.IPS.length - 2,
          discontinued: 1,
          withdrawn: 1,
          analysed: people.IPS.length - 1,
          // IPS 1 missed waves 0 and 1, IPS 0 wave 1; IPS 2 withdrew (not counted as lost).
          lostToFollowUp: [1, 2, 0, 0, 0, 0].map((lost, wave) => ({ wave, monthsAfterAllocation: wave * 6, lost })),
        },
        {
          arm: 'CONTROL',
          allocated: people.CONTROL.length,
          received: 2,
          notReceived: people.CONTROL.length - 2,
          discontinued: 0,
          withdrawn: 1,
          analysed: people.CONTROL.length - 1,
          // Control 1 missed waves 0 and 1; control 0 completed both; control 2 withdrew.
          lostToFollowUp: [1, 1, 0, 0, 0, 0].map((lost, wave) => ({ wave, monthsAfterAllocation: wave * 6, lost })),
        },
      ],
    };
    await graph.snapshotsCurrent(); // the integrator's flows are computed in the background (kit/data-version.ts)
  }, 300_000);

  const FLOW = `query($region: Region) { consortFlow(region: $region) {
    region smallCellThreshold suppressed assessed notReferred declined unmetConditions { condition count } referred notRegistered registered notRandomised randomised
    arms { arm allocated received notReceived lostToFollowUp { wave monthsAfterAllocation lost } discontinued withdrawn analysed }
  } }`;

  it.each(['RESEARCHER', 'INAMI'] as const)(
    'gives %s every count of the Brussels flow exactly (R1, R5, R6, R9, R11, R12, R18)',
    async (role) => {
      const flow = await ok(graph.query<{ consortFlow: Record<string, unknown> }>(role, FLOW, { region: 'BRUSSELS' }));
      expect(flow.consortFlow).toEqual({ region: 'BRUSSELS', smallCellThreshold: 5, suppressed: false, ...expected });
    },
  );

  it('gives an integrator the same flow with every small cell, and the cells it could be computed from, suppressed', async () => {
    if (DISCLOSURE_CONTROL.method === 'CELL_KEY') return; // the method in force publishes every box: the next case
    type Flow = {
      suppressed: boolean;
      assessed: number | null;
      notReferred: number | null;
      declined: number | null;
      referred: number | null;
      notRegistered: number | null;
      registered: number | null;
      notRandomised: number | null;
      randomised: number | null;
      unmetConditions: { condition: string; count: number | null }[];
      arms: {
        arm: string;
        allocated: number | null;
        received: number | null;
        notReceived: number | null;
        withdrawn: number | null;
        analysed: number | null;
        lostToFollowUp: { lost: number | null }[];
      }[];
    };
    const f = (await ok(graph.query<{ consortFlow: Flow }>('INTEGRATOR', FLOW, { region: 'BRUSSELS' }))).consortFlow;
    expect(f.suppressed).toBe(true);
    const all = [
      f.assessed,
      f.notReferred,
      f.declined,
      f.referred,
      f.notRegistered,
      f.registered,
      f.notRandomised,
      f.randomised,
      ...f.unmetConditions.map((c) => c.count),
      ...f.arms.flatMap((a) => [
        a.allocated,
        a.received,
        a.notReceived,
        a.withdrawn,
        a.analysed,
        ...a.lostToFollowUp.map((w) => w.lost),
      ]),
    ];
    // No count from 1 to 4 is shown.
    expect(all.filter((n) => n !== null && n > 0 && n < 5)).toEqual([]);
    expect(f.unmetConditions.find((c) => c.condition === 'R1F')!.count).toBeNull();
    expect(f.notRandomised).toBeNull();
    // The sums of the flow: none has exactly one hidden term, so no hidden count can be computed back from the others.
    const [ips, control] = f.arms as [Flow['arms'][number], Flow['arms'][number]];
    const sums = [
      [f.assessed, f.notReferred, f.referred],
      [f.notReferred, f.declined, ...f.unmetConditions.map((c) => c.count)],
      [f.referred, f.notRegistered, f.registered],
      [f.registered, f.notRandomised, f.randomised],
      [f.randomised, ips.allocated, control.allocated],
      ...[ips, control].flatMap((a) => [
        [a.allocated, a.received, a.notReceived],
        [a.allocated, a.analysed, a.withdrawn],
      ]),
    ];
    for (const terms of sums) expect(terms.filter((n) => n === null).length).not.toBe(1);
  });

  it.each([
    ['EN', 'Assessed for eligibility', 'Allocated to the IPS group', 'Allocated to the control group', 'Analysed'],
    ['FR', 'Éligibilité évaluée', 'Répartis dans le groupe IPS', 'Répartis dans le groupe témoin', 'Analysés'],
    [
      'NL',
      'Beoordeeld op geschiktheid',
      'Toegewezen aan de IPS-groep',
      'Toegewezen aan de controlegroep',
      'Geanalyseerd',
    ],
  ])(
    'draws the flow diagram in %s with each of those counts in its box',
    async (language, assessedLabel, ipsLabel, controlLabel, analysedLabel) => {
      const answer = await ok(
        graph.query<{ consortDiagram: string }>(
          'RESEARCHER',
          'query($language: Language, $region: Region) { consortDiagram(language: $language, region: $region) }',
          { language, region: 'BRUSSELS' },
        ),
      );
      const boxes = diagramBoxes(answer.consortDiagram);
      const e = expected as {
        assessed: number;
        referred: number;
        registered: number;
        randomised: number;
        arms: { allocated: number; analysed: number; withdrawn: number; discontinued: number }[];
      };
      expect(boxes['box-assessed']).toBe(`${assessedLabel} (n = ${e.assessed})`);
      expect(boxes['box-excluded']).toMatch(/\(n = 6\).*\(n = 3\).*R1a.*\(n = 2\).*R1b.*\(n = 0\).*R1f.*\(n = 1\)/);
      expect(boxes['box-referred']).toContain(`(n = ${e.referred})`);
      expect(boxes['box-not-registered']).toContain('(n = 2)');
      expect(boxes['box-registered']).toContain(`(n = ${e.registered})`);
      expect(boxes['box-not-randomised']).toContain('(n = 1)');
      expect(boxes['box-randomised']).toContain(`(n = ${e.randomised})`);
      const [ips, control] = e.arms as [(typeof e.arms)[number], (typeof e.arms)[number]];
      expect(boxes['box-allocated-IPS']).toMatch(
        new RegExp(`^${ipsLabel} \\(n = ${ips.allocated}\\).*\\(n = 2\\).*\\(n = ${ips.allocated - 2}\\)$`),
      );
      expect(boxes['box-allocated-CONTROL']).toMatch(
        new RegExp(`^${controlLabel} \\(n = ${control.allocated}\\).*\\(n = 2\\).*\\(n = ${control.allocated - 2}\\)$`),
      );
      expect(boxes['box-follow-up-IPS']).toMatch(
        /\(n = 1\).*\(n = 2\).*\(n = 0\).*\(n = 0\).*\(n = 0\).*\(n = 0\).*\(n = 1\).*\(n = 1\)$/,
      );
      expect(boxes['box-follow-up-CONTROL']).toMatch(
        /\(n = 1\).*\(n = 1\).*\(n = 0\).*\(n = 0\).*\(n = 0\).*\(n = 0\).*\(n = 0\).*\(n = 1\)$/,
      );
      expect(boxes['box-analysed-IPS']).toBe(`${analysedLabel} (n = ${ips.analysed})`);
      expect(boxes['box-analysed-CONTROL']).toBe(`${analysedLabel} (n = ${control.analysed})`);
    },
  );

  it('gives an integrator (cell key method) every box, each within ±D of the true count, never 1..js, the same people the same number', async () => {
    if (DISCLOSURE_CONTROL.method !== 'CELL_KEY') return;
    const { maxNoise: d, smallCounts: js } = DISCLOSURE_CONTROL.cellKey;
    const FLOW_PERTURBED = FLOW.replace('suppressed ', 'suppressed perturbed ');
    const f = (
      await ok(
        graph.query<{ consortFlow: Record<string, unknown> }>('INTEGRATOR', FLOW_PERTURBED, { region: 'BRUSSELS' }),
      )
    ).consortFlow;
    expect(f).toMatchObject({ suppressed: false, perturbed: true });
    type Boxes = {
      unmetConditions: { condition: string; count: number }[];
      arms: { arm: string; lostToFollowUp: { wave: number; lost: number }[] }[];
    } & Record<string, unknown>;
    const boxesOf = (flow: Boxes) => {
      const boxes = new Map<string, number>();
      for (const box of [
        'assessed',
        'notReferred',
        'declined',
        'referred',
        'notRegistered',
        'registered',
        'notRandomised',
        'randomised',
      ])
        boxes.set(box, flow[box] as number);
      for (const { condition, count } of flow.unmetConditions) boxes.set(condition, count);
      for (const arm of flow.arms) {
        for (const box of ['allocated', 'received', 'notReceived', 'discontinued', 'withdrawn', 'analysed'])
          boxes.set(`${arm.arm}.${box}`, (arm as unknown as Record<string, number>)[box]!);
        for (const { wave, lost } of arm.lostToFollowUp) boxes.set(`${arm.arm}.lost.${wave}`, lost);
      }
      return boxes;
    };
    const published = boxesOf(f as Boxes);
    const truth = boxesOf(expected as Boxes);
    expect([...published.keys()]).toEqual([...truth.keys()]);
    for (const [box, n] of published) {
      const t = truth.get(box)!;
      expect({ box, within: Math.abs(n - t) <= d, small: n > 0 && n <= js, zeroKept: t !== 0 || n === 0 }).toEqual({
        box,
        within: true,
        small: false,
        zeroKept: true,
      });
    }
    expect([...published.values()]).not.toEqual([...truth.values()]); // the small boxes carry noise
    // The flow's registered people are the REFERRALS table's REGISTERED margin of Brussels: the same people, the same number.
    const margin = await ok(
      graph.query<{ pilotAggregates: { cells: { key: string[]; count: number }[] } }>(
        'INTEGRATOR',
        '{ pilotAggregates(measure: REFERRALS, region: BRUSSELS) { cells { key count } } }',
      ),
    );
    const registered = margin.pilotAggregates.cells.find((c) => c.key.join('/') === 'BRUSSELS/*/REGISTERED')!;
    const exact = await ok(
      graph.query<{ pilotAggregates: { cells: { key: string[]; count: number }[] } }>(
        'INAMI',
        '{ pilotAggregates(measure: REFERRALS, region: BRUSSELS) { cells { key count } } }',
      ),
    );
    expect(exact.pilotAggregates.cells.find((c) => c.key.join('/') === 'BRUSSELS/*/REGISTERED')!.count).toBe(
      (expected as { registered: number }).registered,
    );
    expect(registered.count).toBe(f.registered);
    // Asked again: the same answer, nothing to average.
    expect(
      (
        await ok(
          graph.query<{ consortFlow: Record<string, unknown> }>('INTEGRATOR', FLOW_PERTURBED, { region: 'BRUSSELS' }),
        )
      ).consortFlow,
    ).toEqual(f);
  });

  it("draws an integrator's diagram with every count saying what it is: « n < 5 » only for a withheld count of 1–4, a complement of any size as withheld to protect another count, a perturbed one as perturbed", async () => {
    type Counted = {
      path: string;
      count: number | null;
      suppression: 'NONE' | 'PRIMARY' | 'COMPLEMENTARY';
      perturbed: boolean;
    };
    const COUNTS = 'query { consortFlow(region: BRUSSELS) { counts { path count suppression perturbed } } }';
    const mine = (await ok(graph.query<{ consortFlow: { counts: Counted[] } }>('INTEGRATOR', COUNTS))).consortFlow
      .counts;
    const exact = new Map(
      (await ok(graph.query<{ consortFlow: { counts: Counted[] } }>('RESEARCHER', COUNTS))).consortFlow.counts.map(
        (c) => [c.path, c.count!],
      ),
    );
    // The API says why each count is withheld, and truly: PRIMARY exactly for a count of 1–4.
    for (const counted of mine) {
      const n = exact.get(counted.path)!;
      expect({ path: counted.path, suppression: counted.suppression }).toEqual({
        path: counted.path,
        suppression: counted.count !== null ? 'NONE' : n > 0 && n < 5 ? 'PRIMARY' : 'COMPLEMENTARY',
      });
      if (counted.count !== null && !counted.perturbed)
        expect({ path: counted.path, count: counted.count }).toEqual({ path: counted.path, count: n });
    }
    const drawn = mine.filter((c) => !c.path.startsWith('designs.'));
    // The diagram says the same, box by box.
    const answer = await ok(
      graph.query<{ consortDiagram: string }>('INTEGRATOR', 'query { consortDiagram(language: EN, region: BRUSSELS) }'),
    );
    const boxes = diagramBoxes(answer.consortDiagram);
    const text = Object.values(boxes).join(' ');
    const occurrences = (needle: string) => text.split(needle).length - 1;
    expect(occurrences('(n < 5)')).toBe(drawn.filter((c) => c.suppression === 'PRIMARY').length);
    expect(occurrences('(n withheld to protect another count)')).toBe(
      drawn.filter((c) => c.suppression === 'COMPLEMENTARY').length,
    );
    if (DISCLOSURE_CONTROL.method === 'CELL_KEY') {
      // Nothing withheld: every box a number that says it carries noise.
      expect(drawn.filter((c) => c.count === null || !c.perturbed)).toEqual([]);
      expect(occurrences(', perturbed)')).toBeGreaterThan(0);
      expect(boxes['box-not-randomised']).toContain(
        `(n = ${drawn.find((c) => c.path === 'notRandomised')!.count}, perturbed)`,
      );
      return;
    }
    expect(drawn.filter((c) => c.suppression === 'COMPLEMENTARY').length).toBeGreaterThan(0);
    expect(boxes['box-not-randomised']).toContain('(n < 5)');
    expect(boxes['box-excluded']).toMatch(/R1f.*\(n < 5\)/);
  });

  it('counts the whole flow in as many SQL statements for a region with no one as for every region (no N+1)', async () => {
    const statements = async (region: string | null) => {
      const response = await graph.query(
        'RESEARCHER',
        FLOW.replace(
          'consortFlow(region: $region) {',
          'consortFlow(region: $region) { designChanges { version allocatedIps }',
        ),
        { region },
      );
      expect(response.errors).toBeUndefined();
      return response.extensions!.sqlStatements as number;
    };
    const [everyone, none] = [await statements(null), await statements('FLANDERS')];
    console.log(`consortFlow SQL statements: every region → ${everyone}, a region with no one → ${none}`);
    expect(everyone).toBe(none);
  });

  it('offers the flow to no role that works with people', async () => {
    for (const role of ['MEDECIN_CONSEIL', 'JOB_COACH', 'SRE', 'PARTICIPANT'] as const) {
      expect(errorCodes(await graph.query(role, '{ consortFlow { randomised } }'))).toContain(
        'GRAPHQL_VALIDATION_FAILED',
      );
    }
  });
});
