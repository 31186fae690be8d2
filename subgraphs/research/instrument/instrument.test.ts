/** The study's instrument (R12): a FHIR R4 Questionnaire, complete in FR/NL/EN, and the answer checks it drives. */
import { GraphQLError } from 'graphql';
import {
  CURRENT_INSTRUMENT_VERSION,
  firstUnanswered,
  INSTRUMENTS,
  instrumentResource,
  localisedInstrument,
  questionnaireSchema,
  validateAnswers,
} from './instrument.js';

const v1 = instrumentResource(CURRENT_INSTRUMENT_VERSION)!;

function badInput(run: () => unknown): { field: unknown; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof GraphQLError && error.extensions.code === 'BAD_USER_INPUT')
      return { field: error.extensions.field, message: error.message };
    throw error;
  }
  throw new Error('expected BAD_USER_INPUT');
}

describe('the FHIR R4 Questionnaire', () => {
  it('parses as a Questionnaire with unique linkIds, and its current version is known', () => {
    expect(v1.resourceType).toBe('Questionnaire');
    expect([...INSTRUMENTS.keys()]).toContain(CURRENT_INSTRUMENT_VERSION);
    expect(v1.item.length).toBeGreaterThanOrEqual(10);
    expect(new Set(v1.item.map((item) => item.linkId)).size).toBe(v1.item.length);
  });

  it('refuses a resource whose choice item has no options, or whose linkIds repeat', () => {
    const [first] = v1.item;
    expect(questionnaireSchema.safeParse({ ...v1, item: [{ ...first, answerOption: undefined }] }).success).toBe(false);
    expect(questionnaireSchema.safeParse({ ...v1, item: [first, first] }).success).toBe(false);
  });

  it.each(['fr', 'nl'] as const)(
    'has every title, item text and option display in %s, different from the English',
    (language) => {
      const english = localisedInstrument(v1, 'en');
      const other = localisedInstrument(v1, language);
      expect(other.title).not.toBe(english.title);
      for (const [index, item] of other.items.entries()) {
        expect([item.linkId, item.text]).not.toEqual([item.linkId, english.items[index]!.text]);
        for (const [o, option] of item.options.entries()) {
          if (option.display === english.items[index]!.options[o]!.display)
            throw new Error(`${item.linkId}/${option.code} has no ${language} display`);
        }
      }
    },
  );

  it('has no free-text item: every answer is coded (R19)', () => {
    expect(v1.item.map((item) => item.type).filter((type) => !['choice', 'integer', 'boolean'].includes(type))).toEqual(
      [],
    );
  });
});

describe('answers checked against the items', () => {
  it('accepts one value of the item type, among its options or within its bounds', () => {
    expect(
      validateAnswers(
        v1,
        [
          { linkId: 'work-status', valueCode: 'competitive' },
          { linkId: 'work-hours', valueInteger: 19 },
          { linkId: 'job-search', valueBoolean: false },
        ],
        'input.answers',
      ),
    ).toEqual({
      'work-status': 'competitive',
      'work-hours': 19,
      'job-search': false,
    });
  });

  it.each([
    ['an unknown item', { linkId: 'favourite-colour', valueCode: 'blue' }, 'favourite-colour'],
    ['a value of another type', { linkId: 'work-hours', valueCode: '19' }, 'work-hours'],
    ['two values', { linkId: 'job-search', valueBoolean: true, valueInteger: 1 }, 'job-search'],
    ['an option not in the list', { linkId: 'work-status', valueCode: 'astronaut' }, 'work-status'],
    ['a number out of bounds', { linkId: 'health-today', valueInteger: 101 }, 'health-today'],
  ])('refuses %s, naming the entry and the item', (_what, answer, item) => {
    const refused = badInput(() =>
      validateAnswers(
        v1,
        [{ linkId: 'job-search', valueBoolean: true }, answer].slice(answer.linkId === 'job-search' ? 1 : 0),
        'input.answers',
      ),
    );
    expect(refused.field).toMatch(/^input\.answers\.[01]$/);
    expect(refused.message).toContain(item);
  });

  it('names the first required item left unanswered; the optional one is not needed', () => {
    const all = Object.fromEntries(v1.item.filter((item) => item.required).map((item) => [item.linkId, 1]));
    expect(firstUnanswered(v1, all)).toBeUndefined();
    const { 'qol-pain': _dropped, ...withoutPain } = all;
    expect(firstUnanswered(v1, withoutPain)).toBe('qol-pain');
  });
});
