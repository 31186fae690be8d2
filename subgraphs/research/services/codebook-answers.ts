/**
 * The questionnaire's answers as codebook variables (R12, R19): one file of the extract per person
 * and wave (level PERSON_WAVE, keyed by the pseudonym and `questionnaire_wave`, as REDCap's
 * longitudinal export keys a record by its event), one column per item of the instrument — named
 * `q_` and the item's linkId — with the item's wording as its label and its coded options as value
 * labels, in French, Dutch and English from the FHIR Questionnaire itself (research/instrument), so
 * the codebook cannot drift from what people were asked. The participant's page tells people that
 * researchers read their answers without their name: these are those answers, under the pseudonym.
 *
 * SQL context: `w` (research.questionnaire_wave_status: the wave, its due date and state) and `q`
 * (research.questionnaire_wave, left joined: absent until the wave is opened).
 */
import {
  CURRENT_INSTRUMENT_VERSION,
  instrumentResource,
  localisedInstrument,
  type InstrumentItem,
} from '../instrument/instrument.js';
import type { CodebookVariable, Labels } from './codebook.js';
import { BOOLEAN_VALUES } from './codebook-covariates.js';

const WAVE_STATES = [
  { value: 'DUE', label: { fr: 'À remplir', nl: 'In te vullen', en: 'Due' } },
  { value: 'OPEN', label: { fr: 'Commencée', nl: 'Begonnen', en: 'Open' } },
  { value: 'COMPLETED', label: { fr: 'Complétée', nl: 'Ingevuld', en: 'Completed' } },
  { value: 'MISSED', label: { fr: 'Manquée', nl: 'Gemist', en: 'Missed' } },
] as const;

/** The answers file's second key, always there (like the pseudonym), never requested. */
export const WAVE_KEY: CodebookVariable = {
  name: 'questionnaire_wave',
  type: 'INTEGER',
  level: 'PERSON_WAVE',
  values: [0, 1, 2, 3, 4, 5].map((wave) => ({
    value: String(wave),
    label:
      wave === 0
        ? { fr: 'Inclusion (baseline)', nl: 'Baseline', en: 'Baseline' }
        : { fr: `${6 * wave} mois`, nl: `${6 * wave} maanden`, en: `${6 * wave} months` },
  })),
  label: { fr: 'Vague du questionnaire', nl: 'Golf van de vragenlijst', en: 'Questionnaire wave' },
  derivation:
    'The wave (R12): 0 at randomisation (baseline), then every 6 months up to 5 (30 months). One row per person and wave whose window has opened (DUE, OPEN, COMPLETED or MISSED); waves still to come are not rows.',
  sql: 'w.wave::int',
};

const columnName = (linkId: string) => `q_${linkId.replaceAll('-', '_')}`;

function itemVariable(items: Record<'fr' | 'nl' | 'en', InstrumentItem>, version: string): CodebookVariable {
  const { en, fr, nl } = items;
  const label: Labels = { fr: fr.text, nl: nl.text, en: en.text };
  const source = `q.answers->>'${en.linkId}'`;
  const common = {
    name: columnName(en.linkId),
    level: 'PERSON_WAVE' as const,
    label,
    derivation: `The answer to item "${en.linkId}" of the questionnaire (FHIR Questionnaire urn:ips-graph:fhir:Questionnaire:ips-follow-up, linkId ${en.linkId}; wording of version ${version}), as saved by the person, whatever the wave's state (a wave not COMPLETED may hold some answers); empty when not answered.${en.required ? '' : ' Optional item.'}`,
  };
  switch (en.type) {
    case 'CHOICE':
      return {
        ...common,
        type: 'STRING',
        sql: source,
        values: en.options.map((option, index) => ({
          value: option.code,
          label: { fr: fr.options[index]!.display, nl: nl.options[index]!.display, en: option.display },
        })),
      };
    case 'INTEGER':
      return {
        ...common,
        type: 'INTEGER',
        sql: `(${source})::int`,
        derivation: `${common.derivation} Range ${en.minValue}–${en.maxValue}.`,
      };
    case 'BOOLEAN':
      return { ...common, type: 'BOOLEAN', sql: `(${source})::boolean`, values: BOOLEAN_VALUES };
  }
}

const fhir = instrumentResource(CURRENT_INSTRUMENT_VERSION)!;
const [inFrench, inDutch, inEnglish] = [
  localisedInstrument(fhir, 'fr'),
  localisedInstrument(fhir, 'nl'),
  localisedInstrument(fhir, 'en'),
];

export const ANSWER_VARIABLES: readonly CodebookVariable[] = [
  {
    name: 'instrument_version',
    type: 'STRING',
    level: 'PERSON_WAVE',
    label: { fr: 'Version du questionnaire', nl: 'Versie van de vragenlijst', en: 'Questionnaire version' },
    derivation:
      'Questionnaire.version of the FHIR Questionnaire the wave was opened on (every answer of the wave was given on it); empty for a wave never opened.',
    sql: 'q.instrument_version',
  },
  {
    name: 'wave_status',
    type: 'STRING',
    level: 'PERSON_WAVE',
    values: WAVE_STATES,
    label: { fr: 'Statut de la vague', nl: 'Status van de golf', en: 'Wave status' },
    derivation:
      'The state of the wave at extraction: DUE (window open, not started), OPEN (started), COMPLETED, MISSED (window closed without completion). A window opens 14 days before the due date and closes 8 weeks after it.',
    sql: 'w.state',
  },
  {
    name: 'wave_due_month',
    type: 'STRING',
    level: 'PERSON_WAVE',
    label: { fr: "Mois d'échéance de la vague", nl: 'Vervalmaand van de golf', en: 'Month the wave was due' },
    derivation: 'YYYY-MM of the due date (randomisation + 6 × wave months); the day is never given.',
    sql: "to_char(w.due_on, 'YYYY-MM')",
  },
  {
    name: 'wave_completed_month',
    type: 'STRING',
    level: 'PERSON_WAVE',
    label: {
      fr: 'Mois où la vague fut complétée',
      nl: 'Maand waarin de golf werd ingevuld',
      en: 'Month the wave was completed',
    },
    derivation: 'YYYY-MM (Belgian time) the wave was completed; empty otherwise.',
    sql: "to_char(w.completed_on, 'YYYY-MM')",
  },
  {
    name: 'wave_mode',
    type: 'STRING',
    level: 'PERSON_WAVE',
    values: [
      { value: 'HOME', label: { fr: 'À domicile', nl: 'Thuis', en: 'At home' } },
      { value: 'PARTNER', label: { fr: 'Chez le partenaire', nl: 'Bij de partner', en: "At the partner's" } },
    ],
    label: { fr: 'Lieu de réponse', nl: 'Plaats van invullen', en: 'Where the wave was answered' },
    derivation:
      "Where the wave was opened: at home by the person, or at the partner's computer (R12); empty for a wave never opened.",
    sql: 'w.opened_where',
  },
  ...inEnglish.items.map((item, index) =>
    itemVariable({ en: item, fr: inFrench.items[index]!, nl: inDutch.items[index]! }, fhir.version),
  ),
];
