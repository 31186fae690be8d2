/**
 * The codebook's covariates (R19): what a trial analysis adjusts for or clusters on, fixed at
 * randomisation (age band, sex, incapacity, partner, design version), and what happened over
 * follow-up (how the pathway ended, whether the allocated intervention was received, jobs begun and
 * ended). Each is read from a published view of the subgraph that owns it, already coarsened there:
 * the research role never reads a NISS, a birth date or an employer
 * (participants.published_research_profile, pathways.published_pathway_course,
 * pathways.published_intervention, pathways.published_employment_episode).
 *
 * SQL context as in codebook.ts: `pm` (participant_id, month, month_end) and `a` (research.allocation).
 */
import type { CodebookVariable, Labels } from './codebook.js';

const yes: Labels = { fr: 'Oui', nl: 'Ja', en: 'Yes' };
const no: Labels = { fr: 'Non', nl: 'Nee', en: 'No' };
/** The value labels every BOOLEAN column takes (the CSV writes true/false). */
export const BOOLEAN_VALUES = [
  { value: 'true', label: yes },
  { value: 'false', label: no },
] as const;

const profile = (column: string) =>
  `(select r.${column} from participants.published_research_profile r where r.participant_id = pm.participant_id)`;
/** The pathway the person was randomised with: their first (a person is randomised once, R6). */
const firstPathway = (column: string) =>
  `(select pc.${column} from pathways.published_pathway_course pc where pc.participant_id = pm.participant_id order by pc.started_on, pc.pathway_id limit 1)`;
/** Their latest pathway: how the person's time in the pilot ended, if it has. */
const latestPathway = (column: string) =>
  `(select pc.${column} from pathways.published_pathway_course pc where pc.participant_id = pm.participant_id order by pc.started_on desc, pc.pathway_id desc limit 1)`;
const BRUSSELS_TODAY = "(now() at time zone 'Europe/Brussels')::date";

export const AGE_BANDS_5 = ['<25', '25-29', '30-34', '35-39', '40-44', '45-49', '50-54', '55-59', '60+'] as const;
const ageLabel = (band: string): Labels =>
  band.startsWith('<')
    ? { fr: `Moins de ${band.slice(1)} ans`, nl: `Jonger dan ${band.slice(1)} jaar`, en: `Under ${band.slice(1)}` }
    : band.endsWith('+')
      ? {
          fr: `${band.slice(0, -1)} ans et plus`,
          nl: `${band.slice(0, -1)} jaar en ouder`,
          en: `${band.slice(0, -1)} and over`,
        }
      : {
          fr: `${band.replace('-', ' à ')} ans`,
          nl: `${band.replace('-', ' tot ')} jaar`,
          en: band.replace('-', ' to '),
        };
/** The value labels of an age band column at a width (the extract's disclosure control may widen it). */
export const ageBandValues = (bands: readonly string[]) =>
  bands.map((band) => ({ value: band, label: ageLabel(band) }));

const END_REASONS: readonly [string, Labels][] = [
  ['EMPLOYMENT_SUSTAINED', { fr: 'Emploi durable', nl: 'Duurzaam werk', en: 'Employment sustained' }],
  ['PARTICIPANT_WITHDREW', { fr: 'Abandon du participant', nl: 'Deelnemer stopte', en: 'Participant withdrew' }],
  [
    'MOVED_OUT_OF_REGION',
    { fr: 'Déménagement hors région', nl: 'Verhuisd buiten het gewest', en: 'Moved out of the region' },
  ],
  ['HEALTH', { fr: 'Santé', nl: 'Gezondheid', en: 'Health' }],
  ['DECEASED', { fr: 'Décès', nl: 'Overlijden', en: 'Deceased' }],
  ['PILOT_ENDED', { fr: 'Fin du projet pilote', nl: 'Einde van het proefproject', en: 'Pilot ended' }],
  ['CONSENT_WITHDRAWN', { fr: 'Consentement retiré', nl: 'Toestemming ingetrokken', en: 'Consent withdrawn' }],
  ['OTHER', { fr: 'Autre', nl: 'Andere', en: 'Other' }],
];

export const COVARIATES: readonly CodebookVariable[] = [
  {
    name: 'age_band',
    type: 'STRING',
    level: 'PERSON',
    values: ageBandValues(AGE_BANDS_5),
    label: { fr: "Tranche d'âge à l'inclusion", nl: 'Leeftijdsgroep bij inclusie', en: 'Age band at entry' },
    derivation:
      "Age in completed years on the day the person's first referral was signed, in 5-year bands (under 25, 60 and over), computed by the participants subgraph (participants.published_research_profile): the birth date never leaves it. Randomisation follows the referral by weeks, so the band differs from the band at randomisation only when a birthday crossing a band's edge falls in between. The extract's disclosure control may widen the bands (its codebook says so).",
    sql: profile('age_band'),
  },
  {
    name: 'sex',
    type: 'STRING',
    level: 'PERSON',
    values: [
      { value: 'MALE', label: { fr: 'Homme', nl: 'Man', en: 'Male' } },
      { value: 'FEMALE', label: { fr: 'Femme', nl: 'Vrouw', en: 'Female' } },
    ],
    label: { fr: 'Sexe', nl: 'Geslacht', en: 'Sex' },
    derivation:
      'Read from the NISS serial by the participants subgraph (odd for men, even for women; royal decree of 8 February 1991, art. 4); empty for a BIS number issued without the sex. The NISS never leaves the participants subgraph.',
    sql: profile('sex'),
  },
  {
    name: 'incapacity_type',
    type: 'STRING',
    level: 'PERSON',
    values: [
      {
        value: 'PRIMARY_INCAPACITY',
        label: { fr: 'Incapacité primaire', nl: 'Primaire arbeidsongeschiktheid', en: 'Primary incapacity' },
      },
      { value: 'INVALIDITY', label: { fr: 'Invalidité', nl: 'Invaliditeit', en: 'Invalidity' } },
    ],
    label: { fr: "Type d'incapacité de travail", nl: 'Type arbeidsongeschiktheid', en: 'Type of work incapacity' },
    derivation:
      'The recognised work incapacity as the participants subgraph records it at extraction (it keeps no history of it): primary incapacity, or invalidity.',
    sql: profile('incapacity_type'),
  },
  {
    name: 'incapacity_duration_band',
    type: 'STRING',
    level: 'PERSON',
    values: [
      {
        value: 'LESS_THAN_1_YEAR',
        label: { fr: "Moins d'un an", nl: 'Minder dan een jaar', en: 'Less than one year' },
      },
      { value: 'AT_LEAST_1_YEAR', label: { fr: 'Un an ou plus', nl: 'Een jaar of langer', en: 'One year or more' } },
    ],
    label: { fr: "Durée de l'incapacité", nl: 'Duur van de arbeidsongeschiktheid', en: 'Duration of the incapacity' },
    derivation:
      'The platform records no start of the incapacity; in Belgian law primary incapacity is its first year and invalidity follows it, so the band is read from the incapacity type: LESS_THAN_1_YEAR for primary incapacity, AT_LEAST_1_YEAR for invalidity.',
    sql: profile('incapacity_duration_band'),
  },
  {
    name: 'partner',
    type: 'STRING',
    level: 'PERSON',
    label: { fr: 'Partenaire IPS (site)', nl: 'IPS-partner (site)', en: 'IPS partner (site)' },
    derivation:
      "The IPS partner's convention code of the pathway the person was randomised with (their first), in both arms: the site, the cluster for clustered standard errors. The person's postcode or address is never given.",
    sql: firstPathway('ips_partner'),
  },
  {
    name: 'design_version',
    type: 'INTEGER',
    level: 'PERSON',
    label: {
      fr: 'Version du plan de randomisation',
      nl: 'Versie van het randomisatieplan',
      en: 'Randomisation design version',
    },
    derivation:
      'The version of the approved trial design (procedure, block sizes, strata) the allocation was drawn under (research.allocation.config_version; trialDesigns).',
    sql: 'a.config_version',
  },
  {
    name: 'pathway_end_reason',
    type: 'STRING',
    level: 'PERSON',
    values: END_REASONS.map(([value, label]) => ({ value, label })),
    label: {
      fr: 'Motif de fin du trajet',
      nl: 'Reden van beëindiging van het traject',
      en: 'Reason the pathway ended',
    },
    derivation:
      "The end reason of the person's latest pathway; empty while it is open. A covariate, never a filter: outcomes are measured whatever it is (intention to treat).",
    sql: latestPathway('end_reason'),
  },
  {
    name: 'pathway_end_month',
    type: 'STRING',
    level: 'PERSON',
    label: { fr: 'Mois de fin du trajet', nl: 'Maand van beëindiging van het traject', en: 'Month the pathway ended' },
    derivation: "YYYY-MM of the end of the person's latest pathway; empty while it is open.",
    sql: `to_char(${latestPathway('ended_on')}, 'YYYY-MM')`,
  },
  {
    name: 'intervention_received',
    type: 'BOOLEAN',
    level: 'PERSON',
    values: BOOLEAN_VALUES,
    label: {
      fr: 'Intervention allouée reçue',
      nl: 'Toegewezen interventie ontvangen',
      en: 'Allocated intervention received',
    },
    derivation:
      "Whether the allocated intervention began in any of the person's pathways (pathways.published_intervention): IPS arm, a job coach assigned and the first individual meeting held; control arm, a reference counsellor assigned and the reference interview held. For per-protocol and complier analyses; the primary analysis is by allocated arm.",
    sql: `coalesce((select bool_or(case when a.arm = 'IPS' then i.ips_received else i.control_received end) from pathways.published_intervention i where i.participant_id = pm.participant_id), false)`,
  },
  {
    name: 'first_job_month',
    type: 'STRING',
    level: 'PERSON',
    label: { fr: 'Mois du premier emploi', nl: 'Maand van de eerste baan', en: 'Month the first job began' },
    derivation:
      'YYYY-MM of the start of the earliest job recorded (any kind: competitive, sheltered, training); empty when none.',
    sql: "(select to_char(min(e.starts_on), 'YYYY-MM') from pathways.published_employment_episode e where e.participant_id = pm.participant_id)",
  },
  {
    name: 'first_competitive_job_month',
    type: 'STRING',
    level: 'PERSON',
    label: {
      fr: 'Mois du premier emploi compétitif',
      nl: 'Maand van de eerste competitieve baan',
      en: 'Month the first competitive job began',
    },
    derivation:
      'YYYY-MM of the start of the earliest competitive job (open labour market, at least the minimum wage, not reserved for disabled people, not a training); empty when none.',
    sql: "(select to_char(min(e.starts_on), 'YYYY-MM') from pathways.published_employment_episode e where e.participant_id = pm.participant_id and e.competitive)",
  },
  {
    name: 'any_job',
    type: 'BOOLEAN',
    level: 'PERSON_MONTH',
    values: BOOLEAN_VALUES,
    label: { fr: 'Emploi occupé (tout type)', nl: 'Baan (elk type)', en: 'Any job held' },
    derivation:
      'A job of any kind (competitive, sheltered, in-company training) ran during the month, whether or not a pathway was open.',
    sql: `exists (select 1 from pathways.published_employment_episode e where e.participant_id = pm.participant_id and e.starts_on <= pm.month_end and (e.ends_on is null or e.ends_on >= pm.month))`,
  },
  {
    name: 'job_started',
    type: 'BOOLEAN',
    level: 'PERSON_MONTH',
    values: BOOLEAN_VALUES,
    label: { fr: 'Emploi commencé dans le mois', nl: 'Baan begonnen in de maand', en: 'Job started in the month' },
    derivation: 'A job of any kind began during the month.',
    sql: `exists (select 1 from pathways.published_employment_episode e where e.participant_id = pm.participant_id and e.starts_on between pm.month and pm.month_end)`,
  },
  {
    name: 'job_ended',
    type: 'BOOLEAN',
    level: 'PERSON_MONTH',
    values: BOOLEAN_VALUES,
    label: { fr: 'Emploi terminé dans le mois', nl: 'Baan beëindigd in de maand', en: 'Job ended in the month' },
    derivation: 'A job of any kind ended during the month (its recorded end, or its contractual end once passed).',
    sql: `exists (select 1 from pathways.published_employment_episode e where e.participant_id = pm.participant_id and e.ends_on between pm.month and least(pm.month_end, ${BRUSSELS_TODAY}))`,
  },
];
