/**
 * Both arms to the end, in each region (R1–R16): a person walked from the physician's referral
 * to the end of the recognition of incapacity through the gateway. Each step is done with the
 * token of the actor who does it, and only with ids that actor found in their own worklists or
 * lookups (or in the receipt of their own previous act) — never an id handed over by the test.
 *
 *   IPS arm:     physician → INAMI (intake, register, randomise, route) → SRE (inbox, welcome
 *                session) → supervisor (unassigned pathways, coach, attendance) → job coach
 *                (caseload: meetings, RP1IPS, job) → physician (pending authorisations) → OA
 *                (members: benefit statement) → job coach (ends) → physician (file, patients: ends
 *                the recognition).
 *   Control arm: … → SRE (inbox, reference counsellor) → counsellor (caseload: interview, RP1,
 *                follow-up, job) → physician → OA → counsellor (ends) → physician.
 */
import type { Identity } from '../schema/identity.js';
import { belgianToday } from '../subgraphs/kit/domain.js';
import { newKey, RANDOMISE, referralInput, SUBMIT_REFERRAL } from './fixtures.js';
import { startTestPlatform, type GraphQLResponse, type TestPlatform } from './harness.js';
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
const MONTH = TODAY.slice(0, 7);
const MAX_TRIES = 40; // permuted blocks of at most 6: an arm comes up within a few referrals

type Region = 'FLANDERS' | 'WALLONIA' | 'BRUSSELS';
type Arm = 'IPS' | 'CONTROL';
interface Site {
  region: Region;
  form: string;
  postcode: string;
  sre: string;
  partner: string;
  oa: string;
}
const SITES: Site[] = [
  {
    region: 'FLANDERS',
    form: 'AANMELDINGSFORMULIER',
    postcode: '9000',
    sre: 'VDAB',
    partner: 'VDAB-GTB',
    oa: 'OA-100',
  },
  { region: 'WALLONIA', form: 'FIF', postcode: '6000', sre: 'FOREM', partner: 'ISPPC', oa: 'OA-300' },
  { region: 'BRUSSELS', form: 'FIA', postcode: '1030', sre: 'ACTIRIS', partner: 'EQUIPE-MASS', oa: 'OA-500' },
];

interface Connection<Node> {
  edges: { node: Node | null }[];
  totalCount?: number;
}
const nodes = <Node>(list: Connection<Node> | null | undefined): Node[] =>
  (list?.edges ?? []).flatMap((edge) => (edge.node ? [edge.node] : []));

/** Runs one step and returns its data; a step that fails fails the walk, naming the step. */
async function step<TData>(name: string, pending: Promise<GraphQLResponse<TData>>): Promise<TData> {
  const response = await pending;
  expect({ step: name, errors: response.errors }).toEqual({ step: name, errors: undefined });
  return response.data!;
}

/** The one item of a worklist that matches, failing the walk when the actor cannot find it there. */
function found<Node>(name: string, list: Node[], matches: (node: Node) => boolean): Node {
  const hit = list.find(matches);
  expect({ worklist: name, found: hit !== undefined }).toEqual({ worklist: name, found: true });
  return hit!;
}

/** The actors of one walk: their own organisations, a fresh subject per walk. */
function actorsOf(site: Site, tag: string) {
  return {
    physician: { role: 'MEDECIN_CONSEIL', organisation: site.oa, subject: `dr-walk-${tag}` } satisfies Identity,
    oa: { role: 'OA', organisation: site.oa, subject: `oa-walk-${tag}` } satisfies Identity,
    inami: { role: 'INAMI', organisation: 'INAMI', subject: `inami-walk-${tag}` } satisfies Identity,
    sreDesk: { role: 'SRE', organisation: site.sre, subject: `desk-walk-${tag}` } satisfies Identity,
    counsellor: { role: 'SRE', organisation: site.sre, subject: `counsellor-walk-${tag}` } satisfies Identity,
    supervisor: {
      role: 'SUPERVISOR',
      organisation: site.partner,
      subject: `supervisor-walk-${tag}`,
    } satisfies Identity,
    coach: { role: 'JOB_COACH', organisation: site.partner, subject: `coach-walk-${tag}` } satisfies Identity,
  };
}
type Actors = ReturnType<typeof actorsOf>;

/**
 * The physician refers (R1–R4), INAMI finds the form in its intake queue, registers the pathway
 * under the convention the person's postcode gives (R5, R17), randomises (R6) and forwards it (R7).
 * People are referred until one lands in the arm wanted; the others stay registered, randomised.
 */
async function referredToTheSre(
  site: Site,
  arm: Arm,
  actors: Actors,
): Promise<{ niss: string; pathwayId: string; registryNumber: string }> {
  for (let attempt = 1; attempt <= MAX_TRIES; attempt++) {
    const input = referralInput({
      form: site.form,
      person: {
        region: site.region,
        postcode: site.postcode,
        givenName: 'Sam',
        familyName: `Walk-${site.region}-${arm}`,
      },
    });
    const niss = String(input.person.niss);
    const { submitReferral } = await step(
      'submitReferral',
      graph.query<{ submitReferral: { referralId: string } }>(actors.physician, SUBMIT_REFERRAL, {
        input,
        key: newKey(),
      }),
    );

    const intake = await step(
      'intakeQueue',
      graph.query<{ intakeQueue: Connection<{ referralId: string; participant: { id: string } | null }> }>(
        actors.inami,
        'query($region: Region!) { intakeQueue(region: $region, status: WAITING, first: 100) { edges { node { referralId participant { id } } } } }',
        { region: site.region },
      ),
    );
    const waiting = found(
      'intakeQueue',
      nodes(intake.intakeQueue),
      (item) => item.referralId === submitReferral.referralId,
    );
    const { registerPathway } = await step(
      'registerPathway',
      graph.query<{
        registerPathway: { pathwayId: string; pathway: { registryNumber: string; convention: { code: string } } };
      }>(
        actors.inami,
        'mutation($input: RegisterPathwayInput!) { registerPathway(input: $input) { pathwayId pathway { registryNumber convention { code } } } }',
        { input: { referralId: waiting.referralId } },
      ),
    );
    expect(registerPathway.pathway.convention.code).toBe(site.partner); // the postcode's catchment (R3, R17)
    const { randomise } = await step(
      'randomise',
      graph.query<{ randomise: { allocation: { arm: Arm } } }>(actors.inami, RANDOMISE, {
        participantId: waiting.participant!.id,
        key: newKey(),
      }),
    );
    if (randomise.allocation.arm !== arm) continue;
    await step(
      'routeToEmploymentService',
      graph.query(actors.inami, 'mutation($id: ID!) { routeToEmploymentService(pathwayId: $id) { inboxItemId } }', {
        id: registerPathway.pathwayId,
      }),
    );
    return { niss, pathwayId: registerPathway.pathwayId, registryNumber: registerPathway.pathway.registryNumber };
  }
  throw new Error(`walk: no one landed in the ${arm} arm in ${MAX_TRIES} referrals`);
}

/** The SRE finds the pathway in the mailbox of the person's arm (R7) and acknowledges it. */
async function fromTheSreInbox(arm: Arm, actors: Actors, registryNumber: string): Promise<string> {
  const inbox = await step(
    'sreInbox',
    graph.query<{
      sreInbox: Connection<{ id: string; mailbox: string; pathway: { id: string; registryNumber: string } | null }>;
    }>(
      actors.sreDesk,
      'query($mailbox: Mailbox) { sreInbox(mailbox: $mailbox, unacknowledgedOnly: true, first: 100) { edges { node { id mailbox pathway { id registryNumber } } } } }',
      {
        mailbox: arm === 'IPS' ? 'IPS' : 'IPS_CONTROL_GROUP',
      },
    ),
  );
  const item = found('sreInbox', nodes(inbox.sreInbox), (entry) => entry.pathway?.registryNumber === registryNumber);
  await step(
    'acknowledgeInboxItem',
    graph.query(actors.sreDesk, 'mutation($id: ID!) { acknowledgeInboxItem(id: $id) { acknowledgedAt } }', {
      id: item.id,
    }),
  );
  return item.pathway!.id;
}

/** The referent records a competitive job (R15: the art. 100 §2 request opens), the physician decides it from their pending list. */
async function aJobAuthorised(referent: Identity, actors: Actors, pathwayId: string): Promise<void> {
  const { recordEmploymentContract } = await step(
    'recordEmploymentContract',
    graph.query<{ recordEmploymentContract: { authorisation: { id: string; reason: string } } }>(
      referent,
      'mutation($input: RecordEmploymentContractInput!) { recordEmploymentContract(input: $input) { authorisation { id reason } } }',
      {
        input: {
          pathwayId,
          employer: 'Delhaize',
          employerNumber: '0402206045',
          jobFunction: 'Magasinier',
          startsOn: TODAY,
          weeklyHours: 19,
          contractType: 'OPEN_ENDED',
          openLabourMarket: true,
          paidAtLeastMinimumWage: true,
          reservedForDisabledPeople: false,
        },
      },
    ),
  );
  expect(recordEmploymentContract.authorisation.reason).toBe('FIRST_CONTRACT');
  const pending = await step(
    'pendingAuthorisations',
    graph.query<{ pendingAuthorisations: Connection<{ id: string; pathway: { id: string } | null }> }>(
      actors.physician,
      '{ pendingAuthorisations(first: 100) { edges { node { id pathway { id } } } } }',
    ),
  );
  const request = found(
    'pendingAuthorisations',
    nodes(pending.pendingAuthorisations),
    (authorisation) => authorisation.pathway?.id === pathwayId,
  );
  const { decideWorkAuthorisation } = await step(
    'decideWorkAuthorisation',
    graph.query<{ decideWorkAuthorisation: { decision: string } }>(
      actors.physician,
      'mutation($id: ID!) { decideWorkAuthorisation(id: $id, granted: true) { decision } }',
      { id: request.id },
    ),
  );
  expect(decideWorkAuthorisation.decision).toBe('GRANTED');
}

/** The person's own health insurer finds them among its members in the pilot and states the month's benefit. */
async function aBenefitStatement(actors: Actors, niss: string): Promise<void> {
  const members = await step(
    'members',
    graph.query<{ members: Connection<{ id: string; niss: string | null }> }>(
      actors.oa,
      '{ members(first: 500) { edges { node { id niss } } } }',
    ),
  );
  const member = found('members', nodes(members.members), (person) => person.niss === niss);
  await step(
    'recordBenefitStatement',
    graph.query(
      actors.oa,
      'mutation($input: RecordBenefitStatementInput!) { recordBenefitStatement(input: $input) { month } }',
      {
        input: {
          participantId: member.id,
          month: MONTH,
          benefitType: 'INVALIDITY',
          amountCents: 61_250,
          days: 13,
          partialWorkAuthorised: true,
        },
      },
    ),
  );
}

/** R16: the referent ends the pathway, the physician's file has it at once; only then does the physician, from their patients, end the recognition. */
async function endedAndRecognitionEnded(
  referent: Identity,
  actors: Actors,
  pathwayId: string,
  niss: string,
): Promise<void> {
  const { endPathway } = await step(
    'endPathway',
    graph.query<{ endPathway: { status: string } }>(
      referent,
      'mutation($input: EndPathwayInput!) { endPathway(input: $input) { status } }',
      { input: { pathwayId, endedOn: TODAY, reason: 'EMPLOYMENT_SUSTAINED' } },
    ),
  );
  expect(endPathway.status).toBe('ENDED');
  const patients = await step(
    'patients',
    graph.query<{ patients: Connection<{ id: string; niss: string | null }> }>(
      actors.physician,
      '{ patients(first: 500) { edges { node { id niss } } } }',
    ),
  );
  const patient = found('patients', nodes(patients.patients), (person) => person.niss === niss);
  const file = await step(
    'physicianInbox',
    graph.query<{ physicianInbox: Connection<{ kind: string }> }>(
      actors.physician,
      'query($p: ID!) { physicianInbox(participantId: $p, first: 50) { edges { node { kind } } } }',
      { p: patient.id },
    ),
  );
  expect(nodes(file.physicianInbox).map((message) => message.kind)).toContain('PATHWAY_ENDED');
  const { endIncapacityRecognition } = await step(
    'endIncapacityRecognition',
    graph.query<{ endIncapacityRecognition: { incapacityEndedOn: string } }>(
      actors.physician,
      'mutation($id: ID!, $on: LocalDate!) { endIncapacityRecognition(participantId: $id, endedOn: $on) { incapacityEndedOn } }',
      { id: patient.id, on: TODAY },
    ),
  );
  expect(endIncapacityRecognition.incapacityEndedOn).toBe(TODAY);
}

const CASELOAD = '{ caseload { pathway { id registryNumber meetings { id kind heldOn } } nextAction { kind } } }';
type Caseload = {
  caseload: {
    pathway: {
      id: string;
      registryNumber: string;
      meetings: { id: string; kind: string; heldOn: string | null }[];
    } | null;
  }[];
};

describe.each(SITES)('in $region', (site) => {
  it('walks an IPS-arm person from the referral to the end of the recognition, each actor from their own worklists', async () => {
    const actors = actorsOf(site, `${site.region}-ips`.toLowerCase());
    await graph.enrol(actors.coach);
    const { niss, registryNumber } = await referredToTheSre(site, 'IPS', actors);
    const pathwayId = await fromTheSreInbox('IPS', actors, registryNumber);

    // R8: the SRE invites the person to the partner's collective welcome session.
    await step(
      'organiseWelcomeSession',
      graph.query(
        actors.sreDesk,
        'mutation($input: OrganiseWelcomeSessionInput!) { organiseWelcomeSession(input: $input) { id } }',
        { input: { ipsPartner: site.partner, heldOn: TODAY, place: `${site.sre} — salle 2`, pathwayIds: [pathwayId] } },
      ),
    );

    // R11: the supervisor finds the pathway waiting for a coach, names one, and records who came.
    const unassigned = await step(
      'unassignedPathways',
      graph.query<{ unassignedPathways: Connection<{ id: string; registryNumber: string }> }>(
        actors.supervisor,
        '{ unassignedPathways(first: 100) { edges { node { id registryNumber } } } }',
      ),
    );
    const waiting = found(
      'unassignedPathways',
      nodes(unassigned.unassignedPathways),
      (pathway) => pathway.registryNumber === registryNumber,
    );
    await step(
      'assignJobCoach',
      graph.query(
        actors.supervisor,
        'mutation($input: AssignJobCoachInput!) { assignJobCoach(input: $input) { jobCoach } }',
        { input: { pathwayId: waiting.id, jobCoach: actors.coach.subject } },
      ),
    );
    const sessions = await step(
      'welcomeSessions',
      graph.query<{ welcomeSessions: Connection<{ id: string; place: string }> }>(
        actors.supervisor,
        'query($from: LocalDate) { welcomeSessions(heldFrom: $from, first: 100) { edges { node { id place } } } }',
        { from: TODAY },
      ),
    );
    const session = found(
      'welcomeSessions',
      nodes(sessions.welcomeSessions),
      (s) => s.place === `${site.sre} — salle 2`,
    );
    await step(
      'recordWelcomeAttendance',
      graph.query(
        actors.supervisor,
        'mutation($id: ID!, $present: [ID!]!, $on: LocalDate!) { recordWelcomeAttendance(sessionId: $id, present: $present, firstMeetingOn: $on) { id } }',
        { id: session.id, present: [waiting.id], on: TODAY },
      ),
    );

    // R11, R13: the coach finds the person in the caseload, holds the first meeting, sends the RP1IPS (INAMI receives it).
    const caseload = await step('caseload', graph.query<Caseload>(actors.coach, CASELOAD));
    const entry = found(
      'caseload',
      caseload.caseload.map((e) => e.pathway!),
      (pathway) => pathway?.registryNumber === registryNumber,
    );
    const first = found('meetings', entry.meetings, (meeting) => meeting.kind === 'FIRST');
    await step(
      'recordMeetingHeld',
      graph.query(
        actors.coach,
        'mutation($id: ID!, $on: LocalDate!) { recordMeetingHeld(meetingId: $id, heldOn: $on) { heldOn } }',
        { id: first.id, on: TODAY },
      ),
    );
    await step(
      'recordPathwayAct',
      graph.query(actors.coach, 'mutation($input: RecordPathwayActInput!) { recordPathwayAct(input: $input) { id } }', {
        input: { pathwayId: entry.id, kind: 'RP1IPS_SENT', actOn: TODAY },
      }),
    );
    const acts = await step(
      'actInbox',
      graph.query<{ actInbox: Connection<{ pathway: { registryNumber: string } | null }> }>(
        actors.inami,
        '{ actInbox(kind: RP1IPS_SENT, first: 100) { edges { node { pathway { registryNumber } } } } }',
      ),
    );
    found('actInbox', nodes(acts.actInbox), (act) => act.pathway?.registryNumber === registryNumber);
    const planned = await step(
      'planFollowUpMeeting',
      graph.query<{ planFollowUpMeeting: { id: string } }>(
        actors.coach,
        'mutation($input: PlanFollowUpMeetingInput!) { planFollowUpMeeting(input: $input) { id } }',
        { input: { pathwayId: entry.id, scheduledFor: TODAY } },
      ),
    );
    await step(
      'recordMeetingHeld',
      graph.query(
        actors.coach,
        'mutation($id: ID!, $on: LocalDate!) { recordMeetingHeld(meetingId: $id, heldOn: $on) { heldOn } }',
        { id: planned.planFollowUpMeeting.id, on: TODAY },
      ),
    );

    await aJobAuthorised(actors.coach, actors, entry.id);
    await aBenefitStatement(actors, niss);
    await endedAndRecognitionEnded(actors.coach, actors, entry.id, niss);
  });

  it('walks a control-arm person from the referral to the end of the recognition, each actor from their own worklists', async () => {
    const actors = actorsOf(site, `${site.region}-control`.toLowerCase());
    await graph.enrol(actors.counsellor);
    const { niss, registryNumber } = await referredToTheSre(site, 'CONTROL', actors);
    const pathwayId = await fromTheSreInbox('CONTROL', actors, registryNumber);

    // R9: the SRE names the reference counsellor, who finds the person in their caseload.
    await step(
      'assignReferenceCounsellor',
      graph.query(
        actors.sreDesk,
        'mutation($input: AssignReferenceCounsellorInput!) { assignReferenceCounsellor(input: $input) { referenceCounsellor } }',
        { input: { pathwayId, referenceCounsellor: actors.counsellor.subject } },
      ),
    );
    const caseload = await step('caseload', graph.query<Caseload>(actors.counsellor, CASELOAD));
    const entry = found(
      'caseload',
      caseload.caseload.map((e) => e.pathway!),
      (pathway) => pathway?.registryNumber === registryNumber,
    );
    const colleague = { ...actors.counsellor, subject: `${actors.counsellor.subject}-colleague` };
    await graph.enrol(colleague);
    const theirs = await step('caseload', graph.query<Caseload>(colleague, CASELOAD));
    expect(theirs.caseload.map((e) => e.pathway?.registryNumber)).not.toContain(registryNumber); // only the referent's own (REFERENT)

    // R9, R10: the reference interview, the RP1 (copied to the physician), then follow-up.
    await step(
      'recordPathwayAct',
      graph.query(
        actors.counsellor,
        'mutation($input: RecordPathwayActInput!) { recordPathwayAct(input: $input) { id } }',
        {
          input: {
            pathwayId: entry.id,
            kind: 'REFERENCE_INTERVIEW_HELD',
            actOn: TODAY,
            person: 'Mme Peeters, conseillère référente',
          },
        },
      ),
    );
    await step(
      'recordPathwayAct',
      graph.query(
        actors.counsellor,
        'mutation($input: RecordPathwayActInput!) { recordPathwayAct(input: $input) { id } }',
        { input: { pathwayId: entry.id, kind: 'RP1_FILED', actOn: TODAY } },
      ),
    );
    const acts = await step(
      'actInbox',
      graph.query<{ actInbox: Connection<{ pathway: { registryNumber: string } | null }> }>(
        actors.inami,
        '{ actInbox(kind: RP1_FILED, first: 100) { edges { node { pathway { registryNumber } } } } }',
      ),
    );
    found('actInbox', nodes(acts.actInbox), (act) => act.pathway?.registryNumber === registryNumber);
    const planned = await step(
      'planFollowUpMeeting',
      graph.query<{ planFollowUpMeeting: { id: string } }>(
        actors.counsellor,
        'mutation($input: PlanFollowUpMeetingInput!) { planFollowUpMeeting(input: $input) { id } }',
        { input: { pathwayId: entry.id, scheduledFor: TODAY } },
      ),
    );
    await step(
      'recordMeetingHeld',
      graph.query(
        actors.counsellor,
        'mutation($id: ID!, $on: LocalDate!) { recordMeetingHeld(meetingId: $id, heldOn: $on) { heldOn } }',
        { id: planned.planFollowUpMeeting.id, on: TODAY },
      ),
    );

    await aJobAuthorised(actors.counsellor, actors, entry.id);
    await aBenefitStatement(actors, niss);
    await endedAndRecognitionEnded(actors.counsellor, actors, entry.id, niss);
  });
});
