/**
 * One rule for every string a client sends: no control characters (NUL, BEL, ESC sequences, C1,
 * DEL) anywhere in the arguments of any root field — PostgreSQL refuses NUL in text, and the others
 * corrupt what people read. Line breaks and tabs stay (free text). BAD_USER_INPUT names the field
 * by its path in the arguments. Applied to every subgraph, before the policy's shield.
 */
import type { GraphQLSchema } from 'graphql';
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

const refuseControlCharacters: IMiddlewareFunction = (resolve, parent, args, context, info) => {
  const path = controlCharacterPath(args, '');
  if (path) throw new InvalidInputError(path, { id: 'input.controlCharacters' });
  return resolve(parent, args, context, info);
};

/** graphql-middleware for the root fields of a subgraph schema (only the root types it has). */
export function inputGuard(schema: GraphQLSchema): Record<string, IMiddlewareFunction> {
  return Object.fromEntries([schema.getQueryType(), schema.getMutationType()].flatMap((type) => (type ? [[type.name, refuseControlCharacters]] : [])));
}
