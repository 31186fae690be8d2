/**
 * The study's questionnaire (R12) as versioned data: a FHIR R4 `Questionnaire` resource per version
 * (ips-follow-up-v<N>.json beside this file), read and checked here with zod.
 *
 * Why FHIR R4 Questionnaire: it is the health sector's standard for forms (REDCap and SurveyJS both
 * import/export it), it names each item by a stable `linkId`, types its answers and lists their coded
 * options, and a completed wave maps one-to-one onto a `QuestionnaireResponse` (linkId → answer value).
 * Why one resource with the `translation` extension on `_text`/`_display` rather than one resource per
 * language: the FHIR core extension http://hl7.org/fhir/StructureDefinition/translation is the standard
 * way to carry a resource's texts in other languages; one resource keeps one canonical url|version,
 * one set of linkIds and codes, and no way for the French and Dutch forms to drift apart.
 *
 * Only what the study uses is modelled (zod, `passthrough` for the rest of FHIR): item types
 * choice · integer · boolean (no free text: nothing in an answer can identify, R19), `required`,
 * `answerOption.valueCoding`, integer bounds by the core `minValue`/`maxValue` extensions.
 */
import { z } from 'zod';
import { InvalidInputError } from '../../../schema/errors.js';
import { DEFAULT_LANGUAGE, type Language } from '../../../schema/i18n/index.js';
import v1 from './ips-follow-up-v1.json' with { type: 'json' };

const TRANSLATION = 'http://hl7.org/fhir/StructureDefinition/translation';
const MIN_VALUE = 'http://hl7.org/fhir/StructureDefinition/minValue';
const MAX_VALUE = 'http://hl7.org/fhir/StructureDefinition/maxValue';

/** FHIR's translation extension on a primitive's `_<name>` element: one entry per language. */
const translations = z.object({
  extension: z
    .array(
      z.object({
        url: z.literal(TRANSLATION),
        extension: z.tuple([
          z.object({ url: z.literal('lang'), valueCode: z.string().min(2) }),
          z.object({ url: z.literal('content'), valueString: z.string().min(1) }),
        ]),
      }),
    )
    .min(1),
});

const coding = z
  .object({
    system: z.string().min(1),
    code: z.string().regex(/^[^\s]+(\s[^\s]+)*$/),
    display: z.string().min(1),
    _display: translations,
  })
  .passthrough();

const integerBound = z.object({ url: z.enum([MIN_VALUE, MAX_VALUE]), valueInteger: z.number().int() });

const item = z
  .object({
    linkId: z.string().regex(/^[a-z][a-z0-9-]{0,63}$/),
    text: z.string().min(1),
    _text: translations,
    type: z.enum(['choice', 'integer', 'boolean']),
    required: z.boolean(),
    answerOption: z
      .array(z.object({ valueCoding: coding }))
      .min(2)
      .optional(),
    extension: z.array(integerBound).optional(),
  })
  .passthrough()
  .superRefine((value, context) => {
    if ((value.type === 'choice') !== (value.answerOption !== undefined))
      context.addIssue({ code: 'custom', message: 'a choice item, and only one, lists its answerOption' });
    if (
      value.type === 'integer' &&
      !(value.extension?.some((e) => e.url === MIN_VALUE) && value.extension.some((e) => e.url === MAX_VALUE))
    ) {
      context.addIssue({ code: 'custom', message: 'an integer item states its minValue and maxValue' });
    }
  });

/** The FHIR R4 Questionnaire, as far as the study uses it. */
export const questionnaireSchema = z
  .object({
    resourceType: z.literal('Questionnaire'),
    id: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/),
    language: z.literal(DEFAULT_LANGUAGE),
    url: z.string().min(1),
    version: z.string().regex(/^\d+\.\d+\.\d+$/),
    name: z.string().min(1),
    title: z.string().min(1),
    _title: translations,
    status: z.enum(['draft', 'active', 'retired']),
    subjectType: z.array(z.string()).optional(),
    item: z.array(item).min(1),
  })
  .passthrough()
  .superRefine((value, context) => {
    const ids = value.item.map((i) => i.linkId);
    if (new Set(ids).size !== ids.length) context.addIssue({ code: 'custom', message: 'every linkId is unique' });
  });
export type FhirQuestionnaire = z.infer<typeof questionnaireSchema>;
type FhirItem = FhirQuestionnaire['item'][number];

/** An item in one language, as the graph serves it. */
export interface InstrumentItem {
  linkId: string;
  text: string;
  type: 'CHOICE' | 'INTEGER' | 'BOOLEAN';
  required: boolean;
  minValue: number | null;
  maxValue: number | null;
  options: { code: string; display: string }[];
}

export interface Instrument {
  url: string;
  version: string;
  language: Language;
  title: string;
  items: InstrumentItem[];
  /** The FHIR resource itself, every language in it (JSON). */
  fhir: FhirQuestionnaire;
}

/** Every version of the instrument, by Questionnaire.version; a wave is answered on the one it was opened with. */
export const INSTRUMENTS: ReadonlyMap<string, FhirQuestionnaire> = new Map(
  [v1].map((resource) => {
    const parsed = questionnaireSchema.parse(resource);
    return [parsed.version, parsed];
  }),
);
/** The version new waves are opened on. */
export const CURRENT_INSTRUMENT_VERSION = '1.0.0';

export function instrumentResource(version: string = CURRENT_INSTRUMENT_VERSION): FhirQuestionnaire | undefined {
  return INSTRUMENTS.get(version);
}

/** A primitive's text in a language: its translation, the resource's own language otherwise. */
function inLanguage(base: string, element: z.infer<typeof translations> | undefined, language: Language): string {
  if (language === DEFAULT_LANGUAGE) return base;
  const found = element?.extension.find((entry) => entry.extension[0].valueCode === language);
  return found?.extension[1].valueString ?? base;
}

function bound(fhirItem: FhirItem, url: string): number | null {
  return fhirItem.extension?.find((e) => e.url === url)?.valueInteger ?? null;
}

/** The instrument in the caller's language (Accept-Language, as every text of the graph). */
export function localisedInstrument(fhir: FhirQuestionnaire, language: Language): Instrument {
  return {
    url: fhir.url,
    version: fhir.version,
    language,
    title: inLanguage(fhir.title, fhir._title, language),
    fhir,
    items: fhir.item.map((fhirItem) => ({
      linkId: fhirItem.linkId,
      text: inLanguage(fhirItem.text, fhirItem._text, language),
      type: fhirItem.type.toUpperCase() as InstrumentItem['type'],
      required: fhirItem.required,
      minValue: bound(fhirItem, MIN_VALUE),
      maxValue: bound(fhirItem, MAX_VALUE),
      options: (fhirItem.answerOption ?? []).map(({ valueCoding }) => ({
        code: valueCoding.code,
        display: inLanguage(valueCoding.display, valueCoding._display, language),
      })),
    })),
  };
}

/** An answer as sent: the value of the item's type, and nothing else. */
export interface AnswerInput {
  linkId: string;
  valueCode?: string | null;
  valueInteger?: number | null;
  valueBoolean?: boolean | null;
}

/**
 * Checks answers against the instrument (pure): a known item, once, exactly one value, of the item's
 * type, among its options or within its bounds. BAD_USER_INPUT naming the entry (`<field>.<index>`)
 * and the item. Returns linkId → value.
 */
export function validateAnswers(
  fhir: FhirQuestionnaire,
  answers: readonly AnswerInput[],
  field: string,
): Record<string, string | number | boolean> {
  const items = new Map(fhir.item.map((i) => [i.linkId, i]));
  const values: Record<string, string | number | boolean> = {};
  for (const [index, answer] of answers.entries()) {
    const at = `${field}.${index}`;
    const fhirItem = items.get(answer.linkId);
    if (!fhirItem)
      throw new InvalidInputError(at, { id: 'questionnaire.unknownItem', params: { item: answer.linkId } });
    if (Object.hasOwn(values, answer.linkId))
      throw new InvalidInputError(at, { id: 'questionnaire.itemTwice', params: { item: answer.linkId } });
    const given = [answer.valueCode, answer.valueInteger, answer.valueBoolean].filter(
      (value) => value !== undefined && value !== null,
    );
    const wrongType = () =>
      new InvalidInputError(at, {
        id: 'questionnaire.wrongType',
        params: { item: answer.linkId, type: fhirItem.type },
      });
    if (given.length !== 1) throw wrongType();
    switch (fhirItem.type) {
      case 'choice': {
        if (typeof answer.valueCode !== 'string') throw wrongType();
        const codes = (fhirItem.answerOption ?? []).map(({ valueCoding }) => valueCoding.code);
        if (!codes.includes(answer.valueCode))
          throw new InvalidInputError(at, {
            id: 'questionnaire.notAnOption',
            params: { item: answer.linkId, options: codes.join(', ') },
          });
        values[answer.linkId] = answer.valueCode;
        break;
      }
      case 'integer': {
        if (typeof answer.valueInteger !== 'number' || !Number.isInteger(answer.valueInteger)) throw wrongType();
        const [min, max] = [bound(fhirItem, MIN_VALUE)!, bound(fhirItem, MAX_VALUE)!];
        if (answer.valueInteger < min || answer.valueInteger > max)
          throw new InvalidInputError(at, {
            id: 'questionnaire.outOfRange',
            params: { item: answer.linkId, min, max },
          });
        values[answer.linkId] = answer.valueInteger;
        break;
      }
      case 'boolean':
        if (typeof answer.valueBoolean !== 'boolean') throw wrongType();
        values[answer.linkId] = answer.valueBoolean;
        break;
    }
  }
  return values;
}

/** The first required item without an answer, if any: a wave is complete when there is none. */
export function firstUnanswered(
  fhir: FhirQuestionnaire,
  answers: Readonly<Record<string, unknown>>,
): string | undefined {
  return fhir.item.find((i) => i.required && !Object.hasOwn(answers, i.linkId))?.linkId;
}
