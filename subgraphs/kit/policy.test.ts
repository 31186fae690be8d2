import { buildSchema, execute, parse, print, type GraphQLObjectType } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { ROLES, type Identity } from '../../schema/identity.js';
import {
  ACTIONS,
  COUNT_ANSWERS,
  COUNT_READERS,
  DATA_CATEGORIES,
  OPERATIONS,
  NOTICES,
  ON_CONSENT_WITHDRAWN,
  PERSONAL_DATA_TYPES,
  RECIPIENT_OF_ROLE,
  ROLE_SCOPE,
  grantKey,
  type Recipient,
} from '../../schema/policy.js';
import { AccessLogCollector } from './access/access-log.js';
import type { LedgerRow } from './access/decide.js';
import { ledgerByParticipant } from './access/ledger.js';
import { LoaderRegistry, type SubgraphContext } from './context.js';
import {
  assertSchemaCoveredByPolicy,
  categoryArguments,
  countSystemProblems,
  freeTextProblems,
  PolicyViolationError,
  reachingRoles,
  shieldFromPolicy,
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

describe('the policy enforced by shield: decided once per record, read synchronously per field', () => {
  // Two people on INAMI's registry (R5): one whose consent names INAMI for every category, one who gave none (R18).
  const consenting = { id: 'p-consenting', givenName: 'Camille', favouriteColour: 'blue', terms: { fte: 1 } };
  const silent = { id: 'p-silent', givenName: 'Lou', favouriteColour: 'green', terms: { fte: 2 } };
  const schema = buildSchema(`
    type Query { participants: [Participant] conventions: [Convention] }
    type Participant { id: ID givenName: String favouriteColour: String }
    type Convention { id: ID terms: ConventionTerms }
    type ConventionTerms { fte: Int }`);
  const query = schema.getQueryType()!.getFields();
  query.participants!.resolve = () => [consenting, silent];
  query.conventions!.resolve = () => [{ id: 'c-1', terms: { fte: 3 } }];
  const shielded = applyMiddleware(
    schema,
    shieldFromPolicy(schema, { Participant: (record) => (record as { id: string }).id }),
  );
  const contextOf = (identity: Identity): SubgraphContext => {
    const context = { identity, accessLog: new AccessLogCollector() } as unknown as SubgraphContext;
    context.loaders = new LoaderRegistry(() => context);
    for (const person of [consenting, silent]) {
      const row: LedgerRow = {
        participantId: person.id,
        researchConsent: false,
        consentGrants:
          person === consenting
            ? DATA_CATEGORIES.map((category) => grantKey(RECIPIENT_OF_ROLE.INAMI as Recipient, category))
            : [],
      };
      context.loaders.prime(ledgerByParticipant, person.id, row);
    }
    return context;
  };
  const inami: Identity = { role: 'INAMI', organisation: 'INAMI', subject: 'registry-clerk' };

  it('answers the fields a consenting person opened without a promise, and refuses the rest field by field', () => {
    const result = execute({
      schema: shielded,
      document: parse('{ participants { id givenName } }'),
      contextValue: contextOf(inami),
    });
    // Synchronous: no field of the page became a promise, the policy's included.
    expect(result).not.toBeInstanceOf(Promise);
    const { data, errors } = result as Awaited<typeof result>;
    expect(data).toEqual({
      participants: [
        { id: 'p-consenting', givenName: 'Camille' },
        { id: null, givenName: null },
      ],
    });
    expect(errors?.map((error) => [error.path?.join('.'), error.extensions.code])).toEqual([
      ['participants.1.id', 'FORBIDDEN'],
      ['participants.1.givenName', 'FORBIDDEN'],
    ]);
  });

  it('denies a field the policy names no category for, even on a record the caller may read (deny by default)', () => {
    const { data, errors } = execute({
      schema: shielded,
      document: parse('{ participants { favouriteColour } }'),
      contextValue: contextOf(inami),
    }) as Awaited<ReturnType<typeof execute>>;
    expect(data).toEqual({ participants: [{ favouriteColour: null }, { favouriteColour: null }] });
    expect(errors?.every((error) => error.extensions.code === 'FORBIDDEN')).toBe(true);
  });

  it('notes each person read once per category in the access log, not once per field or record', () => {
    const context = contextOf(inami);
    execute({
      schema: shielded,
      document: parse('{ participants { id givenName } again: participants { id givenName } }'),
      contextValue: context,
    });
    expect(context.accessLog.size).toBe(1);
  });

  it("keeps the readers' rule on a type some role that can reach it may not read", () => {
    // Every role may list conventions (OPERATIONS.conventions), so every role reaches their terms — INAMI's and supervisors' only.
    expect([...(reachingRoles(schema).get('ConventionTerms') ?? [])].sort()).toEqual([...ROLES].sort());
    const coach = execute({
      schema: shielded,
      document: parse('{ conventions { id terms { fte } } }'),
      contextValue: contextOf({ role: 'JOB_COACH', organisation: 'PARTNER-1', subject: 'coach' }),
    }) as Awaited<ReturnType<typeof execute>>;
    expect(coach.data).toEqual({ conventions: [{ id: 'c-1', terms: { fte: null } }] });
    expect(coach.errors?.map((error) => error.extensions.code)).toEqual(['FORBIDDEN']);
    const registry = execute({
      schema: shielded,
      document: parse('{ conventions { terms { fte } } }'),
      contextValue: contextOf(inami),
    });
    expect(registry).toEqual({ data: { conventions: [{ terms: { fte: 3 } }] } });
  });

  it('leaves no rule on a type every role that can reach it may read', () => {
    const convention = (shielded.getType('Convention') as GraphQLObjectType).getFields();
    const terms = (shielded.getType('ConventionTerms') as GraphQLObjectType).getFields();
    expect(convention.id!.resolve).toBeUndefined();
    expect(terms.fte!.resolve).toBeDefined();
  });
});
