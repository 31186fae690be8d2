/**
 * The authorization matrix of writes, generated from schema/policy.ts ACTIONS: every mutation
 * (each act kind and staff function apart) × every role × relation to the target (holds it / same
 * role, other organisation / same subject, other organisation / none: a colleague of the holder's
 * own organisation) × consent (given / withdrawn by the person). Each attempt goes through the
 * gateway with a real target in the state the domain asks for. The oracle is the table read plainly:
 * a write succeeds only for the role and relation a grant names, and — unless the action acts on the
 * relation alone or on no person — only while the person's consent lets the caller read the target.
 * Anything else must be refused and write nothing: zero unauthorised writes, the count printed.
 */
import {
  ACTIONS,
  RELATIONS as RELATION_TABLE,
  type ActionGrant,
  type ActionRule,
  type Precondition,
  type Relation as PolicyRelation,
} from '../schema/policy.js';
import { ROLES, type Identity, type Role } from '../schema/identity.js';
import { belgianToday } from '../subgraphs/kit/domain.js';
import { FIDELITY_ITEMS } from '../subgraphs/research/services/fidelity-scale.js';
import { CONVENTION_IDS, newKey, referralInput } from './fixtures.js';
import { DEFAULT_IDENTITY, startTestPlatform, type GraphQLResponse, type TestPlatform } from './harness.js';
import { seed, type SeededPerson } from './seed.js';

let graph: TestPlatform;
beforeAll(async () => {
  graph = await startTestPlatform();
  await seed(graph).trial();
  // Every row registers its people under Article 23, more than its convention's 100 places: the matrix tests who may write,
  // not a full convention (test/convention-terms.e2e.test.ts does), so the convention takes the region's 200 (its bound).
  await graph.sql("update billing.convention set partner_pathways = regional_pathways where code = 'ARTICLE-23'");
}, 120_000);
afterAll(async () => {
  await graph?.stop();
});

const TODAY = belgianToday();
type Relation = 'holds' | 'same role, other organisation' | 'same subject, other organisation' | 'none';
type Consent = 'given' | 'withdrawn';
const RELATIONS: Relation[] = ['holds', 'same role, other organisation', 'same subject, other organisation', 'none'];

/** Who holds each role's relation to the people set up here (a Liège person, Article 23, FOREM, OA-300): the harness's callers, under their own subjects. */
const HOLDER = Object.fromEntries(
  ROLES.filter((role) => role !== 'PARTICIPANT').map((role) => [
    role,
    { ...DEFAULT_IDENTITY[role], subject: `${role.toLowerCase().replaceAll('_', '-')}-matrix` },
  ]),
) as Record<Exclude<Role, 'PARTICIPANT'>, Identity>;
const OTHER_ORGANISATION: Record<Role, string> = {
  MEDECIN_CONSEIL: 'OA-500',
  OA: 'OA-500',
  INAMI: 'OA-100',
  SRE: 'VDAB',
  JOB_COACH: 'ISPPC',
  SUPERVISOR: 'ISPPC',
  RESEARCHER: 'OA-200',
  INTEGRATOR: 'DASHBOARD-BRU',
  PARTICIPANT: 'OTHER',
};

/** Whether OTHER_ORGANISATION[role] is an organisation of the kind that lists the role's staff (STAFF_FUNCTIONS.organisationKind). */
const OTHER_ORGANISATION_LISTS_STAFF: Record<Role, boolean> = {
  MEDECIN_CONSEIL: true,
  OA: true,
  INAMI: false,
  SRE: true,
  JOB_COACH: true,
  SUPERVISOR: true,
  RESEARCHER: false,
  INTEGRATOR: false,
  PARTICIPANT: false,
};

function caller(role: Role, relation: Relation, person: SeededPerson): Identity {
  const holder = role === 'PARTICIPANT' ? person.self : HOLDER[role];
  switch (relation) {
    case 'holds':
      return holder;
    case 'same role, other organisation':
      return {
        role,
        organisation: OTHER_ORGANISATION[role],
        subject: role === 'PARTICIPANT' ? '85073003328' : `other-${holder.subject}`,
      };
    case 'same subject, other organisation':
      return { role, organisation: OTHER_ORGANISATION[role], subject: holder.subject };
    case 'none':
      return {
        role,
        organisation: holder.organisation,
        subject: role === 'PARTICIPANT' ? '17073003384' : `stranger-${holder.subject}`,
      };
  }
}

/** One row of the matrix: a mutation (with its variant) on a target set up in the state its grants require. */
interface Row {
  name: string;
  action: ActionRule;
  variant?: string;
  /** States the set-up does not reach (the grants that need them do not apply). */
  unmet?: Precondition[];
  /** Sets a target up; returns the person it concerns and the attempt's query and variables. */
  setup(): Promise<{ person: SeededPerson; query: string; variables: Record<string, unknown> }>;
}

const physician = HOLDER.MEDECIN_CONSEIL;
/** A researcher of the holder's team who proposes the designs the matrix approves. */
const PROPOSER: Identity = {
  role: 'RESEARCHER',
  organisation: HOLDER.RESEARCHER.organisation,
  subject: 'proposer-matrix',
};
const referred = () => seed(graph).person().referredBy(physician).build();
const registered = () => seed(graph).person().referredBy(physician).registered({ convention: 'ARTICLE-23' }).build();
const randomisedIps = () =>
  seed(graph)
    .person()
    .referredBy(physician)
    .registered({ convention: 'ARTICLE-23' })
    .randomised({ arm: 'IPS' })
    .build();
/** A Liège person in the control group, their form forwarded to FOREM and FOREM's counsellor their referent (R9). */
const withCounsellor = async () => {
  const person = await seed(graph)
    .person()
    .referredBy(physician)
    .registered({ convention: 'ARTICLE-23' })
    .randomised({ arm: 'CONTROL' })
    .routed()
    .build();
  await must(
    graph.query(
      HOLDER.SRE,
      'mutation($input: AssignReferenceCounsellorInput!) { assignReferenceCounsellor(input: $input) { id } }',
      { input: { pathwayId: person.pathwayId, referenceCounsellor: HOLDER.SRE.subject } },
    ),
  );
  return person;
};
const withCoach = () =>
  seed(graph)
    .person()
    .referredBy(physician)
    .registered({ convention: 'ARTICLE-23' })
    .withCoach(HOLDER.JOB_COACH, { by: HOLDER.SUPERVISOR })
    .routed()
    .build();

async function must<T>(response: Promise<GraphQLResponse<T>>): Promise<T> {
  const answer = await response;
  if (answer.errors) throw new Error(`matrix set-up failed: ${JSON.stringify(answer.errors)}`);
  return answer.data!;
}
const contract = async (person: SeededPerson & { pathwayId: string }) =>
  must(
    graph.query<{ recordEmploymentContract: { authorisation: { id: string } } }>(
      HOLDER.JOB_COACH,
      'mutation($input: RecordEmploymentContractInput!) { recordEmploymentContract(input: $input) { authorisation { id } } }',
      {
        input: {
          pathwayId: person.pathwayId,
          employer: 'Colruyt',
          employerNumber: '0203201340',
          jobFunction: 'Magasinier',
          startsOn: TODAY,
          weeklyHours: 20,
          contractType: 'FIXED_TERM',
        },
      },
    ),
  );
/** A competitive job recorded by the person's referent, as an employment episode to end. */
const episode = async (person: SeededPerson & { pathwayId: string }, referent: Identity) =>
  (
    await must(
      graph.query<{ recordEmploymentContract: { id: string } }>(
        referent,
        'mutation($input: RecordEmploymentContractInput!) { recordEmploymentContract(input: $input) { id } }',
        {
          input: {
            pathwayId: person.pathwayId,
            employer: 'Colruyt',
            employerNumber: '0203201340',
            jobFunction: 'Magasinier',
            startsOn: TODAY,
            weeklyHours: 20,
            contractType: 'OPEN_ENDED',
            openLabourMarket: true,
            paidAtLeastMinimumWage: true,
            reservedForDisabledPeople: false,
          },
        },
      ),
    )
  ).recordEmploymentContract.id;
const END_EPISODE = 'mutation($input: EndEmploymentEpisodeInput!) { endEmploymentEpisode(input: $input) { id } }';
const session = async (person: SeededPerson & { pathwayId: string }) =>
  (
    await must(
      graph.query<{ organiseWelcomeSession: { id: string } }>(
        HOLDER.SRE,
        'mutation($input: OrganiseWelcomeSessionInput!) { organiseWelcomeSession(input: $input) { id } }',
        {
          input: { ipsPartner: 'ARTICLE-23', heldOn: TODAY, place: 'Liège', pathwayIds: [person.pathwayId] },
        },
      ),
    )
  ).organiseWelcomeSession.id;
const act =
  (kind: string, extra: Record<string, unknown> = {}): Row['setup'] =>
  async () => {
    const person = await withCoach();
    return {
      person,
      query: 'mutation($input: RecordPathwayActInput!) { recordPathwayAct(input: $input) { id } }',
      variables: { input: { pathwayId: person.pathwayId, kind, actOn: TODAY, ...extra } },
    };
  };
const rpForm =
  (form: string, requestKind: string): Row['setup'] =>
  async () => {
    const person = await withCoach();
    return {
      person,
      query: 'mutation($input: SendRpFormInput!) { sendRpForm(input: $input) { id } }',
      variables: {
        input: {
          pathwayId: person.pathwayId,
          form,
          requestKind,
          objectives: 'Un emploi.',
          planCategory: 'EMPLOYMENT',
          periodFrom: TODAY,
          signedOn: TODAY,
        },
      },
    };
  };
/** IPS-25 reviews (recordFidelityReview): each attempt on its own past date; INAMI reviewers are its agents in the staff directory. */
let fidelityDays = 0;
const fidelityDate = () =>
  new Date(Date.parse(`${TODAY}T12:00:00Z`) - ++fidelityDays * 86_400_000).toISOString().slice(0, 10);
let inamiEnrolled = false;
/** Conventions (R17): each amendment attempt changes a term to a value not used before; a third INAMI agent proposes the changes of money the matrix approves. */
const AMENDMENT_PROPOSER: Identity = { role: 'INAMI', organisation: 'INAMI', subject: 'amendment-proposer-matrix' };
let amendments = 0;
const amendmentDay = () =>
  new Date(Date.parse('2030-01-01T12:00:00Z') + ++amendments * 86_400_000).toISOString().slice(0, 10);
/** Claims (R17): each attempt on a month of its own; Article 23 staffed by one constructed coach from 2019, so every month's coach line has an amount to credit. */
let claimMonths = 0;
let claimStaffed = false;
const claimPeriod = () => {
  const month = claimMonths++;
  return `${2020 + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}`;
};
async function submittedClaim(approved = false): Promise<{ id: string; lineIds: string[] }> {
  if (!claimStaffed) {
    claimStaffed = true;
    await graph.sql(`insert into participants.staff_member (id, organisation_code, subject, function, display_name, enrolled_at, enrolled_by, ended_at, ended_by, fte_hundredths)
      values (gen_random_uuid(), 'ARTICLE-23', 'claims-matrix-coach', 'JOB_COACH', 'claims-matrix-coach', '2019-06-01', 'test', '2025-12-31', 'test', 100)`);
  }
  const submitted = await must(
    graph.query<{ submitClaim: { id: string; lines: { id: string }[] } }>(
      HOLDER.SUPERVISOR,
      'mutation($input: SubmitClaimInput!) { submitClaim(input: $input) { id lines { id } } }',
      {
        input: { conventionId: CONVENTION_IDS['ARTICLE-23'], period: claimPeriod() },
      },
    ),
  );
  const claim = { id: submitted.submitClaim.id, lineIds: submitted.submitClaim.lines.map((line) => line.id) };
  if (approved) {
    await enrolInamiReviewers();
    for (const lineId of claim.lineIds)
      await must(
        graph.query(
          AMENDMENT_PROPOSER,
          'mutation($input: DecideClaimLineInput!) { decideClaimLine(input: $input) { id } }',
          { input: { lineId, decision: 'APPROVED' } },
        ),
      );
  }
  return claim;
}
async function enrolInamiReviewers(): Promise<void> {
  if (inamiEnrolled) return;
  inamiEnrolled = true;
  const admin: Identity = { role: 'INAMI', organisation: 'INAMI', subject: 'inami-directory-admin' };
  await graph.enrol({ role: 'RESEARCHER', organisation: 'ULB', subject: 'co-reviewer-matrix' }); // the co-reviewer every attempt names
  for (const subject of [HOLDER.INAMI.subject, `stranger-${HOLDER.INAMI.subject}`, AMENDMENT_PROPOSER.subject]) {
    await must(
      graph.query(admin, 'mutation($input: EnrolStaffMemberInput!) { enrolStaffMember(input: $input) { id } }', {
        input: { subject, function: 'INAMI_AGENT', displayName: subject },
      }),
    );
  }
}
/** R12: wave 0 (baseline) of a person allocated today is due; `opened`, `answered` take it further as the person. */
const WAVE_INPUT = (person: SeededPerson) => ({ input: { participantId: person.participantId, wave: 0 } });
const QUESTIONNAIRE_ANSWERS = [
  { linkId: 'work-status', valueCode: 'none' },
  { linkId: 'work-hours', valueInteger: 0 },
  { linkId: 'job-search', valueBoolean: true },
  ...[
    'qol-mobility',
    'qol-self-care',
    'qol-usual-activities',
    'qol-pain',
    'qol-anxiety-depression',
    'recovery-hope',
    'recovery-goals',
  ].map((linkId) => ({ linkId, valueCode: '3' })),
  { linkId: 'health-today', valueInteger: 60 },
];
const waveOpened = async (person: SeededPerson, answered = false) => {
  await must(
    graph.query(
      person.self,
      'mutation($input: QuestionnaireWaveInput!) { openQuestionnaireWave(input: $input) { state } }',
      WAVE_INPUT(person),
    ),
  );
  if (answered)
    await must(
      graph.query(
        person.self,
        'mutation($input: SaveQuestionnaireAnswersInput!) { saveQuestionnaireAnswers(input: $input) { state } }',
        { input: { ...WAVE_INPUT(person).input, answers: QUESTIONNAIRE_ANSWERS } },
      ),
    );
  return person;
};
const consentChange =
  (field: string, args: string): Row['setup'] =>
  async () => {
    const person = await referred();
    return {
      person,
      query: `mutation($id: ID!) { ${field}(participantId: $id, ${args}) { participantId } }`,
      variables: { id: person.participantId },
    };
  };

const ROWS: Row[] = [
  {
    name: 'submitReferral',
    action: ACTIONS.submitReferral!,
    unmet: ['noOpenReferral'],
    setup: async () => {
      const person = await referred();
      return {
        person,
        query: 'mutation($input: SubmitReferralInput!) { submitReferral(input: $input) { referralId } }',
        variables: { input: referralInput({ person: { niss: person.niss } }) },
      };
    },
  },
  {
    name: 'amendReferral',
    action: ACTIONS.amendReferral!,
    setup: async () => {
      const person = await referred();
      return {
        person,
        query:
          'mutation($id: ID!, $input: SubmitReferralInput!) { amendReferral(referralId: $id, input: $input) { referralId } }',
        variables: { id: person.referralId, input: referralInput({ person: { niss: person.niss } }) },
      };
    },
  },
  {
    name: 'registerPathway',
    action: ACTIONS.registerPathway!,
    setup: async () => {
      const person = await referred();
      return {
        person,
        query: 'mutation($input: RegisterPathwayInput!) { registerPathway(input: $input) { pathwayId } }',
        variables: { input: { referralId: person.referralId, conventionId: CONVENTION_IDS['ARTICLE-23'] } },
      };
    },
  },
  {
    name: 'assignJobCoach',
    action: ACTIONS.assignJobCoach!,
    setup: async () => {
      const person = await randomisedIps();
      return {
        person,
        query: 'mutation($input: AssignJobCoachInput!) { assignJobCoach(input: $input) { id } }',
        variables: { input: { pathwayId: person.pathwayId, jobCoach: HOLDER.JOB_COACH.subject } },
      };
    },
  },
  {
    name: 'configureTrial',
    action: ACTIONS.configureTrial!,
    setup: async () => ({
      person: await referred(), // no person is acted on: the consent makes no difference
      query: 'mutation($input: ConfigureTrialInput!) { configureTrial(input: $input) { id } }',
      variables: {
        input: {
          procedure: 'PERMUTED_BLOCKS',
          blockSizes: [2, 4, 6],
          rationale: 'Protocol v2: the same design, re-stated for the matrix.',
        },
      },
    }),
  },
  {
    name: 'approveTrialDesign',
    action: ACTIONS.approveTrialDesign!,
    setup: async () => {
      // Proposed by a third researcher, so neither the holder nor its colleague is the author (notAuthor holds for both).
      const proposed = await must(
        graph.query<{ configureTrial: { id: string } }>(
          PROPOSER,
          'mutation($input: ConfigureTrialInput!) { configureTrial(input: $input) { id } }',
          {
            input: {
              procedure: 'PERMUTED_BLOCKS',
              blockSizes: [2, 4, 6],
              rationale: 'Protocol v2: the same design, proposed for the matrix.',
            },
          },
        ),
      );
      return {
        person: await referred(),
        query: 'mutation($id: ID!) { approveTrialDesign(proposalId: $id) { id } }',
        variables: { id: proposed.configureTrial.id },
      };
    },
  },
  {
    name: 'amendConvention',
    action: ACTIONS.amendConvention!,
    setup: async () => {
      await enrolInamiReviewers();
      return {
        person: await referred(), // no person is acted on: the consent makes no difference
        query: 'mutation($input: AmendConventionInput!) { amendConvention(input: $input) { id } }',
        variables: {
          input: {
            conventionId: CONVENTION_IDS.ISPPC,
            reason: 'Matrix: period amended',
            terms: { validTo: amendmentDay() },
          },
        },
      };
    },
  },
  {
    name: 'approveConventionAmendment',
    action: ACTIONS.approveConventionAmendment!,
    setup: async () => {
      await enrolInamiReviewers();
      // Proposed by a third agent on the version in force, so neither the holder nor its colleague is the author (notAmendmentAuthor holds for both).
      const proposed = await must(
        graph.query<{ amendConvention: { id: string } }>(
          AMENDMENT_PROPOSER,
          'mutation($input: AmendConventionInput!) { amendConvention(input: $input) { id } }',
          {
            input: {
              conventionId: CONVENTION_IDS['VDAB-GTB'],
              reason: 'Matrix: indexation',
              terms: { coachFteMonthCents: 600_000 + ++amendments },
            },
          },
        ),
      );
      return {
        person: await referred(),
        query: 'mutation($id: ID!) { approveConventionAmendment(amendmentId: $id) { id } }',
        variables: { id: proposed.amendConvention.id },
      };
    },
  },
  {
    name: 'submitClaim',
    action: ACTIONS.submitClaim!,
    setup: async () => ({
      person: await referred(), // no person is acted on: the consent makes no difference
      query: 'mutation($input: SubmitClaimInput!) { submitClaim(input: $input) { id } }',
      variables: { input: { conventionId: CONVENTION_IDS['ARTICLE-23'], period: claimPeriod() } },
    }),
  },
  {
    name: 'decideClaimLine',
    action: ACTIONS.decideClaimLine!,
    setup: async () => {
      await enrolInamiReviewers();
      const claim = await submittedClaim();
      return {
        person: await referred(),
        query: 'mutation($input: DecideClaimLineInput!) { decideClaimLine(input: $input) { id } }',
        variables: { input: { lineId: claim.lineIds[0], decision: 'APPROVED' } },
      };
    },
  },
  {
    name: 'issueCreditNote',
    action: ACTIONS.issueCreditNote!,
    setup: async () => {
      const claim = await submittedClaim(true);
      return {
        person: await referred(),
        query: 'mutation($input: IssueCreditNoteInput!) { issueCreditNote(input: $input) { id } }',
        variables: {
          input: {
            claimId: claim.id,
            reason: 'Matrix: a cent too much',
            lines: [{ claimLineId: claim.lineIds[0], amountCents: -1 }],
          },
        },
      };
    },
  },
  {
    name: 'recordClaimPayment',
    action: ACTIONS.recordClaimPayment!,
    setup: async () => {
      const claim = await submittedClaim(true);
      return {
        person: await referred(),
        query: 'mutation($input: RecordClaimPaymentInput!) { recordClaimPayment(input: $input) { id } }',
        variables: { input: { claimId: claim.id, paidOn: TODAY, reference: 'MATRIX', amountCents: 1 } },
      };
    },
  },
  {
    name: 'recordScreening',
    action: ACTIONS.recordScreening!,
    setup: async () => ({
      person: await referred(), // an entry of no one: the consent makes no difference
      query: 'mutation($input: RecordScreeningInput!) { recordScreening(input: $input) { id } }',
      variables: {
        input: { screenedIn: TODAY.slice(0, 7), region: 'WALLONIA', outcome: 'R1_NOT_MET', unmetCondition: 'R1D' },
      },
    }),
  },
  {
    name: 'recordFidelityReview',
    action: ACTIONS.recordFidelityReview!,
    setup: async () => {
      await enrolInamiReviewers();
      return {
        person: await referred(), // no person is acted on: the consent makes no difference
        query: 'mutation($input: RecordFidelityReviewInput!) { recordFidelityReview(input: $input) { id } }',
        // A fresh date each time: a team has one review a day (noReviewOnDate).
        variables: {
          input: {
            team: 'ARTICLE-23',
            reviewedOn: fidelityDate(),
            secondReviewer: 'co-reviewer-matrix',
            scores: FIDELITY_ITEMS.map((item) => ({ item: item.key, score: 3 })),
            actionPlan: 'Matrix action plan.',
          },
        },
      };
    },
  },
  {
    name: 'fileDataRequest',
    action: ACTIONS.fileDataRequest!,
    setup: async () => ({
      person: await referred(), // no person is acted on: the consent makes no difference (R19)
      query: 'mutation($input: FileDataRequestInput!) { fileDataRequest(input: $input) { id } }',
      variables: {
        input: { project: 'MATRIX', purpose: 'Write matrix: a data request.', variables: ['arm', 'month'] },
      },
    }),
  },
  {
    name: 'decideDataRequest',
    action: ACTIONS.decideDataRequest!,
    setup: async () => {
      await enrolInamiReviewers(); // INAMI decides as one of its agents in the staff directory
      const filed = await must(
        graph.query<{ fileDataRequest: { id: string } }>(
          HOLDER.RESEARCHER,
          'mutation($input: FileDataRequestInput!) { fileDataRequest(input: $input) { id } }',
          {
            input: { project: 'MATRIX', purpose: 'Write matrix: a request to decide.', variables: ['arm'] },
          },
        ),
      );
      return {
        person: await referred(),
        query: 'mutation($input: DecideDataRequestInput!) { decideDataRequest(input: $input) { id } }',
        variables: { input: { requestId: filed.fileDataRequest.id, decision: 'REFUSE', reason: 'Write matrix.' } },
      };
    },
  },
  {
    name: 'randomise',
    action: ACTIONS.randomise!,
    setup: async () => {
      const person = await registered();
      return {
        person,
        query: 'mutation($id: ID!) { randomise(participantId: $id) { allocationId } }',
        variables: { id: person.participantId },
      };
    },
  },
  {
    name: 'routeToEmploymentService',
    action: ACTIONS.routeToEmploymentService!,
    setup: async () => {
      const person = await randomisedIps();
      return {
        person,
        query: 'mutation($id: ID!) { routeToEmploymentService(pathwayId: $id) { inboxItemId } }',
        variables: { id: person.pathwayId },
      };
    },
  },
  {
    name: 'acknowledgeInboxItem',
    action: ACTIONS.acknowledgeInboxItem!,
    setup: async () => {
      const person = await withCoach();
      return {
        person,
        query: 'mutation($id: ID!) { acknowledgeInboxItem(id: $id) { id } }',
        variables: { id: person.inboxItemId },
      };
    },
  },
  {
    name: 'recordJobSeekerRegistration',
    action: ACTIONS.recordJobSeekerRegistration!,
    setup: async () => {
      const person = await registered();
      return {
        person,
        query:
          'mutation($input: RecordJobSeekerRegistrationInput!) { recordJobSeekerRegistration(input: $input) { id } }',
        variables: { input: { pathwayId: person.pathwayId, conventionCode: 'IPS-FOREM', registeredOn: TODAY } },
      };
    },
  },
  {
    name: 'correctJobSeekerRegistration',
    action: ACTIONS.correctJobSeekerRegistration!,
    setup: async () => {
      const person = await registered();
      const recorded = await must(
        graph.query<{ recordJobSeekerRegistration: { id: string } }>(
          HOLDER.SRE,
          'mutation($input: RecordJobSeekerRegistrationInput!) { recordJobSeekerRegistration(input: $input) { id } }',
          {
            input: { pathwayId: person.pathwayId, conventionCode: 'IPS-FOREM', registeredOn: TODAY },
          },
        ),
      );
      return {
        person,
        query:
          'mutation($input: CorrectJobSeekerRegistrationInput!) { correctJobSeekerRegistration(input: $input) { id } }',
        variables: {
          input: {
            registrationId: recorded.recordJobSeekerRegistration.id,
            conventionCode: 'IPS-FOREM',
            registeredOn: '2026-11-20',
          },
        },
      };
    },
  },
  {
    name: 'organiseWelcomeSession',
    action: ACTIONS.organiseWelcomeSession!,
    setup: async () => {
      const person = await randomisedIps();
      return {
        person,
        query: 'mutation($input: OrganiseWelcomeSessionInput!) { organiseWelcomeSession(input: $input) { id } }',
        variables: {
          input: { ipsPartner: 'ARTICLE-23', heldOn: TODAY, place: 'Liège', pathwayIds: [person.pathwayId] },
        },
      };
    },
  },
  {
    name: 'recordWelcomeAttendance',
    action: ACTIONS.recordWelcomeAttendance!,
    setup: async () => {
      const person = await randomisedIps();
      return {
        person,
        query:
          'mutation($id: ID!, $present: [ID!]!) { recordWelcomeAttendance(sessionId: $id, present: $present, firstMeetingOn: "' +
          TODAY +
          '") { id } }',
        variables: { id: await session(person), present: [person.pathwayId] },
      };
    },
  },
  {
    name: 'markWelcomeAttendance',
    action: ACTIONS.markWelcomeAttendance!,
    setup: async () => {
      const person = await randomisedIps();
      const sessionId = await session(person);
      const [invitation] = await graph.sql<{ id: string }>(
        'select id from pathways.welcome_invitation where session_id = $1',
        [sessionId],
      );
      return {
        person,
        query: 'mutation($input: MarkWelcomeAttendanceInput!) { markWelcomeAttendance(input: $input) { id } }',
        variables: { input: { invitationId: invitation!.id, attended: false, firstMeetingOn: TODAY } },
      };
    },
  },
  {
    name: 'recordMeetingHeld',
    action: ACTIONS.recordMeetingHeld!,
    unmet: ['controlArm'],
    setup: async () => {
      const person = await withCoach();
      await must(
        graph.query(
          HOLDER.SUPERVISOR,
          'mutation($id: ID!, $present: [ID!]!) { recordWelcomeAttendance(sessionId: $id, present: $present, firstMeetingOn: "' +
            TODAY +
            '") { id } }',
          { id: await session(person), present: [] },
        ),
      );
      const [meeting] = await graph.sql<{ id: string }>(
        'select id from pathways.individual_meeting where pathway_id = $1',
        [person.pathwayId],
      );
      return {
        person,
        query: 'mutation($id: ID!) { recordMeetingHeld(meetingId: $id, heldOn: "' + TODAY + '") { id } }',
        variables: { id: meeting!.id },
      };
    },
  },
  {
    name: 'recordMeetingHeld',
    variant: 'control group',
    action: ACTIONS.recordMeetingHeld!,
    unmet: ['ipsArm'],
    setup: async () => {
      const person = await withCounsellor();
      const planned = await must(
        graph.query<{ planFollowUpMeeting: { id: string } }>(
          HOLDER.SRE,
          'mutation($input: PlanFollowUpMeetingInput!) { planFollowUpMeeting(input: $input) { id } }',
          { input: { pathwayId: person.pathwayId, scheduledFor: TODAY } },
        ),
      );
      return {
        person,
        query: 'mutation($id: ID!) { recordMeetingHeld(meetingId: $id, heldOn: "' + TODAY + '") { id } }',
        variables: { id: planned.planFollowUpMeeting.id },
      };
    },
  },
  {
    name: 'planFollowUpMeeting',
    action: ACTIONS.planFollowUpMeeting!,
    unmet: ['controlArm'],
    setup: async () => {
      const person = await withCoach();
      return {
        person,
        query: 'mutation($input: PlanFollowUpMeetingInput!) { planFollowUpMeeting(input: $input) { id } }',
        variables: { input: { pathwayId: person.pathwayId, scheduledFor: TODAY } },
      };
    },
  },
  {
    name: 'planFollowUpMeeting',
    variant: 'control group',
    action: ACTIONS.planFollowUpMeeting!,
    unmet: ['ipsArm'],
    setup: async () => {
      const person = await withCounsellor();
      return {
        person,
        query: 'mutation($input: PlanFollowUpMeetingInput!) { planFollowUpMeeting(input: $input) { id } }',
        variables: { input: { pathwayId: person.pathwayId, scheduledFor: TODAY } },
      };
    },
  },
  { name: 'recordPathwayAct', variant: 'RP1_FILED', action: ACTIONS.recordPathwayAct!, setup: act('RP1_FILED') },
  {
    name: 'recordPathwayAct',
    variant: 'RESOURCE_PERSON_NAMED',
    action: ACTIONS.recordPathwayAct!,
    setup: act('RESOURCE_PERSON_NAMED', { person: 'Mme Leroy' }),
  },
  { name: 'recordPathwayAct', variant: 'RP1IPS_SENT', action: ACTIONS.recordPathwayAct!, setup: act('RP1IPS_SENT') },
  {
    name: 'recordPathwayAct',
    variant: 'MESSAGE_TO_PHYSICIAN',
    action: ACTIONS.recordPathwayAct!,
    setup: act('MESSAGE_TO_PHYSICIAN', { detail: 'Bon départ.', detailCategory: 'EMPLOYMENT' }),
  },
  {
    name: 'recordPathwayAct',
    variant: 'MESSAGE_TO_JOB_COACH',
    action: ACTIONS.recordPathwayAct!,
    setup: act('MESSAGE_TO_JOB_COACH', { detail: 'Reprise du travail envisagée.', detailCategory: 'EMPLOYMENT' }),
  },
  // R10, R13: the forms to INAMI, each a first version (latestVersion holds); the plan in a category every reader may read.
  { name: 'sendRpForm', variant: 'RP1', action: ACTIONS.sendRpForm!, setup: rpForm('RP1', 'VOCATIONAL_ORIENTATION') },
  { name: 'sendRpForm', variant: 'RP1IPS', action: ACTIONS.sendRpForm!, setup: rpForm('RP1IPS', 'IPS_PATHWAY_START') },
  // The IPS principles as recorded practice: the person's coach or the partner's supervisor; the team's job development by its own staff.
  {
    name: 'recordEmployerContact',
    action: ACTIONS.recordEmployerContact!,
    setup: async () => {
      const person = await withCoach();
      return {
        person,
        query: 'mutation($input: RecordEmployerContactInput!) { recordEmployerContact(input: $input) { id } }',
        variables: {
          input: { pathwayId: person.pathwayId, contactedOn: TODAY, employer: 'Delhaize', kind: 'FIRST_CONTACT' },
        },
      };
    },
  },
  {
    name: 'recordJobDevelopmentContact',
    action: ACTIONS.recordJobDevelopmentContact!,
    setup: async () => ({
      person: await referred(), // no person is acted on: the consent makes no difference
      query:
        'mutation($input: RecordJobDevelopmentContactInput!) { recordJobDevelopmentContact(input: $input) { id } }',
      variables: {
        input: { team: 'ARTICLE-23', contactedOn: TODAY, employer: 'Ikea', kind: 'JOB_DEVELOPMENT_VISIT' },
      },
    }),
  },
  {
    name: 'recordBenefitsCounselling',
    action: ACTIONS.recordBenefitsCounselling!,
    setup: async () => {
      const person = await withCoach();
      return {
        person,
        query: 'mutation($input: RecordBenefitsCounsellingInput!) { recordBenefitsCounselling(input: $input) { id } }',
        variables: { input: { pathwayId: person.pathwayId, heldOn: TODAY, topic: 'WORK_INCENTIVES_PLAN' } },
      };
    },
  },
  {
    name: 'recordFollowAlongSupport',
    action: ACTIONS.recordFollowAlongSupport!,
    setup: async () => {
      const person = await withCoach();
      await contract(person); // follow-along follows a job
      return {
        person,
        query: 'mutation($input: RecordFollowAlongSupportInput!) { recordFollowAlongSupport(input: $input) { id } }',
        variables: { input: { pathwayId: person.pathwayId, supportedOn: TODAY, kind: 'CONTACT_WITH_PERSON' } },
      };
    },
  },
  {
    name: 'recordFollowAlongSupport',
    variant: 'after the pathway',
    action: ACTIONS.recordFollowAlongSupport!,
    setup: async () => {
      const person = await withCoach();
      await contract(person);
      await must(
        graph.query(HOLDER.JOB_COACH, 'mutation($input: EndPathwayInput!) { endPathway(input: $input) { status } }', {
          input: { pathwayId: person.pathwayId, endedOn: TODAY, reason: 'EMPLOYMENT_SUSTAINED' },
        }),
      );
      return {
        person,
        query: 'mutation($input: RecordFollowAlongSupportInput!) { recordFollowAlongSupport(input: $input) { id } }',
        variables: { input: { pathwayId: person.pathwayId, supportedOn: TODAY, kind: 'CONTACT_WITH_EMPLOYER' } },
      };
    },
  },
  // While the pathway is open its referent records outcomes; INAMI, once none is (the rows "after the pathway").
  {
    name: 'recordEmploymentContract',
    action: ACTIONS.recordEmploymentContract!,
    unmet: ['controlArm', 'afterPathway'],
    setup: async () => {
      const person = await withCoach();
      return {
        person,
        query: 'mutation($input: RecordEmploymentContractInput!) { recordEmploymentContract(input: $input) { id } }',
        variables: {
          input: {
            pathwayId: person.pathwayId,
            employer: 'Delhaize',
            employerNumber: '0402206045',
            jobFunction: 'Caissier',
            startsOn: TODAY,
            weeklyHours: 19,
            contractType: 'OPEN_ENDED',
          },
        },
      };
    },
  },
  {
    name: 'recordEmploymentContract',
    variant: 'control group',
    action: ACTIONS.recordEmploymentContract!,
    unmet: ['ipsArm', 'afterPathway'],
    setup: async () => {
      const person = await withCounsellor();
      return {
        person,
        query: 'mutation($input: RecordEmploymentContractInput!) { recordEmploymentContract(input: $input) { id } }',
        variables: {
          input: {
            pathwayId: person.pathwayId,
            employer: 'Delhaize',
            employerNumber: '0402206045',
            jobFunction: 'Caissier',
            startsOn: TODAY,
            weeklyHours: 19,
            contractType: 'OPEN_ENDED',
          },
        },
      };
    },
  },
  {
    name: 'endPathway',
    variant: 'control group',
    action: ACTIONS.endPathway!,
    unmet: ['ipsArm'],
    setup: async () => {
      const person = await withCounsellor();
      return {
        person,
        query: 'mutation($input: EndPathwayInput!) { endPathway(input: $input) { status } }',
        variables: { input: { pathwayId: person.pathwayId, endedOn: TODAY, reason: 'PILOT_ENDED' } },
      };
    },
  },
  {
    name: 'recordEmploymentContract',
    variant: 'after the pathway',
    action: ACTIONS.recordEmploymentContract!,
    unmet: ['pathwayOpen'],
    setup: async () => {
      const person = await withCoach();
      await must(
        graph.query(HOLDER.JOB_COACH, 'mutation($input: EndPathwayInput!) { endPathway(input: $input) { status } }', {
          input: { pathwayId: person.pathwayId, endedOn: TODAY, reason: 'EMPLOYMENT_SUSTAINED' },
        }),
      );
      return {
        person,
        query: 'mutation($input: RecordEmploymentContractInput!) { recordEmploymentContract(input: $input) { id } }',
        variables: {
          input: {
            pathwayId: person.pathwayId,
            employer: 'Delhaize',
            employerNumber: '0402206045',
            jobFunction: 'Caissier',
            startsOn: TODAY,
            weeklyHours: 19,
            contractType: 'OPEN_ENDED',
          },
        },
      };
    },
  },
  {
    name: 'endEmploymentEpisode',
    action: ACTIONS.endEmploymentEpisode!,
    unmet: ['controlArm', 'afterPathway'],
    setup: async () => {
      const person = await withCoach();
      return {
        person,
        query: END_EPISODE,
        variables: {
          input: { contractId: await episode(person, HOLDER.JOB_COACH), endedOn: TODAY, reason: 'RESIGNATION' },
        },
      };
    },
  },
  {
    name: 'endEmploymentEpisode',
    variant: 'after the pathway',
    action: ACTIONS.endEmploymentEpisode!,
    unmet: ['pathwayOpen'],
    setup: async () => {
      const person = await withCoach();
      const contractId = await episode(person, HOLDER.JOB_COACH);
      await must(
        graph.query(HOLDER.JOB_COACH, 'mutation($input: EndPathwayInput!) { endPathway(input: $input) { status } }', {
          input: { pathwayId: person.pathwayId, endedOn: TODAY, reason: 'EMPLOYMENT_SUSTAINED' },
        }),
      );
      return {
        person,
        query: END_EPISODE,
        variables: { input: { contractId, endedOn: TODAY, reason: 'RESIGNATION' } },
      };
    },
  },
  {
    name: 'endEmploymentEpisode',
    variant: 'control group',
    action: ACTIONS.endEmploymentEpisode!,
    unmet: ['ipsArm', 'afterPathway'],
    setup: async () => {
      const person = await withCounsellor();
      return {
        person,
        query: END_EPISODE,
        variables: { input: { contractId: await episode(person, HOLDER.SRE), endedOn: TODAY, reason: 'END_OF_TERM' } },
      };
    },
  },
  {
    name: 'recordBenefitStatement',
    action: ACTIONS.recordBenefitStatement!,
    setup: async () => {
      const person = await randomisedIps(); // an outcome of the trial: a randomised person, in follow-up
      return {
        person,
        query: 'mutation($input: RecordBenefitStatementInput!) { recordBenefitStatement(input: $input) { id } }',
        variables: {
          input: {
            participantId: person.participantId,
            month: TODAY.slice(0, 7),
            benefitType: 'INVALIDITY',
            amountCents: 123_456,
            days: 20,
            partialWorkAuthorised: true,
          },
        },
      };
    },
  },
  {
    name: 'assignReferenceCounsellor',
    action: ACTIONS.assignReferenceCounsellor!,
    setup: async () => {
      const person = await seed(graph)
        .person()
        .referredBy(physician)
        .registered({ convention: 'ARTICLE-23' })
        .randomised({ arm: 'CONTROL' })
        .build();
      return {
        person,
        query: 'mutation($input: AssignReferenceCounsellorInput!) { assignReferenceCounsellor(input: $input) { id } }',
        variables: { input: { pathwayId: person.pathwayId, referenceCounsellor: HOLDER.SRE.subject } },
      };
    },
  },
  {
    name: 'decideWorkAuthorisation',
    action: ACTIONS.decideWorkAuthorisation!,
    setup: async () => {
      const person = await withCoach();
      const { recordEmploymentContract } = await contract(person);
      return {
        person,
        query: 'mutation($id: ID!) { decideWorkAuthorisation(id: $id, granted: true) { decision } }',
        variables: { id: recordEmploymentContract.authorisation.id },
      };
    },
  },
  {
    name: 'endPathway',
    action: ACTIONS.endPathway!,
    unmet: ['controlArm'],
    setup: async () => {
      const person = await withCoach();
      return {
        person,
        query: 'mutation($input: EndPathwayInput!) { endPathway(input: $input) { status } }',
        variables: { input: { pathwayId: person.pathwayId, endedOn: TODAY, reason: 'PILOT_ENDED' } },
      };
    },
  },
  {
    name: 'markPhysicianMessageRead',
    action: ACTIONS.markPhysicianMessageRead!,
    setup: async () => {
      const person = await withCoach();
      await contract(person);
      const [message] = await graph.sql<{ id: string }>(
        'select id from pathways.physician_message where pathway_id = $1',
        [person.pathwayId],
      );
      return {
        person,
        query: 'mutation($id: ID!) { markPhysicianMessageRead(id: $id) { id } }',
        variables: { id: message!.id },
      };
    },
  },
  {
    name: 'endIncapacityRecognition',
    action: ACTIONS.endIncapacityRecognition!,
    setup: async () => {
      const person = await referred();
      // The answer names no field of the person: after a withdrawal the physician may still act (ON_CONSENT_WITHDRAWN), and reads nothing.
      return {
        person,
        query:
          'mutation($id: ID!) { endIncapacityRecognition(participantId: $id, endedOn: "' +
          TODAY +
          '") { __typename } }',
        variables: { id: person.participantId },
      };
    },
  },
  {
    name: 'openQuestionnaireWave',
    action: ACTIONS.openQuestionnaireWave!,
    unmet: ['controlArm'],
    setup: async () => {
      const person = await withCoach();
      return {
        person,
        query: 'mutation($input: QuestionnaireWaveInput!) { openQuestionnaireWave(input: $input) { state } }',
        variables: WAVE_INPUT(person),
      };
    },
  },
  {
    name: 'openQuestionnaireWave',
    variant: 'control group',
    action: ACTIONS.openQuestionnaireWave!,
    unmet: ['ipsArm'],
    setup: async () => {
      const person = await withCounsellor();
      return {
        person,
        query: 'mutation($input: QuestionnaireWaveInput!) { openQuestionnaireWave(input: $input) { state } }',
        variables: WAVE_INPUT(person),
      };
    },
  },
  {
    name: 'saveQuestionnaireAnswers',
    action: ACTIONS.saveQuestionnaireAnswers!,
    setup: async () => {
      const person = await waveOpened(await withCoach());
      return {
        person,
        query: 'mutation($input: SaveQuestionnaireAnswersInput!) { saveQuestionnaireAnswers(input: $input) { state } }',
        variables: { input: { ...WAVE_INPUT(person).input, answers: QUESTIONNAIRE_ANSWERS.slice(0, 3) } },
      };
    },
  },
  {
    name: 'completeQuestionnaireWave',
    action: ACTIONS.completeQuestionnaireWave!,
    setup: async () => {
      const person = await waveOpened(await withCoach(), true);
      return {
        person,
        query:
          'mutation($input: CompleteQuestionnaireWaveInput!) { completeQuestionnaireWave(input: $input) { state } }',
        variables: WAVE_INPUT(person),
      };
    },
  },
  {
    name: 'giveInformationSharingConsent',
    action: ACTIONS.giveInformationSharingConsent!,
    setup: consentChange(
      'giveInformationSharingConsent',
      'grants: [{ recipient: INAMI, categories: [ADMINISTRATIVE] }], signedFormReference: "CONSENT-M"',
    ),
  },
  {
    name: 'narrowInformationSharingConsent',
    action: ACTIONS.narrowInformationSharingConsent!,
    setup: consentChange(
      'narrowInformationSharingConsent',
      'revoke: [{ recipient: SRE, categories: [CONTACT] }], signedFormReference: "CONSENT-M"',
    ),
  },
  {
    name: 'withdrawInformationSharingConsent',
    action: ACTIONS.withdrawInformationSharingConsent!,
    setup: consentChange('withdrawInformationSharingConsent', 'signedFormReference: "WITHDRAWAL-M"'),
  },
  {
    name: 'giveResearchConsent',
    action: ACTIONS.giveResearchConsent!,
    setup: consentChange('giveResearchConsent', 'signedFormReference: "RESEARCH-M"'),
  },
  {
    name: 'withdrawResearchConsent',
    action: ACTIONS.withdrawResearchConsent!,
    setup: consentChange('withdrawResearchConsent', 'signedFormReference: "RESEARCH-W"'),
  },
];

/** The staff directory: who may enrol into the holder's organisation, per function. */
const STAFF_ROWS: { fn: string; maintainer: Role }[] = [
  { fn: 'ADVISING_PHYSICIAN', maintainer: 'OA' },
  { fn: 'JOB_COACH', maintainer: 'SUPERVISOR' },
  { fn: 'SRE_COUNSELLOR', maintainer: 'SRE' },
  { fn: 'INAMI_AGENT', maintainer: 'INAMI' },
  { fn: 'RESEARCHER', maintainer: 'RESEARCHER' },
];

/**
 * Whether a caller in this relation to the holder holds the grant's relation too: a colleague of the
 * holder's organisation holds the relations that name no person (the SRE of the region, the
 * partner's supervisors, INAMI's registry); a namesake elsewhere holds only a relation that names
 * no organisation (the person themself: a NISS is the same whatever the token's organisation).
 */
function relationHeld(grant: ActionGrant, relation: Relation): boolean {
  if (relation === 'holds') return true;
  const colleague = relation === 'none';
  if (grant.relation === 'ownOrganisation') return colleague;
  // Staff are listed in their own organisation only: a caller from another organisation acts on `anyone` only if that organisation
  // can list them (another health insurer's physician logs their own screenings; OA-200 is no research team, OA-100 not INAMI).
  if (grant.relation === 'anyone') return colleague || !grant.staff || OTHER_ORGANISATION_LISTS_STAFF[grant.role];
  const rule: PolicyRelation = RELATION_TABLE[grant.relation];
  const organisationHeld = colleague || (!rule.organisation && rule.organisationIs === undefined);
  const subjectHeld = relation === 'same subject, other organisation' || !rule.subject;
  return organisationHeld && subjectHeld;
}

/** The oracle: the ACTIONS table read plainly. */
function expectedAllowed(row: Row, role: Role, relation: Relation, consent: Consent): boolean {
  const grants = row.action.grants.filter(
    (grant) =>
      grant.role === role &&
      (!grant.variants || grant.variants.includes(row.variant ?? '')) &&
      !(grant.requires ?? []).some((state) => row.unmet?.includes(state)),
  );
  const held = grants.filter((grant) => relationHeld(grant, relation));
  if (held.length === 0) return false;
  const personal = ![
    'Trial',
    'TrialDesignProposal',
    'ScreeningEntry',
    'WelcomeSession',
    'Organisation',
    'Convention',
    'ConventionAmendment',
    'Claim',
    'ClaimLine',
    'DataRequest',
  ].includes(row.action.target);
  // The person needs no consent to act on their own record (RECIPIENT_OF_ROLE: SELF): a withdrawal of the information-sharing consent (R1e) does not touch the research one (R1f).
  return (
    !personal ||
    consent === 'given' ||
    row.action.visibility === 'relation' ||
    held.some((grant) => grant.relation === 'self')
  );
}

const committed = async (action: string) =>
  Number(
    (
      await graph.sql<{ n: string }>(
        'select count(*) as n from access.command_log where action = $1 and result_id is not null',
        [action],
      )
    )[0]!.n,
  );

it('refuses every write the policy does not grant, and allows each one it does: zero unauthorised writes', async () => {
  const failures: string[] = [];
  let attempts = 0;
  let denied = 0;
  const everyone = ROLES.flatMap((role) => RELATIONS.map((relation) => ({ role, relation })));
  for (const row of ROWS) {
    for (const consent of ['given', 'withdrawn'] as Consent[]) {
      // Every refused attempt against one target first, then each holder on a fresh one (a success changes the state).
      const holders = everyone.filter(({ role, relation }) => expectedAllowed(row, role, relation, 'given'));
      const rounds = [everyone.filter((entry) => !holders.includes(entry)), ...holders.map((holder) => [holder])];
      for (const round of rounds) {
        const { person, query, variables } = await row.setup();
        if (consent === 'withdrawn')
          await must(
            graph.query(
              person.self,
              'mutation($id: ID!) { withdrawInformationSharingConsent(participantId: $id) { participantId } }',
              { id: person.participantId },
            ),
          );
        for (const { role, relation } of round) {
          const identity = caller(role, relation, person);
          const before = await committed(row.name);
          const response = await graph.query(identity, query, variables);
          const wrote = (await committed(row.name)) > before;
          const allowed = expectedAllowed(row, role, relation, consent);
          attempts += 1;
          if (!allowed) denied += 1;
          const label = `${row.name}${row.variant ? `/${row.variant}` : ''} × ${role} × ${relation} × consent ${consent}`;
          if (allowed && (response.errors || !wrote))
            failures.push(`${label}: refused ${JSON.stringify(response.errors)}`);
          if (!allowed && (!response.errors || wrote)) failures.push(`${label}: UNAUTHORISED WRITE`);
        }
      }
    }
  }

  // The directory: only an organisation's maintaining role writes into it.
  for (const { fn, maintainer } of STAFF_ROWS) {
    const target = HOLDER[maintainer as Exclude<Role, 'PARTICIPANT'>].organisation;
    for (const role of ROLES)
      for (const relation of RELATIONS) {
        const person = { self: { role: 'PARTICIPANT', organisation: 'SELF', subject: '85073003328' } } as SeededPerson;
        const identity = caller(role, relation, person);
        const subject = `staff-${newKey().slice(0, 8)}`;
        const response = await graph.query(
          identity,
          `mutation { enrolStaffMember(input: { subject: "${subject}", function: ${fn}, displayName: "Matrix" }) { id } }`,
        );
        const [row] = await graph.sql<{ n: string }>(
          'select count(*) as n from participants.staff_member where organisation_code = $1 and subject = $2',
          [target, subject],
        );
        const intoTarget = Number(row!.n) > 0;
        const allowed = role === maintainer && (relation === 'holds' || relation === 'none'); // any of the organisation's own people with that role
        attempts += 1;
        if (!allowed) denied += 1;
        if (allowed && (response.errors || !intoTarget))
          failures.push(`enrolStaffMember/${fn} × ${role} × ${relation}: refused ${JSON.stringify(response.errors)}`);
        if (!allowed && intoTarget)
          failures.push(`enrolStaffMember/${fn} × ${role} × ${relation}: UNAUTHORISED WRITE into ${target}`);

        // Ending someone's membership: the same rule, on a member the holder enrolled.
        const member = `member-${newKey().slice(0, 8)}`;
        await must(
          graph.query(
            HOLDER[maintainer as Exclude<Role, 'PARTICIPANT'>],
            `mutation { enrolStaffMember(input: { subject: "${member}", function: ${fn}, displayName: "Matrix" }) { id } }`,
          ),
        );
        const ending = await graph.query(
          identity,
          `mutation { endStaffMembership(subject: "${member}", function: ${fn}) { id } }`,
        );
        const [ended] = await graph.sql<{ n: string }>(
          'select count(*) as n from participants.staff_member where organisation_code = $1 and subject = $2 and ended_at is not null',
          [target, member],
        );
        attempts += 1;
        if (!allowed) denied += 1;
        if (allowed && (ending.errors || Number(ended!.n) === 0))
          failures.push(`endStaffMembership/${fn} × ${role} × ${relation}: refused ${JSON.stringify(ending.errors)}`);
        if (!allowed && Number(ended!.n) > 0)
          failures.push(`endStaffMembership/${fn} × ${role} × ${relation}: UNAUTHORISED WRITE into ${target}`);
      }
  }

  console.log(
    `Write matrix: ${attempts} attempts (${ROWS.length + STAFF_ROWS.length} mutations and variants × ${ROLES.length} roles × ${RELATIONS.length} relations × consent), ${denied} refused as the policy says, ${attempts - denied} allowed, ${failures.filter((f) => f.includes('UNAUTHORISED')).length} unauthorised writes`,
  );
  expect(failures).toEqual([]);
}, 900_000);

it('covers every mutation of the ACTIONS table', () => {
  // The outcome files (HTTP uploads, not mutations) are decided set-based from their ACTIONS rows: test/bulk-upload.e2e.test.ts.
  const covered = new Set([
    ...ROWS.map((row) => row.name),
    'enrolStaffMember',
    'endStaffMembership',
    'uploadBenefitStatements',
    'uploadEmploymentDeclarations',
  ]);
  expect(Object.keys(ACTIONS).filter((name) => !covered.has(name))).toEqual([]);
});
