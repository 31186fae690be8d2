/**
 * The access policy of the IPS graph: one table, read by people and by code.
 *
 * - DATA_CATEGORIES: the kinds of personal data (GDPR art. 9: all of it is health-related).
 * - ROLE_SCOPE: what each role may ever see (static; shapes each role's API schema).
 * - PERSONAL_DATA_TYPES: every field of every type that carries personal data, with its category.
 * - NON_PERSONAL_TYPES: types that carry no personal data, and who may read them.
 * - OPERATIONS: which roles may call each root field.
 * - FIELD_ROLE_LIMITS: the few fields only some roles may see whatever their category.
 * - CIRCLE: who is in a participant's circle, as a fact of the access ledger.
 * - RECIPIENT_OF_ROLE and CONSENT_SCOPE: which information-sharing consent (R1e)
 *   covers which role, and what each recipient can be granted.
 *
 * Deny by default: a type, field or operation missing here is refused at start-up
 * (the subgraph does not build) and denied at run time. The subgraph kit tags each
 * field's category into the SDL (`@tag(name: "cat/<category>")`) and generates the
 * graphql-shield rule tree from this module; nothing else decides who sees what.
 * Per-participant circle and consent (R18) come on top of this table.
 */
import type { MessageId } from './i18n/index.js';
import type { Role } from './identity.js';
import { ROLES } from './identity.js';
import { UPLOAD_KINDS } from './uploads.js';

export const DATA_CATEGORIES = [
  'identity', // who the person is: national number (NISS), names, birth date
  'contact', // where to reach them: address, postcode, phone, e-mail
  'administrative', // the pathway's paperwork: forms, dates, registry numbers, arm, consent flags
  'health', // mental-health and incapacity facts (R1a)
  'employment', // vocational needs, job search, contracts, hours
  'benefits', // incapacity and disability benefits
  'research', // trial data: questionnaires, pseudonymised extracts
  'billing', // pathway costs under the INAMI conventions (R17)
] as const;
export type DataCategory = (typeof DATA_CATEGORIES)[number];

/** What each role may ever see (R18: "only what the pathway needs"). */
export const ROLE_SCOPE: Record<Role, readonly DataCategory[]> = {
  MEDECIN_CONSEIL: ['identity', 'contact', 'administrative', 'health', 'employment', 'benefits'],
  OA: ['identity', 'contact', 'administrative', 'employment', 'benefits', 'billing'],
  INAMI: ['identity', 'contact', 'administrative', 'health', 'employment', 'benefits', 'billing'],
  SRE: ['identity', 'contact', 'administrative', 'employment'],
  JOB_COACH: ['identity', 'contact', 'administrative', 'employment', 'benefits'],
  SUPERVISOR: ['identity', 'contact', 'administrative', 'employment', 'benefits'],
  RESEARCHER: ['research'], // pseudonymised data only (R19)
  INTEGRATOR: [], // aggregates only, never a person's record
  PARTICIPANT: [...DATA_CATEGORIES], // all their own data
};

type FieldCategories = Readonly<Record<string, DataCategory>>;

/**
 * Lists as Relay cursor connections (subgraphs/kit/connection.ts), by node type. A `<Node>Edge`
 * belongs to the participant its node belongs to, and its cursor carries the record's sort key
 * (a date: administrative); an edge of a non-personal node is non-personal. A `<Node>Connection`
 * (edges, page info, a total of what the caller may see) carries no person: `readers` may read it.
 * Which rows a list holds is the record's own read rule: the caller's CIRCLE relation and consent.
 */
export const CONNECTIONS: Readonly<Record<string, { readers: readonly Role[]; personal: boolean }>> = {
  Participant: { readers: ['INAMI', 'OA', 'MEDECIN_CONSEIL'], personal: true }, // registry, members, patients
  Pathway: { readers: ['SUPERVISOR'], personal: true }, // pathways waiting for a coach
  IntakeItem: { readers: ['INAMI'], personal: true },
  SreInboxItem: { readers: ['SRE'], personal: true },
  PhysicianMessage: { readers: ['MEDECIN_CONSEIL'], personal: true },
  WorkAuthorisation: { readers: ['MEDECIN_CONSEIL'], personal: true },
  ActInboxItem: { readers: ['JOB_COACH', 'INAMI'], personal: true }, // the coach's and INAMI's inboxes of acts
  WelcomeSession: { readers: ['SRE', 'SUPERVISOR'], personal: false },
};
const EDGE_FIELDS: FieldCategories = { cursor: 'administrative', node: 'administrative' };

/**
 * The relation by which a role is a person's referent, whose caseload the person is on: the job
 * coach in the IPS arm (R11), the SRE's reference counsellor in the control arm (R9).
 */
export const REFERENT: Partial<Record<Role, RelationName>> = {
  JOB_COACH: 'referentCoach',
  SRE: 'referentCounsellor',
};
const REFERENT_ROLES = Object.keys(REFERENT) as Role[];

/**
 * Records that belong to organisations, not to a person: for each role that lists them, the record's
 * property naming the organisation that must be the caller's own (as `ownOrganisation` in ACTIONS).
 */
export const ORGANISATION_RECORDS: Readonly<Record<string, Partial<Record<Role, string>>>> = {
  WelcomeSession: { SRE: 'employmentService', SUPERVISOR: 'ipsPartner' }, // the SRE that organises it, the IPS partner that runs it (R8, R11)
  FidelityReview: { SUPERVISOR: 'team' }, // a team's supervisor reads their own team's IPS-25 reviews; INAMI and the researchers read all
  // R17: a partner's supervisor reads their own convention's terms, capacity and staffing (the convention's code is the partner's); INAMI reads all.
  ConventionTerms: { SUPERVISOR: 'code' },
  ConventionCapacity: { SUPERVISOR: 'code' },
  ConventionStaffing: { SUPERVISOR: 'code' },
  Claim: { SUPERVISOR: 'code' }, // R17: a partner's claims, credit notes and payments: its own supervisors; INAMI all
};

/**
 * Records that belong to the staff member who filed them (organisation and subject): for each role
 * listed, a caller of that role reads only their own — another's answers as a missing one.
 */
export const FILER_RECORDS: Readonly<Record<string, readonly Role[]>> = {
  DataRequest: ['RESEARCHER'], // R19: a researcher sees the requests they filed; INAMI sees all
};

/**
 * Files served outside the graph (HTTP GET), each decided from this table alone after the same token
 * verification as the graph: the roles that may fetch, whether only the record's filer may
 * (FILER_RECORDS), and the states the record must be in. Anything else answers as a missing record.
 */
export const DOWNLOADS: Readonly<
  Record<string, { target: string; roles: readonly Role[]; filerOnly: boolean; status: readonly string[]; why: string }>
> = {
  dataset: {
    target: 'DataRequest',
    roles: ['RESEARCHER'],
    filerOnly: true,
    status: ['APPROVED'],
    why: 'R19: the researcher who filed a request INAMI approved downloads its pseudonymised extract and codebook',
  },
  claimExport: {
    target: 'Claim',
    roles: ['INAMI'],
    filerOnly: false,
    status: ['CLAIMABLE'],
    why: "R17: INAMI's accounting takes every partner's claims of a month or quarter (lines, decisions, credit notes, payments) as CSV; a period none of whose months has ended has no export",
  },
};

/**
 * Every field of every type that carries personal data, with exactly one category.
 * A field added to one of these types without an entry here fails the build.
 */
export const PERSONAL_DATA_TYPES: Readonly<Record<string, FieldCategories>> = {
  Participant: {
    id: 'administrative',
    niss: 'identity',
    givenName: 'identity',
    familyName: 'identity',
    birthDate: 'identity',
    postcode: 'contact',
    region: 'administrative',
    healthInsurer: 'administrative',
    incapacityStatus: 'benefits',
    incapacityEndedOn: 'benefits',
    referrals: 'administrative',
    consentGrants: 'administrative',
    researchConsent: 'administrative',
    accessLog: 'administrative', // and FIELD_ROLE_LIMITS: the person alone
    pathway: 'administrative', // contributed by pathways
    allocation: 'administrative', // contributed by research: the arm routes the person (R7)
    questionnaireWaves: 'administrative', // contributed by research: each wave's dates and state (R12); the answers are research
    benefitStatements: 'benefits', // contributed by billing; and FIELD_ROLE_LIMITS
  },
  Referral: {
    id: 'administrative',
    participant: 'administrative',
    version: 'administrative',
    supersedes: 'administrative',
    form: 'administrative',
    region: 'administrative',
    eligibility: 'administrative', // a container: each confirmation carries its own category
    signedOn: 'administrative',
    referringPhysician: 'administrative',
    healthInsurer: 'administrative',
    submittedAt: 'administrative',
  },
  ReferralEligibility: {
    meetsIncapacityAndMentalDisorderConditions: 'health', // R1a
    needsVocationalRehabilitation: 'employment', // R1b
    needsIntensiveSupport: 'employment', // R1c
    wantsToReturnToWork: 'employment', // R1d
    consentsToInformationSharing: 'administrative', // R1e
    consentsToResearch: 'administrative', // R1f
  },
  ConsentGrant: {
    id: 'administrative',
    recipient: 'administrative',
    category: 'administrative',
    signedFormReference: 'administrative',
    grantedAt: 'administrative',
    grantedBy: 'administrative',
  },
  ResearchConsent: {
    signedFormReference: 'administrative',
    givenAt: 'administrative',
    withdrawnAt: 'administrative',
  },
  AccessLogEntry: {
    at: 'administrative',
    subject: 'administrative',
    role: 'administrative',
    organisation: 'administrative',
    categories: 'administrative',
    operation: 'administrative',
    subgraph: 'administrative',
  },
  Pathway: {
    id: 'administrative',
    registryNumber: 'administrative',
    referralId: 'administrative',
    participant: 'administrative',
    convention: 'administrative',
    status: 'administrative',
    registeredAt: 'administrative',
    jobCoach: 'administrative',
    referenceCounsellor: 'administrative',
    jobSeekerRegistration: 'employment',
    endedOn: 'administrative',
    endReason: 'administrative',
    contracts: 'employment',
    weeklyHoursByEmployer: 'employment',
    meetings: 'administrative',
    welcomeInvitations: 'administrative',
    timeline: 'administrative', // a container: each event is shown under its own category
    rpForms: 'administrative', // a container: each form's fields under their own categories (RpForm)
    // The IPS principles as recorded practice (principles 5–8): containers, each record's fields under their own categories.
    employerContacts: 'employment',
    benefitsCounselling: 'benefits',
    followAlongSupport: 'employment',
  },
  // IPS principles 5 and 8: an employer contact on the person's behalf; the employer's name is free text about their job search.
  EmployerContact: {
    id: 'employment',
    contactedOn: 'employment',
    employer: 'employment',
    kind: 'employment',
    jobCoach: 'administrative',
  },
  // IPS principle 7: personalised benefits counselling (work-incentives planning); its topic says what about their benefits.
  BenefitsCounsellingSession: {
    id: 'benefits',
    heldOn: 'benefits',
    topic: 'benefits',
    counsellor: 'administrative',
  },
  // IPS principle 6: follow-along support once a job has started, after the pathway's end too (time-unlimited).
  FollowAlongSupport: {
    id: 'employment',
    supportedOn: 'employment',
    kind: 'employment',
    afterPathwayEnd: 'employment',
    jobCoach: 'administrative',
  },
  // R10, R13: one version of an RP1 or RP1IPS, the paperwork of the pathway; its plan is free text under the category its writer declared.
  RpForm: {
    id: 'administrative',
    formId: 'administrative',
    form: 'administrative',
    version: 'administrative',
    supersedesId: 'administrative',
    requestKind: 'administrative',
    referent: 'administrative',
    referentRole: 'administrative',
    objectives: 'administrative', // free text: shown under planCategory (CONTENT_CATEGORY_OF)
    plannedSteps: 'administrative', // free text: shown under planCategory (CONTENT_CATEGORY_OF)
    periodFrom: 'administrative',
    periodTo: 'administrative',
    signedOn: 'administrative',
    signedBy: 'administrative',
    signerRole: 'administrative',
    signerOrganisation: 'administrative',
    sentTo: 'administrative',
    copiedTo: 'administrative',
    sentAt: 'administrative',
  },
  PathwayAct: {
    id: 'administrative',
    kind: 'administrative',
    actOn: 'administrative',
  },
  TimelineEvent: {
    at: 'administrative',
    on: 'administrative',
    recordedAt: 'administrative',
    kind: 'administrative',
    actor: 'administrative',
    detail: 'administrative',
    summary: 'administrative', // the detail told as a sentence: under the detail's own category (CONTENT_CATEGORY_OF)
  },
  IndividualMeeting: {
    id: 'administrative',
    kind: 'administrative',
    scheduledFor: 'administrative',
    heldOn: 'administrative',
    plannedBy: 'administrative',
    heldBy: 'administrative',
  },
  // R15: the hours of concurrent jobs, one row per employer.
  EmployerHours: {
    employer: 'employment',
    employerNumber: 'employment',
    weeklyHours: 'employment',
  },
  // R8, R11: one person invited to a welcome session, present or absent once the partner marked them.
  WelcomeInvitation: {
    id: 'administrative',
    attended: 'administrative',
    attendanceMarkedAt: 'administrative',
    attendanceMarkedBy: 'administrative',
    pathway: 'administrative',
    participant: 'administrative',
  },
  CaseloadEntry: {
    pathway: 'administrative',
    nextAction: 'administrative',
  },
  EmploymentContract: {
    id: 'employment',
    employer: 'employment',
    employerNumber: 'employment',
    jobFunction: 'employment',
    startsOn: 'employment',
    endsOn: 'employment',
    weeklyHours: 'employment',
    contractType: 'employment',
    authorisation: 'administrative',
    // The employment episode of the trial's outcomes (both arms).
    openLabourMarket: 'employment',
    paidAtLeastMinimumWage: 'employment',
    reservedForDisabledPeople: 'employment',
    competitive: 'employment',
    endedOn: 'employment',
    endReason: 'employment',
  },
  BenefitStatement: {
    id: 'benefits',
    month: 'benefits',
    benefitType: 'benefits',
    amountCents: 'benefits',
    days: 'benefits',
    partialWorkAuthorised: 'benefits',
    recordedAt: 'benefits',
  },
  WorkAuthorisation: {
    id: 'administrative',
    reason: 'administrative',
    requestedAt: 'administrative',
    decision: 'administrative',
    decidedAt: 'administrative',
    decisionReason: 'administrative', // free text: shown under the category its writer declared (CONTENT_CATEGORY_OF)
    pathway: 'administrative', // the worklist of pending authorisations links to what is decided
    contract: 'employment',
  },
  PhysicianMessage: {
    id: 'administrative',
    kind: 'administrative',
    body: 'administrative',
    sentAt: 'administrative',
    sentBy: 'administrative',
    readAt: 'administrative',
    pathway: 'administrative',
    participant: 'administrative',
    form: 'administrative', // the copy of an RP1 or RP1IPS carries the form itself (R10, R13)
  },
  IntakeItem: {
    referralId: 'administrative',
    receivedAt: 'administrative',
    region: 'administrative',
    referral: 'administrative',
    participant: 'administrative',
  },
  SreInboxItem: {
    id: 'administrative',
    mailbox: 'administrative', // reveals the arm: administrative, as the arm itself (R7)
    employmentService: 'administrative',
    arrivedAt: 'administrative',
    acknowledgedAt: 'administrative',
    acknowledgedBy: 'administrative',
    pathway: 'administrative',
    participant: 'administrative',
    referral: 'administrative',
  },
  JobSeekerRegistration: {
    id: 'employment',
    conventionCode: 'employment',
    registeredOn: 'employment',
    employmentService: 'employment',
    recordedAt: 'employment',
    corrections: 'employment',
  },
  // R3: a correction of the registration, kept: who, when, the values before and after.
  JobSeekerRegistrationCorrection: {
    id: 'employment',
    previousConventionCode: 'employment',
    conventionCode: 'employment',
    previousRegisteredOn: 'employment',
    registeredOn: 'employment',
    correctedBy: 'employment',
    correctedAt: 'employment',
  },
  Allocation: {
    id: 'administrative',
    arm: 'administrative',
    allocatedAt: 'administrative',
    stratum: 'administrative',
    designVersion: 'administrative', // the approved design version the draw followed (CONSORT 8b)
  },
  // R12: a wave's dates, state and place are administrative (the referent opens it, the coach's reminder
  // closes on completion); its answers are research data, which no care role's ROLE_SCOPE holds.
  QuestionnaireWave: {
    wave: 'administrative',
    dueOn: 'administrative',
    windowOpensOn: 'administrative',
    windowClosesOn: 'administrative',
    state: 'administrative',
    openedWhere: 'administrative',
    instrumentVersion: 'administrative',
    completedOn: 'administrative',
    answers: 'research',
  },
  QuestionnaireAnswer: {
    linkId: 'research',
    valueCode: 'research',
    valueInteger: 'research',
    valueBoolean: 'research',
  },
  ActInboxItem: {
    id: 'administrative',
    kind: 'administrative',
    actOn: 'administrative',
    recordedAt: 'administrative',
    actor: 'administrative',
    detail: 'administrative', // free text: shown under the category its writer declared (CONTENT_CATEGORY_OF)
    pathway: 'administrative',
    form: 'administrative', // the RP1 or RP1IPS the act sent, with its content (R10, R13)
  },
  ...Object.fromEntries(
    Object.entries(CONNECTIONS)
      .filter(([, list]) => list.personal)
      .map(([node]) => [`${node}Edge`, EDGE_FIELDS]),
  ),
};

/** Types that carry no personal data, and the roles that may read them. */
export const NON_PERSONAL_TYPES: Readonly<Record<string, readonly Role[]>> = {
  Convention: ROLES, // INAMI's conventions with the IPS partners (R17) are public facts
  ConventionCatchment: ROLES, // the postcodes a convention serves: public reference facts
  // R17: the agreement between INAMI and a partner — period, staffing, funding lines, amendments — and what the
  // partner uses of it (capacity, staffing by month): INAMI, and the partner's own supervisors (ORGANISATION_RECORDS).
  // Integrators read capacity only as the disclosure-controlled aggregates (pathways per partner), not here.
  ConventionTerms: ['INAMI', 'SUPERVISOR'],
  ConventionAmendment: ['INAMI', 'SUPERVISOR'],
  ConventionTermChange: ['INAMI', 'SUPERVISOR'],
  ConventionCapacity: ['INAMI', 'SUPERVISOR'],
  ConventionStaffing: ['INAMI', 'SUPERVISOR'],
  // R17: a partner's claims under its convention — lines computed from staffing (staff subjects, FTE, days) and pathways
  // started (ids, days), INAMI's decisions, credit notes and payments. No person's data in them: INAMI and the partner's
  // own supervisors (ORGANISATION_RECORDS.Claim); another partner's supervisor sees none.
  Claim: ['INAMI', 'SUPERVISOR'],
  ClaimLine: ['INAMI', 'SUPERVISOR'],
  ClaimLineSource: ['INAMI', 'SUPERVISOR'],
  CreditNote: ['INAMI', 'SUPERVISOR'],
  CreditNoteLine: ['INAMI', 'SUPERVISOR'],
  ClaimPayment: ['INAMI', 'SUPERVISOR'],
  Vocabulary: ROLES, // enum labels from the catalogue (schema/i18n): words, no data
  EnumVocabulary: ROLES,
  EnumValueLabel: ROLES,
  AllocationBalance: ['INAMI', 'RESEARCHER'], // exact counts per stratum, no person in it: the trial's own readers (integrators read the disclosure-controlled tables)
  AggregateTable: ['INTEGRATOR', 'INAMI', 'RESEARCHER'], // a published table, disclosure-controlled (DISCLOSURE_CONTROL)
  AggregateDimension: ['INTEGRATOR', 'INAMI', 'RESEARCHER'],
  AggregateDimensionGroup: ['INTEGRATOR', 'INAMI', 'RESEARCHER'],
  AggregateCell: ['INTEGRATOR', 'INAMI', 'RESEARCHER'],
  PartnerCaseloads: ['INTEGRATOR', 'INAMI', 'SUPERVISOR'], // staff counts per partner
  TeamFidelity: ['INTEGRATOR', 'INAMI', 'RESEARCHER', 'SUPERVISOR'],
  ConsentReceipt: ['PARTICIPANT', 'MEDECIN_CONSEIL'], // repeats only what the caller sent
  TrialDesign: ['INAMI', 'RESEARCHER'], // the protocol's randomisation design (CONSORT), no person in it
  ConsortRandomisation: ['INAMI', 'RESEARCHER'],
  RandomisationIntegrity: ['INAMI', 'RESEARCHER'],
  AccessLogIntegrity: ['INAMI'], // counts and a chain number, no person in it
  RandomisationReceipt: ['INAMI'],
  ReferralReceipt: ['MEDECIN_CONSEIL'],
  RoutingReceipt: ['INAMI'],
  NextAction: REFERENT_ROLES, // reached only through a CaseloadEntry, itself under the policy
  WelcomeSession: ['SRE', 'SUPERVISOR'], // a date and a place; its invitees are listed each under their own person's rule (WelcomeInvitation)
  CoachLoad: ['SUPERVISOR'],
  // IPS principle 8: a team's job development not tied to one person (an employer's name, a day, a kind): the writer's
  // answer; no person in it. The team's practice indicators: counts and medians per team and quarter, no person named.
  JobDevelopmentContact: ['JOB_COACH', 'SUPERVISOR'],
  PracticeIndicators: ['SUPERVISOR'], // counts per coach (staff), no person in it // ids and time; the form itself is a Referral, under the policy
  PathwayRegistration: ['INAMI'], // ids and time; the pathway itself is a Pathway, under the policy
  // The trial's outcome measures per arm: aggregates with small cells suppressed, no person in them (R19).
  TrialOutcomes: ['RESEARCHER', 'INAMI'],
  ArmOutcomes: ['RESEARCHER', 'INAMI'],
  ShareOfPersonMonths: ['RESEARCHER', 'INAMI'],
  BenefitPerMonth: ['RESEARCHER', 'INAMI'],
  QuarterlyEmploymentRate: ['RESEARCHER', 'INAMI'],
  MonthSinceRandomisationOutcomes: ['RESEARCHER', 'INAMI'],
  StaffMember: ['MEDECIN_CONSEIL', 'OA', 'INAMI', 'SRE', 'JOB_COACH', 'SUPERVISOR', 'RESEARCHER'], // staff of the caller's own organisation, no participant in it
  PageInfo: [...new Set(Object.values(CONNECTIONS).flatMap((list) => list.readers))], // where a page sits in its list: cursors of the caller's own rows, no person in it
  ...Object.fromEntries(Object.entries(CONNECTIONS).map(([node, list]) => [`${node}Connection`, list.readers])),
  ...Object.fromEntries(
    Object.entries(CONNECTIONS)
      .filter(([, list]) => !list.personal)
      .map(([node, list]) => [`${node}Edge`, list.readers]),
  ),
  // IPS-25 fidelity reviews of the IPS teams (DOMAIN.md): about a team's practice, no participant in them. A supervisor
  // reads only their own team's (ORGANISATION_RECORDS); the action plan is free text, shown with the category its writer declared.
  FidelityReview: ['SUPERVISOR', 'INAMI', 'RESEARCHER'],
  FidelityItemScore: ['SUPERVISOR', 'INAMI', 'RESEARCHER'],
  FidelityScaleItem: ['SUPERVISOR', 'INAMI', 'RESEARCHER'],
  // The anonymous screening log (CONSORT enrolment): an entry names no one; its physician reads their own entries' counts.
  ScreeningEntry: ['MEDECIN_CONSEIL'],
  ScreeningCounts: ['MEDECIN_CONSEIL'],
  ScreeningConditionCount: ['MEDECIN_CONSEIL'],
  ConsortUnmetCondition: ['RESEARCHER', 'INAMI', 'INTEGRATOR'], // people assessed and not referred, per R1 condition (CONSORT enrolment)
  // The CONSORT 2010 flow of the trial: counts per stage and arm, no person in them (COUNT_READERS says who gets small cells).
  ConsortFlow: ['RESEARCHER', 'INAMI', 'INTEGRATOR'],
  ConsortArmFlow: ['RESEARCHER', 'INAMI', 'INTEGRATOR'],
  ConsortWaveLoss: ['RESEARCHER', 'INAMI', 'INTEGRATOR'],
  ConsortCount: ['RESEARCHER', 'INAMI', 'INTEGRATOR'], // one box's count by its path, and why it is withheld
  ConsortDesignChange: ['RESEARCHER', 'INAMI', 'INTEGRATOR'], // the protocol's history (CONSORT 8b/9): researchers' names as staff, allocations counted per version
  TrialDesignProposal: ['RESEARCHER', 'INAMI'], // a design waiting for (or given) its second researcher's approval
  // R19: researchers' data requests and the codebook of the pseudonymised extracts: about a study, no participant in them. A
  // researcher lists only the requests they filed (FILER_RECORDS); INAMI, which decides them, all, and the download log.
  DataRequest: ['RESEARCHER', 'INAMI'],
  DatasetFiles: ['RESEARCHER', 'INAMI'],
  CodebookVariable: ['RESEARCHER', 'INAMI'],
  CodebookValueLabel: ['RESEARCHER', 'INAMI'],
  DatasetDownload: ['INAMI'],
  // The study's questionnaire (R12): a FHIR Questionnaire's wording and codes, the same for everyone; no answer in it.
  QuestionnaireInstrument: ROLES,
  QuestionnaireItem: ROLES,
  QuestionnaireAnswerOption: ROLES,
  RegistryCount: ['INAMI'], // exact counts per region, partner and state: everyone counted, no one identified (ON_CONSENT_WITHDRAWN); integrators read the disclosure-controlled tables
};

/** Functions of the staff directory: which role each holds, in which kind of organisation, and which role maintains it. */
export const STAFF_FUNCTIONS = {
  ADVISING_PHYSICIAN: { role: 'MEDECIN_CONSEIL', organisationKind: 'HEALTH_INSURER', maintainedBy: 'OA' },
  JOB_COACH: { role: 'JOB_COACH', organisationKind: 'IPS_PARTNER', maintainedBy: 'SUPERVISOR' },
  SUPERVISOR: { role: 'SUPERVISOR', organisationKind: 'IPS_PARTNER', maintainedBy: 'SUPERVISOR' },
  SRE_COUNSELLOR: { role: 'SRE', organisationKind: 'EMPLOYMENT_SERVICE', maintainedBy: 'SRE' },
  INAMI_AGENT: { role: 'INAMI', organisationKind: 'INAMI', maintainedBy: 'INAMI' },
  RESEARCHER: { role: 'RESEARCHER', organisationKind: 'RESEARCH_TEAM', maintainedBy: 'RESEARCHER' },
} as const satisfies Record<string, { role: Role; organisationKind: string; maintainedBy: Role }>;
export type StaffFunction = keyof typeof STAFF_FUNCTIONS;

/**
 * The terms of a convention (R17) whose change alters what INAMI pays: the funding lines, and the funded
 * staffing they are multiplied by. An amendment touching one of them is only proposed by one INAMI agent
 * and applies once another approves it (ACTIONS.approveConventionAmendment, precondition notAmendmentAuthor);
 * an amendment of the period or the capacity alone applies at once.
 */
export const CONVENTION_MONEY_TERMS = [
  'coachFteHundredths',
  'supervisorFteHundredths',
  'coachFteMonthCents',
  'supervisorFteMonthCents',
  'pathwayStartCents',
] as const;

/**
 * Capacity of a convention (R17): the partner's pathways (`partnerPathways`) are the caseload its funded
 * coaches follow at once (≈ 20 per coach FTE: 17 coaches → 340, 5 → 100, 3 → 60). A pathway counts while it
 * is open and in the IPS arm or not yet randomised (it may be drawn into IPS); control-arm people are
 * followed by the SRE (R9), not by the partner. INAMI is warned from `nearFullShare` of the capacity.
 */
export const CONVENTION_CAPACITY = { nearFullShare: 0.9 } as const;

/**
 * What happens when a convention is full (R4, R5, R6, R17): registration is paused — INAMI cannot register
 * a pathway under it (precondition conventionHasRoom, CONFLICT), so the referral stays waiting in the single
 * intake, and no one is randomised into an arm the partner cannot serve. The referral is registered once a
 * pathway ends or INAMI amends the capacity; nothing is lost and no one is turned away.
 */
export const FULL_CONVENTION_RULE = 'REGISTRATION_PAUSED' as const;

/**
 * States of the target an action requires (R5–R16), checked under the target's lock in the
 * transaction that writes. The arm and the research consent come from the access ledger; the
 * others from the target record. A failed precondition is a CONFLICT.
 */
export const PRECONDITIONS = {
  pathwayOpen: 'the pathway has ended',
  ipsArm: 'only for people in the IPS arm (R8, R11, R13)',
  controlArm: 'only for people in the control group (R9)',
  randomised: 'the person is not randomised yet: INAMI randomises (R6) first',
  notRandomised: 'the person is already allocated: an allocation is never made twice (R6)',
  researchConsent: 'the research consent (R1f) is not in force',
  noOpenPathway:
    'the person has an open pathway (R5: never a second one; R16: the recognition of incapacity runs until it ends)',
  noOpenReferral: 'the person has a referral waiting at the intake (R4, R5)',
  notRegistered: 'a pathway is already registered for this referral (R5)',
  authorisationPending: 'the work authorisation is already decided (R15)',
  recognitionRunning: 'the recognition of incapacity has already ended (R16)',
  attendanceOpen: 'attendance is already recorded for this session',
  messageUnread: 'the message is already marked as read',
  meetingNotHeld: 'the meeting is already recorded as held',
  itemUnacknowledged: 'the inbox item is already acknowledged',
  notRegisteredAsJobSeeker: 'the free job seeker registration of this pathway is already recorded',
  notInvited:
    'already invited to a welcome session that is not yet held, or already came to one (R8: someone absent is invited to a later one)',
  notForwarded: 'the form is already forwarded to the SRE',
  latestVersion: 'this version was already amended: amend the latest version',
  episodeOpen: 'the end of this employment episode is already recorded',
  afterPathway: "the person's pathway is open: while it runs, its referent records their outcomes (R11)",
  inFollowUp:
    "the date is outside the person's trial follow-up: outcomes are recorded for a randomised person whose research consent (R1f) holds, dated up to the end of month 30 from the month of randomisation (month 0), or up to their death if earlier",
  noStatementForMonth: 'a benefit statement for this person and month is already recorded (one per month)',
  noReviewOnDate: 'a fidelity review of this team on this date is already recorded',
  designProposed: 'the design is already approved: propose a new version to change it',
  notAuthor: 'you proposed this design: a second researcher approves it (four eyes, CONSORT 8b)',
  amendmentProposed: 'the amendment is already approved',
  amendmentCurrent:
    'the convention was amended since this amendment was proposed: propose it again on the version in force',
  notAmendmentAuthor: 'you proposed this amendment: another INAMI agent approves a change of money (four eyes)',
  noClaimForPeriod: 'a claim of this partner for this month is already submitted: one claim per partner and month',
  lineUndecided: 'this claim line is already decided: an approved claim never changes; a credit note corrects it',
  claimApproved: 'the claim is not approved: only an approved claim is corrected by a credit note or paid',
  conventionHasRoom:
    "registration paused: the partner's convention is full; the referral stays waiting in the intake until one of its pathways ends or INAMI raises the convention's capacity",
  requestPending: 'the data request is already decided',
  waveWindowOpen:
    "the questionnaire wave's window is not running: it opens 14 days before the wave's due date and closes 8 weeks after it (R12)",
  waveNotCompleted: 'the questionnaire wave is already completed',
  waveOpen:
    'the questionnaire wave is not open: open it first, within its window; a completed wave takes no more answers',
} as const;
export type Precondition = keyof typeof PRECONDITIONS;

/**
 * The catalogue message (schema/i18n) that tells an unmet precondition to the caller: its English text is
 * the sentence above (i18n.test.ts), French and Dutch say the same; a precondition without one fails the typecheck.
 */
export function preconditionMessageId(precondition: Precondition): `precondition.${Precondition}` {
  return `precondition.${precondition}`;
}

/** One way to be allowed an action: a role holding a relation to the target, in the states the domain sets. */
export interface ActionGrant {
  role: Role;
  /**
   * A relation to the participant the target belongs to (RELATIONS), `ownOrganisation`
   * (the target record belongs to the caller's organisation) or `anyone` (of the role).
   */
  relation: RelationName | 'ownOrganisation' | 'anyone';
  /** For actions whose argument says what is done (e.g. the act's kind): the values this grant covers. */
  variants?: readonly string[];
  requires?: readonly Precondition[];
  /** The caller must be an active member of the staff directory with this function. */
  staff?: StaffFunction;
}

export interface ActionRule {
  /** The record acted on: a personal-data type, `Organisation`, `WelcomeSession`, or `Trial`. */
  target: string;
  /** The argument that names the target (reported in errors). */
  targetArgument?: string;
  /** The argument that selects the grant (`variants`). */
  variantArgument?: string;
  grants: readonly ActionGrant[];
  /**
   * `consent` (default): the caller must also be allowed to read the target now (circle and
   * consent), and a target they may not read answers NOT_FOUND, exactly as a missing one.
   * `relation`: the relation alone suffices (consent is changed by the person's physician
   * even while withdrawn).
   */
  visibility?: 'consent' | 'relation';
  /** The target may not exist yet (a first referral): grants are then checked without a relation. */
  createsTarget?: true;
  /**
   * What a caller without the relation is told when they named the target themselves (a NISS they
   * hold): a CONFLICT with this catalogue message (schema/i18n), which reveals nothing of the record.
   */
  deniedAsConflict?: MessageId;
  /** Free text the action writes for others to read, and who they are (FreeTextRule). */
  freeText?: FreeTextRule;
  why: string;
}

/**
 * Free text written for a reader (R14, R18): the argument that declares the text's category and the roles it is
 * addressed to — per value of the action's variant argument where each variant goes to someone else. The command
 * path (subgraphs/kit/command.ts) refuses, naming that argument, a category one of the addressees may never read
 * (mayEverRead): a message nobody it is meant for can open is never written. A mutation that takes a category
 * argument without a rule here fails the subgraph's start-up (subgraphs/kit/policy.ts).
 */
export interface FreeTextRule {
  /** The argument holding the declared category, as the mutation names it (`input.detailCategory`). */
  category: string;
  addressees: readonly Role[] | Readonly<Record<string, readonly Role[]>>;
  why: string;
}

/** The roles a free text of this action (and variant) is written for. */
export function freeTextAddressees(rule: FreeTextRule, variant?: string): readonly Role[] {
  if (Array.isArray(rule.addressees)) return rule.addressees as readonly Role[];
  return (rule.addressees as Readonly<Record<string, readonly Role[]>>)[variant ?? ''] ?? [];
}

/**
 * Whether a role can ever read a category under the read policy: its ROLE_SCOPE holds it and, for a role that reads
 * under the person's consent, a consent can grant it to the role's recipient (CONSENT_SCOPE). Circle and the
 * consent in force come on top, per person: this is the static bound a write is checked against.
 */
export function mayEverRead(role: Role, category: DataCategory): boolean {
  const recipient = RECIPIENT_OF_ROLE[role];
  return (
    roleMaySee(role, category) &&
    (recipient === 'SELF' || recipient === null || CONSENT_SCOPE[recipient].includes(category))
  );
}

const staffGrants: ActionGrant[] = [...new Set(Object.values(STAFF_FUNCTIONS).map((f) => f.maintainedBy))].map(
  (role) => ({
    role,
    relation: 'ownOrganisation',
    variants: Object.entries(STAFF_FUNCTIONS)
      .filter(([, f]) => f.maintainedBy === role)
      .map(([name]) => name),
  }),
);

/**
 * Every mutation: the record it acts on and who may act on it (R3–R18). The kit's command path
 * decides every write from this table alone, inside the writing transaction; a mutation
 * missing here fails the build. POLICY.md renders it.
 */
export const ACTIONS: Readonly<Record<string, ActionRule>> = {
  submitReferral: {
    target: 'Participant',
    targetArgument: 'input.person.niss',
    createsTarget: true,
    visibility: 'relation',
    deniedAsConflict: 'conflict.followedByAnotherPhysician', // « followed by another advising physician »
    grants: [
      // One referral waits at the single intake per person (R4, R5): while it does, the physician corrects it (amendReferral).
      {
        role: 'MEDECIN_CONSEIL',
        relation: 'physicianOfRecord',
        staff: 'ADVISING_PHYSICIAN',
        requires: ['noOpenReferral'],
      },
      // Another physician of the same health insurer takes over only when nothing is under way.
      {
        role: 'MEDECIN_CONSEIL',
        relation: 'healthInsurer',
        staff: 'ADVISING_PHYSICIAN',
        requires: ['noOpenReferral', 'noOpenPathway'],
      },
    ],
    why: 'R3, R4: the advising physician sends the signed form to INAMI; a known person keeps their physician of record and their consent',
  },
  amendReferral: {
    target: 'Referral',
    targetArgument: 'referralId',
    grants: [
      {
        role: 'MEDECIN_CONSEIL',
        relation: 'physicianOfRecord',
        staff: 'ADVISING_PHYSICIAN',
        requires: ['latestVersion', 'notRegistered'],
      },
    ],
    why: 'R3: the physician of record corrects a form before INAMI registers it',
  },
  registerPathway: {
    target: 'Referral',
    targetArgument: 'input.referralId',
    grants: [
      { role: 'INAMI', relation: 'registry', requires: ['notRegistered', 'noOpenPathway', 'conventionHasRoom'] },
    ],
    why: "R5: INAMI registers one pathway per referral, never a second open one; R17: only while the partner's convention has room (FULL_CONVENTION_RULE)",
  },
  assignJobCoach: {
    target: 'Pathway',
    targetArgument: 'input.pathwayId',
    grants: [{ role: 'SUPERVISOR', relation: 'partnerSupervisor', requires: ['pathwayOpen', 'ipsArm'] }],
    why: "R11: a supervisor of the pathway's IPS partner names one of its coaches",
  },
  assignReferenceCounsellor: {
    target: 'Pathway',
    targetArgument: 'input.pathwayId',
    grants: [{ role: 'SRE', relation: 'regionSre', requires: ['pathwayOpen', 'controlArm'] }],
    why: "R9: the SRE of the person's region names the reference counsellor who follows a control-group person",
  },
  // R6, CONSORT 8b/9: a design — the first one too — is only proposed by one researcher; it applies to allocations once a second one approves it.
  configureTrial: {
    target: 'Trial',
    grants: [{ role: 'RESEARCHER', relation: 'anyone', staff: 'RESEARCHER' }],
    why: 'R6: a member of the research team proposes a version of the design; it is not live until a second researcher approves it',
  },
  approveTrialDesign: {
    target: 'TrialDesignProposal',
    targetArgument: 'proposalId',
    grants: [
      { role: 'RESEARCHER', relation: 'anyone', staff: 'RESEARCHER', requires: ['designProposed', 'notAuthor'] },
    ],
    why: 'R6, CONSORT 8b/9: four eyes on the randomisation design — a researcher other than its author approves it, once; the next allocations follow it',
  },
  // R17: INAMI amends a convention; a change of money (CONVENTION_MONEY_TERMS) waits for a second agent, as the trial design does.
  amendConvention: {
    target: 'Convention',
    targetArgument: 'input.conventionId',
    grants: [{ role: 'INAMI', relation: 'anyone', staff: 'INAMI_AGENT' }],
    why: 'R17: INAMI maintains its conventions with the partners: period, capacity, staffing and funding lines, each change with its reason',
  },
  approveConventionAmendment: {
    target: 'ConventionAmendment',
    targetArgument: 'amendmentId',
    grants: [
      {
        role: 'INAMI',
        relation: 'anyone',
        staff: 'INAMI_AGENT',
        requires: ['amendmentProposed', 'amendmentCurrent', 'notAmendmentAuthor'],
      },
    ],
    why: 'R17: four eyes on the money INAMI pays — an INAMI agent other than its proposer approves an amendment of amounts or funded staffing, once, on the version in force',
  },
  // R17: claims under the conventions. The partner claims a month; INAMI decides each line; an approved claim never changes.
  submitClaim: {
    target: 'Convention',
    targetArgument: 'input.conventionId',
    grants: [{ role: 'SUPERVISOR', relation: 'ownOrganisation', requires: ['noClaimForPeriod'] }],
    why: "R17: the partner's supervisor claims a month under its own convention, computed from the convention's funding lines and the platform's staffing and pathways; one claim per partner and month",
  },
  decideClaimLine: {
    target: 'ClaimLine',
    targetArgument: 'input.lineId',
    grants: [{ role: 'INAMI', relation: 'anyone', staff: 'INAMI_AGENT', requires: ['lineUndecided'] }],
    why: 'R17: an INAMI agent approves or rejects each line of a claim, once, a rejection with its reason; the last decision approves (or rejects) the claim',
  },
  // A credit note is the issuer's correction of its own invoice: the partner that claimed issues it, on a claim INAMI approved.
  issueCreditNote: {
    target: 'Claim',
    targetArgument: 'input.claimId',
    grants: [{ role: 'SUPERVISOR', relation: 'ownOrganisation', requires: ['claimApproved'] }],
    why: "R17: an approved claim never changes; the partner's supervisor corrects it by a credit note of negative lines on its approved lines",
  },
  recordClaimPayment: {
    target: 'Claim',
    targetArgument: 'input.claimId',
    grants: [{ role: 'INAMI', relation: 'anyone', staff: 'INAMI_AGENT', requires: ['claimApproved'] }],
    why: 'R17: an INAMI agent records a payment of an approved claim: its date, bank reference and amount, never above what is due',
  },
  // CONSORT 2010 item 13a (enrolment): the physician logs each person assessed and not referred, with no identity at all.
  recordScreening: {
    target: 'ScreeningEntry',
    createsTarget: true,
    grants: [{ role: 'MEDECIN_CONSEIL', relation: 'anyone', staff: 'ADVISING_PHYSICIAN' }],
    why: 'CONSORT enrolment: an advising physician logs a person assessed and not referred — declined or an R1 condition not met, never an R2 ground — with no identity',
  },
  recordFidelityReview: {
    target: 'Convention',
    targetArgument: 'input.team',
    grants: [
      { role: 'RESEARCHER', relation: 'anyone', staff: 'RESEARCHER', requires: ['noReviewOnDate'] },
      { role: 'INAMI', relation: 'anyone', staff: 'INAMI_AGENT', requires: ['noReviewOnDate'] },
    ],
    freeText: {
      category: 'input.actionPlanCategory',
      addressees: ['SUPERVISOR'],
      why: 'IPS-25: the action plan is agreed with the team and read by its supervisor',
    },
    why: "IPS-25 fidelity: two reviewers from outside the team — the evaluation's researchers or INAMI, which funds the pilot — record their consensus scores; never the team itself",
  },
  fileDataRequest: {
    target: 'DataRequest',
    createsTarget: true,
    grants: [{ role: 'RESEARCHER', relation: 'anyone', staff: 'RESEARCHER' }],
    freeText: {
      category: 'input.purposeCategory',
      addressees: ['INAMI'],
      why: 'R19: INAMI reads the purpose to decide the request',
    },
    why: 'R19: a member of the research team asks for a pseudonymised extract: project, purpose, variables of the codebook',
  },
  decideDataRequest: {
    target: 'DataRequest',
    targetArgument: 'input.requestId',
    grants: [{ role: 'INAMI', relation: 'anyone', staff: 'INAMI_AGENT', requires: ['requestPending'] }],
    why: 'R19: INAMI approves or refuses a data request, once, with a reason',
  },
  randomise: {
    target: 'Participant',
    targetArgument: 'participantId',
    grants: [{ role: 'INAMI', relation: 'registry', requires: ['pathwayOpen', 'notRandomised', 'researchConsent'] }],
    why: "R6: INAMI assigns the arm with the researchers' design",
  },
  routeToEmploymentService: {
    target: 'Pathway',
    targetArgument: 'pathwayId',
    grants: [{ role: 'INAMI', relation: 'registry', requires: ['pathwayOpen', 'randomised', 'notForwarded'] }],
    why: 'R7: INAMI forwards, never the physician (R4)',
  },
  acknowledgeInboxItem: {
    target: 'SreInboxItem',
    targetArgument: 'id',
    grants: [{ role: 'SRE', relation: 'regionSre', requires: ['itemUnacknowledged'] }],
    why: "R7: the SRE of the person's region reads its mailbox",
  },
  recordJobSeekerRegistration: {
    target: 'Pathway',
    targetArgument: 'input.pathwayId',
    grants: [{ role: 'SRE', relation: 'regionSre', requires: ['pathwayOpen', 'notRegisteredAsJobSeeker'] }],
    why: 'R3: the SRE registers the person as a free job seeker',
  },
  correctJobSeekerRegistration: {
    target: 'JobSeekerRegistration',
    targetArgument: 'input.registrationId',
    grants: [{ role: 'SRE', relation: 'regionSre' }],
    why: "R3: the SRE of the person's region corrects a registration's code or date; the correction is kept (who, when, old and new)",
  },
  organiseWelcomeSession: {
    target: 'Pathway',
    targetArgument: 'input.pathwayIds',
    grants: [{ role: 'SRE', relation: 'regionSre', requires: ['pathwayOpen', 'ipsArm', 'notInvited'] }],
    why: 'R8: the SRE invites IPS-arm people of its region to a welcome session',
  },
  recordWelcomeAttendance: {
    target: 'WelcomeSession',
    targetArgument: 'sessionId',
    grants: [{ role: 'SUPERVISOR', relation: 'ownOrganisation', requires: ['attendanceOpen'] }],
    why: "R11: the session's IPS partner plans follow-up for everyone, present or absent",
  },
  markWelcomeAttendance: {
    target: 'WelcomeInvitation',
    targetArgument: 'input.invitationId',
    grants: [{ role: 'SUPERVISOR', relation: 'partnerSupervisor', requires: ['pathwayOpen'] }],
    why: "R11: the pathway's IPS partner marks each invitee present or absent from the session's list; everyone keeps their individual follow-up",
  },
  recordMeetingHeld: {
    target: 'IndividualMeeting',
    targetArgument: 'meetingId',
    grants: [
      {
        role: 'JOB_COACH',
        relation: 'referentCoach',
        staff: 'JOB_COACH',
        requires: ['pathwayOpen', 'ipsArm', 'meetingNotHeld'],
      },
      {
        role: 'SRE',
        relation: 'referentCounsellor',
        staff: 'SRE_COUNSELLOR',
        requires: ['pathwayOpen', 'controlArm', 'meetingNotHeld'],
      },
    ],
    why: 'R9, R11: the referent — the job coach in IPS, the reference counsellor in the control group — records once that a meeting took place',
  },
  planFollowUpMeeting: {
    target: 'Pathway',
    targetArgument: 'input.pathwayId',
    grants: [
      { role: 'JOB_COACH', relation: 'referentCoach', staff: 'JOB_COACH', requires: ['pathwayOpen', 'ipsArm'] },
      { role: 'SRE', relation: 'referentCounsellor', staff: 'SRE_COUNSELLOR', requires: ['pathwayOpen', 'controlArm'] },
    ],
    why: 'R9, R11, R14: the referent plans the regular follow-up meetings until the pathway ends',
  },
  recordPathwayAct: {
    target: 'Pathway',
    targetArgument: 'input.pathwayId',
    variantArgument: 'input.kind',
    grants: [
      { role: 'SRE', relation: 'regionSre', variants: ['RESOURCE_PERSON_NAMED'], requires: ['pathwayOpen', 'ipsArm'] }, // R8
      {
        role: 'SRE',
        relation: 'regionSre',
        variants: ['REFERENCE_INTERVIEW_HELD'],
        requires: ['pathwayOpen', 'controlArm'],
      }, // R9
      { role: 'SRE', relation: 'regionSre', variants: ['RP1_FILED'], requires: ['pathwayOpen'] }, // R10, both arms
      {
        role: 'JOB_COACH',
        relation: 'referentCoach',
        staff: 'JOB_COACH',
        variants: ['RP1IPS_SENT'],
        requires: ['pathwayOpen', 'ipsArm'],
      }, // R13
      {
        role: 'JOB_COACH',
        relation: 'referentCoach',
        staff: 'JOB_COACH',
        variants: ['MESSAGE_TO_PHYSICIAN'],
        requires: ['pathwayOpen'],
      }, // R14
      {
        role: 'MEDECIN_CONSEIL',
        relation: 'physicianOfRecord',
        staff: 'ADVISING_PHYSICIAN',
        variants: ['MESSAGE_TO_JOB_COACH'],
        requires: ['pathwayOpen'],
      }, // R14
    ],
    freeText: {
      category: 'input.detailCategory',
      addressees: {
        RESOURCE_PERSON_NAMED: ['SRE', 'JOB_COACH'], // R8: the resource person supports the coach
        REFERENCE_INTERVIEW_HELD: ['SRE'], // R9: the control group's referent is the SRE's counsellor
        RP1_FILED: ['INAMI', 'MEDECIN_CONSEIL'], // R10: INAMI's inbox of acts, copied to the physician
        RP1IPS_SENT: ['INAMI', 'MEDECIN_CONSEIL'], // R13: INAMI's inbox of acts, copied to the physician
        MESSAGE_TO_PHYSICIAN: ['MEDECIN_CONSEIL'], // R14
        MESSAGE_TO_JOB_COACH: ['JOB_COACH'], // R14: never health data, which no coach may read
      },
      why: "R14, R18: each act's detail goes to the inbox or file of the actor it is for",
    },
    why: 'R8–R10, R13, R14: each act by one actor, for the arm it belongs to',
  },
  sendRpForm: {
    target: 'Pathway',
    targetArgument: 'input.pathwayId',
    variantArgument: 'input.form',
    grants: [
      { role: 'SRE', relation: 'regionSre', variants: ['RP1'], requires: ['pathwayOpen', 'latestVersion'] }, // R10, both arms
      {
        role: 'JOB_COACH',
        relation: 'referentCoach',
        staff: 'JOB_COACH',
        variants: ['RP1IPS'],
        requires: ['pathwayOpen', 'ipsArm', 'latestVersion'],
      }, // R13
    ],
    freeText: {
      category: 'input.planCategory',
      // The form goes to INAMI and its copy to the physician of record; its writer's organisation keeps and corrects it,
      // so its plan is written in a category the writer's role reads too (never health: no SRE or coach reads it).
      addressees: { RP1: ['INAMI', 'MEDECIN_CONSEIL', 'SRE'], RP1IPS: ['INAMI', 'MEDECIN_CONSEIL', 'JOB_COACH'] },
      why: 'R10, R13, R14: INAMI reads the form, the physician its copy, and its writer corrects it by a new version',
    },
    why: "R10, R13: the SRE of the person's region files the RP1 (both arms), the referent coach sends the RP1IPS (IPS arm), each a versioned form copied to the physician; a correction supersedes the latest version only",
  },
  // The IPS principles as recorded practice (DOMAIN.md): the person's coach (or the partner's supervisor) records the work.
  recordEmployerContact: {
    target: 'Pathway',
    targetArgument: 'input.pathwayId',
    grants: [
      { role: 'JOB_COACH', relation: 'referentCoach', staff: 'JOB_COACH', requires: ['pathwayOpen', 'ipsArm'] },
      { role: 'SUPERVISOR', relation: 'partnerSupervisor', requires: ['pathwayOpen', 'ipsArm'] },
    ],
    why: "IPS principles 5 and 8: the person's coach — or the partner's supervisor — records each contact with an employer on the person's behalf (the first one after the first meeting measures rapid job search)",
  },
  recordJobDevelopmentContact: {
    target: 'Convention',
    targetArgument: 'input.team',
    grants: [
      { role: 'JOB_COACH', relation: 'ownOrganisation', staff: 'JOB_COACH' },
      { role: 'SUPERVISOR', relation: 'ownOrganisation' },
    ],
    why: "IPS principle 8: systematic job development — a team's coach or supervisor records a contact with an employer not tied to one person, for their own team",
  },
  recordBenefitsCounselling: {
    target: 'Pathway',
    targetArgument: 'input.pathwayId',
    grants: [
      { role: 'JOB_COACH', relation: 'referentCoach', staff: 'JOB_COACH', requires: ['pathwayOpen', 'ipsArm'] },
      { role: 'SUPERVISOR', relation: 'partnerSupervisor', requires: ['pathwayOpen', 'ipsArm'] },
    ],
    why: "IPS principle 7: personalised benefits counselling (work-incentives planning) by the person's coach or the partner's supervisor, while the pathway runs",
  },
  // Time-unlimited (principle 6): no pathwayOpen — the partner keeps supporting after the pathway's formal end (R16 ends
  // the pathway, not the support), while its coach holds the relation and the person's consent lets the partner read them (R18).
  recordFollowAlongSupport: {
    target: 'Pathway',
    targetArgument: 'input.pathwayId',
    grants: [
      { role: 'JOB_COACH', relation: 'referentCoach', staff: 'JOB_COACH', requires: ['ipsArm'] },
      { role: 'SUPERVISOR', relation: 'partnerSupervisor', requires: ['ipsArm'] },
    ],
    why: "IPS principle 6: follow-along support once a job has started, time-unlimited — also after the pathway's formal end — by the person's coach or the partner's supervisor",
  },
  // Employment outcomes of the trial (intention to treat: every randomised person, 30 months from randomisation, whatever
  // the pathway). While a pathway is open its referent records each job (R11: responsible for the pathway's administration
  // until it ends; R15: the authorisation request opens with it), even past month 30: R15 binds the pathway, not the trial,
  // and the measures stop at month 30. Once no pathway is open, INAMI's registry records them (R5: it registers every
  // pathway and holds the person's record; in production from social security's declarations), only within follow-up
  // (`afterPathway`, `inFollowUp`); the R15 request to the physician of record still opens, the person still being on incapacity benefit.
  recordEmploymentContract: {
    target: 'Pathway',
    targetArgument: 'input.pathwayId',
    grants: [
      { role: 'JOB_COACH', relation: 'referentCoach', staff: 'JOB_COACH', requires: ['pathwayOpen', 'ipsArm'] },
      { role: 'SRE', relation: 'referentCounsellor', staff: 'SRE_COUNSELLOR', requires: ['pathwayOpen', 'controlArm'] },
      { role: 'INAMI', relation: 'registry', staff: 'INAMI_AGENT', requires: ['afterPathway', 'inFollowUp'] },
    ],
    why: 'R15 (both arms): the referent — the coach in IPS, the reference counsellor in the control group — records the job while the pathway is open, INAMI after it within the 30 months of follow-up; the authorisation request opens by itself',
  },
  endEmploymentEpisode: {
    target: 'EmploymentContract',
    targetArgument: 'input.contractId',
    grants: [
      // The same actors as recordEmploymentContract: the referent while the episode's pathway is open, INAMI once none is, within follow-up.
      {
        role: 'JOB_COACH',
        relation: 'referentCoach',
        staff: 'JOB_COACH',
        requires: ['pathwayOpen', 'ipsArm', 'episodeOpen'],
      },
      {
        role: 'SRE',
        relation: 'referentCounsellor',
        staff: 'SRE_COUNSELLOR',
        requires: ['pathwayOpen', 'controlArm', 'episodeOpen'],
      },
      {
        role: 'INAMI',
        relation: 'registry',
        staff: 'INAMI_AGENT',
        requires: ['afterPathway', 'episodeOpen', 'inFollowUp'],
      },
    ],
    why: 'Outcomes in both arms: whoever records jobs records how each ended, once',
  },
  recordBenefitStatement: {
    target: 'Participant',
    targetArgument: 'input.participantId',
    // Whatever the pathway: the insurer pays the benefit whether or not a pathway is open; months before randomisation are the baseline.
    grants: [{ role: 'OA', relation: 'healthInsurer', requires: ['noStatementForMonth', 'inFollowUp'] }],
    why: "Outcomes in both arms: the person's own health insurer, which pays the benefit, states each month it paid (one statement per month), up to month 30 of follow-up",
  },
  // Outcomes from the registers, in bulk (POST /uploads/…, a CSV file; schema/uploads.ts): every row of a file is decided at
  // once, in SQL, from these grants (the relation, the consent as for the one-row mutation, the preconditions); a row about
  // anyone else is refused exactly like an unknown NISS, and nothing of it is stored.
  uploadBenefitStatements: {
    target: 'Participant',
    targetArgument: 'niss',
    grants: [{ role: 'OA', relation: 'healthInsurer', requires: ['inFollowUp'] }],
    why: "Outcomes of the trial from the health insurer's register: its monthly file of benefits paid to its own members in the trial's follow-up (randomised, up to month 30; one statement per person and month)",
  },
  uploadEmploymentDeclarations: {
    target: 'Participant',
    targetArgument: 'niss',
    grants: [{ role: 'INAMI', relation: 'registry', requires: ['inFollowUp'] }],
    why: "Outcomes of the trial from social security: INAMI passes on the monthly file of employment declared for the people in the trial's follow-up (randomised, up to month 30), in both arms",
  },
  decideWorkAuthorisation: {
    target: 'WorkAuthorisation',
    targetArgument: 'id',
    grants: [
      {
        role: 'MEDECIN_CONSEIL',
        relation: 'physicianOfRecord',
        staff: 'ADVISING_PHYSICIAN',
        requires: ['authorisationPending'],
      },
    ],
    // The reason goes to whoever asked — the referent coach (IPS) or reference counsellor (control group) — and to the person.
    freeText: {
      category: 'reasonCategory',
      addressees: ['JOB_COACH', 'SRE', 'PARTICIPANT'],
      why: 'R15: the referent who asked and the person read why the physician decided so',
    },
    why: 'R15: art. 100 §2, decided once by the physician of record, a refusal with its reason',
  },
  endPathway: {
    target: 'Pathway',
    targetArgument: 'input.pathwayId',
    grants: [
      { role: 'JOB_COACH', relation: 'referentCoach', staff: 'JOB_COACH', requires: ['pathwayOpen', 'ipsArm'] },
      { role: 'SRE', relation: 'referentCounsellor', staff: 'SRE_COUNSELLOR', requires: ['pathwayOpen', 'controlArm'] },
    ],
    freeText: {
      category: 'input.noteCategory',
      addressees: ['MEDECIN_CONSEIL'],
      why: 'R16: the note goes with the notice to the physician of record',
    },
    why: 'R16 (both arms): the referent ends it and informs the physician at once',
  },
  markPhysicianMessageRead: {
    target: 'PhysicianMessage',
    targetArgument: 'id',
    grants: [
      {
        role: 'MEDECIN_CONSEIL',
        relation: 'physicianOfRecord',
        staff: 'ADVISING_PHYSICIAN',
        requires: ['messageUnread'],
      },
    ],
    why: "R14: the physician's follow-up file",
  },
  endIncapacityRecognition: {
    target: 'Participant',
    targetArgument: 'participantId',
    // The recognition is the health insurer's own decision on its insured, not data shared under the
    // consent: the physician of record keeps it after a withdrawal (ON_CONSENT_WITHDRAWN.stillAllowed).
    visibility: 'relation',
    grants: [
      {
        role: 'MEDECIN_CONSEIL',
        relation: 'physicianOfRecord',
        staff: 'ADVISING_PHYSICIAN',
        requires: ['noOpenPathway', 'recognitionRunning'],
      },
    ],
    why: 'R16: never while a pathway is open; still possible once a withdrawal ended it',
  },
  ...Object.fromEntries(
    [
      'giveInformationSharingConsent',
      'narrowInformationSharingConsent',
      'withdrawInformationSharingConsent',
      'giveResearchConsent',
      'withdrawResearchConsent',
    ].map((name) => [
      name,
      {
        target: 'Participant',
        targetArgument: 'participantId',
        visibility: 'relation',
        grants: [
          { role: 'PARTICIPANT', relation: 'self' },
          { role: 'MEDECIN_CONSEIL', relation: 'physicianOfRecord', staff: 'ADVISING_PHYSICIAN' },
        ],
        why: 'R1e, R1f, R18: the person, or their physician of record with the signed form; a withdrawal holds from the next request',
      } satisfies ActionRule,
    ]),
  ),
  // R12, R19: the questionnaire, in both arms. The referent's side (the IPS partner's coach and supervisors, the SRE's reference
  // counsellor in the control arm, where no IPS partner follows the person: R9) opens a wave at its computer but never reads or
  // writes an answer (research data, outside their ROLE_SCOPE); only the person answers and completes. All of it while the
  // research consent (R1f) holds, within the wave's window.
  openQuestionnaireWave: {
    target: 'Participant',
    targetArgument: 'input.participantId',
    grants: [
      {
        role: 'PARTICIPANT',
        relation: 'self',
        requires: ['randomised', 'researchConsent', 'waveNotCompleted', 'waveWindowOpen'],
      },
      {
        role: 'JOB_COACH',
        relation: 'referentCoach',
        staff: 'JOB_COACH',
        requires: ['ipsArm', 'researchConsent', 'waveNotCompleted', 'waveWindowOpen'],
      },
      {
        role: 'SUPERVISOR',
        relation: 'partnerSupervisor',
        requires: ['ipsArm', 'researchConsent', 'waveNotCompleted', 'waveWindowOpen'],
      },
      {
        role: 'SRE',
        relation: 'referentCounsellor',
        staff: 'SRE_COUNSELLOR',
        requires: ['controlArm', 'researchConsent', 'waveNotCompleted', 'waveWindowOpen'],
      },
    ],
    why: "R12: the person opens a wave at home, or the partner opens it at its computer (the control arm's reference counsellor, R9), without seeing the answers",
  },
  saveQuestionnaireAnswers: {
    target: 'Participant',
    targetArgument: 'input.participantId',
    grants: [{ role: 'PARTICIPANT', relation: 'self', requires: ['researchConsent', 'waveOpen'] }],
    why: 'R12, R19: only the person answers, as they go; each answer checked against the instrument',
  },
  completeQuestionnaireWave: {
    target: 'Participant',
    targetArgument: 'input.participantId',
    grants: [{ role: 'PARTICIPANT', relation: 'self', requires: ['researchConsent', 'waveOpen'] }],
    why: "R12: the person completes a wave once, every required item answered; the coach's reminder closes",
  },
  enrolStaffMember: {
    target: 'Organisation',
    variantArgument: 'input.function',
    grants: staffGrants,
    why: 'the staff directory: each organisation maintains its own people',
  },
  endStaffMembership: {
    target: 'Organisation',
    variantArgument: 'function',
    grants: staffGrants,
    why: 'the staff directory: each organisation maintains its own people',
  },
};

/** The roles that may call each mutation: those its ACTIONS grants name. */
/** The actions taken as files (POST /uploads/<path>), not as GraphQL mutations. */
export const UPLOAD_ACTIONS: ReadonlyMap<string, string> = new Map(
  Object.values(UPLOAD_KINDS).map((kind) => [kind.action, `POST /uploads/${kind.path}`]),
);

function mutationRoles(): Record<string, readonly Role[]> {
  return Object.fromEntries(
    Object.entries(ACTIONS)
      .filter(([name]) => !UPLOAD_ACTIONS.has(name))
      .map(([name, action]) => [name, [...new Set(action.grants.map((grant) => grant.role))]]),
  );
}

const STAFF_READERS = [
  'MEDECIN_CONSEIL',
  'OA',
  'INAMI',
  'SRE',
  'JOB_COACH',
  'SUPERVISOR',
  'RESEARCHER',
] as const satisfies readonly Role[];
const CARE_ROLES = [
  'MEDECIN_CONSEIL',
  'OA',
  'INAMI',
  'SRE',
  'JOB_COACH',
  'SUPERVISOR',
] as const satisfies readonly Role[];

/** Which roles may call each root field (mutations: the roles the ACTIONS table names). */
export const OPERATIONS: Readonly<Record<'Query' | 'Mutation', Readonly<Record<string, readonly Role[]>>>> = {
  Query: {
    me: ['PARTICIPANT'],
    participant: CARE_ROLES,
    participants: ['INAMI'], // the central registry sees every referred person (R5)
    referral: ['MEDECIN_CONSEIL', 'INAMI'],
    pathway: CARE_ROLES,
    conventions: ROLES,
    convention: ROLES,
    vocabulary: ROLES, // the labels of the enums in the caller's language (schema/i18n): no data in it
    allocationBalance: ['INAMI', 'RESEARCHER'], // exact counts: not for integrators, whose every count goes through DISCLOSURE_CONTROL
    trialDesigns: ['INAMI', 'RESEARCHER'],
    trialOutcomes: ['RESEARCHER', 'INAMI'], // aggregates per arm, small cells suppressed (R19)
    pilotAggregates: ['INTEGRATOR', 'INAMI', 'RESEARCHER'], // published tables, disclosure-controlled (DISCLOSURE_CONTROL): every person counted, none identified
    coachCaseloads: ['INTEGRATOR', 'INAMI', 'SUPERVISOR'], // staff counts: open pathways per coach, no coach named, no person
    teamFidelity: ['INTEGRATOR', 'INAMI', 'RESEARCHER', 'SUPERVISOR'], // a team's latest IPS-25 band: no person in it
    trialDesignProposals: ['RESEARCHER', 'INAMI'], // designs proposed, approved or waiting (R6, CONSORT 8b/9)
    consortFlow: ['RESEARCHER', 'INAMI', 'INTEGRATOR'], // the CONSORT 2010 flow: counts only (COUNT_READERS)
    consortDiagram: ['RESEARCHER', 'INAMI', 'INTEGRATOR'], // the same counts as an SVG flow diagram
    screeningCounts: ['MEDECIN_CONSEIL'], // the physician's own anonymous screening entries, counted
    intakeQueue: ['INAMI'], // R4, R5: the single intake
    sreInbox: ['SRE'], // R7
    physicianInbox: ['MEDECIN_CONSEIL'], // R14
    caseload: REFERENT_ROLES, // the referent's open pathways: the coach's (R11), the reference counsellor's (R9)
    teamCaseloads: ['SUPERVISOR'],
    practiceIndicators: ['SUPERVISOR'], // the IPS principles measured per quarter for the supervisor's own team: counts, medians and shares, no person
    randomisationIntegrity: ['INAMI', 'RESEARCHER'],
    staffDirectory: STAFF_READERS, // each organisation's own people
    accessLogIntegrity: ['INAMI'], // the access log's hash chain, recomputed
    // Worklists (connections) and lookups: each row is one the caller could read by id (their CIRCLE relation and consent).
    registry: ['INAMI'], // R5: every referred person, newest first
    members: ['OA'], // the health insurer's members in the pilot
    patients: ['MEDECIN_CONSEIL'], // the people whose physician of record they are (R14)
    pendingAuthorisations: ['MEDECIN_CONSEIL'], // art. 100 §2 requests waiting for their decision (R15)
    coachInbox: ['JOB_COACH'], // what the physician writes to the referent (R14)
    actInbox: ['INAMI'], // RP1IPS (R13) and RP1 (R10) forms, across the registry
    unassignedPathways: ['SUPERVISOR'], // IPS-arm pathways of the partner waiting for a coach (R11)
    welcomeSessions: ['SRE', 'SUPERVISOR'], // sessions the SRE organised / of the supervisor's partner (R8)
    participantByNiss: CARE_ROLES, // only within the caller's circle; anyone else is answered as for no one
    pathwayByRegistryNumber: CARE_ROLES,
    registryCounts: ['INAMI'], // exact counts: not for integrators, whose every count goes through DISCLOSURE_CONTROL
    fidelityScale: ['SUPERVISOR', 'INAMI', 'RESEARCHER'], // the 25 items of the IPS-25 scale, by section
    codebook: ['RESEARCHER', 'INAMI'], // R19: the variables a data request may name, with their types, labels and derivations
    dataRequests: ['RESEARCHER', 'INAMI'], // R19: a researcher's own requests (FILER_RECORDS); INAMI's all
    datasetDownloads: ['INAMI'], // R19: every download of an extract: who, request, format, rows, SHA-256
    questionnaireInstrument: ROLES, // the study's questionnaire (R12) in the caller's language: wording and codes, no answer
    fidelityReviews: ['SUPERVISOR', 'INAMI', 'RESEARCHER'], // a supervisor's own team only (ORGANISATION_RECORDS), in date order: the trend // aggregates: every pathway counted, withdrawn people too, none identified
  },
  Mutation: mutationRoles(),
};

/**
 * One disclosure system per reader: every count of people a role can obtain — every aggregate, flow,
 * outcome, balance and list total (COUNT_ANSWERS) — reaches it either exactly or suppressed under
 * DISCLOSURE_CONTROL as part of the one suppressed system (SUPPRESSED_SYSTEM), never some of each: an
 * exact count is an equation that undoes a suppression (a region's exact CONSORT flow is a margin of
 * the suppressed REFERRALS table). A role that can obtain an exact count of people therefore gets
 * every table exact. Services read a caller's system here, deny by default (anything but `exact` is
 * suppressed); `countSystemProblems` (kit/policy.ts) refuses at start-up a count-bearing query opened
 * to a suppressed reader outside that system, and a query that says nothing.
 */
export type CountSystem = 'exact' | 'suppressed';
export const COUNT_READERS: Readonly<Record<Role, { system: CountSystem; why: string }>> = {
  INAMI: {
    system: 'exact',
    why: 'runs the registry of every referred person (R5) and randomises with the researchers (R6): reads each person, the exact registry counts and the allocation balance; every published table exact',
  },
  RESEARCHER: {
    system: 'exact',
    why: 'R19, under the research agreement: pseudonymised person-month extracts of every variable the tables count, and the CONSORT flow as the trial reports it (CONSORT 2010 13a: exact numbers per arm); every published table and outcome exact, since a suppressed one would be solved from them',
  },
  INTEGRATOR: {
    system: 'suppressed',
    why: 'regional dashboards: every count of people through DISCLOSURE_CONTROL, each a part of the one suppressed system (SUPPRESSED_SYSTEM)',
  },
  MEDECIN_CONSEIL: {
    system: 'exact',
    why: 'counts only of what they read one by one: their own screening entries, the totals of their worklists',
  },
  OA: { system: 'exact', why: 'counts only of what they read one by one: the total of their members list' },
  SRE: {
    system: 'exact',
    why: 'counts only of what they read one by one: the totals of their worklists, their caseload',
  },
  JOB_COACH: {
    system: 'exact',
    why: 'counts only of what they read one by one: the totals of their worklists, their caseload',
  },
  SUPERVISOR: {
    system: 'exact',
    why: "their team's caseloads and worklists, and every partner's coach caseloads as INAMI reads them: staff workload, no published table",
  },
  PARTICIPANT: { system: 'exact', why: 'no count of people: their own data only' },
};

/** Whether a role receives counts of people exactly (COUNT_READERS); anyone else gets them suppressed. */
export function readsExactCounts(role: Role): boolean {
  // A role that is no Role at run time (an unchecked caller) reads suppressed counts, never an exception.
  return Object.hasOwn(COUNT_READERS, role) && COUNT_READERS[role].system === 'exact';
}

/**
 * Free text and text derived from it: the record carries the category of its content (declared by
 * whoever wrote it, or its source's), held in the named property. The field's static category
 * above shapes the role schemas; each value is shown, and logged, under the record's own one.
 */
export const CONTENT_CATEGORY_OF: Readonly<Record<string, string>> = {
  'TimelineEvent.detail': 'detailCategory',
  'ActInboxItem.detail': 'detailCategory',
  'TimelineEvent.summary': 'detailCategory',
  'PhysicianMessage.body': 'bodyCategory',
  'WorkAuthorisation.decisionReason': 'decisionReasonCategory',
  'RpForm.objectives': 'planCategory',
  'RpForm.plannedSteps': 'planCategory',
};

/** Categories a writer may declare for free text (R18): never research or billing in a message. */
export const FREE_TEXT_CATEGORIES = [
  'administrative',
  'health',
  'employment',
  'benefits',
] as const satisfies readonly DataCategory[];

/** Fields only these roles may see, on top of category, circle and consent. */
export const FIELD_ROLE_LIMITS: Readonly<Record<string, readonly Role[]>> = {
  'Participant.accessLog': ['PARTICIPANT'], // who read my data: for the person alone (GDPR art. 15)
  // What the health insurer paid each month: the OA that pays it, its physician of record (who authorises work, R15), INAMI (which
  // funds the benefits), the referent job coach (IPS principle 7: personalised advice on benefits) and the person; not the
  // supervisors, who advise no one in person.
  'Participant.benefitStatements': ['OA', 'MEDECIN_CONSEIL', 'INAMI', 'JOB_COACH', 'PARTICIPANT'],
};

/**
 * Facts of the access ledger (one row per participant), each written by one subgraph
 * in the same transaction as the change that causes it, read by every subgraph.
 */
export const LEDGER_FACTS = {
  selfSubject: { owner: 'participants', meaning: 'the subject the person logs in with (their NISS)' },
  region: { owner: 'participants', meaning: 'region of residence' },
  employmentService: { owner: 'participants', meaning: 'SRE of the region: VDAB, FOREM or ACTIRIS' },
  healthInsurer: { owner: 'participants', meaning: 'INAMI code of the health insurer' },
  physicianSubject: { owner: 'participants', meaning: 'advising physician of record (who referred)' },
  consentGrants: { owner: 'participants', meaning: 'information-sharing grants in force, as RECIPIENT/category' },
  researchConsent: { owner: 'participants', meaning: 'research consent (R1f) in force' },
  trialArm: { owner: 'research', meaning: 'IPS or CONTROL, once randomised (R6)' },
  randomisedOn: {
    owner: 'research',
    meaning:
      "the day of randomisation (R6, Belgian time): its month is month 0 of the person's follow-up (FOLLOW_UP_MONTHS)",
  },
  ipsPartner: { owner: 'pathways', meaning: 'code of the IPS partner whose convention covers the pathway' },
  jobCoachSubject: { owner: 'pathways', meaning: 'the job coach who is the referent (R11)' },
  counsellorSubject: {
    owner: 'pathways',
    meaning: "the SRE's reference counsellor who is a control-group person's referent (R9)",
  },
} as const;
export type LedgerFact = keyof typeof LEDGER_FACTS;

/**
 * The trial's follow-up (DOMAIN.md, intention to treat): every randomised person, in the arm drawn, from the month of
 * randomisation (month 0) to month 30, whatever the pathway; it ends earlier at death (a pathway ended DECEASED). A person
 * who withdraws the research consent (R1f) leaves it with all their data (outcome.service.ts says why).
 */
export const FOLLOW_UP_MONTHS = 30;

/**
 * Relations a caller can hold to a participant, each matched against facts of the access
 * ledger — on organisation AND subject where a person (not an organisation) is meant, so
 * that a subject reused in another organisation never matches.
 */
export interface Relation {
  /** Ledger facts that must equal the caller's organisation / subject (all of them). */
  organisation?: LedgerFact;
  subject?: LedgerFact;
  /**
   * The staff function whose active membership of the staff directory the caller must hold for the
   * relation to hold at all, for reads as for writes: a person matched by subject holds it only while
   * employed in that function (a coach or physician who leaves reads and writes nothing of their
   * former people from the next request). Every relation matched on a staff member's subject names one.
   */
  staff?: StaffFunction;
  /** Every participant (INAMI's registry), or none (pseudonymised data only). */
  everyone?: true;
  /** The caller's organisation must be this one (INAMI's registry is INAMI's, not any token's). */
  organisationIs?: string;
  noOne?: true;
  why: string;
}

export const RELATIONS = {
  physicianOfRecord: {
    organisation: 'healthInsurer',
    subject: 'physicianSubject',
    staff: 'ADVISING_PHYSICIAN',
    why: "the advising physician of record, of the person's health insurer (R14)",
  },
  healthInsurer: { organisation: 'healthInsurer', why: "the person's health insurer (and its advising physicians)" },
  registry: { everyone: true, organisationIs: 'INAMI', why: 'the central registry of every referred person (R5)' },
  regionSre: {
    organisation: 'employmentService',
    why: "the SRE of the person's region, its resource person and reference counsellor (R7–R10)",
  },
  referentCoach: {
    organisation: 'ipsPartner',
    subject: 'jobCoachSubject',
    staff: 'JOB_COACH',
    why: "the job coach who is the referent, of the pathway's IPS partner (R11)",
  },
  partnerSupervisor: {
    organisation: 'ipsPartner',
    why: 'the supervisors of the IPS partner whose convention covers the pathway',
  },
  referentCounsellor: {
    organisation: 'employmentService',
    subject: 'counsellorSubject',
    staff: 'SRE_COUNSELLOR',
    why: "the SRE's reference counsellor who is the referent in the control group (R9)",
  },
  self: {
    subject: 'selfSubject',
    organisationIs: 'SELF',
    why: 'the person themself, logged in as such (a NISS under another organisation is not the person)',
  },
  none: { noOne: true, why: 'no personal record: pseudonymised datasets and aggregates only (R19)' },
} as const satisfies Record<string, Relation>;
export type RelationName = keyof typeof RELATIONS;

/** Who is in the circle of a participant (R18, DOMAIN.md "The actors"): the relation each role reads through. */
export const CIRCLE: Record<Role, RelationName> = {
  MEDECIN_CONSEIL: 'physicianOfRecord',
  OA: 'healthInsurer',
  INAMI: 'registry',
  SRE: 'regionSre',
  JOB_COACH: 'referentCoach',
  SUPERVISOR: 'partnerSupervisor',
  RESEARCHER: 'none',
  INTEGRATOR: 'none',
  PARTICIPANT: 'self',
};

/** The parties an information-sharing consent names (R1e). */
export const RECIPIENTS = ['INAMI', 'HEALTH_INSURER', 'SRE', 'IPS_PARTNER'] as const;
export type Recipient = (typeof RECIPIENTS)[number];

/** Which consent recipient each role acts for; SELF needs no consent, null gets none. */
export const RECIPIENT_OF_ROLE: Record<Role, Recipient | 'SELF' | null> = {
  MEDECIN_CONSEIL: 'HEALTH_INSURER', // the advising physician works for the health insurer
  OA: 'HEALTH_INSURER',
  INAMI: 'INAMI',
  SRE: 'SRE',
  JOB_COACH: 'IPS_PARTNER',
  SUPERVISOR: 'IPS_PARTNER',
  RESEARCHER: null, // research consent (R1f) covers pseudonymised datasets only
  INTEGRATOR: null,
  PARTICIPANT: 'SELF',
};

/** What a consent may grant each recipient: no more than its roles may ever see (R18: only what the pathway needs). */
export const CONSENT_SCOPE: Record<Recipient, readonly DataCategory[]> = {
  INAMI: ['identity', 'contact', 'administrative', 'health', 'employment', 'benefits', 'billing'],
  HEALTH_INSURER: ['identity', 'contact', 'administrative', 'health', 'employment', 'benefits', 'billing'],
  SRE: ['identity', 'contact', 'administrative', 'employment'],
  IPS_PARTNER: ['identity', 'contact', 'administrative', 'employment', 'benefits'],
};

/** How one grant is written in the access ledger. */
export function grantKey(recipient: Recipient, category: DataCategory): string {
  return `${recipient}/${category}`;
}

/** The `@tag` name that carries a field's category into the SDL and the supergraph. */
export function categoryTag(category: DataCategory): string {
  return `cat/${category}`;
}

export function categoryOf(typeName: string, fieldName: string): DataCategory | undefined {
  return PERSONAL_DATA_TYPES[typeName]?.[fieldName];
}

export function roleMaySee(role: Role, category: DataCategory): boolean {
  return ROLE_SCOPE[role].includes(category);
}

/**
 * Records written to inform one party (R16): a notice carries no more than its addressee needs,
 * so the addressee reads those fields by their relation alone, whatever the consent in force —
 * a withdrawal (R18) must not hide from the physician that the pathway ended. The record's
 * `flag` property marks it as a notice; everything else of it stays under the consent.
 */
export interface NoticeRule {
  flag: string;
  addressee: { role: Role; relation: RelationName };
  fields: readonly string[];
  why: string;
}
const NOTICE_RECORDS: Readonly<Record<string, NoticeRule>> = {
  PhysicianMessage: {
    flag: 'notice',
    addressee: { role: 'MEDECIN_CONSEIL', relation: 'physicianOfRecord' },
    fields: ['id', 'kind', 'body', 'sentAt', 'readAt'],
    why: 'R16: the physician of record learns that the pathway ended, on which day and why — nothing else',
  },
};
/** Notices, and the edges that list them in a connection (an edge repeats its node's flag: kit/connection.ts). */
export const NOTICES: Readonly<Record<string, NoticeRule>> = {
  ...NOTICE_RECORDS,
  ...Object.fromEntries(
    Object.entries(NOTICE_RECORDS)
      .filter(([type]) => CONNECTIONS[type]?.personal)
      .map(([type, notice]) => [
        `${type}Edge`,
        { ...notice, fields: Object.keys(EDGE_FIELDS), why: `${notice.why} (listed in a connection)` },
      ]),
  ),
};

/**
 * What withdrawing the information-sharing consent (R1e, R18) does to the person's participation,
 * as data: the participants subgraph records the withdrawal and, in the same transaction, an event
 * in the outbox (access.outbox); each subgraph named in `appliedBy` applies it once, in its own
 * transaction (subgraphs/kit/outbox.ts). The withdrawal is never lost and never revived (R18).
 */
export const ON_CONSENT_WITHDRAWN = {
  event: 'INFORMATION_SHARING_CONSENT_WITHDRAWN',
  producedBy: 'participants',
  appliedBy: ['pathways'],
  /** The open pathway ends on the day of the withdrawal (Brussels), by whoever withdrew. */
  pathway: { endsWithReason: 'CONSENT_WITHDRAWN' },
  /** The physician of record is told, as a notice (NOTICES): the pathway, the day, the reason. */
  informs: {
    relation: 'physicianOfRecord',
    messageKind: 'PATHWAY_ENDED',
    says: ['registryNumber', 'endedOn', 'endReason'],
  },
  /** What a role may still do for the person after the withdrawal: acts on the relation alone (ACTIONS visibility 'relation'). */
  stillAllowed: [
    { role: 'MEDECIN_CONSEIL', relation: 'physicianOfRecord', action: 'endIncapacityRecognition' }, // R16: once the pathway has ended
    { role: 'MEDECIN_CONSEIL', relation: 'physicianOfRecord', action: 'markPhysicianMessageRead' }, // the notice, in their own file
  ],
  /** Registry counts still count the person (the allocation stands, R6); no list, lookup or timeline shows them. */
  aggregates: 'counted, not identified',
  /** Giving consent again later opens nothing: the ended pathway stays ended (a new pathway needs a new referral, R5). */
  revivable: false,
  why: 'R16, R18: withdrawal takes effect at once, closes the participation in a defined way, and is never lost',
} as const satisfies {
  event: string;
  producedBy: string;
  appliedBy: readonly string[];
  pathway: { endsWithReason: string };
  informs: { relation: RelationName; messageKind: string; says: readonly string[] };
  stillAllowed: readonly { role: Role; relation: RelationName; action: string }[];
  aggregates: string;
  revivable: false;
  why: string;
};

/**
 * Disclosure control of every published count (R18, R19): applied by `subgraphs/kit/disclosure.ts`
 * to aggregates read by the roles below. A measure is one table over fixed dimensions with all
 * its margins, suppressed once; every query returns a slice of it, so no two queries can be
 * subtracted to reveal a cell.
 */
/**
 * The one suppressed system (COUNT_READERS): the parts a suppressed reader's counts of people may come
 * from. Every published count of a part is a cell or margin of the same suppressed tables, shown or
 * hidden as the cell it equals, or only a bound on them: no count of one part solves a cell another hides.
 */
export const SUPPRESSED_SYSTEM = {
  tables:
    'the pilot tables (pilotAggregates): each measure ONE table over fixed dimensions with every margin, suppressed once; a region is a slice of it',
  consortFlows:
    "the whole trial's and each region's CONSORT flows, suppressed together with the REFERRALS table: a box that equals one of its cells is shown or hidden as that cell is, and the table's sums join the flows' (subgraphs/research/services/consort-flow.ts); under the cell key method every box is published with its own people's noise, so a box of the same people as a table's cell publishes the same number",
  caseloadBounds:
    "staff workload, exact: open pathways per coach, no coach named. A partner's caseloads sum to people in no table's sum, only some of the partner's IPS people in a pathway this quarter (ACTIVITY): a lower bound, never an equation, which the tables' suppression must withstand (test/disclosure-system.e2e.test.ts solves with it)",
} as const;
export type SuppressedPart = keyof typeof SUPPRESSED_SYSTEM;

/**
 * Every root query, by what it answers in counts of people (the start-up check holds it complete):
 * - `none`: no count of people (reference data, a design, a score, the staff directory);
 * - `records`: counts of records the caller reads one by one (a list's total, their own caseload or
 *   screening entries): exact by nature, so for exact readers only;
 * - `people`: counts of people the caller cannot read one by one, and `suppressedAs` the part of the
 *   suppressed system a suppressed reader gets them from — null when they have no suppressed form
 *   (exact readers only).
 */
export type CountAnswer =
  | { counts: 'none' | 'records'; why?: string }
  | { counts: 'people'; suppressedAs: SuppressedPart | null; why?: string };
const LIST_TOTALS = [
  'registry',
  'participants',
  'members',
  'patients',
  'pendingAuthorisations',
  'coachInbox',
  'actInbox',
  'unassignedPathways',
  'intakeQueue',
  'sreInbox',
  'physicianInbox',
  'caseload',
];
const NO_COUNTS = [
  'me',
  'participant',
  'referral',
  'welcomeSessions',
  'pathway',
  'conventions',
  'convention',
  'vocabulary',
  'teamFidelity',
  'staffDirectory',
  'accessLogIntegrity',
  'trialDesigns',
  'trialDesignProposals',
  'participantByNiss',
  'pathwayByRegistryNumber',
  'fidelityScale',
  'codebook',
  'dataRequests',
  'questionnaireInstrument',
  'fidelityReviews',
];
export const COUNT_ANSWERS: Readonly<Record<string, CountAnswer>> = {
  pilotAggregates: { counts: 'people', suppressedAs: 'tables' },
  consortFlow: { counts: 'people', suppressedAs: 'consortFlows' },
  consortDiagram: { counts: 'people', suppressedAs: 'consortFlows', why: "the flow's counts, drawn" },
  coachCaseloads: {
    counts: 'people',
    suppressedAs: 'caseloadBounds',
    why: 'open pathways per coach, no coach named (IPS-25 caseload size)',
  },
  trialOutcomes: {
    counts: 'people',
    suppressedAs: null,
    why: "people, person-months and rates per arm: their small-cell rule is no part of the tables' system",
  },
  allocationBalance: { counts: 'people', suppressedAs: null, why: 'allocations per stratum and arm' },
  registryCounts: { counts: 'people', suppressedAs: null, why: 'every referred person per region, partner and state' },
  randomisationIntegrity: { counts: 'people', suppressedAs: null, why: 'draws taken and recorded: every allocation' },
  datasetDownloads: { counts: 'people', suppressedAs: null, why: 'rows of each extract' },
  teamCaseloads: { counts: 'records', why: "a supervisor's own coaches' caseloads" },
  practiceIndicators: {
    counts: 'records',
    why: "a supervisor's own team's practice: its people's first employer contacts, counselling and support, as its caseload counts them",
  },
  screeningCounts: { counts: 'records', why: "the physician's own screening entries" },
  ...Object.fromEntries(
    LIST_TOTALS.map((name): [string, CountAnswer] => [
      name,
      { counts: 'records', why: 'a list and its total: the rows the caller may read one by one' },
    ]),
  ),
  ...Object.fromEntries(NO_COUNTS.map((name): [string, CountAnswer] => [name, { counts: 'none' }])),
};

export const DISCLOSURE_CONTROL = {
  /**
   * CELL_KEY: every cell published with the cell key method's consistent noise (kit/cell-key.ts);
   * GREEDY_SUPPRESSION: small cells and their complements withheld (kit/disclosure.ts).
   */
  method: 'CELL_KEY' as DisclosureMethod,
  threshold: 5, // a count 0 < n < 5 is never published as itself (suppressed, or perturbed to 0 or ≥ 5)
  cellKey: {
    maxNoise: 5, // D: a published count is within ±5 of the true one, so a small count's range always spans the threshold
    variance: 3, // V: the noise's variance where the count allows it (from 10 on: p(0) ≈ 0.23, p(±1) ≈ 0.19 each)
    smallCounts: 4, // js = threshold − 1: a count 1..4 is published as 0 or as 5 and more, never as 1..4
  },
  /** The cell key method for a privacy officer (POLICY.md section 11, with the ptable it builds). */
  cellKeyMethod: {
    noise:
      'each count an integrator receives is the true count plus a whole-number noise read from the perturbation table (ptable) below: within ±D, of mean 0 (no bias in any direction), of variance V wherever the count allows; a count of 1..js is published as 0 or as js + 1 and more, never as itself nor as any other count of 1..js; a true 0 stays 0; no published count is negative',
    key: "the noise is not drawn afresh at each request: it is read from the cell's key. Every person has a record key, a keyed hash (SHA-256) of their id under a per-database secret of 32 bytes drawn once by pgcrypto's gen_random_bytes (research migration 011), which only the research subgraph's database role can read, inside the aggregate queries; neither the secret nor any key ever leaves the database. A cell's key is the fractional part of the sum of its people's record keys, and picks the noise among the ptable row of the cell's true count",
    reader:
      "an integrator sees every cell of every table and every box of the CONSORT flows as a number, marked perturbed; no cell is withheld. A published number may be up to D more or fewer than the truth; a published 0 may stand for up to D people; each total is perturbed on its own, so a table's parts need not add up exactly to its total",
    differencing:
      "the same people always draw the same noise (the same key and the same count pick the same ptable entry): asking again, in another region's slice, another table or the CONSORT flow for the same people gives the same number, so repeated answers cannot be averaged away; two cells that differ by one person carry unrelated noises, so subtracting one from the other leaves that person under up to ±2D of noise. A reader who knows D and every sum that ties the answers still cannot pin any true count of 1..js, nor tell that a cell holds between 1 and js people (solved with HiGHS over everything an integrator can ask: test/disclosure-system.e2e.test.ts)",
    exactReaders:
      'readers of exact counts (COUNT_READERS: exact) keep exact tables: the method applies to suppressed readers only',
    choice:
      "chosen by measurement (npm run bench:disclosure) on the pilot-sized demo (612 people; non-zero cells of REFERRALS, ACTIVITY, ENDINGS, QUESTIONNAIRES: 601, 1 129, 1 321, 458). Greedy complementary suppression published 55, 51, 64 and 97 of them and withheld 88 %, 91 %, 84 % and 33 % of the people counted; optimal suppression (a MILP over each table's sums, least weight) published 276, 649, 168 and 291 and still withheld 20 %, 16 %, 58 % and 3 %, in 1.5–25 s a table. At the pilot's size partner × quarter × arm cells stay small, so any suppression withholds most of what integrators need; the cell key method publishes every cell (mean absolute noise 1.5–1.8 among the cells it changes, at most 5) in well under a second, and the solver finds no small count pinned. Suppression stays implemented (GREEDY_SUPPRESSION) for a reader or a table where the noise would not do",
  },
  zeros: 'published', // an empty cell reveals no one and is never chosen as a complement
  complementary:
    'until no suppressed cell can be solved for from the published cells, margins and totals; the smallest non-zero cell of a shared equation first, interior before margins; a complement that counts decided by another publication already determine is published (hiding it protects nothing)',
  dimensions: 'fixed sets of members (never free filters): every query is a slice of the one suppressed table',
  appliesTo:
    'every count of people a suppressed reader can obtain (COUNT_READERS, SUPPRESSED_SYSTEM); a reader that obtains any count exactly obtains every table exact',
  why: "R19 and the statistical offices' small-cell rule: no person can be singled out from aggregates, alone or by differencing",
} as const;

export type DisclosureMethod = 'GREEDY_SUPPRESSION' | 'CELL_KEY';

/**
 * Re-identification control of each pseudonymised extract (R19): k-anonymity over the extract's
 * quasi-identifiers — the person-level variables an outsider could know of someone (age, sex, where
 * they live, their partner, when they entered the trial, their benefit). Every group of people
 * sharing the values of the quasi-identifiers the extract holds counts at least `k` people; while
 * the smallest group is smaller, the next step of `steps` (only those about a variable the extract
 * holds) is applied, in order, and the extract's codebook says which were, and the k reached.
 * `WITHHELD` empties the column (its codebook entry says so); calendar time coarsens every calendar
 * column of the extract together (months, due and completion months, allocation month), since one
 * left at the month would give the others back. An extract whose people number fewer than k is not served.
 */
export const EXTRACT_DISCLOSURE = {
  k: 5,
  quasiIdentifiers: [
    'age_band',
    'sex',
    'region',
    'stratum',
    'partner',
    'allocation_month',
    'incapacity_type',
    'incapacity_duration_band',
  ],
  steps: [
    { variable: 'allocation_month', to: 'QUARTER' },
    { variable: 'age_band', to: 'TEN_YEARS' },
    { variable: 'allocation_month', to: 'YEAR' },
    { variable: 'age_band', to: 'TWENTY_YEARS' },
    { variable: 'incapacity_duration_band', to: 'WITHHELD' },
    { variable: 'age_band', to: 'WITHHELD' },
    { variable: 'sex', to: 'WITHHELD' },
    { variable: 'allocation_month', to: 'WITHHELD' },
    { variable: 'incapacity_type', to: 'WITHHELD' },
    { variable: 'stratum', to: 'WITHHELD' },
    { variable: 'partner', to: 'WITHHELD' },
    { variable: 'region', to: 'WITHHELD' },
  ],
  /** Before each step: when at most this share of the extract's people stand in groups under k, only their own quasi-identifiers are withheld. */
  localSuppression: { maxShare: 0.05 },
  why: 'R19: a researcher who knows a few facts about someone (age, sex, region, partner, month of entry) finds at least k people matching them in the extract, never the one',
} as const satisfies {
  k: number;
  quasiIdentifiers: readonly string[];
  steps: readonly { variable: string; to: 'QUARTER' | 'YEAR' | 'TEN_YEARS' | 'TWENTY_YEARS' | 'WITHHELD' }[];
  localSuppression: { maxShare: number };
  why: string;
};
