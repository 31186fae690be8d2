/**
 * Role-scoped API schemas, contract-style: for each role, every field it can never see
 * (its category is outside ROLE_SCOPE, or the operation is not its own) is marked
 * `@inaccessible` in the subgraph SDLs, then composed. Hidden fields are then absent
 * from that role's schema and introspection; types left empty or unreachable go too,
 * so no input or enum shape leaks either. Subgraphs still enforce circle and consent.
 */
import { composeServices } from '@apollo/composition';
import { Supergraph } from '@apollo/federation-internals';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isObjectType,
  isScalarType,
  isSpecifiedScalarType,
  Kind,
  type DirectiveNode,
  type DocumentNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  visit,
} from 'graphql';
import { ROLES, type Role } from '../schema/identity.js';
import {
  categoryOf,
  FIELD_ROLE_LIMITS,
  NON_PERSONAL_TYPES,
  OPERATIONS,
  PERSONAL_DATA_TYPES,
  ROLE_SCOPE,
} from '../schema/policy.js';

export interface SubgraphSdl {
  name: string;
  url: string;
  typeDefs: DocumentNode;
}

export interface HiddenElements {
  fields: Set<string>;
  types: Set<string>;
}

const ROOTS = ['Query', 'Mutation'] as const;

/** The object fields (`Type.field`) the policy tables alone hide from a role, before any reachability pass. */
export function policyHiddenFields(role: Role, api: GraphQLSchema): Set<string> {
  const fields = new Set<string>();
  for (const type of Object.values(api.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.keys(type.getFields())) {
      const key = `${type.name}.${field}`;
      const root = (ROOTS as readonly string[]).includes(type.name)
        ? OPERATIONS[type.name as (typeof ROOTS)[number]]
        : undefined;
      let visible: boolean;
      if (root) visible = root[field]?.includes(role) ?? false;
      else if (PERSONAL_DATA_TYPES[type.name]) {
        const category = categoryOf(type.name, field);
        visible =
          category !== undefined &&
          ROLE_SCOPE[role].includes(category) &&
          (FIELD_ROLE_LIMITS[key]?.includes(role) ?? true);
      } else visible = NON_PERSONAL_TYPES[type.name]?.includes(role) ?? false;
      if (!visible) fields.add(key);
    }
  }
  return fields;
}

/** What a role may never see, computed on the full API schema from the policy tables. */
export function hiddenFor(role: Role, api: GraphQLSchema): HiddenElements {
  const fields = policyHiddenFields(role, api);
  const types = new Set<string>();
  const objectTypes = Object.values(api.getTypeMap()).filter(
    (type) => isObjectType(type) && !type.name.startsWith('__'),
  );

  // Until stable: a type whose fields are all hidden is hidden; a field returning a hidden type is hidden.
  for (let changed = true; changed;) {
    changed = false;
    for (const type of objectTypes) {
      if (!isObjectType(type) || types.has(type.name) || type.name === 'Query') continue;
      const typeFields = Object.values(type.getFields());
      if (typeFields.every((field) => fields.has(`${type.name}.${field.name}`))) {
        types.add(type.name);
        changed = true;
      }
      for (const field of typeFields) {
        const key = `${type.name}.${field.name}`;
        if (!fields.has(key) && types.has(getNamedType(field.type).name)) {
          fields.add(key);
          changed = true;
        }
      }
    }
    for (const root of ROOTS) {
      const rootType = api.getType(root);
      if (!isObjectType(rootType)) continue;
      for (const field of Object.values(rootType.getFields())) {
        const key = `${root}.${field.name}`;
        if (!fields.has(key) && types.has(getNamedType(field.type).name)) {
          fields.add(key);
          changed = true;
        }
      }
    }
  }

  // Whatever the visible operations cannot reach is hidden too (inputs, enums, scalars, objects).
  const reachable = new Set<string>();
  const visit = (type: GraphQLNamedType): void => {
    if (reachable.has(type.name)) return;
    reachable.add(type.name);
    if (isObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (fields.has(`${type.name}.${field.name}`)) continue;
        visit(getNamedType(field.type));
        for (const argument of field.args) visit(getNamedType(argument.type));
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) visit(getNamedType(field.type));
    }
  };
  for (const root of ROOTS) {
    const rootType = api.getType(root);
    if (isObjectType(rootType)) visit(rootType);
  }
  for (const type of Object.values(api.getTypeMap())) {
    if (type.name.startsWith('__') || isSpecifiedScalarType(type) || reachable.has(type.name)) continue;
    if (isObjectType(type) || isInputObjectType(type) || isEnumType(type) || isScalarType(type)) types.add(type.name);
  }
  return { fields, types };
}

const INACCESSIBLE: DirectiveNode = { kind: Kind.DIRECTIVE, name: { kind: Kind.NAME, value: 'inaccessible' } };

/** Marks hidden fields and types `@inaccessible` in one subgraph's SDL. */
export function markInaccessible(document: DocumentNode, hidden: HiddenElements): DocumentNode {
  let typeName: string | undefined;
  const enterType = <T extends { name: { value: string }; directives?: readonly DirectiveNode[] }>(node: T): T => {
    typeName = node.name.value;
    return hidden.types.has(node.name.value)
      ? { ...node, directives: [...(node.directives ?? []), INACCESSIBLE] }
      : node;
  };
  return visit(document, {
    ObjectTypeDefinition: { enter: enterType },
    ObjectTypeExtension: { enter: enterType },
    InputObjectTypeDefinition: { enter: enterType },
    EnumTypeDefinition: { enter: enterType },
    ScalarTypeDefinition: { enter: enterType },
    FieldDefinition(node) {
      if (!typeName || !hidden.fields.has(`${typeName}.${node.name.value}`) || hidden.types.has(typeName))
        return undefined;
      return { ...node, directives: [...(node.directives ?? []), INACCESSIBLE] };
    },
  });
}

/** Composes one supergraph per role; throws if a role's contract does not compose into a valid API schema. */
export function composeRoleSupergraphs(subgraphs: SubgraphSdl[], fullSupergraphSdl: string): Record<Role, string> {
  const api = Supergraph.build(fullSupergraphSdl).apiSchema().toGraphQLJSSchema();
  const result = {} as Record<Role, string>;
  for (const role of ROLES) {
    const hidden = hiddenFor(role, api);
    const composed = composeServices(
      subgraphs.map((subgraph) => ({ ...subgraph, typeDefs: markInaccessible(subgraph.typeDefs, hidden) })),
    );
    if (composed.errors)
      throw new Error(
        `The ${role} schema does not compose:\n${composed.errors.map((error) => `  - ${error.message}`).join('\n')}`,
      );
    Supergraph.build(composed.supergraphSdl).apiSchema(); // validates the role's API schema
    result[role] = composed.supergraphSdl;
  }
  return result;
}

/** The API schema a role's clients see (for `npm run schema:role` and the tests). */
export function apiSchemaOf(supergraphSdl: string): GraphQLSchema {
  return Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
}
