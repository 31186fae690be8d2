/**
 * Organisations whose kind the law fixes, known to the gateway and the subgraphs alike: the health
 * insurers by their INAMI code, the three regional employment services, INAMI itself, and `SELF` (a
 * person logged in as themself). IPS partners, research teams and dashboards come and go with the
 * conventions: their codes live in the staff directory, so a token naming one is checked there.
 */
import type { Role } from './identity.js';
import { STAFF_FUNCTIONS } from './policy.js';

/** Belgian health insurers (organismes assureurs / verzekeringsinstellingen) by their INAMI code. */
export const HEALTH_INSURERS: Readonly<Record<string, string>> = {
  'OA-100': 'Mutualités chrétiennes / Christelijke Mutualiteit',
  'OA-200': 'Mutualités neutres / Neutrale Ziekenfondsen',
  'OA-300': 'Solidaris / Socialistische Mutualiteiten',
  'OA-400': 'Mutualités libérales / Liberale Mutualiteit',
  'OA-500': 'Mutualités libres / Onafhankelijke Ziekenfondsen',
  'OA-600': 'CAAMI / HZIV (caisse auxiliaire)',
  'OA-900': 'HR Rail',
};

/** The regional employment services (SRE, R7–R10). */
export const EMPLOYMENT_SERVICES = ['VDAB', 'FOREM', 'ACTIRIS'] as const;
export type EmploymentService = (typeof EMPLOYMENT_SERVICES)[number];

/** The organisation a participant's token names (RELATIONS.self requires it). */
export const SELF_ORGANISATION = 'SELF';

export type OrganisationKind = (typeof STAFF_FUNCTIONS)[keyof typeof STAFF_FUNCTIONS]['organisationKind'] | 'SELF';

/** The kind of an organisation whose code the law fixes; undefined for the others (IPS partners, research teams, dashboards…). */
export function fixedOrganisationKind(code: string): OrganisationKind | undefined {
  if (code === SELF_ORGANISATION) return 'SELF';
  if (code === 'INAMI') return 'INAMI';
  if (Object.hasOwn(HEALTH_INSURERS, code)) return 'HEALTH_INSURER';
  if ((EMPLOYMENT_SERVICES as readonly string[]).includes(code)) return 'EMPLOYMENT_SERVICE';
  return undefined;
}

/** Kinds whose every organisation is listed above: a code outside the list cannot be of that kind. */
const CLOSED_KINDS: ReadonlySet<OrganisationKind> = new Set(['SELF', 'INAMI', 'HEALTH_INSURER', 'EMPLOYMENT_SERVICE']);

/**
 * The kind of organisation each role works in: STAFF_FUNCTIONS' organisationKind for staff roles, the
 * health insurer for the OA, SELF for the person; none for integrators (any dashboard's builder).
 */
export const ORGANISATION_KIND_OF_ROLE: Readonly<Record<Role, OrganisationKind | undefined>> = {
  ...(Object.fromEntries(Object.values(STAFF_FUNCTIONS).map((f) => [f.role, f.organisationKind])) as Record<
    (typeof STAFF_FUNCTIONS)[keyof typeof STAFF_FUNCTIONS]['role'],
    OrganisationKind
  >),
  OA: 'HEALTH_INSURER',
  PARTICIPANT: 'SELF',
  INTEGRATOR: undefined,
};

/**
 * Whether a role and an organisation fit together, as far as the organisation's kind is knowable
 * without the directory: a PARTICIPANT of SELF only, INAMI's role at INAMI only, a physician or OA at
 * a health insurer, an SRE at an employment service; no other role at one of those kinds of fixed
 * organisation (a coach "of" FOREM, a researcher "of" an OA), and SELF for no one but the person.
 */
export function roleFitsOrganisation(role: Role, organisation: string): boolean {
  const expected = ORGANISATION_KIND_OF_ROLE[role];
  const actual = fixedOrganisationKind(organisation);
  if (actual === undefined) return expected === undefined || !CLOSED_KINDS.has(expected);
  return actual === expected;
}
