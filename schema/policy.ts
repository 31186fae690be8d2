/**
 * The access policy of the IPS graph: one table, read by people and by code.
 *
 * - DATA_CATEGORIES: the kinds of personal data (GDPR art. 9: all of it is health-related).
 * - ROLE_SCOPE: what each role may ever see (static; shapes each role's API schema).
 * - PERSONAL_DATA_TYPES: every field of every type that carries personal data, with its category.
 * - NON_PERSONAL_TYPES: types that carry no personal data, and who may read them.
 * - OPERATIONS: which roles may call each root field.
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
    referrals: 'administrative',
    pathway: 'administrative', // contributed by pathways
    allocation: 'administrative', // contributed by research: the arm routes the person (R7)
  },
  Referral: {
    id: 'administrative',
    participant: 'administrative',
    form: 'administrative',
    region: 'administrative',
    eligibility: 'health',
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
  Pathway: {
    id: 'administrative',
    registryNumber: 'administrative',
    referralId: 'administrative',
    participant: 'administrative',
    convention: 'administrative',
    status: 'administrative',
    registeredAt: 'administrative',
  },
  Allocation: {
    id: 'administrative',
    arm: 'administrative',
    allocatedAt: 'administrative',
  },
};

/** Types that carry no personal data, and the roles that may read them. */
export const NON_PERSONAL_TYPES: Readonly<Record<string, readonly Role[]>> = {
  Convention: ROLES, // INAMI's conventions with the IPS partners (R17) are public facts
  AllocationBalance: ['INAMI', 'RESEARCHER', 'INTEGRATOR'], // an aggregate per stratum, no person in it
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
  },
  Mutation: {
    submitReferral: ['MEDECIN_CONSEIL'], // R3, R4: the physician sends the form to INAMI's intake
    registerPathway: ['INAMI'], // R5
  },
};

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
