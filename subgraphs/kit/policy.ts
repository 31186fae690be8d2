/**
 * Turns the declarative policy (schema/policy.ts) into what a subgraph runs:
 * category `@tag`s in its SDL, a start-up check that every type, field and
 * operation is classified, and the graphql-shield rule tree (deny by default).
 */
import {
  GraphQLError,
  Kind,
  getNamedType,
  isAbstractType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  type DirectiveNode,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  visit,
} from 'graphql';
import { allow, deny, rule, shield, type IRule, type IRules } from 'graphql-shield';
import { middleware, type IMiddlewareFunction } from 'graphql-middleware';

type ShieldRule = IRule | typeof allow | typeof deny;
import { ROLES, type Role } from '../../schema/identity.js';
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
import { mayAccess, mayReadNotice, type Caller, type LedgerRow } from './access/decide.js';
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

/**
 * What a rule decides, called by the enforcement point below for every field it guards: `true` to resolve the
 * field, `false` (or a thrown error) for the fallback denial, an Error to answer the field with it. Synchronous
 * whenever the facts it needs are at hand, so that a visible field costs no promise; a promise only while the
 * record's ledger row is still being read.
 */
type Decision = (
  parent: object,
  args: unknown,
  context: SubgraphContext,
  info: GraphQLResolveInfo,
) => boolean | Error | Promise<boolean | Error>;

/**
 * Every shield rule of the tree with the function it was built from: the tree is graphql-shield's (its rule
 * objects, its validation, its fallback), and the enforcement point runs each rule's function directly, with
 * shield's outcomes, so that a synchronous answer stays synchronous (see `shieldFromPolicy`).
 */
const decisionOfRule = new WeakMap<ShieldRule, Decision>();

/** A field's middleware, as graphql-middleware calls it. */
type FieldMiddleware = (
  resolve: (parent: object, args: unknown, context: SubgraphContext, info: GraphQLResolveInfo) => unknown,
  parent: object,
  args: unknown,
  context: SubgraphContext,
  info: GraphQLResolveInfo,
) => unknown;

function policyRule(name: string, decision: Decision): ShieldRule {
  // 'no_cache': the answer is memoised below, per ledger row and category, where shield's caches would cost a promise and a key per field.
  const made = rule(name, { cache: 'no_cache' })(decision);
  decisionOfRule.set(made, decision);
  return made;
}

// Operation rules: a role check, a set lookup; nothing worth caching.
const roleRules = new Map<string, ShieldRule>();
function hasOneOfRoles(roles: readonly Role[]): ShieldRule {
  const name = `has-role-${[...roles].sort().join('-')}`;
  let cached = roleRules.get(name);
  if (!cached) {
    const allowed = new Set(roles);
    cached = policyRule(name, (_parent, _args, context) => allowed.has(context.identity.role));
    roleRules.set(name, cached);
  }
  return cached;
}

/**
 * One rule per category (and role limit) for personal fields: role scope, then circle and
 * consent (R18) for the record's participant — found by the type's owner function — from
 * the request's batched ledger rows. Every allowed read is noted for the access log.
 * A single rule rather than `and(...)` of three: a rule's overhead is paid on every field.
 * Decided once per participant's ledger row and category (`decided`), and read synchronously
 * by every field of every record of that participant once the row is loaded.
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
      cached = policyRule(name, (parent, _args, context, info) => {
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
        const known = context.loaders.peek(ledgerByParticipant, participantId);
        if (known) return allowedOn(context, participantId, known.value, category, parent, info, notice);
        // The ledger read failing for the database's sake (gone, busy, too slow) is told as that, and a lost
        // connection retried (kit/subgraph.ts): a thrown error would be a denial (FORBIDDEN).
        // Any other failure stays a denial.
        return context.loaders.load(ledgerByParticipant, participantId).then(
          (ledger) => allowedOn(context, participantId, ledger, category, parent, info, notice),
          (error: unknown) => {
            if (transientFailure(error))
              return new GraphQLError('The database failed during an access decision', {
                originalError: error as Error,
              });
            throw error;
          },
        );
      });
      rules.set(name, cached);
    }
    return cached;
  };
}

/** Circle and consent (R18), or a notice's addressee (NOTICES, R16), on the record's ledger row. */
function allowedOn(
  context: SubgraphContext,
  participantId: string,
  ledger: LedgerRow | undefined,
  category: DataCategory,
  parent: object,
  info: GraphQLResolveInfo,
  notice?: string,
): boolean {
  if (decided(context, participantId, ledger, category)) return true;
  // A notice's answer depends on the record and the field: its addressee reads its listed fields by relation alone (NOTICES, R16).
  if (notice === undefined || !mayReadNotice(context.identity, ledger, info.parentType.name, parent, info.fieldName))
    return false;
  context.accessLog.record(participantId, category);
  return true;
}

/**
 * Decisions by ledger row, caller and category: a record's fields and a list's records ask the same
 * question of one participant's row once. Keyed by the row itself, so a write that makes the request
 * read the row afresh (kit/command.ts forgets it) is decided afresh too; and by the caller, so that the
 * answer never hangs on a row being one request's own.
 */
const decisionsByLedger = new WeakMap<LedgerRow, WeakMap<Caller, Map<DataCategory, boolean>>>();

/** `mayAccess` once per ledger row, caller and category; the first allowed read is noted for the access log. */
function decided(
  context: SubgraphContext,
  participantId: string,
  ledger: LedgerRow | undefined,
  category: DataCategory,
): boolean {
  if (!ledger) return false;
  let byCaller = decisionsByLedger.get(ledger);
  if (!byCaller) decisionsByLedger.set(ledger, (byCaller = new WeakMap()));
  let decisions = byCaller.get(context.identity);
  if (!decisions) byCaller.set(context.identity, (decisions = new Map()));
  let allowed = decisions.get(category);
  if (allowed === undefined) {
    allowed = mayAccess(context.identity, ledger, category);
    decisions.set(category, allowed);
    if (allowed) context.accessLog.record(participantId, category);
  }
  return allowed;
}

/** The category a record declares for its free text; none (denied) when it declares no known one. */
function contentCategory(record: object, property: string): DataCategory | undefined {
  const value = (record as Record<string, unknown>)[property];
  return typeof value === 'string' && (DATA_CATEGORIES as readonly string[]).includes(value)
    ? (value as DataCategory)
    : undefined;
}

const SHIELD_OPTIONS = {
  fallbackRule: deny,
  fallbackError: () => new ForbiddenError(),
  allowExternalErrors: true, // our own errors (BAD_USER_INPUT, CONFLICT…) pass through unchanged
  debug: false,
};

/**
 * The shield rule tree for one subgraph schema, generated from the policy. Anything unlisted is denied.
 *
 * graphql-shield is the enforcement point: its rule tree, validated by `shield()`, decides every field. Its own
 * field middleware awaits every rule and every resolver — several promises per field of every record, the
 * policy's main cost on a list — so the middleware shield generates is kept only for a rule it alone knows how
 * to run; for the tree's own rules (all of them, today) each field gets a synchronous equivalent with shield's
 * outcomes: `allow` no middleware at all, `deny` the fallback error, a rule its function's answer (true
 * resolves, false or a throw is the fallback error, an Error is the field's answer), awaited only when the
 * function itself answers with a promise.
 */
export function shieldFromPolicy(schema: GraphQLSchema, owners: Readonly<Record<string, OwnerOf>>) {
  const tree = policyRuleTree(schema, owners);
  const shielded = shield(tree as IRules, SHIELD_OPTIONS);
  return middleware((target: GraphQLSchema) => {
    const generated = shielded.generate(target) as Record<
      string,
      Record<string, IMiddlewareFunction | FieldMiddleware>
    >;
    for (const [typeName, fields] of Object.entries(generated)) {
      const rules = tree[typeName];
      for (const field of Object.keys(fields)) {
        const guard = rules === undefined ? SHIELD_OPTIONS.fallbackRule : isRuleMap(rules) ? rules[field] : rules;
        if (guard === allow) delete fields[field];
        else if (guard === undefined || guard === deny) fields[field] = denied;
        else {
          const decision = decisionOfRule.get(guard);
          if (decision) fields[field] = enforced(decision);
        }
      }
    }
    return generated;
  });
}

function isRuleMap(rules: Record<string, ShieldRule> | ShieldRule): rules is Record<string, ShieldRule> {
  return rules !== allow && rules !== deny && !decisionOfRule.has(rules as ShieldRule);
}

const denied: FieldMiddleware = () => SHIELD_OPTIONS.fallbackError();

/** A rule's decision in front of a field's resolver, with graphql-shield's outcomes, synchronous when the decision is. */
function enforced(decision: Decision): FieldMiddleware {
  const outcome = (
    answer: boolean | Error,
    resolve: Parameters<FieldMiddleware>[0],
    parent: object,
    args: unknown,
    context: SubgraphContext,
    info: GraphQLResolveInfo,
  ) => (answer === true ? resolve(parent, args, context, info) : answer instanceof Error ? answer : denial());
  return (resolve, parent, args, context, info) => {
    let answer: ReturnType<Decision>;
    try {
      answer = decision(parent, args, context, info);
    } catch {
      return denial();
    }
    if (answer instanceof Promise)
      return answer.then(
        (settled) => outcome(settled, resolve, parent, args, context, info),
        () => denial(),
      );
    return outcome(answer, resolve, parent, args, context, info);
  };
}

function denial(): Error {
  return SHIELD_OPTIONS.fallbackError();
}

/** The rule of every field the policy names, by type: root fields by OPERATIONS, personal fields by category, other types by their readers. */
function policyRuleTree(
  schema: GraphQLSchema,
  owners: Readonly<Record<string, OwnerOf>>,
): Record<string, Record<string, ShieldRule> | ShieldRule> {
  // One rule instance per name: shield refuses two different rules under one name.
  const personalRule = personalFieldRules(owners);
  const reach = reachingRoles(schema);
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
      // A type every role that can reach it may read needs no rule: its fields are answered as they are.
      if (readers)
        tree[type.name] = [...(reach.get(type.name) ?? [])].every((role) => readers.includes(role))
          ? allow
          : hasOneOfRoles(readers);
    }
  }
  return tree;
}

/**
 * The roles that can reach each object type of a subgraph schema: through the root fields OPERATIONS opens to
 * them (every other root field is denied), and through `_entities`, which any caller behind the gateway token
 * may ask for any entity type (a type without a reference check hands back what it was given). An
 * over-approximation — a role is counted as reaching a type along any path, denied fields included — so a type
 * is left without a rule only when no role could read it that its readers do not name.
 */
export function reachingRoles(schema: GraphQLSchema): Map<string, Set<Role>> {
  const reach = new Map<string, Set<Role>>();
  const entities = schema.getType('_Entity');
  for (const role of ROLES) {
    const queue: GraphQLNamedType[] = isUnionType(entities) ? [...entities.getTypes()] : [];
    for (const root of ROOT_TYPES) {
      const type = schema.getType(root);
      if (!isObjectType(type)) continue;
      for (const field of Object.values(type.getFields()))
        if (OPERATIONS[root][field.name]?.includes(role)) queue.push(getNamedType(field.type));
    }
    const seen = new Set<string>();
    for (let type = queue.pop(); type; type = queue.pop()) {
      if (seen.has(type.name)) continue;
      seen.add(type.name);
      if (isObjectType(type) || isInterfaceType(type)) {
        for (const field of Object.values(type.getFields())) queue.push(getNamedType(field.type));
      }
      if (isAbstractType(type)) queue.push(...schema.getPossibleTypes(type));
      if (isObjectType(type)) {
        let roles = reach.get(type.name);
        if (!roles) reach.set(type.name, (roles = new Set()));
        roles.add(role);
      }
    }
  }
  return reach;
}

/** Whether a role may resolve a reference to this type at all (checked inside `__resolveReference`). */
export function mayResolveReference(role: Role, typeName: string): boolean {
  const fields = PERSONAL_DATA_TYPES[typeName];
  if (fields) return Object.values(fields).some((category) => ROLE_SCOPE[role].includes(category));
  return NON_PERSONAL_TYPES[typeName]?.includes(role) ?? false;
}
