/**
 * Every list of the graph, derived from the supergraph: each Query field returning a list
 * or a connection, and each list field of an object type reachable from their items. Each is either
 * measured here — a query whose outer list holds exactly 10 or 100 items, with the nested lists it
 * reaches non-empty — or exempted with its reason. test/worklists.e2e.test.ts counts the SQL
 * statements of each (equal at 10 and 100: no N+1), test/list-plans.e2e.test.ts explains them (every
 * access path of a table that grows with people served by an index). `buildListData` makes the rows:
 * copies of one fully-loaded person, straight in SQL.
 */
import { readFileSync } from 'node:fs';
import {
  buildASTSchema,
  getNamedType,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
  parse,
  type GraphQLField,
  type GraphQLNamedType,
} from 'graphql';
import type { Identity, Role } from '../schema/identity.js';
import { belgianToday } from '../subgraphs/kit/domain.js';
import { FIDELITY_ITEMS } from '../subgraphs/research/services/fidelity-scale.js';
import type { GraphQLResponse, TestPlatform } from './harness.js';
import { seed, type RandomisedPerson } from './seed.js';

// The callers of the lists (test/worklists.e2e.test.ts seeds its other tests with the same people).
export const DR_A: Identity = { role: 'MEDECIN_CONSEIL', organisation: 'OA-300', subject: 'dr-worklist-a' };
export const OA_300: Identity = { role: 'OA', organisation: 'OA-300', subject: 'oa-300-desk' };
export const COACH: Identity = { role: 'JOB_COACH', organisation: 'ARTICLE-23', subject: 'coach-worklist' };
export const SUPERVISOR: Identity = {
  role: 'SUPERVISOR',
  organisation: 'ARTICLE-23',
  subject: 'supervisor-article-23',
};
export const FOREM: Identity = { role: 'SRE', organisation: 'FOREM', subject: 'forem-worklist' };

/** The outer list's sizes compared: the statements of a request must not grow from one to the other. */
export const SIZES = [10, 100] as const;
export type Size = (typeof SIZES)[number];

/** Two IPS partners no other test of these files registers anyone under: one holds 10 of a thing, the other 100. */
const PARTNER_OF_SIZE: Record<Size, string> = { 10: 'ISPPC', 100: 'EQUIPE-MASS' };
/** Two data requests whose downloads are listed (10 and 100 downloads). */
const REQUEST_OF_SIZE: Record<Size, string> = {
  10: '7e0f4c52-3a1d-4b6e-8c2f-5d9a1b3c4e10',
  100: '7e0f4c52-3a1d-4b6e-8c2f-5d9a1b3c4e99',
};

export interface ListMeasure {
  /** The Query field. */
  field: string;
  as: (size: Size) => Identity | Role;
  /** The selection, `$first` being the size when it takes one. */
  select: string;
  /** Nested list fields measured inside this one (`Type.field`), each with its path from an item: non-empty in every item. */
  nested?: Record<string, string>;
}

const coachOf = (size: Size): Identity => ({
  role: 'JOB_COACH',
  organisation: 'ARTICLE-23',
  subject: `lists-caseload-${size}`,
});

export const LIST_MEASURES: ListMeasure[] = [
  // Cursor connections: a page of `first` items.
  {
    field: 'registry',
    as: () => 'INAMI',
    select:
      'registry(first: $first) { edges { cursor node { id niss familyName pathway { registryNumber convention { partner } } } } totalCount }',
  },
  {
    field: 'members',
    as: () => OA_300,
    select:
      'members(first: $first) { edges { node { id familyName pathway { status } benefitStatements { month } } } totalCount }',
    nested: { 'Participant.benefitStatements': 'benefitStatements' },
  },
  {
    field: 'patients',
    as: () => DR_A,
    select:
      'patients(first: $first) { edges { node { id niss referrals { id form } consentGrants { recipient category } questionnaireWaves { wave state } pathway { registryNumber jobCoach timeline { kind } meetings { kind } contracts { employer } weeklyHoursByEmployer { employer weeklyHours } rpForms { id form version } } } } totalCount }',
    nested: {
      'Pathway.rpForms': 'pathway.rpForms',
      'Pathway.weeklyHoursByEmployer': 'pathway.weeklyHoursByEmployer',
      'Participant.referrals': 'referrals',
      'Participant.consentGrants': 'consentGrants',
      'Participant.questionnaireWaves': 'questionnaireWaves',
      'Pathway.timeline': 'pathway.timeline',
      'Pathway.meetings': 'pathway.meetings',
      'Pathway.contracts': 'pathway.contracts',
    },
  },
  {
    field: 'pendingAuthorisations',
    as: () => DR_A,
    select:
      'pendingAuthorisations(first: $first) { edges { node { id reason contract { employer } pathway { registryNumber participant { familyName } } } } totalCount }',
  },
  {
    field: 'physicianInbox',
    as: () => DR_A,
    select:
      'physicianInbox(first: $first) { edges { node { id kind body pathway { registryNumber } participant { familyName } } } totalCount }',
  },
  {
    field: 'coachInbox',
    as: () => COACH,
    select:
      'coachInbox(first: $first) { edges { node { id detail pathway { registryNumber participant { givenName } } } } totalCount }',
  },
  {
    field: 'actInbox',
    as: () => 'INAMI',
    select:
      'actInbox(first: $first) { edges { node { id kind pathway { registryNumber participant { familyName } } } } totalCount }',
  },
  {
    field: 'unassignedPathways',
    as: () => SUPERVISOR,
    select:
      'unassignedPathways(first: $first) { edges { node { id registryNumber participant { familyName } } } totalCount }',
  },
  {
    field: 'intakeQueue',
    as: () => 'INAMI',
    select:
      'intakeQueue(first: $first, status: REGISTERED) { edges { node { referralId referral { form } participant { familyName } } } totalCount }',
  },
  {
    field: 'welcomeSessions',
    as: () => FOREM,
    select:
      'welcomeSessions(first: $first) { edges { node { id heldOn place invitations { id attended } } } totalCount }',
    nested: { 'WelcomeSession.invitations': 'invitations' },
  },
  {
    field: 'sreInbox',
    as: () => FOREM,
    select:
      'sreInbox(first: $first) { edges { node { id mailbox pathway { registryNumber welcomeInvitations { id } jobSeekerRegistration { conventionCode corrections { id conventionCode } } } participant { familyName } referral { form signedOn } } } totalCount }',
    nested: {
      'Pathway.welcomeInvitations': 'pathway.welcomeInvitations',
      'JobSeekerRegistration.corrections': 'pathway.jobSeekerRegistration.corrections',
    },
  },
  // Plain lists.
  {
    field: 'participants',
    as: () => 'INAMI',
    select:
      'participants(first: $first) { id familyName referrals { form } pathway { registryNumber convention { code catchment { postcodeFrom area } } } }',
    nested: { 'Participant.referrals': 'referrals', 'Convention.catchment': 'pathway.convention.catchment' },
  },
  // The referent's caseload is all of it (R11): a coach with 10 open pathways, another with 100.
  {
    field: 'caseload',
    as: coachOf,
    select:
      'caseload { pathway { id registryNumber meetings { kind scheduledFor } employerContacts { employer } benefitsCounselling { topic } followAlongSupport { kind } participant { familyName } } nextAction { kind dueOn } }',
    nested: {
      'Pathway.meetings': 'pathway.meetings',
      'Pathway.employerContacts': 'pathway.employerContacts',
      'Pathway.benefitsCounselling': 'pathway.benefitsCounselling',
      'Pathway.followAlongSupport': 'pathway.followAlongSupport',
    },
  },
  // A supervisor's team: 10 coaches at one partner, 100 at the other.
  {
    field: 'teamCaseloads',
    as: (size) => ({ role: 'SUPERVISOR', organisation: PARTNER_OF_SIZE[size], subject: `lists-supervisor-${size}` }),
    select: 'teamCaseloads { jobCoach openPathways overGuideline }',
  },
  {
    field: 'staffDirectory',
    as: (size) => ({ role: 'SUPERVISOR', organisation: PARTNER_OF_SIZE[size], subject: `lists-supervisor-${size}` }),
    select: 'staffDirectory(function: JOB_COACH) { subject function displayName }',
  },
  {
    field: 'dataRequests',
    as: (size) => ({ role: 'RESEARCHER', organisation: 'ULB', subject: `lists-researcher-${size}` }),
    select: 'dataRequests { id project variables status files { csv } }',
  },
  {
    field: 'datasetDownloads',
    as: () => 'INAMI',
    select: 'datasetDownloads(requestId: $request) { id requestId format rows }',
  },
  {
    field: 'fidelityReviews',
    as: () => 'INAMI',
    select: 'fidelityReviews(team: $team) { id team reviewedOn total band changeFromPrevious scores { item score } }',
    nested: { 'FidelityReview.scores': 'scores' },
  },
];

/** The variables of a measure at a size (only those its selection names). */
export function measureQuery(measure: ListMeasure, size: Size): { query: string; variables: Record<string, unknown> } {
  const all: Record<string, [string, unknown]> = {
    first: ['Int!', size],
    request: ['ID!', REQUEST_OF_SIZE[size]],
    team: ['String!', PARTNER_OF_SIZE[size]],
  };
  const used = Object.entries(all).filter(([name]) => new RegExp(`\\$${name}\\b`).test(measure.select));
  const definitions = used.map(([name, [type]]) => `$${name}: ${type}`).join(', ');
  return {
    query: `query${definitions ? `(${definitions})` : ''} { ${measure.select} }`,
    variables: Object.fromEntries(used.map(([name, [, value]]) => [name, value])),
  };
}

/** The outer list's items of a response (a connection's nodes). */
export function itemsOf(measure: ListMeasure, response: GraphQLResponse): unknown[] {
  const value = response.data?.[measure.field];
  if (Array.isArray(value)) return value;
  return ((value as { edges?: { node: unknown }[] } | null)?.edges ?? []).map((edge) => edge.node);
}

export const at = (item: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | null | undefined)?.[key], item);

/**
 * Lists not measured, each with why it cannot grow with people (or cannot be nested in a list):
 * aggregates and reference data, a person's own lists, values of a row.
 */
export const LIST_EXEMPTIONS: Readonly<Record<string, string>> = {
  'Query.conventions':
    "INAMI's conventions: reference data a migration writes, one per IPS partner (R17), not per person",
  'Query.registryCounts': 'counts per region, partner and status in one grouped statement: no person in it (R5)',
  'Query.allocationBalance': 'arm sizes per stratum: an aggregate, one row per region (R6)',
  'Query.codebook': 'the extracts’ codebook: a constant of the code (R19), no SQL',
  'Query.fidelityScale': 'the 25 items of the IPS-25 scale: a constant of the code, no SQL',
  'Query.coachCaseloads': 'caseload sizes per partner: an aggregate snapshot, no person in it',
  'Query.teamFidelity': "each team's latest review total: an aggregate snapshot, one row per convention",
  'Query.trialDesigns':
    "the trial design's versions: one per approved change of the protocol (R6), a handful over the trial",
  'Query.trialDesignProposals': 'design proposals of the researchers: a handful over the trial (R6)',
  'Participant.accessLog': 'the person alone reads it, through `me` (R18): one person, never inside a list',
  'QuestionnaireWave.answers': "the person's own answers (R12), through `me` only: never inside a list",
  'CodebookVariable.values': 'value labels of the codebook, a constant of the code',
  'DataRequest.variables': 'a column of the request (text[])',
  'FidelityReview.reviewers': 'the two reviewer columns of the review row',
  'PartnerCaseloads.caseloads': 'numbers of the aggregate snapshot',
  'TrialDesign.blockSizes': 'a column of the design version',
  'TrialDesign.strata': 'a column of the design version',
  'TrialDesignProposal.blockSizes': 'a column of the proposal',
  'TrialDesignProposal.strata': 'a column of the proposal',
  'AccessLogEntry.categories': 'a column of the access log row',
  'ConventionAmendment.changes': 'a column of the amendment row (its terms, old and new)',
  'ConventionTerms.amendments':
    "a convention's amendments: reference data of the four conventions (R17), one grouped statement for all of them whatever list reaches them",
  'Convention.claims':
    "a convention's claims: one a month per partner (R17), four conventions; their lines, credit notes and payments read in one grouped statement each whatever the number of claims (test/claims.e2e.test.ts counts 2 conventions against 4)",
  'Claim.lines':
    'at most three lines a claim (coaches, supervisors, pathway starts), read with every claim of the request in one grouped statement',
  'Claim.creditNotes':
    "a claim's credit notes: a few over its life, read with every claim of the request in one grouped statement",
  'Claim.payments':
    "a claim's payments: a few over its life, read with every claim of the request in one grouped statement",
  'CreditNote.lines': 'at most one line per line of the claim it corrects, read with the credit notes',
  'ClaimLine.sources': 'a column of the claim line (the records it was computed from)',
  'Query.practiceIndicators':
    "a supervisor's own team per quarter (at most eight quarters): six statements over the team whatever its size (subgraphs/pathways/services/practice-indicators.service.ts)",
  'Convention.staffing':
    'months of the asked range (at most 60) per convention, in one grouped statement for the four conventions (test/convention-terms.e2e.test.ts counts 1 convention against 4)',
};

/**
 * The lists of the graph from schema/supergraph.graphql: Query fields whose type is a list or a
 * …Connection (`Query.name`), and the list fields (`Type.name`) of every object type reachable from
 * their items, through any field.
 */
export function listFieldsOfGraph(): { query: string[]; nested: string[] } {
  const schema = buildASTSchema(parse(readFileSync('schema/supergraph.graphql', 'utf8')), { assumeValidSDL: true });
  const isList = (field: GraphQLField<unknown, unknown>) =>
    isListType(getNullableType(field.type)) || getNamedType(field.type).name.endsWith('Connection');
  const itemOf = (field: GraphQLField<unknown, unknown>): GraphQLNamedType => {
    const named = getNamedType(field.type);
    if (!isListType(getNullableType(field.type)) && isObjectType(named) && named.name.endsWith('Connection')) {
      return getNamedType(
        (
          getNamedType(named.getFields().edges!.type) as { getFields(): Record<string, GraphQLField<unknown, unknown>> }
        ).getFields().node!.type,
      );
    }
    return named;
  };
  const queryLists = Object.values(schema.getQueryType()!.getFields()).filter(isList);
  const reached = new Set<string>();
  const queue = queryLists.map(itemOf);
  while (queue.length > 0) {
    const type = queue.shift()!;
    if (!(isObjectType(type) || isInterfaceType(type)) || reached.has(type.name)) continue;
    reached.add(type.name);
    for (const field of Object.values(type.getFields())) queue.push(getNamedType(field.type));
  }
  const nested = [...reached].flatMap((name) => {
    const type = schema.getType(name) as { getFields(): Record<string, GraphQLField<unknown, unknown>> };
    return Object.values(type.getFields())
      .filter(isList)
      .map((field) => `${name}.${field.name}`);
  });
  return { query: queryLists.map((field) => `Query.${field.name}`).sort(), nested: nested.sort() };
}

const ACT = 'mutation($input: RecordPathwayActInput!) { recordPathwayAct(input: $input) { id } }';
const CONTRACT = 'mutation($input: RecordEmploymentContractInput!) { recordEmploymentContract(input: $input) { id } }';

async function ok(response: Promise<GraphQLResponse>, what: string): Promise<GraphQLResponse> {
  const done = await response;
  if (done.errors) throw new Error(`${what}: ${JSON.stringify(done.errors)}`);
  return done;
}

/**
 * The rows of every measured list, 110 of each (a trial design must be live): one person taken along
 * the whole pathway — referral, consent grants, registration, randomisation into the IPS arm, coach,
 * routing to the SRE, a job and its authorisation request (R15), an RP1IPS (R13), a message to the
 * coach (R14), a follow-up meeting, a benefit statement, a welcome session (R8) — then copied; copies
 * for two coaches' caseloads and two partners' teams; staff, data requests, downloads and fidelity
 * reviews of 10 and 100.
 */
export async function buildListData(graph: TestPlatform): Promise<RandomisedPerson> {
  const TODAY = belgianToday();
  const routed = await seed(graph)
    .person()
    .referredBy(DR_A)
    .registered({ convention: 'ARTICLE-23' })
    .withCoach(COACH, { by: SUPERVISOR })
    .routed()
    .build();
  await ok(
    graph.query(COACH, CONTRACT, {
      input: {
        pathwayId: routed.pathwayId,
        employer: 'Delhaize',
        employerNumber: '0402206045',
        jobFunction: 'Caissier',
        startsOn: TODAY,
        weeklyHours: 18,
        contractType: 'OPEN_ENDED',
      },
    }),
    'contract',
  );
  await ok(
    graph.query(COACH, ACT, { input: { pathwayId: routed.pathwayId, kind: 'RP1IPS_SENT', actOn: TODAY } }),
    'RP1IPS',
  );
  await ok(
    graph.query(COACH, 'mutation($input: SendRpFormInput!) { sendRpForm(input: $input) { id } }', {
      input: {
        pathwayId: routed.pathwayId,
        form: 'RP1IPS',
        requestKind: 'IPS_PATHWAY_START',
        objectives: 'Un emploi à mi-temps.',
        plannedSteps: 'Trois contacts employeurs par semaine.',
        planCategory: 'EMPLOYMENT',
        periodFrom: TODAY,
        signedOn: TODAY,
      },
    }),
    'RP1IPS form',
  );
  // The IPS practice (principles 5–8): an employer contact, a counselling session, follow-along support once the job started.
  for (const [mutation, input] of [
    [
      'mutation($input: RecordEmployerContactInput!) { recordEmployerContact(input: $input) { id } }',
      { pathwayId: routed.pathwayId, contactedOn: TODAY, employer: 'Delhaize', kind: 'FIRST_CONTACT' },
    ],
    [
      'mutation($input: RecordBenefitsCounsellingInput!) { recordBenefitsCounselling(input: $input) { id } }',
      { pathwayId: routed.pathwayId, heldOn: TODAY, topic: 'WORK_INCENTIVES_PLAN' },
    ],
    [
      'mutation($input: RecordFollowAlongSupportInput!) { recordFollowAlongSupport(input: $input) { id } }',
      { pathwayId: routed.pathwayId, supportedOn: TODAY, kind: 'CONTACT_WITH_PERSON' },
    ],
  ] as const)
    await ok(graph.query(COACH, mutation, { input }), mutation.slice(18, 50));
  await ok(
    graph.query(DR_A, ACT, {
      input: {
        pathwayId: routed.pathwayId,
        kind: 'MESSAGE_TO_JOB_COACH',
        actOn: TODAY,
        detail: 'Merci pour le suivi.',
        detailCategory: 'ADMINISTRATIVE',
      },
    }),
    'message',
  );
  await ok(
    graph.query(COACH, 'mutation($input: PlanFollowUpMeetingInput!) { planFollowUpMeeting(input: $input) { id } }', {
      input: { pathwayId: routed.pathwayId, scheduledFor: TODAY },
    }),
    'meeting',
  );
  await ok(
    graph.query(
      OA_300,
      'mutation($input: RecordBenefitStatementInput!) { recordBenefitStatement(input: $input) { id } }',
      {
        input: {
          participantId: routed.participantId,
          month: '2026-01',
          benefitType: 'INVALIDITY',
          amountCents: 120_000,
          days: 26,
          partialWorkAuthorised: false,
        },
      },
    ),
    'benefit statement',
  );
  // The person's job-seeker registration at the SRE, corrected once (R10), and their welcome session (R8): copied with them.
  const YESTERDAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels' }).format(
    new Date(Date.now() - 86_400_000),
  );
  const registration = await ok(
    graph.query(
      FOREM,
      'mutation($input: RecordJobSeekerRegistrationInput!) { recordJobSeekerRegistration(input: $input) { id } }',
      { input: { pathwayId: routed.pathwayId, conventionCode: 'IPS-FOREM', registeredOn: TODAY } },
    ),
    'registration',
  );
  const registrationId = (registration.data as { recordJobSeekerRegistration: { id: string } })
    .recordJobSeekerRegistration.id;
  await ok(
    graph.query(
      FOREM,
      'mutation($input: CorrectJobSeekerRegistrationInput!) { correctJobSeekerRegistration(input: $input) { id } }',
      { input: { registrationId, conventionCode: 'IPS-FOREM', registeredOn: YESTERDAY } },
    ),
    'registration corrected',
  );
  const heldOn = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels' }).format(
    new Date(Date.now() + 7 * 86_400_000),
  );
  const organised = await ok(
    graph.query(
      FOREM,
      'mutation($input: OrganiseWelcomeSessionInput!) { organiseWelcomeSession(input: $input) { id } }',
      { input: { ipsPartner: 'ARTICLE-23', heldOn, place: 'FOREM Liège', pathwayIds: [routed.pathwayId] } },
    ),
    'welcome session',
  );
  const sessionId = (organised.data as { organiseWelcomeSession: { id: string } }).organiseWelcomeSession.id;
  // Sorted first by name (the deprecated `participants` lists by family name): its first pages are copies.
  await copyPerson(graph, routed, 110, 'sq', { 'participants.participant': { family_name: `'Aalders'` } });
  // Two coaches' caseloads (R11): 10 and 100 open pathways.
  const caseloadCoach = `case when g <= 10 then 'lists-caseload-10' else 'lists-caseload-100' end`;
  await copyPerson(graph, routed, 110, 'cl', {
    'pathways.pathway': { job_coach: caseloadCoach },
    'access.ledger': { job_coach_subject: caseloadCoach },
  });
  // Two partners' teams: 10 coaches and 100, one open pathway each (teamCaseloads reads the pathways alone).
  await copyPerson(
    graph,
    routed,
    110,
    'tm',
    {
      'pathways.pathway': {
        job_coach: `'lists-team-coach-' || g`,
        ips_partner: `case when g <= 10 then '${PARTNER_OF_SIZE[10]}' else '${PARTNER_OF_SIZE[100]}' end`,
      },
    },
    ['pathways.pathway'],
  );

  // 110 more welcome sessions on the following days, the person invited to each.
  await graph.sql(
    `insert into pathways.welcome_session select (jsonb_populate_record(null::pathways.welcome_session, to_jsonb(t) || jsonb_build_object('id', md5(t.id::text || ':' || g)::uuid, 'held_on', t.held_on + g))).*
     from pathways.welcome_session t, generate_series(1, 110) g where t.id = $1`,
    [sessionId],
  );
  await graph.sql(
    `insert into pathways.welcome_invitation select (jsonb_populate_record(null::pathways.welcome_invitation, to_jsonb(i) || jsonb_build_object('id', gen_random_uuid(), 'session_id', md5(i.session_id::text || ':' || g)::uuid))).*
     from pathways.welcome_invitation i, generate_series(1, 110) g where i.session_id = $1 and i.pathway_id = $2`,
    [sessionId, routed.pathwayId],
  );

  for (const size of SIZES) {
    // The partner's job coaches in its staff directory.
    await graph.sql(
      `insert into participants.staff_member (id, organisation_code, subject, function, display_name, enrolled_at, enrolled_by)
       select gen_random_uuid(), $1, 'lists-staff-' || g, 'JOB_COACH', 'Coach ' || g, now(), 'lists' from generate_series(1, $2::int) g`,
      [PARTNER_OF_SIZE[size], size],
    );
    // A researcher's data requests (R19); the first named, its downloads listed.
    await graph.sql(
      `insert into research.data_request (id, project, purpose, purpose_category, variables, status, requester_organisation, requester_subject, filed_at, idempotency_key, requested_by, request_fingerprint)
       select case when g = 1 then $1::uuid else gen_random_uuid() end, 'LISTS', 'Employment outcomes', 'EMPLOYMENT', '{arm,region}', 'APPROVED', 'ULB', $2, now() - g * interval '1 minute', 'lists-' || g, $2, md5(g::text)
       from generate_series(1, $3::int) g`,
      [REQUEST_OF_SIZE[size], `lists-researcher-${size}`, size],
    );
    await graph.sql(
      `insert into research.dataset_download (id, request_id, downloaded_by, format, rows, bytes, sha256, complete, started_at, finished_at)
       select gen_random_uuid(), $1, 'RESEARCHER:ULB/lists-researcher-${size}', 'CSV', 110, 4096, md5(g::text) || md5(g::text), true, now() - g * interval '1 minute', now() - g * interval '1 minute' + interval '1 second'
       from generate_series(1, $2::int) g`,
      [REQUEST_OF_SIZE[size], size],
    );
    // A team's IPS-25 reviews, one a day back from yesterday (every item scored 3).
    const scores = JSON.stringify(Object.fromEntries(FIDELITY_ITEMS.map((item) => [item.key, 3])));
    await graph.sql(
      `insert into research.fidelity_review (id, team, reviewed_on, first_reviewer, second_reviewer, scores, total, action_plan, action_plan_category, recorded_by, recorded_at, idempotency_key, requested_by, request_fingerprint)
       select gen_random_uuid(), $1::text, current_date - g, 'reviewer-1', 'reviewer-2', $2::jsonb, ${3 * FIDELITY_ITEMS.length}, 'Keep going.', 'ADMINISTRATIVE', 'reviewer-1', now(), 'lists-' || $1::text || '-' || g, 'reviewer-1', md5(g::text)
       from generate_series(1, $3::int) g`,
      [PARTNER_OF_SIZE[size], scores, size],
    );
  }
  return routed;
}

/** The tables holding a person's rows, with the columns a copy renews beside `id` and `participant_id`. */
const PERSON_TABLES: Record<string, (id: (column: string) => string, tag: string) => Record<string, string>> = {
  'participants.referral': (id) => ({
    idempotency_key: `${id('id')}::text`,
    submitted_at: `t.submitted_at + g * interval '1 millisecond'`,
  }),
  'participants.consent_grant': () => ({}),
  'participants.research_consent': () => ({}),
  'billing.benefit_statement': () => ({}),
  'research.allocation': (id, tag) => ({
    idempotency_key: `${id('id')}::text`,
    draw_number: `t.draw_number * 1000000 + ${Number.parseInt(tag, 36) % 1000} * 1000 + g`,
  }),
  'pathways.pathway': (id, tag) => ({
    referral_id: id('referral_id'),
    idempotency_key: `${id('id')}::text`,
    registry_number: `'C${tag}-' || g`,
    job_coach: 'null',
    registered_at: `t.registered_at + g * interval '1 millisecond'`,
  }),
  'pathways.pathway_act': (id) => ({ pathway_id: id('pathway_id') }),
  // After the act that sent it and before the physician's copy that points to it (foreign keys); a first version is its own form.
  'pathways.rp_form': (id) => ({ form_id: id('form_id'), pathway_id: id('pathway_id'), act_id: id('act_id') }),
  'pathways.physician_message': (id) => ({ pathway_id: id('pathway_id'), rp_form_id: id('rp_form_id') }),
  'pathways.employment_contract': (id) => ({ pathway_id: id('pathway_id') }),
  'pathways.individual_meeting': (id) => ({ pathway_id: id('pathway_id') }),
  'pathways.work_authorisation': (id) => ({ pathway_id: id('pathway_id'), contract_id: id('contract_id') }),
  'pathways.sre_inbox_item': (id) => ({ pathway_id: id('pathway_id'), referral_id: id('referral_id') }),
  'pathways.job_seeker_registration': (id) => ({ pathway_id: id('pathway_id') }),
  'pathways.job_seeker_registration_correction': (id) => ({ registration_id: id('registration_id') }),
  'pathways.welcome_invitation': (id) => ({ pathway_id: id('pathway_id') }),
  'pathways.employer_contact': (id) => ({ pathway_id: id('pathway_id') }),
  'pathways.benefits_counselling': (id) => ({ pathway_id: id('pathway_id') }),
  'pathways.follow_along_support': (id) => ({ pathway_id: id('pathway_id') }),
};

/**
 * `copies` more people in every list: copies of the rows of one person (participant, ledger, and
 * each table of PERSON_TABLES), each under new ids, straight in SQL. `overrides` set columns per
 * table (SQL over the copied row `t` and the copy's number `g`); `only` copies those tables alone.
 */
export async function copyPerson(
  graph: TestPlatform,
  person: RandomisedPerson,
  copies: number,
  tag: string,
  overrides: Record<string, Record<string, string>> = {},
  only?: string[],
): Promise<void> {
  // A new id per copy, derived from the old one (so links between copied rows hold), shaped as a version-4 UUID.
  const id = (column: string) =>
    `overlay(overlay(md5(t.${column}::text || ':${tag}:' || g) placing '4' from 13) placing '8' from 17)::uuid`;
  const copy = async (table: string, where: string, columns: Record<string, string>) => {
    if (only && !only.includes(table)) return;
    const pairs = Object.entries({ ...columns, ...overrides[table] })
      .map(([column, value]) => `'${column}', ${value}`)
      .join(', ');
    await graph.sql(
      `insert into ${table} select (jsonb_populate_record(null::${table}, to_jsonb(t) || jsonb_build_object(${pairs}))).* from ${table} t, generate_series(1, ${copies}) g where ${where}`,
      [person.participantId],
    );
  };
  const niss = `lpad((${Number.parseInt(tag, 36) % 1000} * 100000 + g)::text, 11, '9')`;
  await copy('participants.participant', 't.id = $1', {
    id: id('id'),
    niss,
    created_at: `t.created_at + g * interval '1 millisecond'`,
  });
  await copy('access.ledger', 't.participant_id = $1', { participant_id: id('participant_id'), self_subject: niss });
  for (const [table, columns] of Object.entries(PERSON_TABLES)) {
    await copy(table, 't.participant_id = $1', {
      id: id('id'),
      participant_id: id('participant_id'),
      ...columns(id, tag),
    });
  }
}
