/**
 * Rules for everything a client sends, applied to every root field of every subgraph before the
 * policy's shield, so no resolver, service or transaction sees what breaks them:
 * - no control characters (NUL, BEL, ESC sequences, C1, DEL) in any string: PostgreSQL refuses NUL in
 *   text, and the others corrupt what people read. Line breaks and tabs stay (free text);
 * - no list holds the same entry twice: a list input is a set (recipients of a consent, categories,
 *   pathways, scores per item, answers per question…). Entries of an input type are the same when the
 *   fields its `@EntryKey` names are equal (a consent's grant is one per recipient), else when all of
 *   them are; ids compare without case, as PostgreSQL's uuid does.
 * BAD_USER_INPUT names the field by its path in the arguments (`input.grants.1`: the second entry).
 */
import {
  getNamedType,
  getNullableType,
  isInputObjectType,
  isListType,
  type GraphQLArgument,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import type { IMiddlewareFunction } from 'graphql-middleware';
import { InvalidInputError } from '../../schema/errors.js';

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** The path of the first string holding a control character, if any. */
export function controlCharacterPath(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return CONTROL.test(value) ? path : undefined;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = controlCharacterPath(item, `${path}.${index}`);
      if (found) return found;
    }
    return undefined;
  }
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    for (const [key, item] of Object.entries(value)) {
      const found = controlCharacterPath(item, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return undefined;
}

/** Fields that tell one entry of a list of this input type from another, by the type's GraphQL name. */
const ENTRY_KEYS = new Map<string, readonly string[]>();

/**
 * Declares what makes an entry of a list of this input type the same entry (class decorator, beside
 * `@InputType`, whose GraphQL name must be the class's): `@EntryKey('recipient')` — two grants for one
 * recipient are one recipient twice, whatever their categories. Without it, two entries are the same
 * when every field is.
 */
export function EntryKey(...fields: [string, ...string[]]): ClassDecorator {
  return (target) => {
    ENTRY_KEYS.set(target.name, fields);
  };
}

/** The declared entry keys (input type → fields): a test checks each names a real input type and field. */
export function declaredEntryKeys(): ReadonlyMap<string, readonly string[]> {
  return ENTRY_KEYS;
}

/** A value as one comparable string: object keys sorted, ids in lower case. */
function canonical(type: GraphQLInputType, value: unknown): string {
  if (value === null || value === undefined) return 'null';
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    const entryType = nullable.ofType;
    return `[${(value as unknown[]).map((entry) => canonical(entryType, entry)).join(',')}]`;
  }
  if (isInputObjectType(nullable)) {
    const fields = nullable.getFields();
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .filter((name) => fields[name])
      .sort()
      .map((name) => `${name}:${canonical(fields[name]!.type, record[name])}`)
      .join(',')}}`;
  }
  if (getNamedType(type).name === 'ID') return JSON.stringify(String(value).toLowerCase());
  return JSON.stringify(value instanceof Date ? value.toISOString() : value);
}

/** What identifies an entry of a list of `type`: its declared key fields, else the whole entry. */
function entryIdentity(type: GraphQLInputType, value: unknown): string {
  const named = getNamedType(type);
  const keys = isInputObjectType(named) ? ENTRY_KEYS.get(named.name) : undefined;
  if (!keys || !isInputObjectType(named) || value === null || typeof value !== 'object') return canonical(type, value);
  const fields = named.getFields();
  const record = value as Record<string, unknown>;
  return keys.map((key) => canonical(fields[key]!.type, record[key])).join('|');
}

/** The path of the first list entry that repeats an earlier one, and which one, walking the value by its GraphQL type. */
export function duplicateEntry(
  type: GraphQLInputType,
  value: unknown,
  path: string,
): { path: string; first: number } | undefined {
  if (value === null || value === undefined) return undefined;
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    const entryType = nullable.ofType;
    const entries = value as unknown[];
    const seen = new Map<string, number>();
    for (const [index, entry] of entries.entries()) {
      const identity = entryIdentity(entryType, entry);
      const first = seen.get(identity);
      if (first !== undefined) return { path: `${path}.${index}`, first };
      seen.set(identity, index);
    }
    for (const [index, entry] of entries.entries()) {
      const found = duplicateEntry(entryType, entry, `${path}.${index}`);
      if (found) return found;
    }
    return undefined;
  }
  if (isInputObjectType(nullable)) {
    const record = value as Record<string, unknown>;
    for (const [name, field] of Object.entries(nullable.getFields())) {
      const found = duplicateEntry(field.type, record[name], `${path}.${name}`);
      if (found) return found;
    }
  }
  return undefined;
}

/** The first repeated list entry among a root field's arguments. */
export function duplicateArgumentEntry(
  args: readonly GraphQLArgument[],
  values: Record<string, unknown>,
): { path: string; first: number } | undefined {
  for (const argument of args) {
    const found = duplicateEntry(argument.type, values[argument.name], argument.name);
    if (found) return found;
  }
  return undefined;
}

const guardInput: IMiddlewareFunction = (resolve, parent, args: Record<string, unknown>, context, info) => {
  const path = controlCharacterPath(args, '');
  if (path) throw new InvalidInputError(path, { id: 'input.controlCharacters' });
  // `_entities` takes the gateway's representations (`_Any`), not a client's list.
  if (!info.fieldName.startsWith('_')) {
    const duplicate = duplicateArgumentEntry(info.parentType.getFields()[info.fieldName]!.args, args);
    if (duplicate)
      throw new InvalidInputError(duplicate.path, { id: 'input.duplicateEntry', params: { first: duplicate.first } });
  }
  return thrownIfError(resolve(parent, args, context, info));
};

/**
 * graphql-shield returns a rule's error (e.g. the database gone while it read the ledger) as the field's
 * value; graphql-js throws it only when it is an `Error` of its own realm. An error of Node's (a socket's)
 * is thrown here, so it reaches formatError as an error at the field's path, never as a value.
 */
async function thrownIfError(result: unknown): Promise<unknown> {
  const value = await result;
  if (
    value instanceof Error ||
    (value !== null && typeof value === 'object' && Object.prototype.toString.call(value) === '[object Error]')
  )
    throw value;
  return value;
}

/** graphql-middleware for the root fields of a subgraph schema (only the root types it has). */
export function inputGuard(schema: GraphQLSchema): Record<string, IMiddlewareFunction> {
  return Object.fromEntries(
    [schema.getQueryType(), schema.getMutationType()].flatMap((type) => (type ? [[type.name, guardInput]] : [])),
  );
}
