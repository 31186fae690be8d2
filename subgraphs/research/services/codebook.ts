/**
 * The codebook of the pseudonymised datasets (R19) as data: every variable a researcher may ask
 * for, its type, level (one row per person, or per person and month), labels in French, Dutch and
 * English, value labels, and how it is derived. The extract's columns are exactly the requested
 * variables plus `pseudonym`; the codebook served beside each extract lists each of its columns.
 *
 * What is never a variable (R19): a NISS, a name, an address or postcode (region only), a birth
 * date, a date finer than the month (every date is generalised to YYYY-MM), or any free text.
 */
import { ANSWER_VARIABLES } from './codebook-answers.js';
import { COVARIATES } from './codebook-covariates.js';
import { competitiveJobHeld, workingOnBenefit } from './outcome.service.js';

export type VariableType = 'STRING' | 'INTEGER' | 'DOUBLE' | 'BOOLEAN';
export type VariableLevel = 'PERSON' | 'PERSON_MONTH' | 'PERSON_WAVE';
export interface Labels {
  fr: string;
  nl: string;
  en: string;
}
export interface CodebookVariable {
  name: string;
  type: VariableType;
  level: VariableLevel;
  label: Labels;
  values?: readonly { value: string; label: Labels }[];
  derivation: string;
  /** The column's SQL, over `pm` (participant_id, month, month_end, month_index), `a` (research.allocation) and `s` (the month's benefit statement). */
  sql: string;
}

const MONTH_END = 'pm.month_end';
const ARMS = [
  { value: 'IPS', label: { fr: 'Groupe IPS', nl: 'IPS-groep', en: 'IPS arm' } },
  { value: 'CONTROL', label: { fr: 'Groupe témoin', nl: 'Controlegroep', en: 'Control arm' } },
] as const;
const REGIONS = [
  { value: 'FLANDERS', label: { fr: 'Flandre', nl: 'Vlaanderen', en: 'Flanders' } },
  { value: 'WALLONIA', label: { fr: 'Wallonie', nl: 'Wallonië', en: 'Wallonia' } },
  { value: 'BRUSSELS', label: { fr: 'Bruxelles', nl: 'Brussel', en: 'Brussels' } },
] as const;
const WAVE_STATES = [
  { value: 'SCHEDULED', label: { fr: 'Planifiée', nl: 'Gepland', en: 'Scheduled' } },
  { value: 'DUE', label: { fr: 'À remplir', nl: 'In te vullen', en: 'Due' } },
  { value: 'OPEN', label: { fr: 'Commencée', nl: 'Begonnen', en: 'Open' } },
  { value: 'COMPLETED', label: { fr: 'Complétée', nl: 'Ingevuld', en: 'Completed' } },
  { value: 'MISSED', label: { fr: 'Manquée', nl: 'Gemist', en: 'Missed' } },
] as const;

/** The pseudonym: every extract's first column, never requested. */
export const PSEUDONYM: CodebookVariable = {
  name: 'pseudonym',
  type: 'STRING',
  level: 'PERSON',
  label: { fr: 'Pseudonyme du participant', nl: 'Pseudoniem van de deelnemer', en: "Participant's pseudonym" },
  derivation:
    "hex(HMAC-SHA-256(NISS, project key)), computed inside PostgreSQL by pseudonym_vault.pseudonym with the request's project key, which no researcher or application role can read: stable across the project's extracts, different across projects (R19).",
  sql: 'pn.pseudonym',
};

export const CODEBOOK: readonly CodebookVariable[] = [
  PSEUDONYM,
  {
    name: 'month',
    type: 'STRING',
    level: 'PERSON_MONTH',
    label: { fr: 'Mois observé', nl: 'Geobserveerde maand', en: 'Month observed' },
    derivation:
      "YYYY-MM; one row per month of the trial's follow-up, from the month of randomisation (month 0) to month 30, or to the month of death, or to the month of extraction if earlier; whatever the pathway (intention to treat). A person who withdrew the research consent is in no extract.",
    sql: "to_char(pm.month, 'YYYY-MM')",
  },
  {
    name: 'month_since_randomisation',
    type: 'INTEGER',
    level: 'PERSON_MONTH',
    label: { fr: 'Mois depuis la randomisation', nl: 'Maanden sinds randomisatie', en: 'Months since randomisation' },
    derivation:
      "Months from the month of randomisation (Belgian time) to the month observed: 0 to 30, the trial's follow-up (trialOutcomes.byMonthSinceRandomisation).",
    sql: 'pm.month_index',
  },
  {
    name: 'arm',
    type: 'STRING',
    level: 'PERSON',
    values: ARMS,
    label: { fr: 'Groupe de randomisation', nl: 'Randomisatiegroep', en: 'Trial arm' },
    derivation: 'The arm allocated at randomisation (R6), whatever happened next (intention to treat).',
    sql: 'a.arm',
  },
  {
    name: 'stratum',
    type: 'STRING',
    level: 'PERSON',
    label: { fr: 'Strate de randomisation', nl: 'Randomisatiestratum', en: 'Randomisation stratum' },
    derivation: "The stratum the allocation was drawn in (the design's stratification).",
    sql: 'a.stratum',
  },
  {
    name: 'region',
    type: 'STRING',
    level: 'PERSON',
    values: REGIONS,
    label: { fr: 'Région', nl: 'Gewest', en: 'Region' },
    derivation: 'Region of residence at randomisation; never a postcode (R19).',
    sql: 'a.region',
  },
  {
    name: 'allocation_month',
    type: 'STRING',
    level: 'PERSON',
    label: { fr: 'Mois de randomisation', nl: 'Maand van randomisatie', en: 'Month of randomisation' },
    derivation: 'YYYY-MM (Belgian time) of the allocation; the day is never given.',
    sql: "to_char(a.allocated_at at time zone 'Europe/Brussels', 'YYYY-MM')",
  },
  {
    name: 'pathway_status',
    type: 'STRING',
    level: 'PERSON_MONTH',
    values: [
      { value: 'IN_PATHWAY', label: { fr: 'En trajet', nl: 'In traject', en: 'In a pathway' } },
      { value: 'ENDED', label: { fr: 'Trajet terminé', nl: 'Traject beëindigd', en: 'Pathway ended' } },
    ],
    label: { fr: 'Statut du trajet', nl: 'Status van het traject', en: 'Pathway status' },
    derivation:
      'IN_PATHWAY when a pathway period (registration to end) meets the month, ENDED otherwise. A covariate: no other variable depends on it, and every month of follow-up is a row whatever it says.',
    sql: `case when exists (select 1 from pathways.published_pathway_period pp where pp.participant_id = pm.participant_id
            and pp.started_on <= ${MONTH_END} and (pp.ended_on is null or pp.ended_on >= pm.month)) then 'IN_PATHWAY' else 'ENDED' end`,
  },
  {
    name: 'competitive_job',
    type: 'BOOLEAN',
    level: 'PERSON_MONTH',
    label: { fr: 'Emploi compétitif occupé', nl: 'Competitieve baan', en: 'Competitive job held' },
    derivation:
      'A competitive job (open labour market, at least the minimum wage, not reserved for disabled people; not a training) held on some day of the month while followed (up to a death), whatever the pathway: open, ended or never begun (intention to treat). A quarter counts a person as employed when any of its months is true: the IPS standard measure (trialOutcomes.competitiveEmploymentRate).',
    sql: `(${competitiveJobHeld('pm.participant_id', 'pm.month', MONTH_END)})`,
  },
  {
    name: 'weekly_hours',
    type: 'DOUBLE',
    level: 'PERSON_MONTH',
    label: { fr: 'Heures hebdomadaires', nl: 'Wekelijkse uren', en: 'Weekly hours' },
    derivation: 'Sum of the contractual weekly hours of every job held during the month (any kind); 0 when none.',
    sql: `coalesce((select sum(e.weekly_hours) from pathways.published_employment_episode e where e.participant_id = pm.participant_id
            and e.starts_on <= ${MONTH_END} and (e.ends_on is null or e.ends_on >= pm.month)), 0)::double precision`,
  },
  {
    name: 'working_on_benefit',
    type: 'BOOLEAN',
    level: 'PERSON_MONTH',
    label: { fr: 'Travail sous allocation', nl: 'Werk met uitkering', en: 'Working while on disability benefit' },
    derivation:
      "Published outcome (a): the health insurer's statement of the month authorises partial work and a job other than a training ran during the month, whatever the pathway (trialOutcomes.workingWhileOnBenefit).",
    sql: `(${workingOnBenefit('pm.participant_id', 'pm.month', 's')})`,
  },
  {
    name: 'benefit_type',
    type: 'STRING',
    level: 'PERSON_MONTH',
    values: [
      {
        value: 'PRIMARY_INCAPACITY',
        label: { fr: 'Incapacité primaire', nl: 'Primaire arbeidsongeschiktheid', en: 'Primary incapacity' },
      },
      { value: 'INVALIDITY', label: { fr: 'Invalidité', nl: 'Invaliditeit', en: 'Invalidity' } },
    ],
    label: { fr: "Type d'allocation", nl: 'Type uitkering', en: 'Benefit type' },
    derivation: "The health insurer's monthly statement; empty when no statement was recorded for the month.",
    sql: 's.benefit_type',
  },
  {
    name: 'benefit_amount_cents',
    type: 'INTEGER',
    level: 'PERSON_MONTH',
    label: {
      fr: 'Allocation du mois (cents)',
      nl: 'Uitkering van de maand (cent)',
      en: 'Benefit of the month (cents)',
    },
    derivation:
      "Published outcome (b): the amount of the health insurer's monthly statement, in euro cents; empty when none was recorded.",
    sql: 's.amount_cents::int',
  },
  {
    name: 'wave',
    type: 'INTEGER',
    level: 'PERSON_MONTH',
    label: { fr: 'Vague du questionnaire', nl: 'Golf van de vragenlijst', en: 'Questionnaire wave' },
    derivation:
      'The questionnaire wave (0 = baseline, then every 6 months up to 5) due in the month (R12); empty in other months.',
    sql: "(select w.wave::int from research.questionnaire_wave_status w where w.participant_id = pm.participant_id and date_trunc('month', w.due_on) = pm.month order by w.wave limit 1)",
  },
  {
    name: 'wave_state',
    type: 'STRING',
    level: 'PERSON_MONTH',
    values: WAVE_STATES,
    label: { fr: 'Statut de la vague', nl: 'Status van de golf', en: 'Wave status' },
    derivation:
      'The state of the wave due in the month at extraction time (research.questionnaire_wave_status); empty in other months.',
    sql: "(select w.state from research.questionnaire_wave_status w where w.participant_id = pm.participant_id and date_trunc('month', w.due_on) = pm.month order by w.wave limit 1)",
  },
  ...COVARIATES,
  ...ANSWER_VARIABLES,
];

/** What a request may name: every variable but the pseudonym, which every extract carries. */
export const REQUESTABLE = CODEBOOK.filter((variable) => variable !== PSEUDONYM).map((variable) => variable.name);

const BY_NAME = new Map(CODEBOOK.map((variable) => [variable.name, variable]));

/** The extract's columns, in order: the pseudonym, then the requested variables in the codebook's order. */
export function extractColumns(variables: readonly string[]): CodebookVariable[] {
  const wanted = new Set(variables);
  return CODEBOOK.filter((variable) => variable === PSEUDONYM || wanted.has(variable.name));
}

export function codebookVariable(name: string): CodebookVariable | undefined {
  return BY_NAME.get(name);
}
