/**
 * Turns the declarative policy (schema/policy.ts) into what a subgraph runs:
 * category `@tag`s in its SDL, a start-up check that every type, field and
 * operation is classified, and the graphql-shield rule tree (deny by default).
 */
import {
  GraphQLError,
  Kind,
  getNamedType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  type DirectiveNode,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
  visit,
} from 'graphql';
import { allow, deny, rule, shield, type IRule, type IRules } from 'graphql-shield';

type ShieldRule = IRule | typeof allow | typeof deny;
import type { Role } from '../../schema/identity.js';
import {
  ACTIONS,
  CONTENT_CATEGORY_OF,
  COUNT_ANSWERS,
  COUNT_READERS,
  DATA_CATEGORIES,
  FIELD_ROLE_LIMITS,
  NON_PERSONAL_TYPES,
  NOTICES,
  OPERATIONS,
  PERSONAL_DATA_TYPES,
  ROLE_SCOPE,
  categoryOf,
  categoryTag,
  freeTextAddressees,
  roleMaySee,
  type DataCategory,
} from '../../schema/policy.js';
import { mayAccess, mayReadNotice } from './access/decide.js';
import { ledgerByParticipant } from './access/ledger.js';
import type { OwnerOf, SubgraphContext } from './context.js';
import { ForbiddenError } from '../../schema/errors.js';
import { transientFailure } from './failures.js';

/** Types that federation adds to every subgraph; not domain data. */
const FEDERATION_TYPES = new Set([
  '_Service',
  '_Entity',
  '_Any',
  'FieldSet',
  'link__Import',
  'federation__FieldSet',
  'federation__Scope',
  'federation__Policy',
  'federation__ContextFieldValue',
]);
const FEDERATION_ROOT_FIELDS = new Set(['_service', '_entities']);
const ROOT_TYPES = ['Query', 'Mutation'] as const;

export class PolicyViolationError extends Error {
  constructor(readonly problems: string[]) {
    super(`The access policy (schema/policy.ts) does not cover this schema:\n  - ${problems.join('\n  - ')}`);
  }
}

/**
 * Every object type must be classified, every field of a personal-data type
 * must carry a category, every root field must name the roles that may call it.
 */
export function assertSchemaCoveredByPolicy(schema: GraphQLSchema): void {
  const problems: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__') || FEDERATION_TYPES.has(type.name)) continue;
    const fields = Object.keys(type.getFields());
    if ((ROOT_TYPES as readonly string[]).includes(type.name)) {
      const operations = OPERATIONS[type.name as (typeof ROOT_TYPES)[number]];
      for (const field of fields) {
        if (!FEDERATION_ROOT_FIELDS.has(field) && !operations[field])
          problems.push(`${type.name}.${field} names no roles in OPERATIONS`);
        if (type.name === 'Mutation' && !ACTIONS[field])
          problems.push(`Mutation.${field} has no entry in ACTIONS: who may act on which record`);
        if (type.name === 'Mutation' && ACTIONS[field])
          problems.push(...freeTextProblems(field, categoryArguments(type.getFields()[field]!.args)));
      }
    } else if (PERSONAL_DATA_TYPES[type.name]) {
      for (const field of fields) {
        if (!categoryOf(type.name, field))
          problems.push(`${type.name}.${field} has no data category in PERSONAL_DATA_TYPES`);
      }
    } else if (!NON_PERSONAL_TYPES[type.name]) {
      problems.push(`type ${type.name} is neither in PERSONAL_DATA_TYPES nor in NON_PERSONAL_TYPES`);
    }
  }
  problems.push(...countSystemProblems());
  if (problems.length > 0) throw new PolicyViolationError(problems);
}

/**
 * Where a mutation takes the category of a free text (a single DataCategory argument or input field; a list of
 * them is a consent's scope, not a text's), as dotted argument paths.
 */
export function categoryArguments(
  args: readonly { name: string; type: GraphQLInputType }[],
  prefix = '',
  depth = 0,
): string[] {
  return args.flatMap((arg) => {
    const type = isNonNullType(arg.type) ? arg.type.ofType : arg.type;
    if (isListType(type)) return [];
    const named = getNamedType(type);
    if (named.name === 'DataCategory') return [`${prefix}${arg.name}`];
    if (isInputObjectType(named) && depth < 3)
      return categoryArguments(Object.values(named.getFields()), `${prefix}${arg.name}.`, depth + 1);
    return [];
  });
}

/**
 * R14, R18: a mutation that carries free text in a declared category names, in ACTIONS, that category's argument
 * and who the text is addressed to — every variant of its grants included — so the command path can refuse a text
 * its readers may never read. A new message without them fails here, at start-up.
 */
export function freeTextProblems(mutation: string, categoryPaths: readonly string[]): string[] {
  const rule = ACTIONS[mutation]?.freeText;
  if (categoryPaths.length === 0)
    return rule ? [`ACTIONS.${mutation}.freeText names ${rule.category}, but the mutation takes no category`] : [];
  if (!rule)
    return [
      `Mutation.${mutation} carries free text (${categoryPaths.join(', ')}) but ACTIONS names no freeText addressee: who is it written for?`,
    ];
  const problems: string[] = [];
  if (!categoryPaths.includes(rule.category))
    problems.push(
      `ACTIONS.${mutation}.freeText.category is ${rule.category}, not one of the mutation's ${categoryPaths.join(', ')}`,
    );
  const variants = [...new Set(ACTIONS[mutation]!.grants.flatMap((grant) => grant.variants ?? []))];
  const uncovered =
    variants.length === 0
      ? freeTextAddressees(rule).length === 0
        ? ['(all)']
        : []
      : variants.filter((variant) => freeTextAddressees(rule, variant).length === 0);
  if (uncovered.length > 0)
    problems.push(`ACTIONS.${mutation}.freeText names no addressee for ${uncovered.join(', ')}`);
  return problems;
}

/**
 * One disclosure system per reader (COUNT_READERS): every root query a role may call that answers
 * counts of people must reach a suppressed reader as a part of the one suppressed system, never
 * exact beside it; and every query the policy opens is classified in COUNT_ANSWERS.
 */
export function countSystemProblems(
  operations: Readonly<Record<string, readonly Role[]>> = OPERATIONS.Query,
  answers: typeof COUNT_ANSWERS = COUNT_ANSWERS,
): string[] {
  const problems: string[] = [];
  for (const [field, roles] of Object.entries(operations)) {
    const answer = answers[field];
    if (!answer) {
      problems.push(`Query.${field} has no entry in COUNT_ANSWERS: which counts of people it answers`);
      continue;
    }
    for (const role of roles) {
      if (COUNT_READERS[role].system !== 'suppressed' || answer.counts === 'none') continue;
      if (answer.counts === 'records')
        problems.push(
          `Query.${field} answers ${role}, a suppressed reader (COUNT_READERS), exact counts of records it reads one by one`,
        );
      else if (answer.counts === 'people' && answer.suppressedAs === null)
        problems.push(
          `Query.${field} answers ${role}, a suppressed reader (COUNT_READERS), counts of people with no part in SUPPRESSED_SYSTEM`,
        );
    }
  }
  for (const field of Object.keys(answers))
    if (!operations[field]) problems.push(`COUNT_ANSWERS names ${field}, which is no query of OPERATIONS`);
  return problems;
}

/** Adds `@tag(name: "cat/<category>")` to every personal-data field of a subgraph SDL. */
export function tagCategories(document: DocumentNode): DocumentNode {
  let typeName: string | undefined;
  const leave = () => {
    typeName = undefined;
  };
  const enter = (node: { name: { value: string } }) => {
    typeName = node.name.value;
  };
  return visit(document, {
    ObjectTypeDefinition: { enter, leave },
    ObjectTypeExtension: { enter, leave },
    FieldDefinition(node) {
      const category = typeName ? categoryOf(typeName, node.name.value) : undefined;
      if (!category) return undefined;
      return { ...node, directives: [...(node.directives ?? []), tagDirective(categoryTag(category))] };
    },
  });
}

function tagDirective(name: string): DirectiveNode {
  return {
    kind: Kind.DIRECTIVE,
    name: { kind: Kind.NAME, value: 'tag' },
    arguments: [
      { kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'name' }, value: { kind: Kind.STRING, value: name } },
    ],
  };
}

// Operation rules are cached per request ('contextual'): evaluated once per request, not per field.
const roleRules = new Map<string, ShieldRule>();
function hasOneOfRoles(roles: readonly Role[]): ShieldRule {
  const name = `has-role-${[...roles].sort().join('-')}`;
  let cached = roleRules.get(name);
  if (!cached) {
    const allowed = new Set(roles);
    cached = rule(name, { cache: 'contextual' })((_parent, _args, context: SubgraphContext) =>
      allowed.has(context.identity.role),
    );
    roleRules.set(name, cached);
  }
  return cached;
}

/**
 * One rule per category (and role limit) for personal fields: role scope, then circle and
 * consent (R18) for the record's participant — found by the type's owner function — from
 * the request's batched ledger rows. Every allowed read is noted for the access log.
 * A single rule rather than `and(...)` of three: shield's per-rule overhead is paid on every field.
 * Not cached: the answer depends on the record.
 */
function personalFieldRules(owners: Readonly<Record<string, OwnerOf>>) {
  const rules = new Map<string, ShieldRule>();
  return (
    fixed: DataCategory,
    limit: readonly Role[] | undefined,
    contentCategoryIn?: string,
    notice?: string,
  ): ShieldRule => {
    const name = `personal-${contentCategoryIn ? `content-of-${contentCategoryIn}` : fixed}${limit ? `-only-${[...limit].sort().join('-')}` : ''}${notice ? `-or-notice-${notice}` : ''}`;
    let cached = rules.get(name);
    if (!cached) {
      cached = rule(name, { cache: 'no_cache' })((parent: object, _args, context: SubgraphContext, info) => {
        // Free text is shown (and logged) under the category of its content, carried by the record.
        const category = contentCategoryIn ? contentCategory(parent, contentCategoryIn) : fixed;
        if (
          !category ||
          !roleMaySee(context.identity.role, category) ||
          (limit && !limit.includes(context.identity.role))
        )
          return false;
        const participantId = owners[info.parentType.name]?.(parent);
        if (!participantId) return false;
        // The ledger read failing for the database's sake (gone, busy, too slow) is told as that, and a lost
        // connection retried (kit/subgraph.ts): shield would turn a thrown error into a denial (FORBIDDEN).
        // Any other failure stays a denial.
        return decide(context, participantId, category, parent, info, name, notice).catch((error: unknown) => {
          if (transientFailure(error))
            return new GraphQLError('The database failed during an access decision', { originalError: error as Error });
          throw error;
        });
      });
      rules.set(name, cached);
    }
    return cached;
  };
}

/**
 * Decisions by ledger row, rule and category: a record's fields and a list's records ask the same
 * question of one participant's row once. Keyed by the row itself, so a write that makes the request
 * read the row afresh (kit/command.ts forgets it) is decided afresh too.
 */
const decisionsByLedger = new WeakMap<object, Map<string, boolean>>();

/** Circle and consent (R18) from the request's batched ledger rows; an allowed read is noted for the access log. */
async function decide(
  context: SubgraphContext,
  participantId: string,
  category: DataCategory,
  parent: object,
  info: { parentType: { name: string }; fieldName: string },
  rule: string,
  notice?: string,
): Promise<boolean> {
  const ledger = await context.loaders.load(ledgerByParticipant, participantId);
  let allowed: boolean;
  if (notice !== undefined) {
    // A notice's answer depends on the record and the field: its addressee reads its listed fields by relation alone (NOTICES, R16).
    allowed =
      mayAccess(context.identity, ledger, category) ||
      mayReadNotice(context.identity, ledger, info.parentType.name, parent, info.fieldName);
  } else if (!ledger) {
    allowed = false;
  } else {
    let decisions = decisionsByLedger.get(ledger);
    if (!decisions) decisionsByLedger.set(ledger, (decisions = new Map()));
    // The caller too: a row is a request's own, but the answer must not hang on that.
    const key = `${rule}\u0000${category}\u0000${context.identity.role}\u0000${context.identity.organisation}\u0000${context.identity.subject}`;
    const known = decisions.get(key);
    allowed = known ?? mayAccess(context.identity, ledger, category);
    if (known === undefined) decisions.set(key, allowed);
  }
  if (allowed) context.accessLog.record(participantId, category);
  return allowed;
}

/** The category a record declares for its free text; none (denied) when it declares no known one. */
function contentCategory(record: object, property: string): DataCategory | undefined {
  const value = (record as Record<string, unknown>)[property];
  return typeof value === 'string' && (DATA_CATEGORIES as readonly string[]).includes(value)
    ? (value as DataCategory)
    : undefined;
}

/** The shield rule tree for one subgraph schema, generated from the policy. Anything unlisted is denied. */
export function shieldFromPolicy(schema: GraphQLSchema, owners: Readonly<Record<string, OwnerOf>>) {
  // One rule instance per name: shield refuses two different rules under one name.
  const personalRule = personalFieldRules(owners);
  const tree: Record<string, Record<string, ShieldRule> | ShieldRule> = {};
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const fieldNames = Object.keys(type.getFields());
    if ((ROOT_TYPES as readonly string[]).includes(type.name)) {
      const operations = OPERATIONS[type.name as (typeof ROOT_TYPES)[number]];
      tree[type.name] = Object.fromEntries(
        fieldNames.map((field) => {
          if (FEDERATION_ROOT_FIELDS.has(field)) return [field, allow]; // still behind the gateway token
          const roles = operations[field];
          return [field, roles ? hasOneOfRoles(roles) : deny];
        }),
      );
    } else if (type.name === '_Service') {
      tree[type.name] = { sdl: allow };
    } else if (PERSONAL_DATA_TYPES[type.name]) {
      tree[type.name] = Object.fromEntries(
        fieldNames.map((field) => {
          const category = categoryOf(type.name, field);
          const notice = NOTICES[type.name]?.fields.includes(field) ? type.name : undefined;
          return [
            field,
            category
              ? personalRule(
                  category,
                  FIELD_ROLE_LIMITS[`${type.name}.${field}`],
                  CONTENT_CATEGORY_OF[`${type.name}.${field}`],
                  notice,
                )
              : deny,
          ];
        }),
      );
    } else {
      const readers = NON_PERSONAL_TYPES[type.name];
      if (readers) tree[type.name] = hasOneOfRoles(readers);
    }
  }
  return shield(tree as IRules, {
    fallbackRule: deny,
    fallbackError: () => new ForbiddenError(),
    allowExternalErrors: true, // our own errors (BAD_USER_INPUT, CONFLICT…) pass through unchanged
    debug: false,
  });
}

/** Whether a role may resolve a reference to this type at all (checked inside `__resolveReference`). */
export function mayResolveReference(role: Role, typeName: string): boolean {
  const fields = PERSONAL_DATA_TYPES[typeName];
  if (fields) return Object.values(fields).some((category) => ROLE_SCOPE[role].includes(category));
  return NON_PERSONAL_TYPES[typeName]?.includes(role) ?? false;
}
