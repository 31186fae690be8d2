/**
 * The bad-input class "the same entry twice in a list" across the whole graph: every list a client can
 * send, in every argument of every root field of every subgraph (input objects walked to any depth), is
 * given a repeated entry and must be refused by the kit's input guard with BAD_USER_INPUT naming the
 * repeated entry — before the shield, the resolver or any transaction runs (no identity is even given).
 */
import { randomUUID } from 'node:crypto';
import {
  execute,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isAbstractType,
  parse,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { buildFederatedSchema } from '../subgraphs/kit/subgraph.js';
import { declaredEntryKeys } from '../subgraphs/kit/input-guard.js';
import { SUBGRAPHS } from './subgraphs.js';

/** A valid value of each leaf type (ids fresh each time, so only the list under test repeats anything). */
function leaf(type: GraphQLInputType): unknown {
  const named = getNamedType(type);
  if (isEnumType(named)) return named.getValues()[0]!.name;
  switch (named.name) {
    case 'ID':
      return randomUUID();
    case 'String':
      return `text-${randomUUID().slice(0, 8)}`;
    case 'Int':
      return 1;
    case 'Float':
      return 1.5;
    case 'Boolean':
      return true;
    case 'LocalDate':
      return '2026-01-15';
    case 'DateTimeISO':
      return '2026-01-15T10:00:00.000Z';
    default:
      throw new Error(`No sample for scalar ${named.name}: add one`);
  }
}

/** Every path to a list inside a type, through input objects and list entries (`0`). */
function listPaths(type: GraphQLInputType, path: string[], depth = 0): string[][] {
  if (depth > 8) return [];
  const nullable = getNullableType(type);
  if (isListType(nullable)) return [path, ...listPaths(nullable.ofType, [...path, '0'], depth + 1)];
  if (isInputObjectType(nullable))
    return Object.values(nullable.getFields()).flatMap((field) =>
      listPaths(field.type, [...path, field.name], depth + 1),
    );
  return [];
}

/** A value of `type`: required parts filled, `target` (a path inside it) a list of one entry given twice. */
function sample(type: GraphQLInputType, target: string[] | undefined): unknown {
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    const entryType = nullable.ofType;
    if (target && target.length === 0) {
      const entry = sample(entryType, undefined);
      return [entry, structuredClone(entry)];
    }
    return [sample(entryType, target?.[0] === '0' ? target.slice(1) : undefined)];
  }
  if (isInputObjectType(nullable)) {
    return Object.fromEntries(
      Object.values(nullable.getFields()).flatMap((field) => {
        const onPath = target?.[0] === field.name;
        if (!onPath && !(isNonNullType(field.type) && field.defaultValue === undefined)) return [];
        return [[field.name, sample(field.type, onPath ? target.slice(1) : undefined)]];
      }),
    );
  }
  return leaf(type);
}

interface Case {
  subgraph: string;
  operation: 'query' | 'mutation';
  field: GraphQLField<unknown, unknown>;
  argument: GraphQLArgument;
  path: string[];
}

const schemas = new Map<string, GraphQLSchema>();
const cases: Case[] = [];

beforeAll(async () => {
  for (const definition of Object.values(SUBGRAPHS)) {
    const schema = await buildFederatedSchema(definition);
    schemas.set(definition.name, schema);
    for (const [operation, root] of [
      ['query', schema.getQueryType()],
      ['mutation', schema.getMutationType()],
    ] as const) {
      for (const field of Object.values(root?.getFields() ?? {})) {
        if (field.name.startsWith('_')) continue; // the gateway's own (`_entities`, `_service`)
        for (const argument of field.args)
          for (const path of listPaths(argument.type, [argument.name]))
            cases.push({ subgraph: definition.name, operation, field, argument, path });
      }
    }
  }
});

function operationFor({ operation, field, argument, path }: Case): {
  document: string;
  variables: Record<string, unknown>;
} {
  const required = field.args.filter(
    (arg) => arg === argument || (isNonNullType(arg.type) && arg.defaultValue === undefined),
  );
  const variables = Object.fromEntries(
    required.map((arg) => [arg.name, sample(arg.type, arg === argument ? path.slice(1) : undefined)]),
  );
  const named = getNamedType(field.type);
  const selection = isObjectType(named) || isAbstractType(named) ? ' { __typename }' : '';
  const definitions = required.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(', ');
  const passed = required.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  return {
    document: `${operation}${definitions ? `(${definitions})` : ''} { ${field.name}${passed ? `(${passed})` : ''}${selection} }`,
    variables,
  };
}

describe('no list input of the graph takes the same entry twice', () => {
  it('finds the list inputs of every subgraph (consent grants and categories, pathway ids, scores, answers, block sizes…)', () => {
    const names = cases.map((c) => `${c.field.name}:${c.path.join('.')}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'giveInformationSharingConsent:grants',
        'giveInformationSharingConsent:grants.0.categories',
        'submitReferral:input.informationSharing',
        'recordFidelityReview:input.scores',
      ]),
    );
    expect(cases.filter((c) => c.operation === 'mutation').length).toBeGreaterThanOrEqual(10);
  });

  it('refuses a repeated entry in each of them with BAD_USER_INPUT naming the second entry, before anything runs', async () => {
    const failures: string[] = [];
    for (const testCase of cases) {
      const { document, variables } = operationFor(testCase);
      const result = await execute({
        schema: schemas.get(testCase.subgraph)!,
        document: parse(document),
        variableValues: variables,
        contextValue: {},
      });
      const error = result.errors?.[0];
      const expected = `${testCase.path.join('.')}.1`;
      if (
        error?.extensions.code !== 'BAD_USER_INPUT' ||
        error.extensions.field !== expected ||
        error.extensions.messageId !== 'input.duplicateEntry'
      ) {
        failures.push(
          `${testCase.subgraph} ${testCase.field.name} ${expected}: ${JSON.stringify(result.errors ?? result.data)}`,
        );
      }
    }
    expect(failures).toEqual([]);
  });

  it('takes list arguments on root fields only, where the guard stands', () => {
    const elsewhere = [...schemas.values()].flatMap((schema) =>
      Object.values(schema.getTypeMap())
        .filter(
          (type) =>
            isObjectType(type) &&
            !type.name.startsWith('__') &&
            ![schema.getQueryType(), schema.getMutationType()].includes(type),
        )
        .flatMap((type) =>
          Object.values((type as { getFields(): Record<string, GraphQLField<unknown, unknown>> }).getFields())
            .filter((field) => field.args.some((arg) => listPaths(arg.type, []).length > 0))
            .map((field) => `${type.name}.${field.name}`),
        ),
    );
    expect(elsewhere).toEqual([]);
  });

  it('declares entry keys only on input types of the graph, naming their fields', () => {
    for (const [typeName, fields] of declaredEntryKeys()) {
      const owners = [...schemas.values()].map((schema) => schema.getType(typeName)).filter(isInputObjectType);
      expect([typeName, owners.length > 0]).toEqual([typeName, true]);
      for (const owner of owners)
        for (const field of fields)
          expect([typeName, field, Boolean(owner.getFields()[field])]).toEqual([typeName, field, true]);
    }
  });
});
