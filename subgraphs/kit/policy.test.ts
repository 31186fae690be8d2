import { buildSchema, parse, print } from 'graphql';
import { DATA_CATEGORIES, PERSONAL_DATA_TYPES, ROLE_SCOPE } from '../../schema/policy.js';
import { assertSchemaCoveredByPolicy, PolicyViolationError, tagCategories } from './policy.js';

describe('the policy covers every schema element (deny by default, GDPR art. 9)', () => {
  it('fails the build naming a personal-data field that has no category', () => {
    const schema = buildSchema(`
      type Query { participant(id: ID!): Participant }
      type Participant { id: ID! niss: String favouriteColour: String }`);
    expect(() => assertSchemaCoveredByPolicy(schema)).toThrow(PolicyViolationError);
    expect(() => assertSchemaCoveredByPolicy(schema)).toThrow('Participant.favouriteColour has no data category in PERSONAL_DATA_TYPES');
  });

  it('fails on a type that is neither personal nor declared non-personal', () => {
    const schema = buildSchema('type Query { conventions: [Convention] notes: [CaseNote] } type Convention { id: ID } type CaseNote { text: String }');
    expect(() => assertSchemaCoveredByPolicy(schema)).toThrow('type CaseNote is neither in PERSONAL_DATA_TYPES nor in NON_PERSONAL_TYPES');
  });

  it('fails on a root field that names no roles', () => {
    const schema = buildSchema('type Query { conventions: [Convention] } type Mutation { deleteEverything: Boolean } type Convention { id: ID }');
    expect(() => assertSchemaCoveredByPolicy(schema)).toThrow('Mutation.deleteEverything names no roles in OPERATIONS');
  });

  it('tags each personal-data field with its category for the supergraph', () => {
    const tagged = print(tagCategories(parse('type Participant @key(fields: "id") { id: ID! niss: String postcode: String }')));
    expect(tagged).toContain('niss: String @tag(name: "cat/identity")');
    expect(tagged).toContain('postcode: String @tag(name: "cat/contact")');
  });

  it('gives every field exactly one known category and every role a scope', () => {
    for (const fields of Object.values(PERSONAL_DATA_TYPES)) {
      for (const category of Object.values(fields)) expect(DATA_CATEGORIES).toContain(category);
    }
    expect(ROLE_SCOPE.RESEARCHER).toEqual(['research']); // R19: no direct identifiers
    expect(ROLE_SCOPE.INTEGRATOR).toEqual([]); // aggregates only
  });
});
