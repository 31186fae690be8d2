/**
 * The IPS-25 fidelity scale (DOMAIN.md "IPS-25 fidelity scale"; the IPS Employment Center's
 * Supported Employment Fidelity Scale): 25 items in three sections, each scored 1–5 by two
 * reviewers in consensus, total 25–125, banded by the standard cut-offs. Labels FR/NL/EN are
 * the catalogue's (schema/i18n, enum `FidelityItem`).
 */
export const FIDELITY_SECTIONS = ['STAFFING', 'ORGANISATION', 'SERVICES'] as const;
export type FidelitySection = (typeof FIDELITY_SECTIONS)[number];

export const FIDELITY_ITEMS = [
  { key: 'CASELOAD_SIZE', section: 'STAFFING' },
  { key: 'EMPLOYMENT_SERVICES_STAFF', section: 'STAFFING' },
  { key: 'VOCATIONAL_GENERALISTS', section: 'STAFFING' },
  { key: 'INTEGRATION_TEAM_ASSIGNMENT', section: 'ORGANISATION' },
  { key: 'INTEGRATION_TEAM_CONTACT', section: 'ORGANISATION' },
  { key: 'VOCATIONAL_REHABILITATION_COLLABORATION', section: 'ORGANISATION' },
  { key: 'VOCATIONAL_UNIT', section: 'ORGANISATION' },
  { key: 'EMPLOYMENT_SUPERVISOR_ROLE', section: 'ORGANISATION' },
  { key: 'ZERO_EXCLUSION', section: 'ORGANISATION' },
  { key: 'AGENCY_FOCUS_ON_COMPETITIVE_EMPLOYMENT', section: 'ORGANISATION' },
  { key: 'EXECUTIVE_TEAM_SUPPORT', section: 'ORGANISATION' },
  { key: 'WORK_INCENTIVES_PLANNING', section: 'SERVICES' },
  { key: 'DISCLOSURE', section: 'SERVICES' },
  { key: 'ONGOING_WORK_BASED_ASSESSMENT', section: 'SERVICES' },
  { key: 'RAPID_JOB_SEARCH', section: 'SERVICES' },
  { key: 'INDIVIDUALISED_JOB_SEARCH', section: 'SERVICES' },
  { key: 'JOB_DEVELOPMENT_FREQUENT_CONTACT', section: 'SERVICES' },
  { key: 'JOB_DEVELOPMENT_QUALITY_CONTACT', section: 'SERVICES' },
  { key: 'DIVERSITY_OF_JOB_TYPES', section: 'SERVICES' },
  { key: 'DIVERSITY_OF_EMPLOYERS', section: 'SERVICES' },
  { key: 'COMPETITIVE_JOBS', section: 'SERVICES' },
  { key: 'INDIVIDUALISED_FOLLOW_ALONG', section: 'SERVICES' },
  { key: 'TIME_UNLIMITED_FOLLOW_ALONG', section: 'SERVICES' },
  { key: 'COMMUNITY_BASED_SERVICES', section: 'SERVICES' },
  { key: 'ASSERTIVE_ENGAGEMENT_AND_OUTREACH', section: 'SERVICES' },
] as const satisfies readonly { key: string; section: FidelitySection }[];
export type FidelityItemKey = (typeof FIDELITY_ITEMS)[number]['key'];

export const SCORE_MIN = 1;
export const SCORE_MAX = 5;
export const TOTAL_MIN = FIDELITY_ITEMS.length * SCORE_MIN; // 25
export const TOTAL_MAX = FIDELITY_ITEMS.length * SCORE_MAX; // 125

export type FidelityBand = 'EXEMPLARY' | 'GOOD' | 'FAIR' | 'NOT_IPS';

/** The standard cut-offs, highest first: 115–125 exemplary, 100–114 good, 74–99 fair, ≤ 73 not IPS. */
export const FIDELITY_BANDS: readonly { band: FidelityBand; from: number }[] = [
  { band: 'EXEMPLARY', from: 115 },
  { band: 'GOOD', from: 100 },
  { band: 'FAIR', from: 74 },
  { band: 'NOT_IPS', from: TOTAL_MIN },
];

export function fidelityBand(total: number): FidelityBand {
  if (!Number.isInteger(total) || total < TOTAL_MIN || total > TOTAL_MAX)
    throw new RangeError(`an IPS-25 total is an integer from ${TOTAL_MIN} to ${TOTAL_MAX}, not ${total}`);
  return FIDELITY_BANDS.find((cut) => total >= cut.from)!.band;
}
