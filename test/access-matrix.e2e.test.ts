/**
 * The authorization matrix, generated (R18, R19): for every role × data category ×
 * consent state (given / narrowed / withdrawn / never given) × circle (in / out),
 * real people are set up in PostgreSQL, the caller queries through the gateway, and
 * exactly the allowed fields come back; every other one is null with FORBIDDEN at its
 * path (or the whole record is absent when even its id is not allowed). Lists and
 * `_entities` are probed for existence leaks.
 */
import { getNamedType, isObjectType, type GraphQLSchema } from 'graphql';
import { readFileSync } from 'node:fs';
import { signGatewayToken } from '../gateway/identity.js';
import { roleSupergraphPath } from '../platform/compose.js';
import { apiSchemaOf } from '../platform/contracts.js';
import { ROLES, type Identity, type Role } from '../schema/identity.js';
import {
  categoryOf,
  CONSENT_SCOPE,
  DATA_CATEGORIES,
  PERSONAL_DATA_TYPES,
  RECIPIENT_OF_ROLE,
  ROLE_SCOPE,
  type DataCategory,
  type Recipient,
} from '../schema/policy.js';
import { belgianToday } from '../subgraphs/kit/domain.js';
import { startTestPlatform, type GraphQLResponse, type TestPlatform } from './harness.js';
import { seed } from './seed.js';

type ConsentState = 'given' | 'narrowed' | 'withdrawn' | 'never given';
const NARROWED_OUT: DataCategory[] = ['contact', 'employment']; // what the narrowing participant takes back from everyone

const PHYSICIAN: Identity = { role: 'MEDECIN_CONSEIL', organisation: 'OA-300', subject: 'dr-matrix' };

interface Person {
  id: string;
  niss: string;
  /** The grants in force, as set up: the oracle's input. */
  grants: Map<Recipient, Set<DataCategory>>;
}

let graph: TestPlatform;
const people = {} as Record<'given' | 'narrowed' | 'withdrawn' | 'onlyInami' | 'allButInami', Person>;

const fullScope = (recipients: readonly Recipient[]) =>
  recipients.map((recipient) => ({ recipient, categories: CONSENT_SCOPE[recipient].map((c) => c.toUpperCase()) }));
const grantsOf = (recipients: readonly Recipient[], without: DataCategory[] = []) =>
  new Map(
    recipients.map((recipient) => [
      recipient,
      new Set(CONSENT_SCOPE[recipient].filter((category) => !without.includes(category))),
    ]),
  );
const ALL: Recipient[] = ['INAMI', 'HEALTH_INSURER', 'SRE', 'IPS_PARTNER'];

/**
 * A person along the pathway up to their referent coach (R11), through the real mutations, who then
 * keeps only the consent of `recipients` (narrowed by the person: the writes before needed INAMI and
 * the IPS partner to see them).
 */
async function referPerson(recipients: readonly Recipient[]): Promise<{ id: string; niss: string }> {
  const person = await seed(graph)
    .person()
    .referredBy(PHYSICIAN, { informationSharing: fullScope(ALL) })
    .registered({ convention: 'ARTICLE-23' })
    .withCoach('coach-matrix')
    .build();
  // R3: the SRE of the region records the free job seeker registration, then corrects it, so the matrix walks both.
  const sre: Identity = { role: 'SRE', organisation: 'FOREM', subject: 'forem-1' };
  const registration = await graph.query<{ recordJobSeekerRegistration: { id: string } }>(
    sre,
    'mutation($input: RecordJobSeekerRegistrationInput!) { recordJobSeekerRegistration(input: $input) { id } }',
    {
      input: { pathwayId: person.pathwayId, conventionCode: 'IPS-FOREM', registeredOn: '2026-11-20' },
    },
  );
  if (registration.errors) throw new Error(JSON.stringify(registration.errors));
  const correction = await graph.query(
    sre,
    'mutation($input: CorrectJobSeekerRegistrationInput!) { correctJobSeekerRegistration(input: $input) { id } }',
    {
      input: {
        registrationId: registration.data!.recordJobSeekerRegistration.id,
        conventionCode: 'IPS-FOREM',
        registeredOn: '2026-11-19',
      },
    },
  );
  if (correction.errors) throw new Error(JSON.stringify(correction.errors));
  // R8, R11: invited to a welcome session by the SRE, marked absent by the partner, so the matrix walks the invitation.
  const session = await graph.query<{ organiseWelcomeSession: { id: string } }>(
    sre,
    'mutation($input: OrganiseWelcomeSessionInput!) { organiseWelcomeSession(input: $input) { id } }',
    {
      input: { ipsPartner: 'ARTICLE-23', heldOn: belgianToday(), place: 'FOREM Liège', pathwayIds: [person.pathwayId] },
    },
  );
  if (session.errors) throw new Error(JSON.stringify(session.errors));
  const [invitation] = await graph.sql<{ id: string }>(
    'select id from pathways.welcome_invitation where session_id = $1',
    [session.data!.organiseWelcomeSession.id],
  );
  const marked = await graph.query(
    { role: 'SUPERVISOR', organisation: 'ARTICLE-23', subject: 'sup-1' },
    'mutation($input: MarkWelcomeAttendanceInput!) { markWelcomeAttendance(input: $input) { id } }',
    {
      input: { invitationId: invitation!.id, attended: false, firstMeetingOn: belgianToday() },
    },
  );
  if (marked.errors) throw new Error(JSON.stringify(marked.errors));
  // R15: a job recorded by the referent coach, so the matrix walks the hours per employer.
  const job = await graph.query(
    { role: 'JOB_COACH', organisation: 'ARTICLE-23', subject: 'coach-matrix' },
    'mutation($input: RecordEmploymentContractInput!) { recordEmploymentContract(input: $input) { id } }',
    {
      input: {
        pathwayId: person.pathwayId,
        employer: 'Colruyt',
        employerNumber: '0203201340',
        jobFunction: 'Magasinier',
        startsOn: belgianToday(),
        weeklyHours: 20,
        contractType: 'OPEN_ENDED',
      },
    },
  );
  if (job.errors) throw new Error(JSON.stringify(job.errors));
  // IPS principles 5–8: the coach's employer contact, benefits counselling and follow-along support, so the matrix walks their fields.
  for (const [mutation, input] of [
    [
      'mutation($input: RecordEmployerContactInput!) { recordEmployerContact(input: $input) { id } }',
      { pathwayId: person.pathwayId, contactedOn: belgianToday(), employer: 'Colruyt', kind: 'PLACEMENT' },
    ],
    [
      'mutation($input: RecordBenefitsCounsellingInput!) { recordBenefitsCounselling(input: $input) { id } }',
      { pathwayId: person.pathwayId, heldOn: belgianToday(), topic: 'EARNINGS_AND_BENEFIT' },
    ],
    [
      'mutation($input: RecordFollowAlongSupportInput!) { recordFollowAlongSupport(input: $input) { id } }',
      { pathwayId: person.pathwayId, supportedOn: belgianToday(), kind: 'CONTACT_WITH_PERSON' },
    ],
  ] as const) {
    const recorded = await graph.query(
      { role: 'JOB_COACH', organisation: 'ARTICLE-23', subject: 'coach-matrix' },
      mutation,
      { input },
    );
    if (recorded.errors) throw new Error(JSON.stringify(recorded.errors));
  }
  // R13: an RP1IPS sent by the referent coach with a plan, so the matrix walks the form's fields (the plan under its declared category).
  const form = await graph.query(
    { role: 'JOB_COACH', organisation: 'ARTICLE-23', subject: 'coach-matrix' },
    'mutation($input: SendRpFormInput!) { sendRpForm(input: $input) { id } }',
    {
      input: {
        pathwayId: person.pathwayId,
        form: 'RP1IPS',
        requestKind: 'IPS_PATHWAY_START',
        objectives: 'Un emploi de magasinier.',
        plannedSteps: 'Contacts employeurs.',
        planCategory: 'EMPLOYMENT',
        periodFrom: belgianToday(),
        signedOn: belgianToday(),
      },
    },
  );
  if (form.errors) throw new Error(JSON.stringify(form.errors));
  // A month of benefit stated by the person's health insurer, so the matrix walks its fields too.
  const stated = await graph.query(
    { role: 'OA', organisation: 'OA-300', subject: 'oa-1' },
    'mutation($input: RecordBenefitStatementInput!) { recordBenefitStatement(input: $input) { id } }',
    {
      input: {
        participantId: person.participantId,
        month: '2026-01',
        benefitType: 'INVALIDITY',
        amountCents: 120_000,
        days: 26,
        partialWorkAuthorised: false,
      },
    },
  );
  if (stated.errors) throw new Error(JSON.stringify(stated.errors));
  // The baseline questionnaire wave (R12) opened and partly answered by the person, so the matrix walks the research category too.
  const wave = { participantId: person.participantId, wave: 0 };
  for (const [mutation, input] of [
    ['mutation($input: QuestionnaireWaveInput!) { openQuestionnaireWave(input: $input) { state } }', wave],
    [
      'mutation($input: SaveQuestionnaireAnswersInput!) { saveQuestionnaireAnswers(input: $input) { state } }',
      {
        ...wave,
        answers: [
          { linkId: 'work-status', valueCode: 'none' },
          { linkId: 'work-hours', valueInteger: 0 },
        ],
      },
    ],
  ] as const) {
    const answered = await graph.query(person.self, mutation, { input });
    if (answered.errors) throw new Error(JSON.stringify(answered.errors));
  }
  const revoke = ALL.filter((recipient) => !recipients.includes(recipient)).map((recipient) => ({
    recipient,
    categories: CONSENT_SCOPE[recipient].map((c) => c.toUpperCase()),
  }));
  if (revoke.length > 0) {
    const narrowed = await graph.query(
      person.self,
      'mutation($id: ID!, $revoke: [ConsentGrantInput!]!) { narrowInformationSharingConsent(participantId: $id, revoke: $revoke) { participantId } }',
      { id: person.participantId, revoke },
    );
    if (narrowed.errors) throw new Error(JSON.stringify(narrowed.errors));
  }
  return { id: person.participantId, niss: person.niss };
}

beforeAll(async () => {
  graph = await startTestPlatform();
  await seed(graph).trial();
  const given = await referPerson(ALL);
  people.given = { ...given, grants: grantsOf(ALL) };

  const narrowed = await referPerson(ALL);
  const narrowing = await graph.query(
    { role: 'PARTICIPANT', organisation: 'SELF', subject: narrowed.niss },
    `mutation($id: ID!, $revoke: [ConsentGrantInput!]!) { narrowInformationSharingConsent(participantId: $id, revoke: $revoke) { participantId } }`,
    {
      id: narrowed.id,
      revoke: ALL.map((recipient) => ({
        recipient,
        categories: NARROWED_OUT.filter((c) => CONSENT_SCOPE[recipient].includes(c)).map((c) => c.toUpperCase()),
      })),
    },
  );
  expect(narrowing.errors).toBeUndefined();
  people.narrowed = { ...narrowed, grants: grantsOf(ALL, NARROWED_OUT) };

  const withdrawn = await referPerson(ALL);
  const withdrawal = await graph.query(
    PHYSICIAN,
    `mutation($id: ID!) { withdrawInformationSharingConsent(participantId: $id, signedFormReference: "WITHDRAWAL-0001") { participantId recordedBy } }`,
    { id: withdrawn.id },
  );
  expect(withdrawal.errors).toBeUndefined();
  people.withdrawn = { ...withdrawn, grants: new Map() };

  people.onlyInami = { ...(await referPerson(['INAMI'])), grants: grantsOf(['INAMI']) };
  people.allButInami = {
    ...(await referPerson(['HEALTH_INSURER', 'SRE', 'IPS_PARTNER'])),
    grants: grantsOf(['HEALTH_INSURER', 'SRE', 'IPS_PARTNER']),
  };
}, 180_000);
afterAll(async () => {
  await graph?.stop();
});

/** The person whose consent is in `state` for the recipient a role acts for. */
function personFor(role: Role, state: ConsentState): Person {
  const recipient = RECIPIENT_OF_ROLE[role];
  if (state === 'never given') return recipient === 'INAMI' ? people.allButInami : people.onlyInami;
  return people[state];
}

function callerFor(role: Role, inCircle: boolean, person: Person): Identity | undefined {
  const pick = (inside: Identity, outside: Identity | undefined) => (inCircle ? inside : outside);
  switch (role) {
    case 'MEDECIN_CONSEIL':
      return pick(PHYSICIAN, { ...PHYSICIAN, subject: 'dr-other' });
    case 'OA':
      return pick({ role, organisation: 'OA-300', subject: 'oa-1' }, { role, organisation: 'OA-500', subject: 'oa-2' });
    case 'INAMI':
      return pick({ role, organisation: 'INAMI', subject: 'inami-1' }, undefined); // INAMI holds every referral (R5)
    case 'SRE':
      return pick(
        { role, organisation: 'FOREM', subject: 'forem-1' },
        { role, organisation: 'VDAB', subject: 'vdab-1' },
      );
    case 'JOB_COACH':
      return pick(
        { role, organisation: 'ARTICLE-23', subject: 'coach-matrix' },
        { role, organisation: 'ARTICLE-23', subject: 'coach-other' },
      );
    case 'SUPERVISOR':
      return pick(
        { role, organisation: 'ARTICLE-23', subject: 'sup-1' },
        { role, organisation: 'ISPPC', subject: 'sup-2' },
      );
    case 'RESEARCHER':
      return pick(undefined as never, { role, organisation: 'ULB', subject: 'researcher-1' });
    case 'INTEGRATOR':
      return pick(undefined as never, { role, organisation: 'DASHBOARD-WAL', subject: 'integrator-1' });
    case 'PARTICIPANT':
      return pick(
        { role, organisation: 'SELF', subject: person.niss },
        { role, organisation: 'SELF', subject: people.given === person ? people.narrowed.niss : people.given.niss },
      );
  }
}

/** The oracle, written from the policy tables alone. */
function expectedVisible(role: Role, inCircle: boolean, person: Person, category: DataCategory): boolean {
  if (!ROLE_SCOPE[role].includes(category) || !inCircle) return false;
  const recipient = RECIPIENT_OF_ROLE[role];
  if (recipient === 'SELF') return true;
  return recipient !== null && (person.grants.get(recipient)?.has(category) ?? false);
}

/** Everything the graph holds about a participant; each role asks for what its schema has. */
const FULL_SELECTION = {
  id: null,
  niss: null,
  givenName: null,
  familyName: null,
  birthDate: null,
  postcode: null,
  region: null,
  healthInsurer: null,
  incapacityStatus: null,
  referrals: {
    id: null,
    form: null,
    region: null,
    signedOn: null,
    referringPhysician: null,
    healthInsurer: null,
    submittedAt: null,
    eligibility: {
      meetsIncapacityAndMentalDisorderConditions: null,
      needsVocationalRehabilitation: null,
      needsIntensiveSupport: null,
      wantsToReturnToWork: null,
      consentsToInformationSharing: null,
      consentsToResearch: null,
    },
  },
  consentGrants: {
    id: null,
    recipient: null,
    category: null,
    signedFormReference: null,
    grantedAt: null,
    grantedBy: null,
  },
  researchConsent: { signedFormReference: null, givenAt: null },
  accessLog: {
    at: null,
    subject: null,
    role: null,
    organisation: null,
    categories: null,
    operation: null,
    subgraph: null,
  },
  pathway: {
    id: null,
    registryNumber: null,
    referralId: null,
    status: null,
    registeredAt: null,
    jobCoach: null,
    participant: { id: null },
    jobSeekerRegistration: {
      id: null,
      conventionCode: null,
      registeredOn: null,
      employmentService: null,
      recordedAt: null,
      corrections: {
        id: null,
        previousConventionCode: null,
        conventionCode: null,
        previousRegisteredOn: null,
        registeredOn: null,
        correctedBy: null,
        correctedAt: null,
      },
    },
    weeklyHoursByEmployer: { employer: null, employerNumber: null, weeklyHours: null },
    welcomeInvitations: {
      id: null,
      attended: null,
      attendanceMarkedAt: null,
      attendanceMarkedBy: null,
      pathway: { id: null },
      participant: { id: null },
    },
    rpForms: {
      id: null,
      formId: null,
      form: null,
      version: null,
      supersedesId: null,
      requestKind: null,
      referent: null,
      referentRole: null,
      objectives: null,
      plannedSteps: null,
      periodFrom: null,
      periodTo: null,
      signedOn: null,
      signedBy: null,
      signerRole: null,
      signerOrganisation: null,
      sentTo: null,
      copiedTo: null,
      sentAt: null,
    },
  },
  allocation: { id: null, arm: null, allocatedAt: null, stratum: null },
  benefitStatements: { id: null, month: null, amountCents: null, partialWorkAuthorised: null },
  questionnaireWaves: {
    wave: null,
    dueOn: null,
    state: null,
    openedWhere: null,
    instrumentVersion: null,
    answers: { linkId: null, valueCode: null, valueInteger: null },
  },
} as const;
type Selection = { readonly [field: string]: Selection | null };

/** Keeps the fields that exist in the role's schema (the others are not even askable). */
function selectionFor(schema: GraphQLSchema, typeName: string, selection: Selection): Selection {
  const type = schema.getType(typeName);
  if (!isObjectType(type)) return {};
  const fields = type.getFields();
  return Object.fromEntries(
    Object.entries(selection)
      .filter(([field]) => fields[field])
      .map(([field, sub]) => [
        field,
        sub === null ? null : selectionFor(schema, getNamedType(fields[field]!.type).name, sub),
      ])
      .filter(([, sub]) => sub === null || Object.keys(sub as Selection).length > 0),
  );
}

const print = (selection: Selection): string =>
  Object.entries(selection)
    .map(([field, sub]) => (sub === null ? field : `${field} { ${print(sub)} }`))
    .join(' ');

interface Checked {
  cases: Set<string>;
  fields: number;
}

/** Walks the answer against the oracle, field by field. */
function checkRecord(
  typeName: string,
  value: Record<string, unknown>,
  selection: Selection,
  path: (string | number)[],
  errors: GraphQLResponse['errors'],
  visible: (category: DataCategory) => boolean,
  onField: (category: DataCategory) => void,
): void {
  for (const [field, sub] of Object.entries(selection)) {
    const category = DECLARED[`${typeName}.${field}`] ?? categoryOf(typeName, field);
    const fieldPath = [...path, field];
    const forbidden = (errors ?? []).some(
      (e) => e.extensions?.code === 'FORBIDDEN' && e.path?.join('.') === fieldPath.join('.'),
    );
    const actual = value[field];
    if (category) {
      onField(category);
      if (visible(category)) {
        expect({ path: fieldPath.join('.'), forbidden }).toEqual({ path: fieldPath.join('.'), forbidden: false });
      } else {
        expect({ path: fieldPath.join('.'), actual, forbidden }).toEqual({
          path: fieldPath.join('.'),
          actual: null,
          forbidden: true,
        });
        continue;
      }
    }
    if (sub === null || actual === null || actual === undefined) continue;
    const childType = CHILD_TYPES[`${typeName}.${field}`];
    if (!childType) continue; // a non-personal type (e.g. Convention)
    const items = Array.isArray(actual) ? actual : [actual];
    items.forEach((item, index) =>
      checkRecord(
        childType,
        item as Record<string, unknown>,
        sub,
        Array.isArray(actual) ? [...fieldPath, index] : fieldPath,
        errors,
        visible,
        onField,
      ),
    );
  }
}

/** Free text is read under the category its writer declared (CONTENT_CATEGORY_OF): here, what the set-up declared. */
const DECLARED: Record<string, DataCategory> = {
  'RpForm.objectives': 'employment',
  'RpForm.plannedSteps': 'employment',
};

const CHILD_TYPES: Record<string, string> = {
  'Pathway.rpForms': 'RpForm',
  'Pathway.employerContacts': 'EmployerContact',
  'Pathway.benefitsCounselling': 'BenefitsCounsellingSession',
  'Pathway.followAlongSupport': 'FollowAlongSupport',
  'Participant.referrals': 'Referral',
  'Referral.eligibility': 'ReferralEligibility',
  'Participant.consentGrants': 'ConsentGrant',
  'Participant.researchConsent': 'ResearchConsent',
  'Participant.accessLog': 'AccessLogEntry',
  'Participant.pathway': 'Pathway',
  'Pathway.participant': 'Participant',
  'Pathway.jobSeekerRegistration': 'JobSeekerRegistration',
  'JobSeekerRegistration.corrections': 'JobSeekerRegistrationCorrection',
  'Pathway.welcomeInvitations': 'WelcomeInvitation',
  'Pathway.weeklyHoursByEmployer': 'EmployerHours',
  'WelcomeInvitation.pathway': 'Pathway',
  'WelcomeInvitation.participant': 'Participant',
  'Participant.allocation': 'Allocation',
  'Participant.benefitStatements': 'BenefitStatement',
  'Participant.questionnaireWaves': 'QuestionnaireWave',
  'QuestionnaireWave.answers': 'QuestionnaireAnswer',
};

/**
 * Asks for the person's record the way the role can: `participant(id)` through the gateway;
 * a participant uses `me` for themself and, for someone else, can only try `_entities` at the
 * subgraph (their schema has no way to name another person).
 */
async function askForRecord(role: Role, caller: Identity, person: Person, schema: GraphQLSchema, selection: Selection) {
  const fields = schema.getQueryType()?.getFields() ?? {};
  if (role === 'PARTICIPANT' && caller.subject === person.niss) {
    const response = await graph.query<{ me: Record<string, unknown> | null }>(
      caller,
      `query Matrix { me { ${print(selection)} } }`,
    );
    return { root: ['me'], record: response.data?.me ?? null, errors: response.errors };
  }
  if (role === 'PARTICIPANT') {
    const token = `Bearer ${await signGatewayToken(caller, graph.keys.gateway.privateKey)}`;
    const response = await graph.querySubgraph(
      'participants',
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Participant { id niss givenName postcode incapacityStatus } } }',
      token,
      {
        r: [{ __typename: 'Participant', id: person.id }],
      },
    );
    return {
      root: ['_entities', 0],
      record: (response.data as { _entities: (Record<string, unknown> | null)[] } | undefined)?._entities[0] ?? null,
      errors: response.errors,
    };
  }
  if (!fields.participant) return undefined;
  const response = await graph.query<{ participant: Record<string, unknown> | null }>(
    caller,
    `query Matrix($id: ID!) { participant(id: $id) { ${print(selection)} } }`,
    { id: person.id },
  );
  return { root: ['participant'], record: response.data?.participant ?? null, errors: response.errors };
}

describe('the generated authorization matrix', () => {
  it('returns exactly the allowed fields for every role × category × consent state × circle', async () => {
    const checked: Checked = { cases: new Set(), fields: 0 };
    const untested = DATA_CATEGORIES.filter(
      (category) => !Object.values(PERSONAL_DATA_TYPES).some((fields) => Object.values(fields).includes(category)),
    );
    const states: ConsentState[] = ['given', 'narrowed', 'withdrawn', 'never given'];
    for (const role of ROLES) {
      const schema = apiSchemaOf(readFileSync(roleSupergraphPath(role), 'utf8'));
      const selection = selectionFor(schema, 'Participant', FULL_SELECTION);
      for (const state of states) {
        for (const inCircle of [true, false]) {
          const person = personFor(role, state);
          const caller = callerFor(role, inCircle, person);
          if (!caller) continue; // INAMI is never outside; researchers and integrators never inside
          const visible = (category: DataCategory) => expectedVisible(role, inCircle, person, category);
          const label = (category: DataCategory) => `${role}|${category}|${state}|${inCircle ? 'in' : 'out'}`;
          // Every category counts as a case: those outside the role's scope are checked absent from its schema.
          for (const category of DATA_CATEGORIES)
            if (!ROLE_SCOPE[role].includes(category)) checked.cases.add(label(category));
          const ask = await askForRecord(role, caller, person, schema, selection);
          if (!ask) {
            // Researchers and integrators cannot even ask: no way to a person in their schema (R19: the research
            // category reaches researchers only as pseudonymised datasets), so every category of theirs is absent.
            expect(
              Object.keys(schema.getQueryType()?.getFields() ?? {}).filter((field) =>
                ['me', 'participant', 'participants', 'participantByNiss', 'pathway'].includes(field),
              ),
            ).toEqual([]);
            for (const category of ROLE_SCOPE[role])
              if (!untested.includes(category)) checked.cases.add(label(category));
            continue;
          }
          const { root, record, errors } = ask;
          expect(errors?.filter((e) => e.extensions?.code !== 'FORBIDDEN') ?? []).toEqual([]);
          if (!visible(categoryOf('Participant', 'id')!)) {
            // Not even the record's id: it is absent, exactly as an unknown id would be.
            expect({ role, state, inCircle, record }).toEqual({ role, state, inCircle, record: null });
            expect(errors ?? []).toEqual([]);
            for (const category of ROLE_SCOPE[role])
              if (!untested.includes(category)) checked.cases.add(label(category));
            checked.fields += 1;
            continue;
          }
          checkRecord('Participant', record!, selection, root, errors, visible, (category) => {
            checked.cases.add(label(category));
            checked.fields += 1;
          });
        }
      }
    }
    console.log(
      `Authorization matrix: ${checked.cases.size} role × category × consent × circle cases, ${checked.fields} field checks; categories with no field yet: ${untested.join(', ') || 'none'}`,
    );
    // Every meaningful combination was exercised: 15 (role, circle) pairs × 4 states × 8 categories,
    // less the in-scope categories that no field carries yet (nothing to read, so nothing to check).
    const pairs = ROLES.flatMap((role) =>
      [true, false].filter((inside) => callerFor(role, inside, people.given)).map(() => role),
    );
    const expected = pairs.reduce(
      (sum, role) =>
        sum + 4 * DATA_CATEGORIES.filter((c) => !(ROLE_SCOPE[role].includes(c) && untested.includes(c))).length,
      0,
    );
    const missing: string[] = [];
    for (const role of ROLES)
      for (const inside of [true, false])
        for (const state of ['given', 'narrowed', 'withdrawn', 'never given'] as ConsentState[]) {
          if (!callerFor(role, inside, personFor(role, state))) continue;
          for (const c of DATA_CATEGORIES)
            if (
              !(ROLE_SCOPE[role].includes(c) && untested.includes(c)) &&
              !checked.cases.has(`${role}|${c}|${state}|${inside ? 'in' : 'out'}`)
            )
              missing.push(`${role}|${c}|${state}|${inside ? 'in' : 'out'}`);
        }
    expect(missing).toEqual([]);
    expect(checked.cases.size).toBe(expected);
  });

  it('lists only the people whose consent covers the caller: no existence leak through pages or counts', async () => {
    const response = await graph.query<{ participants: { id: string }[] }>(
      'INAMI',
      '{ participants(first: 500) { id } }',
    );
    const ids = new Set(response.data!.participants.map((p) => p.id));
    expect([people.given, people.narrowed, people.onlyInami].every((p) => ids.has(p.id))).toBe(true);
    expect([people.withdrawn, people.allButInami].some((p) => ids.has(p.id))).toBe(false);
    // Exactly the people whose consent names INAMI, among all set up (the seed's other people too).
    const covered = await graph.sql<{ id: string }>(
      "select participant_id as id from access.ledger where 'INAMI/administrative' = any(consent_grants)",
    );
    expect(ids).toEqual(new Set(covered.map((row) => row.id)));
  });

  it('answers `_entities` for a hidden person exactly as for an unknown id', async () => {
    for (const identity of [
      { role: 'SRE', organisation: 'VDAB', subject: 'vdab-1' },
      { role: 'INAMI', organisation: 'INAMI', subject: 'inami-1' },
    ] as Identity[]) {
      const token = `Bearer ${await signGatewayToken(identity, graph.keys.gateway.privateKey)}`;
      const hidden = identity.role === 'INAMI' ? people.withdrawn.id : people.given.id;
      const probe = (id: string) =>
        graph.querySubgraph(
          'participants',
          'query($r: [_Any!]!) { _entities(representations: $r) { ... on Participant { id } } }',
          token,
          { r: [{ __typename: 'Participant', id }] },
        );
      const [hiddenAnswer, unknownAnswer] = await Promise.all([
        probe(hidden),
        probe('7d1c0c55-3b7e-4a47-9d0c-4b1f5f9c0a11'),
      ]);
      expect(hiddenAnswer).toEqual(unknownAnswer);
      expect(hiddenAnswer.data).toEqual({ _entities: [null] });
    }
  });
});
