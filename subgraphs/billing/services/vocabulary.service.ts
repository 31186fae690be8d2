/** The labels of the graph's enums in a language, from the one catalogue (schema/i18n). */
import { InvalidInputError } from '../../../schema/errors.js';
import { CATALOGUES, DEFAULT_LANGUAGE, type Language } from '../../../schema/i18n/index.js';

export interface EnumLabels {
  name: string;
  values: { value: string; label: string }[];
}

/** Every enum (or those named), each value with its label; an unknown name is BAD_USER_INPUT naming it. */
export function vocabulary(language: Language = DEFAULT_LANGUAGE, names?: readonly string[] | null): EnumLabels[] {
  const enums = CATALOGUES[language].enums as Record<string, Record<string, string>>;
  const wanted = names ?? Object.keys(enums).sort();
  return wanted.map((name, index) => {
    const labels = Object.hasOwn(enums, name) ? enums[name] : undefined;
    if (!labels) throw new InvalidInputError(`enums.${index}`, { id: 'vocabulary.unknownEnum' });
    return { name, values: Object.entries(labels).map(([value, label]) => ({ value, label })) };
  });
}
