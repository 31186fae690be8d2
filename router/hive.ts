/**
 * Hive Gateway in front of the subgraphs: an existing router serving the static
 * supergraph, shipped as configuration. It
 * - verifies the caller's bearer JWT (the same verifier and claims as our gateway);
 * - applies the same request limits as gateway/gateway.ts (GraphQL Armor's envelop plugins:
 *   depth 10, aliases 15, directives 20, tokens 3000, cost 100 000, no field suggestions);
 * - signs the subgraph identity token with ITS OWN key (`signingKey`), whose public half it
 *   publishes as a JWKS; the subgraphs trust that JWKS (GATEWAY_JWKS_URL / GATEWAY_JWKS) beside
 *   our gateway's key. Our gateway's private key never leaves our gateway.
 * - validates each operation against the caller's role schema (`schema/roles/<ROLE>.client.graphql`,
 *   the same contract our gateway serves) and answers introspection from it: a field the role may
 *   never see fails validation and is absent from introspection, as at our gateway, while execution
 *   plans over the one supergraph (`schema/supergraph.graphql`) — Hive Gateway runs one per runtime.
 */
import { EnvelopArmor } from '@escape.tech/graphql-armor';
import { createGatewayRuntime, type GatewayPlugin } from '@graphql-hive/gateway';
import {
  buildSchema,
  execute,
  GraphQLError,
  Kind,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import type { CryptoKey } from 'jose';
import { createCallerVerifier, signGatewayToken, type CallerTokenOptions } from '../gateway/identity.js';
import type { Identity, Role } from '../schema/identity.js';
import type { SubgraphName } from '../schema/subgraphs.js';

/** The same limits as our gateway (gateway/gateway.ts). */
export const REQUEST_LIMITS = {
  maxDepth: { n: 10, ignoreIntrospection: true },
  maxAliases: { n: 15 },
  maxDirectives: { n: 20 },
  maxTokens: { n: 3000 },
  costLimit: { maxCost: 100_000, ignoreIntrospection: true },
  blockFieldSuggestion: { enabled: true },
} as const;

export interface HiveRouterOptions {
  /** The supergraph SDL (schema/supergraph.graphql). */
  supergraph: string;
  /** Subgraph name → URL (the supergraph holds placeholders `http://<name>.subgraph.invalid/graphql`). */
  subgraphUrls: Record<SubgraphName, string>;
  /** How callers' tokens are verified (a JWKS URL in production). */
  callers: CallerTokenOptions;
  /** Hive Gateway's own signing key (its public key is in the subgraphs' JWKS). */
  signingKey: CryptoKey;
  /** Each role's client (API) schema SDL (`schema/roles/<ROLE>.client.graphql`): what the role may ask. */
  roleSchemas: Record<Role, string>;
}

/** Whether an operation asks the schema about itself (introspection at its root). */
function introspects(document: DocumentNode): boolean {
  return document.definitions.some(
    (definition) =>
      definition.kind === Kind.OPERATION_DEFINITION &&
      definition.selectionSet.selections.some(
        (selection) => selection.kind === Kind.FIELD && selection.name.value.startsWith('__'),
      ),
  );
}

interface RouterContext {
  ipsIdentity?: Identity;
  params?: { operationName?: string | null };
}

export function createHiveRouter(options: HiveRouterOptions) {
  const verifyCaller = createCallerVerifier(options.callers);
  const armor = new EnvelopArmor(REQUEST_LIMITS).protect();
  const roleSchemas = Object.fromEntries(
    Object.entries(options.roleSchemas).map(([role, sdl]) => [role, buildSchema(sdl)]),
  ) as Record<Role, GraphQLSchema>;
  // Validation runs before the context is built: the caller's role is read once, when the request's parameters are.
  const roleOf = new WeakMap<Request, Role>();
  const roleSchemaPlugin: GatewayPlugin<RouterContext> = {
    async onParams({ request }) {
      try {
        roleOf.set(request, (await verifyCaller(request.headers.get('authorization') ?? undefined)).role);
      } catch {
        // No role: onContextBuilding answers 401.
      }
    },
    onValidate({ context, params, setResult }) {
      const request = (context as { request?: Request }).request;
      const role = request && roleOf.get(request);
      if (!role) return;
      const errors = validate(roleSchemas[role], params.documentAST as DocumentNode, specifiedRules);
      // The role's contract: what it may never see is not in its schema (no "did you mean" either).
      if (errors.length > 0)
        setResult(
          errors.map(
            (error) =>
              new GraphQLError(error.message.replace(/ Did you mean .*$/, ''), {
                nodes: error.nodes,
                extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
              }),
          ),
        );
    },
    onExecute({ args, setExecuteFn }) {
      const request = (args.contextValue as { request?: Request }).request;
      const role = request && roleOf.get(request);
      // Introspection describes the role's schema, not the supergraph's.
      if (role && introspects(args.document as DocumentNode))
        setExecuteFn((executionArgs) => execute({ ...executionArgs, schema: roleSchemas[role] }));
    },
  };
  const identityPlugin: GatewayPlugin<RouterContext> = {
    async onContextBuilding({ context, extendContext }) {
      const request = (context as { request?: Request }).request;
      try {
        extendContext({ ipsIdentity: await verifyCaller(request?.headers.get('authorization') ?? undefined) });
      } catch (error) {
        throw new GraphQLError((error as Error).message, {
          extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
        });
      }
    },
    // eslint-disable-next-line @typescript-eslint/unbound-method -- the plugin API hands its setters out to be called alone
    async onFetch({ url, setURL, options: init, setOptions, context: fetchContext }) {
      const context = fetchContext as RouterContext;
      const name = /^https?:\/\/([a-z]+)\.subgraph\.invalid\//.exec(url)?.[1] as SubgraphName | undefined;
      if (name && options.subgraphUrls[name]) setURL(options.subgraphUrls[name]);
      const identity = context.ipsIdentity;
      if (!identity) return;
      const token = await signGatewayToken(identity, options.signingKey, context.params?.operationName ?? 'anonymous');
      setOptions({
        ...init,
        headers: { ...init.headers, authorization: `Bearer ${token}` },
      });
    },
  };
  return createGatewayRuntime<RouterContext>({
    supergraph: options.supergraph,
    landingPage: false,
    graphiql: false,
    maskedErrors: true,
    plugins: () => [...(armor.plugins as GatewayPlugin<RouterContext>[]), roleSchemaPlugin, identityPlugin],
  });
}
