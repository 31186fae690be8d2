/**
 * The role contracts as `@theguild/federation-composition` derives them (`composeSchemaContract`),
 * side by side with ours (platform/contracts.ts), so the choice between the two is checked by a
 * test (platform/contracts.test.ts), not remembered.
 *
 * The library filters on `@tag`s, and our subgraphs tag only data categories, while a role's
 * scope also depends on its operations, per-field role limits and non-personal types. So both
 * start from the same input: every object field the policy tables let the role see
 * (`policyHiddenFields`) gets `@tag(name: "role/<ROLE>")`, as do every argument, input field, input,
 * enum and scalar type (so the library's own reachability pass decides about them), and the library composes the
 * contract with `include: role/<ROLE>` and its unreachable-type removal. What differs after that
 * is the two reachability passes.
 */
import { composeSchemaContract } from '@theguild/federation-composition';
import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  Kind,
  visit,
  type DirectiveNode,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import type { Role } from '../schema/identity.js';
import { apiSchemaOf, hiddenFor, policyHiddenFields, type SubgraphSdl } from './contracts.js';

export const roleTag = (role: Role): string => `role/${role}`;

function tagDirective(name: string): DirectiveNode {
  return {
    kind: Kind.DIRECTIVE,
    name: { kind: Kind.NAME, value: 'tag' },
    arguments: [
      { kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'name' }, value: { kind: Kind.STRING, value: name } },
    ],
  };
}

/** Tags, in one subgraph's SDL, everything the policy tables let `role` see. */
export function tagVisible(document: DocumentNode, role: Role, hiddenFields: Set<string>): DocumentNode {
  const tag = tagDirective(roleTag(role));
  const withTag = <T extends { directives?: readonly DirectiveNode[] }>(node: T): T => ({
    ...node,
    directives: [...(node.directives ?? []), tag],
  });
  let typeName: string | undefined;
  const objectType = {
    enter: (node: { name: { value: string } }) => void (typeName = node.name.value),
    leave: () => void (typeName = undefined),
  };
  return visit(document, {
    ObjectTypeDefinition: objectType,
    ObjectTypeExtension: objectType,
    InputObjectTypeDefinition: { enter: (node) => withTag(node) },
    EnumTypeDefinition: { enter: (node) => withTag(node) },
    ScalarTypeDefinition: { enter: (node) => withTag(node) },
    FieldDefinition(node) {
      if (!typeName || hiddenFields.has(`${typeName}.${node.name.value}`)) return undefined;
      return withTag(node);
    },
    // Under an include filter an untagged argument or input field is excluded: tag them all, the field decides.
    InputValueDefinition: (node) => withTag(node),
  });
}

/**
 * What the library is given: `policy`, the fields the policy tables hide (the library does all the
 * rest); `policy+cascade`, those plus our pass's cascade (fields returning a type left empty),
 * so the library only removes what is unreachable.
 */
export type LibraryInput = 'policy' | 'policy+cascade';

/** The API schema the library's contract for `role` gives clients, or the library's errors. */
export function libraryRoleApiSchema(
  role: Role,
  subgraphs: SubgraphSdl[],
  fullApi: GraphQLSchema,
  input: LibraryInput = 'policy',
): { schema?: GraphQLSchema; errors?: string[] } {
  const hidden = input === 'policy' ? policyHiddenFields(role, fullApi) : hiddenFor(role, fullApi).fields;
  const services = subgraphs.map((subgraph) => ({
    name: subgraph.name,
    url: subgraph.url,
    typeDefs: tagVisible(subgraph.typeDefs, role, hidden),
  }));
  const result = composeSchemaContract(services, { include: new Set([roleTag(role)]), exclude: new Set() }, true);
  if (result.errors) return { errors: result.errors.map((error) => error.message) };
  try {
    return { schema: apiSchemaOf(result.supergraphSdl) };
  } catch (error) {
    return {
      errors: [`Apollo's Supergraph.build rejects the library's contract supergraph: ${(error as Error).message}`],
    };
  }
}

/** One line per schema coordinate (type with its kind, field with its type, argument, enum value, input field, interface). */
export function schemaCoordinates(schema: GraphQLSchema): Set<string> {
  const lines = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    const kind = isObjectType(type)
      ? 'type'
      : isInterfaceType(type)
        ? 'interface'
        : isUnionType(type)
          ? 'union'
          : isEnumType(type)
            ? 'enum'
            : isInputObjectType(type)
              ? 'input'
              : 'scalar';
    lines.add(`${kind} ${type.name}`);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const iface of type.getInterfaces()) lines.add(`${type.name} implements ${iface.name}`);
      for (const field of Object.values(type.getFields())) {
        lines.add(`${type.name}.${field.name}: ${String(field.type)}`);
        for (const argument of field.args)
          lines.add(`${type.name}.${field.name}(${argument.name}: ${String(argument.type)})`);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields()))
        lines.add(`${type.name}.${field.name}: ${String(field.type)}`);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) lines.add(`${type.name}.${value.name}`);
    } else if (isUnionType(type)) {
      for (const member of type.getTypes()) lines.add(`${type.name} = ${member.name}`);
    }
  }
  return lines;
}

export interface ContractDiff {
  role: Role;
  input: LibraryInput;
  /** The library's errors, when it produced no servable contract. */
  errors?: string[];
  onlyInLibrary: string[];
  onlyInOurs: string[];
}

/** Diffs the library's API schema for `role` against ours (`ours`: the role's client schema). */
export function diffRoleContract(
  role: Role,
  subgraphs: SubgraphSdl[],
  fullApi: GraphQLSchema,
  ours: GraphQLSchema,
  input: LibraryInput = 'policy',
): ContractDiff {
  const library = libraryRoleApiSchema(role, subgraphs, fullApi, input);
  if (!library.schema) return { role, input, errors: library.errors, onlyInLibrary: [], onlyInOurs: [] };
  const theirs = schemaCoordinates(library.schema);
  const mine = schemaCoordinates(ours);
  return {
    role,
    input,
    onlyInLibrary: [...theirs].filter((line) => !mine.has(line)).sort(),
    onlyInOurs: [...mine].filter((line) => !theirs.has(line)).sort(),
  };
}
