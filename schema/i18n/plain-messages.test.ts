/**
 * Messages in plain language: what a coach, a physician or a person reads names no source file, no table of the
 * policy, no type or field of the code and no record id. Scanned: every text of the catalogue in every language,
 * and every error the command path builds from the policy (who may not record what, who may, what was not found,
 * which state is missing, whose text cannot be read), as each language tells it.
 */
import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  formatError,
  localiseError,
  type Localised,
} from '../errors.js';
import type { GraphQLError } from 'graphql';
import * as policy from '../policy.js';
import {
  ACTIONS,
  FREE_TEXT_CATEGORIES,
  PRECONDITIONS,
  freeTextAddressees,
  preconditionMessageId,
  type Precondition,
} from '../policy.js';
import { ROLES } from '../identity.js';
import { CATALOGUES, LANGUAGES } from './index.js';

/** The policy's tables by name (ACTIONS, COUNT_READERS, …): words of the code, not of its users. */
const POLICY_TABLES = Object.keys(policy).filter((name) => /^[A-Z][A-Z0-9_]+$/.test(name));

/** What a user must never read, each with why. */
const INTERNAL: readonly [RegExp, string][] = [
  [/[\w-]+\/[\w./-]+\.(ts|js|mjs|md|graphql|json|sql)\b|\b[\w-]+\.(ts|js|mjs|md|graphql)\b/, 'a source path'],
  [/\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/, 'a SCREAMING_CASE identifier (an enum value or a policy name)'],
  [new RegExp(`\\b(${POLICY_TABLES.join('|')})\\b`), 'a table of the policy'],
  [/\b[a-z]+[A-Z][A-Za-z0-9]*\b/, 'a camelCase identifier (a field, a mutation, a relation)'],
  [/\b[A-Z][a-z]+[A-Z][A-Za-z]*\b/, 'a PascalCase type name'],
  [/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i, 'a uuid'],
];

/** The internal patterns a text shows; `{name}` placeholders are the catalogue's own and are left out. */
function internals(text: string): string[] {
  const told = text.replace(/\{\w+\}/g, '');
  return INTERNAL.filter(([pattern]) => pattern.test(told)).map(
    ([pattern, what]) => `${what}: ${told.match(pattern)![0]}`,
  );
}

/** Every string of a catalogue section, by its path. */
function strings(value: unknown, path: string): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, inner]) => strings(inner, `${path}.${key}`));
}

describe('messages in plain language', () => {
  it.each(LANGUAGES.map((language) => [language]))(
    '%s: no text of the catalogue names a source path, a policy table, an identifier of the code or a uuid',
    (language) => {
      const found = strings(CATALOGUES[language], language).flatMap(([path, text]) =>
        internals(text).map((what) => `${path}: ${what}`),
      );
      expect(found).toEqual([]);
    },
  );

  it('finds what it looks for (the sentence users once read)', () => {
    expect(internals('RP1IPS_SENT is not recorded by the SRE (schema/policy.ts ACTIONS)')).toEqual([
      'a source path: schema/policy.ts',
      'a SCREAMING_CASE identifier (an enum value or a policy name): RP1IPS_SENT',
      'a table of the policy: ACTIONS',
    ]);
    expect(
      internals('Only physicianOfRecord may act on WorkAuthorisation 5f0c1a2e-0000-4000-8000-000000000000'),
    ).toHaveLength(3);
  });

  /** Every error the command path builds from the policy's data, with the parameters it passes. */
  const commandErrors = (): [string, GraphQLError][] => {
    const errors: [string, GraphQLError][] = [];
    for (const [name, action] of Object.entries(ACTIONS)) {
      errors.push([`${name}: not found`, new NotFoundError(action.target)]);
      if (action.targetArgument)
        errors.push([
          `${name}: no such entry`,
          new InvalidInputError(`${action.targetArgument}.0`, {
            id: 'input.noSuchTarget',
            params: { what: action.target },
          }),
        ]);
      for (const role of ROLES) {
        errors.push([
          `${name}: not for ${role}`,
          new ForbiddenError({ id: 'forbidden.actionNotForRole', params: { role } }),
        ]);
        for (const variant of action.grants.flatMap((grant) => grant.variants ?? [])) {
          errors.push([
            `${name} ${variant}: not for ${role}`,
            new ForbiddenError({ id: 'forbidden.variantNotForRole', params: { variant, role } }),
          ]);
        }
      }
      errors.push([
        `${name}: relation`,
        new ForbiddenError({
          id: 'forbidden.relationRequired',
          params: { relations: [...new Set(action.grants.map((grant) => grant.relation))].join(' | ') },
        }),
      ]);
      if (action.deniedAsConflict) errors.push([`${name}: denied`, new ConflictError({ id: action.deniedAsConflict })]);
      const rule = action.freeText;
      if (rule) {
        const variants = Array.isArray(rule.addressees) ? [undefined] : Object.keys(rule.addressees);
        for (const variant of variants) {
          for (const role of freeTextAddressees(rule, variant)) {
            for (const category of FREE_TEXT_CATEGORIES) {
              errors.push([
                `${name} ${variant ?? ''}: ${role} reads no ${category}`,
                new InvalidInputError(rule.category, {
                  id: 'text.addresseeCannotRead',
                  params: { role, category, categories: FREE_TEXT_CATEGORIES.join(', ') },
                }),
              ]);
            }
          }
        }
      }
    }
    for (const precondition of Object.keys(PRECONDITIONS) as Precondition[])
      errors.push([precondition, new ConflictError({ id: preconditionMessageId(precondition) })]);
    for (const id of [
      'conflict.idempotencyKeyReused',
      'conflict.createdConcurrently',
      'conflict.concurrentChange',
      'forbidden.notActiveStaff',
      'error.forbidden',
    ] as Localised['id'][])
      errors.push([id, new ConflictError({ id })]);
    return errors;
  };

  it.each(LANGUAGES.map((language) => [language]))(
    '%s: no error of the command path names a source path, a policy table, an identifier of the code or a uuid',
    (language) => {
      const found = commandErrors().flatMap(([what, error]) => {
        const formatted = localiseError(
          formatError({ message: error.message, extensions: error.extensions }, error),
          language,
        );
        // The field an error names is the API's own argument path (BAD_USER_INPUT must name it): told apart from the sentence.
        const field = typeof formatted.extensions?.field === 'string' ? formatted.extensions.field : undefined;
        const sentence = field ? formatted.message.replace(field, '') : formatted.message;
        const english = field ? error.message.replace(field, '') : error.message;
        return [...internals(sentence), ...(language === 'en' ? internals(english) : [])].map(
          (found) => `${what}: ${found}`,
        );
      });
      expect(found).toEqual([]);
    },
  );
});
