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
import type { Role } from './identity.js';
import { ROLES } from './identity.js';

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
    jobSeekerRegistration: 'employment',
    endedOn: 'administrative',
    endReason: 'administrative',
    contracts: 'employment',
    meetings: 'administrative',
    timeline: 'administrative', // a container: each event is shown under its own category
  },
  PathwayAct: {
    id: 'administrative',
    kind: 'administrative',
    actOn: 'administrative',
  },
  TimelineEvent: {
    at: 'administrative',
    kind: 'administrative',
    actor: 'administrative',
    detail: 'administrative',
  },
  IndividualMeeting: {
    id: 'administrative',
    kind: 'administrative',
    scheduledFor: 'administrative',
    heldOn: 'administrative',
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
  },
  WorkAuthorisation: {
    id: 'administrative',
    reason: 'administrative',
    requestedAt: 'administrative',
    decision: 'administrative',
    decidedAt: 'administrative',
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
  },
  Allocation: {
    id: 'administrative',
    arm: 'administrative',
    allocatedAt: 'administrative',
    stratum: 'administrative',
  },
};

/** Types that carry no personal data, and the roles that may read them. */
export const NON_PERSONAL_TYPES: Readonly<Record<string, readonly Role[]>> = {
  Convention: ROLES, // INAMI's conventions with the IPS partners (R17) are public facts
  AllocationBalance: ['INAMI', 'RESEARCHER', 'INTEGRATOR'], // an aggregate per stratum, no person in it
  ConsentReceipt: ['PARTICIPANT', 'MEDECIN_CONSEIL'], // repeats only what the caller sent
  TrialDesign: ['INAMI', 'RESEARCHER'], // the protocol's randomisation design (CONSORT), no person in it
  ConsortRandomisation: ['INAMI', 'RESEARCHER'],
  RandomisationIntegrity: ['INAMI', 'RESEARCHER'],
  AccessLogIntegrity: ['INAMI'], // counts and a chain number, no person in it
  RandomisationReceipt: ['INAMI'],
  ReferralReceipt: ['MEDECIN_CONSEIL'],
  RoutingReceipt: ['INAMI'],
  NextAction: ['JOB_COACH'], // reached only through a CaseloadEntry, itself under the policy
  WelcomeSession: ['SRE', 'SUPERVISOR'], // a date and a place; who was invited is personal and not exposed here
  CoachLoad: ['SUPERVISOR'], // counts per coach (staff), no person in it // ids and time; the form itself is a Referral, under the policy
  PathwayRegistration: ['INAMI'], // ids and time; the pathway itself is a Pathway, under the policy
};

const CARE_ROLES = ['MEDECIN_CONSEIL', 'OA', 'INAMI', 'SRE', 'JOB_COACH', 'SUPERVISOR'] as const satisfies readonly Role[];

/** Which roles may call each root field. */
export const OPERATIONS: Readonly<Record<'Query' | 'Mutation', Readonly<Record<string, readonly Role[]>>>> = {
  Query: {
    me: ['PARTICIPANT'],
    participant: CARE_ROLES,
    participants: ['INAMI'], // the central registry sees every referred person (R5)
    referral: ['MEDECIN_CONSEIL', 'INAMI'],
    pathway: CARE_ROLES,
    conventions: ROLES,
    convention: ROLES,
    allocationBalance: ['INAMI', 'RESEARCHER', 'INTEGRATOR'],
    trialDesigns: ['INAMI', 'RESEARCHER'],
    intakeQueue: ['INAMI'], // R4, R5: the single intake
    sreInbox: ['SRE'], // R7
    physicianInbox: ['MEDECIN_CONSEIL'], // R14
    caseload: ['JOB_COACH'], // R11
    teamCaseloads: ['SUPERVISOR'],
    randomisationIntegrity: ['INAMI', 'RESEARCHER'],
    accessLogIntegrity: ['INAMI'], // the access log's hash chain, recomputed
  },
  Mutation: {
    submitReferral: ['MEDECIN_CONSEIL'], // R3, R4: the physician sends the form to INAMI's intake
    amendReferral: ['MEDECIN_CONSEIL'], // R3: a new version; the signed one never changes
    registerPathway: ['INAMI'], // R5
    assignJobCoach: ['SUPERVISOR'], // R11: the coach becomes the person's referent
    configureTrial: ['RESEARCHER'], // R6: the researchers' protocol
    randomise: ['INAMI'], // R6: INAMI assigns, with the researchers' design
    routeToEmploymentService: ['INAMI'], // R7: INAMI forwards, never the physician (R4)
    acknowledgeInboxItem: ['SRE'],
    recordJobSeekerRegistration: ['SRE'], // R3
    endPathway: ['JOB_COACH'], // R16: the referent job coach, who informs the physician at once
    markPhysicianMessageRead: ['MEDECIN_CONSEIL'],
    recordEmploymentContract: ['JOB_COACH'], // R15: the referent records, the request opens by itself
    decideWorkAuthorisation: ['MEDECIN_CONSEIL'], // R15: art. 100 §2
    organiseWelcomeSession: ['SRE'], // R8
    recordWelcomeAttendance: ['SUPERVISOR'], // R11: the partner plans follow-up for everyone
    recordMeetingHeld: ['JOB_COACH'],
    recordPathwayAct: ['SRE', 'JOB_COACH', 'MEDECIN_CONSEIL'], // which act by whom: ACT_RULES (pathways)
    endIncapacityRecognition: ['MEDECIN_CONSEIL'], // R16: refused while a pathway is open
    // R1e, R1f: the person, or their physician of record with the signed form (circle checked in the service)
    giveInformationSharingConsent: ['PARTICIPANT', 'MEDECIN_CONSEIL'],
    narrowInformationSharingConsent: ['PARTICIPANT', 'MEDECIN_CONSEIL'],
    withdrawInformationSharingConsent: ['PARTICIPANT', 'MEDECIN_CONSEIL'],
    giveResearchConsent: ['PARTICIPANT', 'MEDECIN_CONSEIL'],
    withdrawResearchConsent: ['PARTICIPANT', 'MEDECIN_CONSEIL'],
  },
};

/** Fields only these roles may see, on top of category, circle and consent. */
export const FIELD_ROLE_LIMITS: Readonly<Record<string, readonly Role[]>> = {
  'Participant.accessLog': ['PARTICIPANT'], // who read my data: for the person alone (GDPR art. 15)
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
  ipsPartner: { owner: 'pathways', meaning: 'code of the IPS partner whose convention covers the pathway' },
  jobCoachSubject: { owner: 'pathways', meaning: 'the job coach who is the referent (R11)' },
} as const;
export type LedgerFact = keyof typeof LEDGER_FACTS;

/** How a role enters a participant's circle. */
export type CircleRule =
  | { everyone: true; why: string }
  | { noOne: true; why: string }
  | { ledger: LedgerFact; equalsCaller: 'subject' | 'organisation'; why: string };

/** Who is in the circle of a participant (R18, DOMAIN.md "The actors"). */
export const CIRCLE: Record<Role, CircleRule> = {
  MEDECIN_CONSEIL: { ledger: 'physicianSubject', equalsCaller: 'subject', why: 'the referring physician of record (R14)' },
  OA: { ledger: 'healthInsurer', equalsCaller: 'organisation', why: "the person's health insurer" },
  INAMI: { everyone: true, why: 'the central registry of every referred person (R5)' },
  SRE: { ledger: 'employmentService', equalsCaller: 'organisation', why: "the SRE of the person's region, its resource person and reference counsellor (R7–R10)" },
  JOB_COACH: { ledger: 'jobCoachSubject', equalsCaller: 'subject', why: 'the job coach who is the referent (R11)' },
  SUPERVISOR: { ledger: 'ipsPartner', equalsCaller: 'organisation', why: 'the supervisors of the assigned IPS partner' },
  RESEARCHER: { noOne: true, why: 'pseudonymised datasets only, never a record (R19)' },
  INTEGRATOR: { noOne: true, why: 'aggregates only' },
  PARTICIPANT: { ledger: 'selfSubject', equalsCaller: 'subject', why: 'the person themself' },
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
