/**
 * Reference facts of the pilot shared by every subgraph (DOMAIN.md, "The Belgian pilot").
 * GraphQL enums registered here are identical in every subgraph, as composition requires.
 */
import { registerEnumType } from 'type-graphql';
import type { Language } from '../../schema/i18n/index.js';
import { HEALTH_INSURERS, type EmploymentService } from '../../schema/organisations.js';
import type { DataCategory, Recipient } from '../../schema/policy.js';

export enum Region {
  FLANDERS = 'FLANDERS',
  WALLONIA = 'WALLONIA',
  BRUSSELS = 'BRUSSELS',
}
registerEnumType(Region, {
  name: 'Region',
  description:
    'Belgian region: Flanders (Vlaanderen), Wallonia (Wallonie), Brussels-Capital (Bruxelles-Capitale / Brussel-Hoofdstad)',
});

/** The regional employment service (SRE) of each region (R7–R10). */
export const EMPLOYMENT_SERVICE_OF: Record<Region, EmploymentService> = {
  [Region.FLANDERS]: 'VDAB',
  [Region.WALLONIA]: 'FOREM',
  [Region.BRUSSELS]: 'ACTIRIS',
};

/** Belgian health insurers by their INAMI code (schema/organisations.ts: the gateway knows them too). */
export { HEALTH_INSURERS };

export function isHealthInsurer(code: string): boolean {
  return Object.hasOwn(HEALTH_INSURERS, code);
}

/** Postcode ranges of each region (bpost; Brussels 1000–1299, Walloon Brabant 1300–1499, …). */
const POSTCODE_RANGES: ReadonlyArray<readonly [number, number, Region]> = [
  [1000, 1299, Region.BRUSSELS],
  [1300, 1499, Region.WALLONIA], // Walloon Brabant
  [1500, 3999, Region.FLANDERS], // Flemish Brabant, Antwerp, Limburg
  [4000, 7999, Region.WALLONIA], // Liège, Namur, Hainaut, Luxembourg
  [8000, 9999, Region.FLANDERS], // West and East Flanders
];

export function regionOfPostcode(postcode: string): Region | undefined {
  if (!/^[1-9]\d{3}$/.test(postcode)) return undefined;
  const code = Number(postcode);
  return POSTCODE_RANGES.find(([from, to]) => code >= from && code <= to)?.[2];
}

/** Today's date in Belgium (ISO), where a day matters (a form cannot be signed tomorrow). */
export function belgianToday(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Brussels',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

/** The policy's data categories as a GraphQL enum (internal values are the policy's names). */
export enum DataCategoryValue {
  IDENTITY = 'identity',
  CONTACT = 'contact',
  ADMINISTRATIVE = 'administrative',
  HEALTH = 'health',
  EMPLOYMENT = 'employment',
  BENEFITS = 'benefits',
  RESEARCH = 'research',
  BILLING = 'billing',
}
registerEnumType(DataCategoryValue, {
  name: 'DataCategory',
  description: 'Kind of personal data (schema/policy.ts); every personal field carries one.',
});

/** The parties an information-sharing consent names (R1e). */
export enum ConsentRecipientValue {
  INAMI = 'INAMI',
  HEALTH_INSURER = 'HEALTH_INSURER',
  SRE = 'SRE',
  IPS_PARTNER = 'IPS_PARTNER',
}
registerEnumType(ConsentRecipientValue, {
  name: 'ConsentRecipient',
  description:
    'A party named in the information-sharing consent (R1e): INAMI, the health insurer and its advising physician, the SRE, the IPS partner.',
});

/**
 * The GraphQL value of each policy name: total maps, so a category or recipient added to the policy fails
 * the type check here rather than passing through a cast.
 */
export const CATEGORY_VALUE: Readonly<Record<DataCategory, DataCategoryValue>> = {
  identity: DataCategoryValue.IDENTITY,
  contact: DataCategoryValue.CONTACT,
  administrative: DataCategoryValue.ADMINISTRATIVE,
  health: DataCategoryValue.HEALTH,
  employment: DataCategoryValue.EMPLOYMENT,
  benefits: DataCategoryValue.BENEFITS,
  research: DataCategoryValue.RESEARCH,
  billing: DataCategoryValue.BILLING,
};
export const RECIPIENT_VALUE: Readonly<Record<Recipient, ConsentRecipientValue>> = {
  INAMI: ConsentRecipientValue.INAMI,
  HEALTH_INSURER: ConsentRecipientValue.HEALTH_INSURER,
  SRE: ConsentRecipientValue.SRE,
  IPS_PARTNER: ConsentRecipientValue.IPS_PARTNER,
};

/**
 * Why a person an advising physician assessed was not referred (CONSORT enrolment): they declined,
 * or an R1 condition was not met. Nothing else: R2 (zero exclusion) forbids any refusal on a mental
 * disorder, behaviour, appearance or past, so the log offers no value to record one.
 */
export enum ScreeningOutcome {
  DECLINED = 'DECLINED',
  R1_NOT_MET = 'R1_NOT_MET',
}
registerEnumType(ScreeningOutcome, {
  name: 'ScreeningOutcome',
  description:
    'Why a person assessed was not referred: declined, or an R1 eligibility condition not met (never an R2 ground: zero exclusion).',
});

/** The eligibility conditions of R1 (DOMAIN.md), one by one: the only grounds a screening can record. */
export enum EligibilityCondition {
  R1A = 'R1A',
  R1B = 'R1B',
  R1C = 'R1C',
  R1D = 'R1D',
  R1E = 'R1E',
  R1F = 'R1F',
}
registerEnumType(EligibilityCondition, {
  name: 'EligibilityCondition',
  description:
    'R1: (a) recognised work incapacity and a moderate to severe mental disorder; (b) documented need for vocational rehabilitation; (c) needs intensive support; (d) wants to return to work; (e) information-sharing consent; (f) research consent.',
});

/** The languages of the catalogue (schema/i18n), as GraphQL names them (one enum for every subgraph). */
export enum LanguageValue {
  FR = 'fr',
  NL = 'nl',
  EN = 'en',
}

/** The GraphQL value of each catalogue language: a total map, so a language added to the catalogue fails the type check here. */
export const LANGUAGE_VALUE: Readonly<Record<Language, LanguageValue>> = {
  fr: LanguageValue.FR,
  nl: LanguageValue.NL,
  en: LanguageValue.EN,
};
registerEnumType(LanguageValue, {
  name: 'Language',
  description:
    "A language of the graph: French, Dutch or English, chosen by the request's Accept-Language (English when absent).",
});
