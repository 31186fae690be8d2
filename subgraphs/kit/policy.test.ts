import { buildSchema, parse, print } from 'graphql';
import {
  ACTIONS,
  COUNT_ANSWERS,
  COUNT_READERS,
  DATA_CATEGORIES,
  OPERATIONS,
  NOTICES,
  ON_CONSENT_WITHDRAWN,
  PERSONAL_DATA_TYPES,
  ROLE_SCOPE,
} from '../../schema/policy.js';
import {
  assertSchemaCoveredByPolicy,
  categoryArguments,
  countSystemProblems,
  freeTextProblems,
  PolicyViolationError,
  tagCategories,
} from './policy.js';

describe('the policy covers every schema element (deny by default, GDPR art. 9)', () => {
  it('fails the build naming a personal-data field that has no category', () => {
    const schema = buildSchema(`
      type Query { participant(id: ID!): Participant }
      type Participant { id: ID! niss: String favouriteColour: String }`);
    expect(() => assertSchemaCoveredByPolicy(schema)).toThrow(PolicyViolationError);
    expect(() => assertSchemaCoveredByPolicy(schema)).toThrow(
      'Participant.favouriteColour has no data category in PERSONAL_DATA_TYPES',
    );
  });

  it('fails on a type that is neither personal nor declared non-personal', () => {
    const schema = buildSchema(
      'type Query { conventions: [Convention] notes: [CaseNote] } type Convention { id: ID } type CaseNote { text: String }',
    );
    expect(() => assertSchemaCoveredByPolicy(schema)).toThrow(
      'type CaseNote is neither in PERSONAL_DATA_TYPES nor in NON_PERSONAL_TYPES',
    );
  });

  it('fails on a root field that names no roles', () => {
    const schema = buildSchema(
      'type Query { conventions: [Convention] } type Mutation { deleteEverything: Boolean } type Convention { id: ID }',
    );
    expect(() => assertSchemaCoveredByPolicy(schema)).toThrow('Mutation.deleteEverything names no roles in OPERATIONS');
  });

  it('tags each personal-data field with its category for the supergraph', () => {
    const tagged = print(
      tagCategories(parse('type Participant @key(fields: "id") { id: ID! niss: String postcode: String }')),
    );
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

describe('the withdrawal policy is consistent with the actions it names (ON_CONSENT_WITHDRAWN)', () => {
  it('grants each thing still allowed after a withdrawal on the relation alone, or on a notice its addressee reads', () => {
    for (const allowed of ON_CONSENT_WITHDRAWN.stillAllowed) {
      const action = ACTIONS[allowed.action]!;
      expect({
        action: allowed.action,
        granted: action.grants.some((grant) => grant.role === allowed.role && grant.relation === allowed.relation),
      }).toEqual({ action: allowed.action, granted: true });
      const notice = NOTICES[action.target];
      expect({
        action: allowed.action,
        withoutConsent:
          action.visibility === 'relation' ||
          (notice?.addressee.role === allowed.role && notice.addressee.relation === allowed.relation),
      }).toEqual({ action: allowed.action, withoutConsent: true });
    }
  });

  it('tells the physician no more than the notice fields, all of them fields of the notice type', () => {
    for (const [type, rule] of Object.entries(NOTICES)) {
      for (const field of rule.fields) expect(PERSONAL_DATA_TYPES[type]?.[field]).toBeDefined();
      expect(rule.fields).not.toContain('sentBy');
      expect(rule.fields).not.toContain('participant');
    }
    expect(ON_CONSENT_WITHDRAWN.informs.relation).toBe(NOTICES.PhysicianMessage!.addressee.relation);
    expect(ON_CONSENT_WITHDRAWN.revivable).toBe(false);
  });
});

describe('one disclosure system per reader: every count of people a role can obtain is exact, or all of them suppressed as one system', () => {
  it('holds for the policy as it stands: every query classified, no suppressed reader answered an exact count', () => {
    expect(countSystemProblems()).toEqual([]);
    expect(Object.keys(COUNT_ANSWERS).sort()).toEqual(Object.keys(OPERATIONS.Query).sort());
  });

  it('refuses a query that says nothing of the counts it answers', () => {
    expect(countSystemProblems({ ...OPERATIONS.Query, partnerHeadcount: ['INAMI'] })).toEqual([
      'Query.partnerHeadcount has no entry in COUNT_ANSWERS: which counts of people it answers',
    ]);
  });

  it('refuses to open an exact count of people to a suppressed reader, whatever the query', () => {
    const suppressed = Object.entries(COUNT_READERS)
      .filter(([, reader]) => reader.system === 'suppressed')
      .map(([role]) => role as keyof typeof COUNT_READERS);
    expect(suppressed.length).toBeGreaterThan(0);
    const exactOnly = Object.entries(COUNT_ANSWERS).filter(
      ([, answer]) => answer.counts === 'records' || (answer.counts === 'people' && answer.suppressedAs === null),
    );
    expect(exactOnly.length).toBeGreaterThan(0);
    for (const role of suppressed) {
      for (const [field] of exactOnly) {
        const opened = { ...OPERATIONS.Query, [field]: [...OPERATIONS.Query[field]!, role] };
        expect(countSystemProblems(opened)).toEqual([
          expect.stringContaining(`Query.${field} answers ${role}, a suppressed reader`),
        ]);
      }
    }
  });

  it('lets a suppressed reader call a query that names its part of the suppressed system, and an exact reader any', () => {
    const opened = { ...OPERATIONS.Query, newTable: ['INTEGRATOR', 'INAMI'] as const };
    expect(
      countSystemProblems(opened, { ...COUNT_ANSWERS, newTable: { counts: 'people', suppressedAs: 'tables' } }),
    ).toEqual([]);
    expect(
      countSystemProblems(opened, { ...COUNT_ANSWERS, newTable: { counts: 'people', suppressedAs: null } }),
    ).toEqual([
      'Query.newTable answers INTEGRATOR, a suppressed reader (COUNT_READERS), counts of people with no part in SUPPRESSED_SYSTEM',
    ]);
  });
});

describe('every free text written for a role names its addressees (R14, R18)', () => {
  const mutation = (sdl: string) =>
    buildSchema(
      `enum DataCategory { HEALTH EMPLOYMENT } input Grant { categories: [DataCategory!]! } ${sdl} type Query { x: Int }`,
    )
      .getMutationType()!
      .getFields();

  it('fails the start-up naming a mutation that takes a category and says nobody it is written for', () => {
    const fields = mutation(
      'input MessageInput { body: String! bodyCategory: DataCategory! } type Mutation { sendMessage(input: MessageInput!): Boolean }',
    );
    expect(categoryArguments(fields.sendMessage!.args)).toEqual(['input.bodyCategory']);
    expect(freeTextProblems('sendMessage', categoryArguments(fields.sendMessage!.args))).toEqual([
      'Mutation.sendMessage carries free text (input.bodyCategory) but ACTIONS names no freeText addressee: who is it written for?',
    ]);
  });

  it("reads a consent's list of categories as no free text", () => {
    const fields = mutation('type Mutation { give(grants: [Grant!]!, scope: [DataCategory!]): Boolean }');
    expect(categoryArguments(fields.give!.args)).toEqual([]);
  });

  it('holds for every mutation of the policy that declares one: its argument and every variant named', () => {
    for (const [name, action] of Object.entries(ACTIONS)) {
      if (action.freeText) expect([name, freeTextProblems(name, [action.freeText.category])]).toEqual([name, []]);
    }
  });
});
